import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog, type Catalog } from '../../src/frameworks/catalog.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';

const SIGNATURE = ['signature.verified', 'signature.binds-digest'];
const SBOM_BOUND = ['attestation.verified', 'attestation.binds-digest', 'sbom.valid'];

/**
 * The only places `full` may appear (unconditionally or through `fullWhen`):
 * the clauses regulations.md §7 marks F for a row auditpack has checks for
 * (row 1 signature verified, row 4 SBOM present and bound, row 7 build
 * provenance for SLSA Build L1/L2), with the checks of that row, less those
 * the expert review of issue 9 lowered: RTS 1774 16(1)(c) and IR 2024/2690
 * 6.6.1(c) (a check at audit time is not enforcement at deployment: partial
 * at most). The other F marks of §7 need evidence auditpack does not check
 * (row 2 admission: RTS 1774 11(2)(c); row 6 scans: RTS 1774 10(2)(b),
 * IR 2024/2690 6.10.2(b)), are not mapped (row 7's RTS 1774 16(1)(c) "build
 * stage": the clause's mapping rests on the signature, and every mapped check
 * must pass for an image to count) or are not catalogued (NTIA minimum
 * elements, FD&C Act 524B(b)(3), Clausier O-3.1 / O-12.2.5.4).
 */
const FULL_ALLOWED: Record<string, Record<string, string[]>> = {
  dora: { 'dora-rts-art-10-2-d-i': SBOM_BOUND },
  nis2: { 'nis2-ir-6-1-2-c': SBOM_BOUND },
  cra: { 'cra-annex-i-part-ii-1': SBOM_BOUND, 'cra-annex-vii-2-b': SBOM_BOUND },
  'pci-dss': { 'pci-dss-6-3-2': SBOM_BOUND },
  ssdf: { 'ssdf-ps-2-1': SIGNATURE, 'ssdf-ps-3-2': SBOM_BOUND },
  slsa: { 'slsa-build-l1': ['provenance.verified'], 'slsa-build-l2': ['provenance.verified'] },
};

/**
 * Full only for some entities (issue 9): the clause's own scope limits it, so
 * the catalog holds the cautious strength and names the condition.
 */
const CONDITIONAL_FULL: Record<string, Record<string, string>> = {
  dora: { 'dora-rts-art-10-2-d-i': 'critical-or-important-functions' },
  nis2: { 'nis2-ir-6-1-2-c': 'acquired-products' },
  'pci-dss': { 'pci-dss-6-3-2': 'bespoke-software' },
};

/** Strengths the expert review of issue 9 fixed, per control: never stronger than these. */
const AT_MOST: Record<string, Record<string, 'partial' | 'supporting'>> = {
  dora: {
    'dora-rts-art-16-1-c': 'partial',
    'dora-rts-art-16-7': 'supporting',
    'dora-rts-art-16-8': 'supporting',
    'dora-art-28-5': 'supporting',
    'dora-rts-art-7': 'supporting',
  },
  nis2: { 'nis2-ir-6-6-1-c': 'partial' },
  iso27001: { 'iso27001-a-8-25': 'supporting' },
  hds: { 'iso27001-a-8-25': 'supporting' },
  ssdf: { 'ssdf-pw-4-1': 'supporting' },
  slsa: { 'slsa-build-l3': 'partial' },
  cra: { 'cra-annex-vii-2-c': 'partial' },
};

/** CELEX numbers of the EU acts (DORA, NIS2, CRA); the other catalogs are not EU law. */
const CELEX: Record<string, string> = { dora: '32022R2554', nis2: '32022L2555', cra: '32024R2847' };

/**
 * Controls with an official French title in a source: the SecNumCloud 3.2
 * headings (read in the ANSSI text reproduced by intuitem, secnumcloud-3.2.yaml).
 * HDS EXI requirements and the ISO controls have none, so none may carry one.
 */
const TITLE_FR_SOURCED: Record<string, string[]> = { hds: ['secnumcloud-12-10-c', 'secnumcloud-14-2'] };

