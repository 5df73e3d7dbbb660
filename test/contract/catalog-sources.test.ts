import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog, type Catalog } from '../../src/frameworks/catalog.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';

const SIGNATURE = ['signature.verified', 'signature.binds-digest'];
const SBOM_BOUND = ['attestation.verified', 'attestation.binds-digest', 'sbom.valid'];

/**
 * The only places `full` may appear: the clauses regulations.md §7 marks F for
 * a row auditpack has checks for (row 1 signature verified, row 4 SBOM present
 * and bound), with the checks of that row. The other F marks of §7 need
 * evidence auditpack does not check (row 2 admission: RTS 1774 11(2)(c);
 * row 6 scans: RTS 1774 10(2)(b), IR 2024/2690 6.10.2(b); row 7 provenance:
 * RTS 1774 16(1)(c) build stage, SLSA Build L1/L2) or are not catalogued
 * (NTIA minimum elements, FD&C Act 524B(b)(3), Clausier O-3.1 / O-12.2.5.4).
 */
const FULL_ALLOWED: Record<string, Record<string, string[]>> = {
  dora: { 'dora-rts-art-16-1-c': SIGNATURE, 'dora-rts-art-10-2-d-i': SBOM_BOUND },
  nis2: { 'nis2-ir-6-6-1-c': SIGNATURE, 'nis2-ir-6-1-2-c': SBOM_BOUND },
  cra: { 'cra-annex-i-part-ii-1': SBOM_BOUND, 'cra-annex-vii-2-b': SBOM_BOUND },
  'pci-dss': { 'pci-dss-6-3-2': SBOM_BOUND },
  ssdf: { 'ssdf-ps-2-1': SIGNATURE, 'ssdf-ps-3-2': SBOM_BOUND },
};

/** CELEX numbers of the EU acts (DORA, NIS2, CRA); the other catalogs are not EU law. */
const CELEX: Record<string, string> = { dora: '32022R2554', nis2: '32022L2555', cra: '32024R2847' };

/** Controls with an official French title in a source. The research note gives none, so none may carry one. */
const TITLE_FR_SOURCED: Record<string, string[]> = {};

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
    for (const control of catalog('cra').controls) expect(control.appliesFrom, control.id).toBe('2027-12-11');
    expect(catalog('cra').dates?.map((d) => d.from)).toEqual(['2026-06-11', '2026-09-11', '2027-12-11']);
    expect(catalog('pci-dss').controls.find((c) => c.id === 'pci-dss-6-3-2')?.appliesFrom).toBe('2025-04-01');
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

  it.each(each)('%s: full strength only where regulations.md §7 marks F, for that row\'s checks', (id) => {
    for (const control of catalog(id).controls) {
      for (const s of control.support.filter((x) => x.strength === 'full')) {
        expect(FULL_ALLOWED[id]?.[control.id] ?? [], `${control.id}: ${s.check} is full but §7 does not mark it F`).toContain(s.check);
      }
    }
  });

  it('every clause the F list names exists in its catalog', () => {
    for (const [id, controls] of Object.entries(FULL_ALLOWED)) {
      for (const controlId of Object.keys(controls)) expect(catalog(id).controls.map((c) => c.id), `${id}/${controlId}`).toContain(controlId);
    }
  });
});

interface ClaimsFile {
  overclaim?: { patterns: string[]; reason: string; preferred: string };
  claims: { id: string; patterns: string[]; examples: string[]; verdict: string; instead: { framework: string; control: string }[] }[];
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
        expect(catalog(ref.framework).controls.map((c) => c.id), `${claim.id}: ${ref.framework}/${ref.control}`).toContain(ref.control);
      }
    }
  });

  it('matches each example to its own entry first', () => {
    for (const claim of claims.claims) for (const example of claim.examples) expect(firstMatch(example)?.id, example).toBe(claim.id);
  });

  it('judges the three citations of regulations.md §6 as the note does', () => {
    const vendor = 'The combination satisfies DORA Article 6 (ICT supply-chain integrity), NIS2 Annex II (SBOM for essential entities), and HDS Section 6.7 (provenance verification)';
    const cited = vendor.split(/,\s*(?:and\s+)?/).slice(0, 3);
    expect(cited.map((c) => firstMatch(c)?.verdict)).toEqual(['imprecise', 'wrong', 'unverifiable']);
    expect(matches(claims.overclaim?.patterns ?? [], vendor)).toBe(true);
  });

  it('leaves correct citations alone', () => {
    for (const ok of ['Regulation (EU) 2022/2554, Art. 9(2)', 'DORA Art. 6(6)', 'DORA Art. 28(4)(d)', 'NIS2 Art. 21(2)(d)', 'ISO/IEC 27001:2022, Annex A, control A.5.21', 'HDS [EXI 06]', 'Commission Implementing Regulation (EU) 2024/2690, Annex, point 6.6.1(c)']) {
      expect(firstMatch(ok)?.id, ok).toBeUndefined();
    }
  });
});
