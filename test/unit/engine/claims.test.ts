import { describe, expect, it } from 'vitest';
import { checkClaims } from '../../../src/engine/claims.js';
import { loadBuiltInCatalogs } from '../../../src/frameworks/catalog.js';
import { loadClaimsData } from '../../../src/frameworks/claims.js';
import type { FrameworkResult } from '../../../src/report/model.js';

// The data the composition root loads next to the catalogs and passes in.
const reference = { data: await loadClaimsData(), builtInCatalogs: await loadBuiltInCatalogs() };

const dora = {
  id: 'dora',
  controls: [
    {
      id: 'dora-art-9-2',
      citation: 'Regulation (EU) 2022/2554, Art. 9(2)',
      title: 'Protection and prevention',
      paraphrase: 'Words.',
      status: 'partially-supported',
    },
  ],
} as unknown as FrameworkResult;
const hds = {
  id: 'hds',
  controls: [
    {
      id: 'hds-exi-01',
      citation: 'Référentiel de certification HDS v2.0, [EXI 01]',
      title: 'Conditions of certification (our description)',
      paraphrase: 'Words.',
      status: 'relevant-not-sufficient',
    },
  ],
} as unknown as FrameworkResult;

describe('checkClaims (citation check)', () => {
  it('checks the three common citations by default, none of them correct', () => {
    const checks = checkClaims(undefined, [dora], reference);
    expect(checks.map((c) => c.claimed)).toEqual(['DORA Article 6', 'NIS2 Annex II', 'HDS Section 6.7']);
    for (const c of checks) expect(c.verdict).not.toBe('correct');
    expect(checks[1]?.verdict).toBe('wrong');
  });

  it('says what DORA Art. 6 really is and what the evidence supports instead, with its status here', () => {
    const [dora6] = checkClaims([{ citation: 'Article 6 of DORA', meaning: 'supply chain', madeIn: 'matrix.md' }], [dora], reference);
    expect(dora6?.actually).toContain('ICT risk management framework');
    expect(dora6?.source).toMatch(/^https:\/\/eur-lex\.europa\.eu\//);
    expect(dora6?.instead).toContainEqual({
      framework: 'dora',
      control: 'dora-art-9-2',
      citation: 'Regulation (EU) 2022/2554, Art. 9(2)',
      title: 'Protection and prevention',
      text: 'Words.',
      status: 'partially-supported',
    });
    expect(dora6?.instead.some((i) => i.status === 'not-in-report')).toBe(true);
  });

  it('names a provision outside the report with its citation and text from the built-in catalog, never only as not in the report', () => {
    const [nis2] = checkClaims([{ citation: 'NIS 2 Annexe II', meaning: 'SBOM', madeIn: 'matrice.md' }], [dora], reference);
    const cra = nis2?.instead.find((i) => i.control === 'cra-annex-i-part-ii-1');
    expect(cra).toMatchObject({
      status: 'not-in-report',
      citation: 'Regulation (EU) 2024/2847, Annex I, Part II, point (1)',
      title: 'Vulnerability handling requirements',
    });
    expect(cra?.text).toMatch(/software bill of materials/);
    for (const i of nis2?.instead ?? []) expect(i.citation, i.control).not.toMatch(/^[a-z0-9-]+\/[a-z0-9.-]+$/);
  });

  it('reports the status of a provision in the one wording of the report, supporting-only included', () => {
    const [hds67] = checkClaims([{ citation: 'Hébergeur de données de santé, section 6.7', meaning: 'provenance', madeIn: 'x' }], [hds], reference);
    expect(hds67?.verdict).toBe('wrong');
    expect(hds67?.instead).toContainEqual(expect.objectContaining({ control: 'hds-exi-01', status: 'relevant-not-sufficient' }));
  });

  it('does not confuse DORA Art. 6(6) or Art. 60 with Art. 6', () => {
    const [a, b] = checkClaims(
      [
        { citation: 'DORA Art. 60', meaning: '', madeIn: '' },
        { citation: 'ISO/IEC 27001 A.6.7', meaning: 'provenance', madeIn: '' },
      ],
      [dora],
      reference,
    );
    expect(a?.verdict).toBe('unknown');
    expect(b?.verdict).not.toBe('unknown');
  });

  it('reports a citation it has no data on as unknown, never as correct', () => {
    const [c] = checkClaims([{ citation: 'SOX 404', meaning: 'controls', madeIn: 'x' }], [], reference);
    expect(c).toMatchObject({ verdict: 'unknown', instead: [] });
  });
});