const catalogs = new Map<string, Catalog>();
beforeAll(async () => {
  for (const id of BUILT_IN_FRAMEWORKS) catalogs.set(id, await loadBuiltInCatalog(id));
});
const each = BUILT_IN_FRAMEWORKS.map((id) => [id] as const);
const catalog = (id: string): Catalog => {
  const c = catalogs.get(id);
  if (!c) throw new Error(`no catalog ${id}`);
  return c;
};

describe('built-in catalogs: sources and scope', () => {
  it.each(each)('%s has an https source for itself and for every control', (id) => {
    const c = catalog(id);
    expect(c.source).toMatch(/^https:\/\/[^\s/]+\.[^\s/]+/);
    for (const control of c.controls) expect(control.source, control.id).toMatch(/^https:\/\/[^\s/]+\.[^\s/]+/);
  });

  it.each(each)('%s says whom it applies to', (id) => {
    expect(catalog(id).appliesTo.length).toBeGreaterThan(0);
  });

  it.each(each)('%s carries the CELEX number exactly when it is EU law', (id) => {
    expect(catalog(id).celex).toBe(CELEX[id]);
  });

  it.each(each)('%s gives a French title only where a source gives one', (id) => {
    for (const control of catalog(id).controls) {
      if (control.titleFr !== undefined) expect(TITLE_FR_SOURCED[id] ?? [], control.id).toContain(control.id);
    }
  });

  it('date-gates the CRA to its dates of application and PCI DSS 6.3.2 to the end of its best-practice period', () => {
    for (const control of catalog('cra').controls) expect(control.appliesFrom, control.id).toBe(control.id === 'cra-art-14' ? '2026-09-11' : '2027-12-11');
    expect(catalog('cra').dates?.map((d) => d.from)).toEqual(['2024-12-10', '2026-06-11', '2026-09-11', '2027-12-11']);
    expect(catalog('cra').dates?.[0]?.what).toMatch(/^Entry into force/);
    expect(catalog('pci-dss').controls.find((c) => c.id === 'pci-dss-6-3-2')?.appliesFrom).toBe('2025-04-01');
  });

  it('dates DORA and both RTS from 17 January 2025, never earlier, and the subcontracting RTS from 22 July 2025', () => {
    for (const control of catalog('dora').controls) {
      const expected = control.citation.includes('2025/532') ? '2025-07-22' : '2025-01-17';
      expect(control.appliesFrom, control.id).toBe(expected);
    }
  });
});

describe('built-in catalogs: every control has a dated source', () => {
  it.each(each)('%s dates every control from a date the catalog sources', (id) => {
    const c = catalog(id);
    const dates = c.dates ?? [];
    expect(dates.length, `${id} has no dates`).toBeGreaterThan(0);
    for (const d of dates) {
      expect(d.from, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.what.trim().length, `${id} ${d.from}`).toBeGreaterThan(0);
      expect(d.source, `${id} ${d.from}`).toMatch(/^https:\/\/[^\s/]+\.[^\s/]+/);
    }
    expect(
      dates.map((d) => d.from),
      `${id}: dates in order`,
    ).toEqual([...dates.map((d) => d.from)].sort());
    const sourced = new Set(dates.map((d) => d.from));
    for (const control of c.controls) {
      expect(control.appliesFrom, `${id}/${control.id} has no appliesFrom`).toBeDefined();
      expect([...sourced], `${id}/${control.id}: appliesFrom ${control.appliesFrom} is not one of the catalog's sourced dates`).toContain(control.appliesFrom);
    }
  });
});

