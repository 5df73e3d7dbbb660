import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../src/config/period.js';
import type { Finding, FrameworkResult } from '../../../src/report/model.js';
import { applyWaivers, waivedSubjects, waiverJudgement } from '../../../src/waivers/apply.js';
import { loadWaivers, type Waiver } from '../../../src/waivers/load.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const finding = (checkId: string, subject: string, status: Finding['status'] = 'fail'): Finding => ({
  id: `${checkId}:${subject}`,
  checkId,
  checkTitle: checkId,
  subject,
  status,
  message: 'm',
  details: {},
  evidence: [],
});
const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'W-1',
  scope: { image: 'docs', check: 'sbom.quality' },
  justification: 'j',
  approver: 'a',
  ticket: 't',
  start: '2026-04-01',
  expires: '2026-09-30',
  ...over,
});
const frameworks: FrameworkResult[] = [
  {
    id: 'dora',
    title: '',
    version: '',
    source: '',
    applicability: '',
    appliesTo: [],
    controls: [{ id: 'c1', findings: ['sbom.quality:docs', 'sbom.valid:docs'] } as FrameworkResult['controls'][number]],
  },
];
const apply = (ws: Waiver[], fs: Finding[], clock = '2026-07-01T08:00:00.000Z', period = '2026-Q2', zone = 'UTC') =>
  applyWaivers(ws, fs, frameworks, new Map([['docs', digest]]), waiverJudgement(parsePeriod(period, zone, clock), clock));
const judged = (w: Partial<Waiver>, clock: string, period = '2026-Q2', zone = 'UTC') => {
  const { findings, records } = apply([waiver(w)], [finding('sbom.quality', 'docs')], clock, period, zone);
  return { inForce: records[0]?.inForce, expired: records[0]?.expired, covers: records[0]?.covers, waived: findings[0]?.waiver?.inForce };
};

describe('applyWaivers', () => {
  it('marks a covered failure as waived without changing its status', () => {
    const { findings, records } = apply([waiver()], [finding('sbom.quality', 'docs')]);
    expect(findings[0]).toMatchObject({ status: 'fail', waiver: { id: 'W-1', inForce: true } });
    expect(records[0]).toMatchObject({ inForce: true, expired: false, covers: ['sbom.quality:docs'] });
  });

  it('never waives a pass', () => {
    expect(apply([waiver()], [finding('sbom.quality', 'docs', 'pass')]).findings[0]?.waiver).toBeUndefined();
  });

  it('flags an expired waiver and lets it cover nothing', () => {
    const { findings, records } = apply([waiver({ expires: '2026-05-31' })], [finding('sbom.quality', 'docs')]);
    expect(findings[0]?.waiver).toEqual({ id: 'W-1', expires: '2026-05-31', inForce: false });
    expect(records[0]).toMatchObject({ inForce: false, expired: true, covers: [] });
  });

  it('is in force through the whole expiry day, and not before its start', () => {
    expect(apply([waiver({ expires: '2026-07-01' })], [finding('sbom.quality', 'docs')]).records[0]?.inForce).toBe(true);
    expect(apply([waiver({ start: '2026-07-02' })], [finding('sbom.quality', 'docs')]).records[0]).toMatchObject({ inForce: false, expired: false });
  });

  it('matches by digest and by control, and not another image or check', () => {
    const byDigest = waiver({ scope: { digest } });
    const byControl = waiver({ id: 'W-2', scope: { control: 'dora/c1' } });
    expect(apply([byDigest], [finding('x', 'docs')]).findings[0]?.waiver?.id).toBe('W-1');
    expect(apply([byControl], [finding('sbom.valid', 'docs')]).findings[0]?.waiver?.id).toBe('W-2');
    expect(apply([byControl], [finding('pipeline.built', 'docs')]).findings[0]?.waiver).toBeUndefined();
    expect(apply([waiver()], [finding('sbom.quality', 'cockpit')]).findings[0]?.waiver).toBeUndefined();
    expect(apply([waiver()], [finding('sbom.valid', 'docs')]).findings[0]?.waiver).toBeUndefined();
  });

  it('counts a subject as waived under a control only when all its failures are covered', () => {
    const { findings } = apply([waiver()], [finding('sbom.quality', 'docs'), finding('sbom.valid', 'docs')]);
    expect(waivedSubjects(['sbom.quality:docs', 'sbom.valid:docs'], new Map(findings.map((f) => [f.id, f])))).toEqual([]);
    expect(waivedSubjects(['sbom.quality:docs'], new Map(findings.map((f) => [f.id, f])))).toEqual(['docs']);
  });
});

