import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/collect/evidence.js';
import { parsePeriod } from '../../../src/config/period.js';
import { buildReport, type BuildInput } from '../../../src/engine/build-report.js';
import { evidenceRefs } from '../../../src/engine/evidence-refs.js';
import { mapToControls } from '../../../src/engine/map.js';
import { trustInfo } from '../../../src/engine/trust-info.js';
import type { EvidenceKind, Finding, InputProblem } from '../../../src/report/model.js';
import type { TrustSet } from '../../../src/trust/load.js';
import { compileSchema, formatSchemaErrors } from '../../../src/util/ajv.js';
import { makeKeyPair, trustedKey, trustedRootFor } from '../../helpers/estate.js';
import { CLOCK, TEST_CATALOG, finding, testConfig } from './inputs.js';

const validate = compileSchema(JSON.parse(await readFile(new URL('../../../src/report/report.schema.json', import.meta.url), 'utf8')));
const period = parsePeriod('2026-Q2', 'UTC');
const trust: TrustSet = { keys: [trustedKey(makeKeyPair(), 'cosign-2026')], trustedRoot: trustedRootFor(makeKeyPair()) };

function evidence(source: string, kind: EvidenceKind, subject?: string): Evidence {
  const bytes = Buffer.from(`bytes of ${source}`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), kind, source, bytes, ...(subject === undefined ? {} : { subject }) };
}

const signature = evidence('evidence/web/signature.jsonl', 'cosign-signature', 'web');
const sbom = evidence('evidence/api/attestation.jsonl', 'dsse-attestation', 'api');

function build(findings: Finding[], problems: InputProblem[] = [], images = ['api', 'web'], custody?: BuildInput['custody']) {
  const config = testConfig(images);
  const mapped = mapToControls({ config, period, clock: CLOCK, catalogs: [TEST_CATALOG], findings, waivers: [], manualEvidence: [] });
  const dates = new Map([
    [signature.sha256, { evidence: signature.sha256, at: '2026-05-02T10:00:00.000Z', what: 'signed (transparency log)' }],
    [sbom.sha256, { evidence: sbom.sha256, at: '2026-03-31T23:59:59.000Z', what: 'SBOM timestamp' }],
  ]);
  const input: BuildInput = {
    generator: { name: 'auditpack', version: '0.0.0-test', libraries: {} },
    organisation: config.organisation,
    clock: CLOCK,
    period,
    configSha256: 'c'.repeat(64),
    profile: ['any'],
    images: config.images,
    trust: trustInfo(trust, config),
    findings: mapped.findings,
    frameworks: mapped.frameworks,
    evidence: evidenceRefs([signature, sbom], trust, dates, period, Duration.fromISO('P1Y')),
    problems,
    claims: [],
    manualEvidence: [],
    waivers: mapped.waivers,
    crosswalk: [],
    sboms: { minGrade: 'D', entries: [], estate: { components: 0, distinct: 0, shared: [] } },
    ...(custody ? { custody } : {}),
  };
  return buildReport(input);
}

const allPass = (subject: string) => [finding('signature.verified', subject, 'pass'), finding('sbom.valid', subject, 'pass')];