describe('built-in catalogs: scope by entity profile', () => {
  const article = (citation: string) => Number(/2024\/1774, Art\. (\d+)/.exec(citation)?.[1] ?? NaN);

  it('keeps RTS 2024/1774 Title II and DORA Art. 5 to 15 away from simplified-framework entities, and gives them Title III', () => {
    for (const control of catalog('dora').controls) {
      const exceptions = (control.exceptFor ?? []).map((e) => e.condition);
      const rtsArticle = article(control.citation);
      const doraArticle = Number(/2022\/2554, Art\. (\d+)/.exec(control.citation)?.[1] ?? NaN);
      if (rtsArticle >= 2 && rtsArticle <= 27) expect(exceptions, control.id).toContain('simplified-framework');
      if (doraArticle >= 5 && doraArticle <= 15) expect(exceptions, control.id).toContain('simplified-framework');
      if (rtsArticle >= 28 && rtsArticle <= 41) expect(control.onlyFor?.condition, control.id).toBe('simplified-framework');
    }
    expect(catalog('dora').controls.some((c) => article(c.citation) >= 28)).toBe(true);
  });

  it('keeps RTS 2024/1773 (the Art. 28(2) policy) away from microenterprises and simplified-framework entities', () => {
    const rts1773 = catalog('dora').controls.filter((c) => c.citation.includes('2024/1773'));
    expect(rts1773.length).toBeGreaterThan(0);
    for (const control of rts1773)
      expect((control.exceptFor ?? []).map((e) => e.condition).sort(), control.id).toEqual(['microenterprise', 'simplified-framework']);
  });

  it('applies the SecNumCloud points only to a qualified activity', () => {
    const points = catalog('hds').controls.filter((c) => c.id.startsWith('secnumcloud-'));
    expect(points.map((c) => c.id)).toEqual(['secnumcloud-12-10-c', 'secnumcloud-14-2']);
    for (const control of points) expect(control.onlyFor?.condition, control.id).toBe('secnumcloud-qualified');
  });

  it('keeps the ISO controls of the hds catalog mapped exactly as in the iso27001 catalog', () => {
    const iso = new Map(catalog('iso27001').controls.map((c) => [c.id, c]));
    for (const control of catalog('hds').controls.filter((c) => c.id.startsWith('iso27001-'))) {
      const twin = iso.get(control.id);
      expect(twin, control.id).toBeDefined();
      expect(control.citation, control.id).toBe(twin?.citation);
      expect(
        control.support.map((s) => [s.check, s.strength, s.fullWhen]),
        control.id,
      ).toEqual(twin?.support.map((s) => [s.check, s.strength, s.fullWhen]));
      expect(control.manualOnly === true, control.id).toBe(twin?.manualOnly === true);
    }
  });
});

