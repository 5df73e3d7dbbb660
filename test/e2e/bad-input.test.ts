import { cp, mkdtemp, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { GOLDEN_CLOCK, ROOT, auditpack } from './cli.js';

let work: string;
let estate: string;
let run: ReturnType<typeof auditpack>;
let report: Report;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-bad-'));
  estate = join(work, 'akko');
  await cp(`${ROOT}samples/akko`, estate, { recursive: true });
  await rm(join(estate, 'evidence/dbt'), { recursive: true });
  await writeFile(join(estate, 'evidence/aden/attestation.jsonl'), 'this is not JSON\n');
  const truncated = join(estate, 'evidence/trino/attestation.jsonl');
  await truncate(truncated, Math.floor((await stat(truncated)).size / 2));
  run = auditpack('report', '--config', join(estate, 'auditpack.yaml'), '--out', join(work, 'out'), '--clock', GOLDEN_CLOCK);
  report = JSON.parse(await readFile(join(work, 'out/report.json'), 'utf8')) as Report;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('bad evidence: clear lines, the run goes on, the report shows the gap', () => {
  it('prints one line per bad input naming the file and the reason, and no stack trace', () => {
    const lines = run.stderr.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^auditpack: evidence\/dbt: no evidence folder .*\[EVIDENCE_MISSING\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/^auditpack: evidence\/aden\/attestation\.jsonl: not JSON .*\[EVIDENCE_MALFORMED\]$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^auditpack: evidence\/trino\/attestation\.jsonl: not JSON \(.*\); truncated or not evidence \[EVIDENCE_MALFORMED\]$/),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(1);
  });

  it('still verifies the other images', () => {
    expect(report.subjects.filter((s) => s.status === 'verified').length).toBe(10);
  });

  it('reports the gaps: missing evidence fails, unreadable evidence cannot be decided', () => {
    const f = (id: string) => report.findings.find((x) => x.id === id);
    expect(f('signature.verified:dbt')).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(f('attestation.verified:aden')).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
    expect(f('attestation.verified:trino')?.message).toContain('evidence/trino/attestation.jsonl');
    expect(report.problems.map((p) => p.file)).toEqual(['evidence/aden/attestation.jsonl', 'evidence/dbt', 'evidence/trino/attestation.jsonl']);
  });

  it('keeps the unreadable file verbatim as evidence', () => {
    expect(report.evidence.find((e) => e.source === 'evidence/aden/attestation.jsonl')).toMatchObject({ kind: 'unrecognised' });
  });
});

describe('bad configuration stops the run with one line and exit 2', () => {
  it('names a missing config file', () => {
    const r = auditpack('report', '--config', join(work, 'nope.yaml'), '--out', join(work, 'o2'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^auditpack: .*nope\.yaml: cannot read the configuration: .*ENOENT.*\[CONFIG_INVALID\]$/);
  });

  it('names a missing trusted key', async () => {
    const config = (await readFile(join(estate, 'auditpack.yaml'), 'utf8')).replace('keys/cosign.pub', 'keys/missing.pub');
    await writeFile(join(estate, 'broken.yaml'), config);
    const r = auditpack('report', '--config', join(estate, 'broken.yaml'), '--out', join(work, 'o3'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('keys/missing.pub');
    expect(r.stderr).toContain('[TRUST_INVALID]');
  });

  it('rejects an unknown option and a bad period', () => {
    expect(auditpack('report', '--bogus').status).toBe(2);
    const r = auditpack('report', '--config', join(estate, 'auditpack.yaml'), '--out', join(work, 'o4'), '--period', '2026-Q7');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[PERIOD_INVALID]');
  });

  it('refuses to overwrite a folder that is not a bundle', async () => {
    await writeFile(join(work, 'precious.txt'), 'keep me');
    const r = auditpack('report', '--config', join(estate, 'auditpack.yaml'), '--out', work);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_INVALID]');
    expect(await readFile(join(work, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('configuration errors from later stages still name the config file', () => {
  it('names the config for an unknown framework and for manual evidence naming an unknown control', async () => {
    const base = await readFile(join(estate, 'auditpack.yaml'), 'utf8');
    await writeFile(join(estate, 'sox.yaml'), base.replace('frameworks: [dora, nis2, hds]', 'frameworks: [dora, sox]'));
    const sox = auditpack('report', '--config', join(estate, 'sox.yaml'), '--out', join(work, 'o5'));
    expect(sox.status).toBe(2);
    expect(sox.stderr.trim()).toMatch(/^auditpack: .*sox\.yaml: unknown framework 'sox'.*\[CONFIG_INVALID\]$/);
    await writeFile(join(estate, 'manual.yaml'), base.replace('controls: [dora/dora-art-9-4-e]', 'controls: [dora/no-such-control]'));
    const manual = auditpack('report', '--config', join(estate, 'manual.yaml'), '--out', join(work, 'o6'));
    expect(manual.status).toBe(2);
    expect(manual.stderr).toMatch(/manual\.yaml: manualEvidence 'change-policy-v3\.1' names 'dora\/no-such-control'/);
  });
});
