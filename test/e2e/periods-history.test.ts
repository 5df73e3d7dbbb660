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

describe('report --previous', () => {
  let h1: Report;
  let q2: Report;
  let run: ReturnType<typeof auditpack>;
  beforeAll(async () => {
    expect(report('h1', '--period', '2026-H1', '--clock', GOLDEN_CLOCK).status).toBe(1);
    run = report('q2', '--clock', GOLDEN_CLOCK, '--previous', join(work, 'h1'), '--previous-key', SEAL_PUB);
    h1 = await readReport(join(work, 'h1'));
    q2 = await readReport(join(work, 'q2'));
  });

  it('adds the changes since the previous bundle, which validate against the report schema', async () => {
    expect(run.status).toBe(1);
    expect(h1.changes).toBeUndefined();
    expect(q2.changes).toMatchObject({ old: { period: '2026-H1' }, new: { period: '2026-Q2' }, regression: true });
    // The March SBOM of mcp-openmetadata is in the first half year, not in the second quarter.
    expect(q2.changes?.findings.newFailures.map((f) => f.id)).toEqual(['evidence.in-period:mcp-openmetadata']);
    expect(run.stdout).toContain('changes since 2026-H1: 0 images added, 0 removed, 0 with another digest; 1 new failures, 0 fixed');
    const schema = JSON.parse(await readFile(`${ROOT}src/report/report.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(q2), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('refuses a previous bundle that does not verify with the pinned key, writing nothing', () => {
    const r = report('q2-bad-key', '--clock', GOLDEN_CLOCK, '--previous', join(work, 'h1'), '--previous-key', COSIGN_PUB);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the previous bundle's seal does not verify with the pinned key.*\[SEAL_SIGNATURE_INVALID\]/);
    expect(existsSync(join(work, 'q2-bad-key'))).toBe(false);
    expect(report('q2-no-key', '--previous', join(work, 'h1')).status).toBe(2);
  });

  it('diffs the two bundles on the command line the same way', () => {
    const r = auditpack('diff', join(work, 'h1'), join(work, 'q2'), '--key', SEAL_PUB, '--format', 'json');
    expect(r.status).toBe(1);
    const printed = JSON.parse(r.stdout) as { diff: Report['changes'] };
    expect(printed.diff?.findings).toEqual(q2.changes?.findings);
    expect(printed.diff?.components).toEqual([]);
  });
});