describe('built-in catalogs: support', () => {
  it.each(each)('%s: every control has a supporting check or is manualOnly, and says what is not covered', (id) => {
    for (const control of catalog(id).controls) {
      if (control.manualOnly === true) expect(control.support, `${control.id} is manualOnly`).toEqual([]);
      else expect(control.support.length, `${control.id} has no check and is not manualOnly`).toBeGreaterThan(0);
      expect(control.notCovered.length, control.id).toBeGreaterThan(0);
    }
  });

  it.each(each)("%s: full strength only where regulations.md §7 marks F, for that row's checks", (id) => {
    for (const control of catalog(id).controls) {
      for (const s of control.support.filter((x) => x.strength === 'full' || x.fullWhen !== undefined)) {
        expect(FULL_ALLOWED[id]?.[control.id] ?? [], `${control.id}: ${s.check} is full but §7 does not mark it F`).toContain(s.check);
      }
    }
  });

  it.each(each)('%s: a full that holds only for some entities is conditional, cautious by default', (id) => {
    for (const control of catalog(id).controls) {
      const condition = CONDITIONAL_FULL[id]?.[control.id];
      for (const s of control.support) {
        if (condition === undefined) expect(s.fullWhen, `${control.id}: ${s.check}`).toBeUndefined();
        else if (FULL_ALLOWED[id]?.[control.id]?.includes(s.check))
          expect([s.strength, s.fullWhen], `${control.id}: ${s.check}`).toEqual(['partial', condition]);
      }
    }
  });

  it.each(each)('%s: no mapping stronger than the expert review allows', (id) => {
    const order = ['supporting', 'partial', 'full'];
    for (const [controlId, most] of Object.entries(AT_MOST[id] ?? {})) {
      const control = catalog(id).controls.find((c) => c.id === controlId);
      expect(control, `${id}/${controlId}`).toBeDefined();
      for (const s of control?.support ?? []) expect(order.indexOf(s.strength), `${controlId}: ${s.check}`).toBeLessThanOrEqual(order.indexOf(most));
    }
  });

  it('does not map pipeline.built to ISO A.8.29 (security testing), nor sbom.valid to DORA Art. 28(5) (CycloneDX is no security standard)', () => {
    for (const id of ['iso27001', 'hds']) expect(catalog(id).controls.find((c) => c.id === 'iso27001-a-8-29')).toMatchObject({ manualOnly: true, support: [] });
    expect(
      catalog('dora')
        .controls.find((c) => c.id === 'dora-art-28-5')
        ?.support.map((s) => s.check),
    ).not.toContain('sbom.valid');
  });

  it('credits no post-contract evidence to a pre-contract duty (DORA Art. 28(4)(d), RTS 2024/1773 Art. 6)', () => {
    for (const id of ['dora-art-28-4-d', 'dora-rts-1773-art-6'])
      expect(
        catalog('dora').controls.find((c) => c.id === id),
        id,
      ).toMatchObject({ manualOnly: true, support: [] });
  });

  it('cites RTS 1774 Art. 17(1) point (d) for the pipeline record, and the other points manual-only', () => {
    const dora = catalog('dora').controls;
    expect(dora.find((c) => c.id === 'dora-rts-art-17-1')?.citation).toBe('Commission Delegated Regulation (EU) 2024/1774, Art. 17(1)(d)');
    expect(dora.find((c) => c.id === 'dora-rts-art-17-1-other')).toMatchObject({
      manualOnly: true,
      citation: 'Commission Delegated Regulation (EU) 2024/1774, Art. 17(1)(a)–(c) and (e)–(h)',
    });
  });

  it('credits SLSA levels to signed provenance only: no CI record and no image signature is provenance', () => {
    for (const control of catalog('slsa').controls)
      expect(
        control.support.map((s) => s.check),
        control.id,
      ).toEqual(['provenance.verified']);
  });

  it.each(each)('%s: maps evidence.bound as supporting at most (it shows the evidence kept is the image’s own, not that a clause is met)', (id) => {
    for (const control of catalog(id).controls) {
      for (const s of control.support.filter((x) => x.check === 'evidence.bound')) expect(s.strength, control.id).toBe('supporting');
    }
  });

  it('every clause the F list names exists in its catalog', () => {
    for (const [id, controls] of Object.entries(FULL_ALLOWED)) {
      for (const controlId of Object.keys(controls))
        expect(
          catalog(id).controls.map((c) => c.id),
          `${id}/${controlId}`,
        ).toContain(controlId);
    }
  });
});

interface ClaimsFile {
  overclaim?: { patterns: string[]; reason: string; preferred: string };
  claims: { id: string; patterns: string[]; examples: string[]; verdict: string; reason: string; instead: { framework: string; control: string }[] }[];
}