describe('buildReport', () => {
  it('completes a drafted chain of custody: bundle paths for its evidence, the gate from the image status, valid against the schema', () => {
    const sign = { step: 'sign' as const, status: 'verified' as const, signed: true, summary: 'signed by k', evidence: [signature.sha256], findings: [] };
    const report = build([...allPass('api'), ...allPass('web')], [], ['api', 'web'], new Map([['web', { basis: 'none' as const, links: [sign] }]]));
    expect(report.subjects[0]).not.toHaveProperty('custody');
    expect(report.subjects[1]?.custody).toEqual({
      basis: 'none',
      links: [
        { ...sign, evidence: [{ path: 'evidence/evidence/web/signature.jsonl', sha256: signature.sha256 }] },
        expect.objectContaining({ step: 'gate', status: 'verified', at: CLOCK }),
      ],
    });
    expect(validate(report), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('builds a report that validates against the published schema', () => {
    const report = build([...allPass('api'), finding('signature.verified', 'web', 'fail', 'SIGNATURE_INVALID'), finding('sbom.valid', 'web', 'pass')]);
    expect(validate(report), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
    expect(report.run).toEqual({
      organisation: 'Test Org',
      generatedAt: CLOCK,
      period: { label: '2026-Q2', start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z', zone: 'UTC' },
      configSha256: 'c'.repeat(64),
      frameworks: ['test'],
      profile: ['any'],
    });
  });

  it('a subject is verified only when none of its findings failed or errored', () => {
    const report = build(
      [
        ...allPass('api'),
        finding('signature.verified', 'web', 'fail', 'SIGNATURE_INVALID'),
        finding('sbom.valid', 'web', 'pass'),
        finding('signature.verified', 'db', 'error', 'INTERNAL'),
      ],
      [],
      ['api', 'web', 'db'],
    );
    expect(report.subjects.map((s) => [s.id, s.status])).toEqual([
      ['api', 'verified'],
      ['web', 'failed'],
      ['db', 'incomplete'],
    ]);
    expect(report.subjects[1]).toMatchObject({ ref: 'registry.test/web:1', headlines: ['signature.verified fail for web'] });
    expect(report.subjects[0]?.headlines).toEqual([]);
    expect(report.summary.subjects).toEqual({ total: 3, verified: 1, withFailures: 1, withErrors: 1 });
    expect(report.summary.findings).toEqual({ pass: 3, fail: 1, error: 1, 'not-applicable': 0 });
  });

  it('passes only with no failure, no error and no input problem', () => {
    const clean = [...allPass('api'), ...allPass('web')];
    expect(build(clean).summary.verdict).toBe('pass');
    const problem: InputProblem = { code: 'EVIDENCE_MALFORMED', file: 'evidence/web/x.json', reason: 'not JSON' };
    const withProblem = build(clean, [problem]);
    expect(withProblem.summary).toMatchObject({ verdict: 'fail', problems: 1 });
    expect(withProblem.problems).toEqual([problem]);
    expect(build([...allPass('api'), finding('sbom.valid', 'web', 'error', 'INTERNAL')]).summary.verdict).toBe('fail');
  });

  it('counts control statuses over every framework', () => {
    const report = build([...allPass('api'), ...allPass('web')]);
    // signed and sbom supported, manual not assessed, later not applicable.
    expect(report.summary.controls).toEqual({
      supported: 2,
      'partially-supported': 0,
      'relevant-not-sufficient': 0,
      'not-supported': 0,
      'not-assessed': 1,
      'not-applicable': 1,
    });
  });

  it('sorts input problems by file, then reason', () => {
    const problems: InputProblem[] = [
      { code: 'EVIDENCE_MALFORMED', file: 'b.json', reason: 'z' },
      { code: 'EVIDENCE_MALFORMED', file: 'a.json', reason: 'y' },
      { code: 'EVIDENCE_UNRECOGNISED', file: 'a.json', reason: 'x' },
    ];
    expect(build([], problems).problems.map((p) => `${p.file} ${p.reason}`)).toEqual(['a.json x', 'a.json y', 'b.json z']);
  });

  it('lists every evidence file and trust file by its bundle path, with its digest, its date against the period and whether that date may date the image', () => {
    const report = build(allPass('api'));
    const [key] = trust.keys;
    expect(report.evidence.map((e) => [e.path, e.kind])).toEqual([
      ['evidence/evidence/api/attestation.jsonl', 'dsse-attestation'],
      ['evidence/evidence/web/signature.jsonl', 'cosign-signature'],
      ['trust/keys/cosign-2026.pub', 'public-key'],
      ['trust/keys/trusted_root.json', 'trusted-root'],
    ]);
    const bySource = new Map(report.evidence.map((e) => [e.source, e]));
    expect(bySource.get(signature.source)).toEqual({
      sha256: signature.sha256,
      kind: 'cosign-signature',
      source: signature.source,
      path: 'evidence/evidence/web/signature.jsonl',
      size: signature.bytes.length,
      subject: 'web',
      dated: { at: '2026-05-02T10:00:00.000Z', what: 'signed (transparency log)', inPeriod: true, timing: 'in-period' },
    });
    // Made before the period, within the maximum age: outside the period, yet current.
    expect(bySource.get(sbom.source)?.dated).toMatchObject({ inPeriod: false, timing: 'before-period' });
    expect(bySource.get(key?.source ?? '')).toMatchObject({ sha256: key?.sha256, size: key?.bytes.length });
    expect(report.trust.keys).toEqual([{ id: 'cosign-2026', path: 'trust/keys/cosign-2026.pub', fingerprint: key?.fingerprint, algorithm: 'ECDSA P-256' }]);
    expect(report.trust.trustedRoot).toEqual({ path: 'trust/keys/trusted_root.json', sha256: trust.trustedRoot?.sha256, tlogs: 1 });
  });
});