describe('waivers are judged against the period, not the wall clock', () => {
  it('judges a past period at its last instant: a Q2 report rerun in December keeps its Q2 waiver in force', () => {
    expect(judged({ expires: '2026-09-30' }, '2026-12-05T18:00:00.000Z')).toEqual({
      inForce: true,
      expired: false,
      covers: ['sbom.quality:docs'],
      waived: true,
    });
    expect(judged({ expires: '2026-09-30' }, '2026-07-01T08:00:00.000Z')).toEqual(judged({ expires: '2026-09-30' }, '2027-03-01T00:00:00.000Z'));
  });

  it('counts a waiver expiring on the last day of the period as in force through that day', () => {
    expect(judged({ expires: '2026-06-30' }, '2026-12-05T18:00:00.000Z')).toMatchObject({ inForce: true, expired: false, waived: true });
  });

  it('flags a waiver that lapsed during the period as expired: it covers nothing at the period end', () => {
    expect(judged({ expires: '2026-06-29' }, '2026-12-05T18:00:00.000Z')).toEqual({ inForce: false, expired: true, covers: [], waived: false });
  });

  it('does not let a waiver that starts after the period cover it, even when the clock is later', () => {
    expect(judged({ start: '2026-07-01' }, '2026-12-05T18:00:00.000Z')).toEqual({ inForce: false, expired: false, covers: [], waived: false });
  });

  it('judges an interim report (period not over) at the clock', () => {
    expect(judged({ expires: '2026-05-15' }, '2026-05-10T12:00:00.000Z', 'current')).toMatchObject({ inForce: true, waived: true });
    expect(judged({ expires: '2026-05-15' }, '2026-05-20T12:00:00.000Z', 'current')).toMatchObject({ inForce: false, expired: true, waived: false });
    expect(judged({ start: '2026-05-12' }, '2026-05-10T12:00:00.000Z', 'current')).toMatchObject({ inForce: false, expired: false });
  });

  it('reads start and expiry days in the period zone', () => {
    // New York's Q2 ends at 04:00 UTC on 1 July: a waiver starting 1 July (New York) does not reach back into it.
    expect(judged({ start: '2026-07-01' }, '2026-12-05T18:00:00.000Z', '2026-Q2', 'America/New_York')).toMatchObject({ inForce: false, expired: false });
    expect(judged({ expires: '2026-06-30' }, '2026-12-05T18:00:00.000Z', '2026-Q2', 'America/New_York')).toMatchObject({ inForce: true, expired: false });
    expect(waiverJudgement(parsePeriod('2026-Q2', 'America/New_York'), '2026-12-05T18:00:00.000Z').at.toUTC().toISO()).toBe('2026-07-01T03:59:59.999Z');
  });
});

describe('loadWaivers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-waivers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const load = async (text: string) => {
    await writeFile(join(dir, 'w.yaml'), text);
    return loadWaivers(dir, 'w.yaml');
  };

  it('reads a valid file', async () => {
    const { waivers } = await load(
      'waivers:\n  - { id: W-1, scope: { image: a }, justification: j, approver: a, ticket: t, start: "2026-01-01", expires: "2026-02-01" }\n',
    );
    expect(waivers).toHaveLength(1);
  });

  it('rejects a waiver without approver or with an empty scope, naming the path', async () => {
    await expect(load('waivers:\n  - { id: W-1, scope: {}, justification: j, ticket: t, start: "2026-01-01", expires: "2026-02-01" }\n')).rejects.toThrow(
      /\/waivers\/0: must have required property 'approver'[\s\S]*\/waivers\/0\/scope/,
    );
  });

  it('rejects a waiver that expires before it starts, and duplicate ids', async () => {
    await expect(
      load('waivers:\n  - { id: W-1, scope: { image: a }, justification: j, approver: a, ticket: t, start: "2026-03-01", expires: "2026-02-01" }\n'),
    ).rejects.toThrow(/expires before it starts/);
    const one = '  - { id: W-1, scope: { image: a }, justification: j, approver: a, ticket: t, start: "2026-01-01", expires: "2026-02-01" }\n';
    await expect(load(`waivers:\n${one}${one}`)).rejects.toThrow(/used twice/);
  });

  it('names a missing file', async () => {
    await expect(loadWaivers(dir, 'nope.yaml')).rejects.toMatchObject({ code: 'CONFIG_INVALID', file: 'nope.yaml' });
  });
});