describe('claims.yaml (citation-check data)', () => {
  let claims: ClaimsFile;
  beforeAll(async () => {
    claims = parse(await readFile(new URL('../../src/frameworks/claims.yaml', import.meta.url), 'utf8')) as ClaimsFile;
  });
  const matches = (patterns: string[], text: string) => patterns.some((p) => new RegExp(p, 'iu').test(text));
  const firstMatch = (text: string) => claims.claims.find((c) => matches(c.patterns, text));

  it('validates against claims.schema.json', async () => {
    const schema = JSON.parse(await readFile(new URL('../../src/frameworks/claims.schema.json', import.meta.url), 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(claims), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('has unique ids and patterns that compile', () => {
    expect(new Set(claims.claims.map((c) => c.id)).size).toBe(claims.claims.length);
    for (const p of [...claims.claims.flatMap((c) => c.patterns), ...(claims.overclaim?.patterns ?? [])]) expect(() => new RegExp(p, 'iu'), p).not.toThrow();
  });

  it('references only existing framework and control ids', () => {
    for (const claim of claims.claims) {
      for (const ref of claim.instead) {
        expect(BUILT_IN_FRAMEWORKS as readonly string[], `${claim.id}: framework ${ref.framework}`).toContain(ref.framework);
        expect(
          catalog(ref.framework).controls.map((c) => c.id),
          `${claim.id}: ${ref.framework}/${ref.control}`,
        ).toContain(ref.control);
      }
    }
  });

  it('matches each example to its own entry first', () => {
    for (const claim of claims.claims) for (const example of claim.examples) expect(firstMatch(example)?.id, example).toBe(claim.id);
  });

  it('judges the three citations of regulations.md §6 as the review of issue 9 does (HDS 6.7 is wrong: all 31 EXI were read)', () => {
    const vendor =
      'The combination satisfies DORA Article 6 (ICT supply-chain integrity), NIS2 Annex II (SBOM for essential entities), and HDS Section 6.7 (provenance verification)';
    const cited = vendor.split(/,\s*(?:and\s+)?/).slice(0, 3);
    expect(cited.map((c) => firstMatch(c)?.verdict)).toEqual(['imprecise', 'wrong', 'wrong']);
    expect(matches(claims.overclaim?.patterns ?? [], vendor)).toBe(true);
  });

  it('recognises the French and English variants with the right verdicts', () => {
    const cases: [string, string, string][] = [
      ['Hébergeur de données de santé, section 6.7', 'hds-section-6-7', 'wrong'],
      ['hébergement de données de santé, chapitre 6.7', 'hds-section-6-7', 'wrong'],
      ['HDS, § 6.7', 'hds-section-6-7', 'wrong'],
      ['NIS 2 Annexe II', 'nis2-annex-ii', 'wrong'],
      ['annexe II de la directive NIS2', 'nis2-annex-ii', 'wrong'],
      ['NIS2 Annex II', 'nis2-annex-ii', 'wrong'],
      ['DORA Article 6.2', 'dora-art-6', 'imprecise'],
      ['DORA art. 6(2)', 'dora-art-6', 'imprecise'],
      ["l'article 6 du règlement DORA", 'dora-art-6', 'imprecise'],
      ['Règlement (UE) 2022/2554, art. 6', 'dora-art-6', 'imprecise'],
      ['DORA, article 28, paragraphe 3', 'dora-art-28-3', 'wrong'],
      ["règlement d'exécution (UE) 2024/2690, annexe, point 6.7", 'nis2-ir-point-6-7', 'wrong'],
    ];
    for (const [citation, id, verdict] of cases) expect([firstMatch(citation)?.id, firstMatch(citation)?.verdict], citation).toEqual([id, verdict]);
  });

  it('leaves correct citations alone, in French and in English', () => {
    const correct = [
      'Regulation (EU) 2022/2554, Art. 9(2)',
      'DORA Art. 6(6)',
      'DORA article 6.6',
      'DORA Art. 60',
      'DORA Art. 28(4)(d)',
      'DORA art. 28, paragraphe 4',
      'NIS2 Art. 21(2)(d)',
      'NIS 2, article 21, paragraphe 2, point d)',
      'NIS2 Annexe III',
      'ISO/IEC 27001:2022, Annex A, control A.5.21',
      'HDS [EXI 06]',
      'Hébergeur de données de santé, exigence [EXI 22]',
      'HDS 16.7',
      'Commission Implementing Regulation (EU) 2024/2690, Annex, point 6.6.1(c)',
      "règlement d'exécution (UE) 2024/2690, annexe, point 6.1.2 c)",
    ];
    for (const ok of correct) expect(firstMatch(ok)?.id, ok).toBeUndefined();
  });

  it('writes word edges Unicode-aware: no \\b in any pattern', () => {
    for (const p of [...claims.claims.flatMap((c) => c.patterns), ...(claims.overclaim?.patterns ?? [])]) expect(p, p).not.toContain('\\b');
  });

  it('offers DORA Art. 28 and RTS 2024/1773 Art. 6 and 9 instead of DORA Art. 6, as its reason says', () => {
    expect(claims.claims.find((c) => c.id === 'nis2-annex-ii')?.reason).toMatch(/only EU act that names an SBOM[\s\S]*10\(2\)\(d\)\(i\)[\s\S]*6\.1\.2\(c\)/);
    const dora6 = claims.claims.find((c) => c.id === 'dora-art-6');
    const instead = dora6?.instead.map((i) => i.control) ?? [];
    for (const id of ['dora-art-28-4-d', 'dora-art-28-5', 'dora-rts-1773-art-6', 'dora-rts-1773-art-9']) expect(instead).toContain(id);
  });
});
