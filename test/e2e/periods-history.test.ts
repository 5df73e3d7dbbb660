import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG, auditpack } from './cli.js';

const SEAL_PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
const COSIGN_PUB = `${ROOT}samples/akko/keys/cosign.pub`;
let work: string;
const readReport = async (dir: string) => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
const report = (out: string, ...args: string[]) => auditpack('report', '--config', SAMPLE_CONFIG, '--out', join(work, out), '--output', 'json', ...args);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-e2e-periods-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('periods on the command line', () => {
  it('resolves --period previous against the clock: the golden Q2 report, byte for byte', async () => {
    expect(report('previous', '--period', 'previous', '--clock', GOLDEN_CLOCK).status).toBe(1);
    const golden = await readFile(`${ROOT}samples/akko/golden/report.json`);
    expect((await readFile(join(work, 'previous', 'report.json'))).equals(golden)).toBe(true);
  });

  it('takes --from/--to as a range of days, and judges waivers at the period end, not the clock (a rerun in December)', async () => {
    const r = report('range', '--from', '2026-04-01', '--to', '2026-06-30', '--clock', '2026-12-05T18:00:00Z');
    expect(r.status).toBe(1);
    const rerun = await readReport(join(work, 'range'));
    expect(rerun.run.period).toEqual({ label: '2026-04-01..2026-06-30', start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z', zone: 'UTC' });
    expect(rerun.waivers.find((w) => w.id === 'WVR-2026-007')).toMatchObject({ inForce: true, expired: false, covers: ['sbom.quality:docs'] });
    expect(r.stdout).not.toContain('WVR-2026-007 (expired');
    expect(report('both', '--period', '2026-Q2', '--from', '2026-04-01', '--to', '2026-06-30').status).toBe(2);
    expect(report('half', '--from', '2026-04-01').status).toBe(2);
  });

  it('flags evidence dated after the clock with a stable code, and judges waivers at the clock of an interim report', async () => {
    const r = report('interim', '--period', 'current', '--clock', '2026-04-14T12:00:00Z');
    expect(r.status).toBe(1);
    const interim = await readReport(join(work, 'interim'));
    expect(interim.run.period.label).toBe('2026-Q2');
    const late = interim.problems.filter((p) => p.code === 'CLOCK_BEFORE_EVIDENCE');
    expect(late.length).toBeGreaterThan(10);
    expect(late.map((p) => p.file)).toContain('evidence/docs/signature.jsonl');
    expect(r.stderr).toMatch(/evidence\/docs\/signature\.jsonl: signing time .* is after the run's clock 2026-04-14T12:00:00\.000Z.*\[CLOCK_BEFORE_EVIDENCE\]/);
    // WVR-2026-007 starts on 15 April: not yet in force on the 14th.
    expect(interim.waivers.find((w) => w.id === 'WVR-2026-007')).toMatchObject({ inForce: false, expired: false });
  });

  it('refuses a period that starts after the clock, writing nothing', () => {
    const r = report('future', '--period', '2026-Q4', '--clock', GOLDEN_CLOCK);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the period 2026-Q4 starts 2026-10-01, after the run's clock .*\[PERIOD_INVALID\]/);
    expect(existsSync(join(work, 'future'))).toBe(false);
  });
});

describe('an estate that runs unchanged into later periods is judged on the evidence of its build', () => {
  const inPeriod = (r: Report) => r.findings.filter((f) => f.checkId === 'evidence.in-period');

  it('passes the next quarter on Q2 evidence: the Q3 report verifies the 13 images the Q2 report verifies, not 0 of 16', async () => {
    expect(report('q3-unchanged', '--period', '2026-Q3', '--clock', '2026-10-05T12:00:00Z').status).toBe(1);
    const q3 = await readReport(join(work, 'q3-unchanged'));
    const golden = JSON.parse(await readFile(`${ROOT}samples/akko/golden/report.json`, 'utf8')) as Report;
    expect(q3.summary.subjects).toEqual(golden.summary.subjects);
    expect(q3.summary.subjects.verified).toBe(13);
    expect(q3.run.maxEvidenceAge).toBe('P1Y');
    expect(inPeriod(q3).map((f) => f.status)).toEqual(Array<string>(16).fill('pass'));
    expect(inPeriod(q3)[0]?.message).toContain('made before the period, which count while this digest is the one deployed');
    const dated = q3.evidence.filter((e) => e.dated !== undefined);
    expect(dated.length).toBeGreaterThan(40);
    expect(dated.every((e) => e.dated?.inPeriod === false && e.dated.timing === 'before-period')).toBe(true);
  });

  it('flags the same evidence as stale (EVIDENCE_STALE) once it is older than evidence.maxAge at the period end', async () => {
    expect(report('q3-2027', '--period', '2027-Q3', '--clock', '2027-10-05T12:00:00Z').status).toBe(1);
    const late = await readReport(join(work, 'q3-2027'));
    expect(inPeriod(late).map((f) => f.code)).toEqual(Array<string>(16).fill('EVIDENCE_STALE'));
    expect(late.summary.subjects.verified).toBe(0);
    expect(late.evidence.filter((e) => e.dated).every((e) => e.dated?.timing === 'too-old')).toBe(true);
  });

  it('flags evidence dated after the period (EVIDENCE_OUT_OF_PERIOD): April evidence cannot date 2026-Q1', async () => {
    expect(report('q1', '--period', '2026-Q1', '--clock', GOLDEN_CLOCK).status).toBe(1);
    const early = await readReport(join(work, 'q1'));
    expect(inPeriod(early).map((f) => f.code)).toEqual(Array<string>(16).fill('EVIDENCE_OUT_OF_PERIOD'));
    expect(early.summary.subjects.verified).toBe(0);
  });
});

describe('two consecutive quarters: report --previous and auditpack diff', () => {
  let q2: Report;
  let q3: Report;
  let run: ReturnType<typeof auditpack>;
  beforeAll(async () => {
    const estate = join(work, 'akko-2026-Q3');
    const generated = spawnSync(process.execPath, [`${ROOT}scripts/samples/generate-q3.ts`, estate], { encoding: 'utf8' });
    expect(generated.status, generated.stderr).toBe(0);
    expect(report('q2', '--clock', GOLDEN_CLOCK, '--archive').status).toBe(1);
    // Reported on in December: the waivers are still judged at the end of September.
    run = auditpack(
      'report',
      '--config',
      join(estate, 'auditpack.yaml'),
      '--out',
      join(work, 'q3'),
      '--output',
      'json',
      '--clock',
      '2026-12-05T18:00:00Z',
      '--previous',
      join(work, 'q2'),
      '--previous-key',
      SEAL_PUB,
    );
    q2 = await readReport(join(work, 'q2'));
    q3 = await readReport(join(work, 'q3'));
  });

  it('reports the second quarter with its changes since the first, as the Q3 sample was built to show', () => {
    expect(run.status).toBe(1);
    expect(q2.changes).toBeUndefined();
    const c = q3.changes;
    expect(c).toMatchObject({ old: { period: '2026-Q2' }, new: { period: '2026-Q3' }, regression: true });
    expect(c?.images.added.map((i) => i.id)).toEqual(['superset']);
    expect(c?.images.removed.map((i) => i.id)).toEqual(['mcp-trino']);
    expect(c?.images.changed).toHaveLength(15);
    expect(c?.images.status).toEqual([
      { id: 'mcp-openmetadata', old: 'failed', new: 'verified', worse: false },
      { id: 'notebook-full', old: 'failed', new: 'verified', worse: false },
      { id: 'spark', old: 'verified', new: 'failed', worse: true },
    ]);
    expect(c?.findings.newFailures.map((f) => f.id)).toEqual(['pipeline.signing-clean:spark', 'signature.binds-digest:spark', 'signature.verified:spark']);
    // In Q2, mcp-openmetadata's March attestation binds the previous build: it counts for nothing (not its SBOM, not its
    // March date, so evidence.in-period passed), and every check that needs a bound attestation failed; in Q3 they pass.
    expect(c?.findings.fixed.map((f) => f.id)).toEqual([
      'attestation.binds-digest:mcp-openmetadata',
      'attestation.verified:mcp-openmetadata',
      'evidence.bound:mcp-openmetadata',
      'pipeline.signing-clean:mcp-openmetadata',
      'pipeline.signing-clean:notebook-full',
      'sbom.quality:mcp-openmetadata',
      'sbom.valid:mcp-openmetadata',
      'signature.binds-digest:notebook-full',
      'signature.verified:notebook-full',
    ]);
    expect(c?.findings.otherChanges).toEqual([]);
    expect(c?.waivers.added.map((w) => [w.id, w.expired])).toEqual([['WVR-2026-019', true]]);
    expect(c?.waivers.removed.map((w) => w.id)).toEqual(['WVR-2026-002']);
    // WVR-2026-007 runs to 30 September, the last day of Q3: in force at the period's end.
    expect(q3.waivers.find((w) => w.id === 'WVR-2026-007')).toMatchObject({ inForce: true, covers: ['sbom.quality:docs'] });
    const aiService = c?.components?.find((x) => x.subject === 'ai-service');
    expect(aiService?.added.length).toBeGreaterThan(10);
    expect(aiService?.removed).toEqual([]);
    expect(c?.components?.find((x) => x.subject === 'catalog-manager')?.versions).toEqual([
      {
        package: 'pkg:golang/git.akko-ai.com/akko/akko/services/catalog-manager',
        old: [expect.stringMatching(/^v0\.0\.0-20260415/)],
        new: [expect.stringMatching(/^v0\.0\.0-20260715/)],
      },
    ]);
    expect(run.stdout).toContain('changes since 2026-Q2: 1 images added, 1 removed, 15 with another digest; 3 new failures, 9 fixed');
  });

  it('keeps the report valid against the published schema', async () => {
    const schema = JSON.parse(await readFile(`${ROOT}src/report/report.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(q3), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('prints the same changes with auditpack diff, exiting 1 for the regression', () => {
    const r = auditpack('diff', join(work, 'q2'), join(work, 'q3'), '--key', SEAL_PUB, '--format', 'json');
    expect(r.status).toBe(1);
    const printed = JSON.parse(r.stdout) as { diff: Report['changes'] };
    expect(printed.diff).toEqual(q3.changes);
    const text = auditpack('diff', join(work, 'q2'), join(work, 'q3'), '--key', SEAL_PUB);
    expect(text.stdout).toContain('! spark  verified → failed');
    // The earlier bundle as its archive: unpacked privately, verified, read, removed.
    const fromArchive = auditpack('diff', join(work, 'q2.tar.gz'), join(work, 'q3'), '--key', SEAL_PUB, '--format', 'json');
    expect(fromArchive.status).toBe(1);
    expect((JSON.parse(fromArchive.stdout) as { diff: Report['changes'] }).diff).toEqual(q3.changes);
  });

  it('refuses a previous bundle that does not verify with the pinned key, writing nothing', () => {
    const r = report('q3-bad-key', '--period', '2026-Q3', '--clock', '2026-12-05T18:00:00Z', '--previous', join(work, 'q2'), '--previous-key', COSIGN_PUB);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the previous bundle's seal does not verify with the pinned key.*\[SEAL_SIGNATURE_INVALID\]/);
    expect(existsSync(join(work, 'q3-bad-key'))).toBe(false);
    expect(report('q3-no-key', '--previous', join(work, 'q2')).status).toBe(2);
  });

  it('refuses a previous bundle of the same or a later period', () => {
    const same = report('q2-again', '--clock', GOLDEN_CLOCK, '--previous', join(work, 'q2'), '--previous-key', SEAL_PUB);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/the previous bundle is for 2026-Q2, which does not start before 2026-Q2 \[PERIOD_INVALID\]/);
  });
});
