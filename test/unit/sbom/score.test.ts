import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_POLICY, gradeFor, meetsGrade, scoreSbom, type SbomScore } from '../../../src/sbom/score.js';
import { validateCycloneDx } from '../../../src/sbom/validate.js';
import { completeSbom, sbom } from './fixtures.js';

type Doc = Record<string, unknown> & { components: Record<string, unknown>[]; metadata: Record<string, unknown> };
const field = (s: SbomScore, id: string) => s.fields.find((f) => f.id === id);

describe('scoreSbom', () => {
  it('gives a complete SBOM 100 % on every field and an A', async () => {
    const d = completeSbom(4);
    expect((await validateCycloneDx(d)).status).toBe('valid');
    const s = scoreSbom(d);
    expect(s.fields.filter((f) => f.percent !== 100)).toEqual([]);
    expect(s).toMatchObject({ components: 4, frameworks: { ntia: 100, cisa: 100, bsi: 100 }, score: 100, grade: 'A' });
  });

  it('names the requirement each field belongs to: document, section and field', () => {
    const s = scoreSbom(completeSbom(1));
    expect(field(s, 'bsi.filename')?.requirement).toBe('BSI TR-03183-2 v2.1.0 §5.2.2 "Filename" (required)');
    expect(field(s, 'bsi.format')?.requirement).toBe('BSI TR-03183-2 v2.1.0 §4 SBOM formats');
    expect(field(s, 'cisa.hash')?.requirement).toBe('CISA 2025 minimum elements (draft), data field "Component Hash"');
    expect(field(s, 'ntia.supplier')?.requirement).toBe('NTIA minimum elements (2021), data field "Supplier Name"');
    for (const f of s.fields) expect(f.requirement, f.id).toMatch(/^(NTIA|CISA 2025|BSI TR-03183-2 v2\.1\.0) /);
  });

  it('measures component fields as the share of components that have them', () => {
    const d = completeSbom(4) as Doc;
    delete d.components[0]!.supplier;
    delete d.components[1]!.purl;
    d.components[2]!.hashes = [{ alg: 'SHA-256', content: 'ab'.repeat(32) }];
    const s = scoreSbom(d);
    expect(field(s, 'ntia.supplier')).toMatchObject({ covered: 3, required: 4, percent: 75 });
    expect(field(s, 'cisa.producer')).toMatchObject({ covered: 3, percent: 75 });
    expect(field(s, 'bsi.componentCreator')).toMatchObject({ covered: 3, percent: 75 });
    expect(field(s, 'cisa.identifier')).toMatchObject({ covered: 3, percent: 75 });
    expect(field(s, 'bsi.hash')).toMatchObject({ covered: 3, percent: 75 });
    expect(field(s, 'cisa.hash')).toMatchObject({ covered: 4, percent: 100 });
  });

  it('scores document fields 0 or 100: author, creator contact, timestamp, tool, generation context', () => {
    const d = completeSbom(2) as Doc;
    d.metadata = { timestamp: 'yesterday', authors: [{ name: 'Build team' }] };
    const s = scoreSbom(d);
    expect(field(s, 'ntia.author')?.percent).toBe(100);
    expect(field(s, 'cisa.author')?.percent).toBe(100);
    expect(field(s, 'bsi.creator')?.percent).toBe(0);
    expect(field(s, 'ntia.timestamp')?.percent).toBe(0);
    expect(field(s, 'cisa.tool')?.percent).toBe(0);
    expect(field(s, 'cisa.context')?.percent).toBe(0);
  });

  it('accepts the legacy tools array (CycloneDX 1.4) as a tool name', () => {
    const d = completeSbom(1) as Doc;
    d.metadata = { ...d.metadata, tools: [{ vendor: 'anchore', name: 'syft', version: '1.0' }] };
    expect(field(scoreSbom(d), 'cisa.tool')?.percent).toBe(100);
  });

  it('never counts a tool as the SBOM author', () => {
    const d = completeSbom(1) as Doc;
    d.metadata = { timestamp: '2026-01-01T00:00:00Z', tools: { components: [{ type: 'application', name: 'syft', version: '1' }] } };
    expect(field(scoreSbom(d), 'ntia.author')?.percent).toBe(0);
    expect(field(scoreSbom(d), 'cisa.author')?.percent).toBe(0);
  });

  it('asks BSI v2.1.0 for CycloneDX 1.6 or later', () => {
    const d = completeSbom(1) as Doc;
    d.specVersion = '1.5';
    expect(field(scoreSbom(d), 'bsi.format')?.percent).toBe(0);
    d.specVersion = '1.7';
    expect(field(scoreSbom(d), 'bsi.format')?.percent).toBe(100);
  });

  it('tells distribution from original licences by their CycloneDX 1.6 acknowledgement', () => {
    const d = completeSbom(2) as Doc;
    d.components[0]!.licenses = [{ license: { id: 'MIT' } }];
    d.components[1]!.licenses = [{ expression: 'MIT OR Apache-2.0', acknowledgement: 'concluded' }];
    const s = scoreSbom(d);
    expect(field(s, 'cisa.licence')).toMatchObject({ covered: 2 });
    expect(field(s, 'bsi.distributionLicence')).toMatchObject({ covered: 1 });
    expect(field(s, 'bsi.originalLicence')).toMatchObject({ covered: 0 });
  });

  it('takes the SHA-512 of a distribution reference (cyclonedx-npm) as the deliverable hash', () => {
    const d = completeSbom(1) as Doc;
    delete d.components[0]!.hashes;
    d.components[0]!.externalReferences = [
      { type: 'distribution', url: 'https://registry.example/lib0.tgz', hashes: [{ alg: 'SHA-512', content: 'cd'.repeat(64) }] },
    ];
    expect(field(scoreSbom(d), 'bsi.hash')?.percent).toBe(100);
    expect(field(scoreSbom(d), 'bsi.sourceUri')?.percent).toBe(0);
  });

  it('separates dependencies enumerated (BSI) from being in the graph (NTIA, CISA)', () => {
    const d = completeSbom(3) as Doc;
    d.dependencies = [{ ref: 'app', dependsOn: ['pkg:npm/lib0@1.0.0', 'pkg:npm/lib1@1.0.1'] }];
    const s = scoreSbom(d);
    expect(field(s, 'ntia.dependencies')).toMatchObject({ covered: 2, required: 3 });
    expect(field(s, 'cisa.dependencies')).toMatchObject({ covered: 2, required: 3 });
    expect(field(s, 'bsi.dependencies')).toMatchObject({ covered: 0, required: 3 });
  });

  it('grades a bare SBOM F and an SBOM without components badly, never vacuously', () => {
    expect(scoreSbom({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 })).toMatchObject({ components: 0, grade: 'F' });
    const bare = scoreSbom({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', name: 'x' }] });
    expect(bare.grade).toBe('F');
    expect(field(bare, 'ntia.name')?.percent).toBe(100);
  });

  it('grades a typical tool-made CycloneDX 1.5 SBOM (names, versions, purls, licences, graph) low: the current texts ask for more', () => {
    const d = sbom(5) as Doc;
    d.dependencies = (d.components as { 'bom-ref': string }[]).map((c) => ({ ref: c['bom-ref'], dependsOn: [] }));
    const s = scoreSbom(d);
    expect(['D', 'E', 'F']).toContain(s.grade);
    expect(s.score).toBe(Math.round(((s.frameworks.cisa + s.frameworks.bsi) / 2) * 10) / 10);
  });

  it('takes the grade thresholds and frameworks from the policy', () => {
    const s = scoreSbom(sbom(5), { grades: { A: 10, B: 5, C: 4, D: 3, E: 2 }, frameworks: ['ntia'] });
    expect(s.grade).toBe('A');
    expect(s.score).toBe(s.frameworks.ntia);
  });
});

describe('grades', () => {
  it('maps scores to grades by the default thresholds', () => {
    expect([95, 90, 89.9, 75, 60, 45, 30, 29.9, 0].map((n) => gradeFor(n))).toEqual(['A', 'A', 'B', 'B', 'C', 'D', 'E', 'F', 'F']);
    expect(DEFAULT_SCORE_POLICY.grades).toEqual({ A: 90, B: 75, C: 60, D: 45, E: 30 });
  });

  it('compares grades, A best', () => {
    expect(meetsGrade('A', 'C')).toBe(true);
    expect(meetsGrade('C', 'C')).toBe(true);
    expect(meetsGrade('D', 'C')).toBe(false);
  });
});
