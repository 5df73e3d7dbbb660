import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../src/config/period.js';
import { mapToControls, type MapInput } from '../../../src/engine/map.js';
import type { ManualEvidence } from '../../../src/report/model.js';
import type { Waiver } from '../../../src/waivers/load.js';
import { CLOCK, TEST_CATALOG, finding, testConfig } from './inputs.js';

const findings = [
  finding('signature.verified', 'api', 'pass'),
  finding('signature.verified', 'web', 'pass'),
  finding('sbom.valid', 'api', 'pass'),
  finding('sbom.valid', 'web', 'fail', 'SBOM_INVALID'),
];

function map(over: Partial<MapInput> = {}) {
  return mapToControls({
    config: testConfig(),
    period: parsePeriod('2026-Q2', 'UTC'),
    clock: CLOCK,
    catalogs: [TEST_CATALOG],
    findings,
    waivers: [],
    manualEvidence: [],
    ...over,
  });
}

const controlOf = (result: ReturnType<typeof map>, id: string) => result.frameworks[0]?.controls.find((c) => c.id === id);

const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'WVR-1',
  scope: { image: 'web', check: 'sbom.valid' },
  justification: 'the generator is being replaced',
  approver: 'CISO',
  ticket: 'SEC-1',
  start: '2026-04-01',
  expires: '2026-09-30',
  ...over,
});

const manual = (controls: string[]): ManualEvidence => ({ id: 'policy-v1', controls, statement: 'A policy exists.', givenBy: 'CISO', givenAt: '2026-05-12' });

describe('mapToControls', () => {
  it('gives each control of each catalog the status its findings support, with the catalog facts', () => {
    const result = map();
    expect(result.frameworks).toHaveLength(1);
    expect(result.frameworks[0]).toMatchObject({
      id: 'test',
      title: 'Test Regulation',
      applicability: 'Every test entity.',
      appliesTo: ['any'],
      celex: '32026R0001',
    });
    expect(controlOf(result, 'signed')).toMatchObject({
      status: 'supported',
      coverage: { passed: 2, total: 2 },
      findings: ['signature.verified:api', 'signature.verified:web'],
    });
    expect(controlOf(result, 'sbom')).toMatchObject({ status: 'partially-supported', coverage: { passed: 1, total: 2 } });
    expect(controlOf(result, 'manual')).toMatchObject({ status: 'not-assessed', manualOnly: true });
    expect(controlOf(result, 'later')).toMatchObject({ status: 'not-applicable', statusReason: 'applies from 2027-12-11, after the period' });
  });

  it('never drops a finding: the findings come back in order, unwaived ones unchanged', () => {
    expect(map().findings).toEqual(findings);
  });

  it('a waiver in force marks the failure and the control, and leaves the failure a failure', () => {
    const result = map({ waivers: [waiver()] });
    const waived = result.findings.find((f) => f.id === 'sbom.valid:web');
    expect(waived).toMatchObject({ status: 'fail', code: 'SBOM_INVALID', waiver: { id: 'WVR-1', inForce: true } });
    expect(controlOf(result, 'sbom')).toMatchObject({ status: 'partially-supported', waivedSubjects: ['web'] });
    expect(controlOf(result, 'signed')?.waivedSubjects).toEqual([]);
    expect(result.waivers).toEqual([expect.objectContaining({ id: 'WVR-1', inForce: true, expired: false, covers: ['sbom.valid:web'] })]);
  });

  it('an expired waiver is recorded and flagged, and covers nothing', () => {
    const result = map({ waivers: [waiver({ expires: '2026-06-15' })] });
    expect(result.waivers[0]).toMatchObject({ inForce: false, expired: true, covers: [] });
    expect(controlOf(result, 'sbom')?.waivedSubjects).toEqual([]);
    expect(result.findings.find((f) => f.id === 'sbom.valid:web')?.waiver).toMatchObject({ inForce: false });
  });

  it('attaches manual evidence to the controls it names, and to no other', () => {
    const result = map({ manualEvidence: [manual(['test/manual', 'test/signed'])] });
    expect(controlOf(result, 'manual')?.manualEvidence).toEqual(['policy-v1']);
    expect(controlOf(result, 'signed')?.manualEvidence).toEqual(['policy-v1']);
    expect(controlOf(result, 'sbom')?.manualEvidence).toEqual([]);
    // Manual evidence is recorded, never verified: it does not change a status.
    expect(controlOf(result, 'manual')?.status).toBe('not-assessed');
  });

  it('refuses manual evidence that names a control outside the selected frameworks, naming the record', () => {
    expect(() => map({ manualEvidence: [manual(['test/nonexistent'])] })).toThrow(
      expect.objectContaining({
        name: 'AuditpackError',
        code: 'CONFIG_INVALID',
        message: expect.stringContaining("manualEvidence 'policy-v1' names 'test/nonexistent'"),
      }),
    );
  });

  it('maps nothing to no catalog, and keeps the findings', () => {
    const result = map({ catalogs: [] });
    expect(result.frameworks).toEqual([]);
    expect(result.findings).toHaveLength(findings.length);
  });

  it("counts running images the configuration does not name in every control's coverage: they never read as covered", () => {
    const coredns = { name: 'coredns-cccccccccccc', ref: `registry.k8s.io/coredns/coredns@sha256:${'c'.repeat(64)}`, digest: `sha256:${'c'.repeat(64)}` };
    const result = map({ uncovered: [coredns], findings: [...findings, finding('population.covered', coredns.name, 'fail', 'IMAGE_RUNNING_UNCOVERED')] });
    expect(controlOf(result, 'signed')).toMatchObject({ status: 'partially-supported', coverage: { passed: 2, total: 3 } });
    expect(controlOf(map(), 'signed')).toMatchObject({ status: 'supported', coverage: { passed: 2, total: 2 } });
  });

  it("lets a waiver scoped to a running image's digest cover its population gap", () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const coredns = { name: 'coredns-cccccccccccc', ref: `registry.k8s.io/coredns/coredns@${digest}`, digest };
    const gap = finding('population.covered', coredns.name, 'fail', 'IMAGE_RUNNING_UNCOVERED');
    const result = map({ uncovered: [coredns], findings: [gap], waivers: [waiver({ scope: { digest, check: 'population.covered' } })] });
    expect(result.findings[0]?.waiver).toMatchObject({ id: 'WVR-1', inForce: true });
    expect(result.findings[0]?.status).toBe('fail');
  });
});
