import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectImageFolder } from '../../../src/collect/image-folder.js';
import type { Report } from '../../../src/report/model.js';
import { runReport } from '../../../src/run-report.js';
import { sampleCopy } from '../../helpers/sample-copy.js';

const image = { name: 'app', ref: 'registry/app:1', digest: `sha256:${'ab'.repeat(32)}` };
const SECRET = 'root:$6$not-for-auditors:19000:0:99999:7:::';
let work: string;
let base: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-safety-'));
  base = join(work, 'config');
  await mkdir(join(base, 'evidence/app'), { recursive: true });
  await mkdir(join(work, 'outside'));
  await writeFile(join(work, 'outside/shadow'), SECRET);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const collectApp = () => collectImageFolder(base, 'evidence/{image}', image);

describe('collection never follows a link out of the configuration folder', () => {
  it('names a linked file leading outside, and never reads it', async () => {
    await symlink(join(work, 'outside/shadow'), join(base, 'evidence/app/signature.jsonl'));
    const { subject, evidence } = await collectApp();
    expect(subject.problems).toEqual([
      {
        code: 'EVIDENCE_LINK_OUTSIDE',
        file: 'evidence/app/signature.jsonl',
        reason: `a symbolic link leading outside the configuration's folder (to ${join(work, 'outside/shadow')}): not followed`,
        subject: 'app',
      },
    ]);
    expect(evidence).toEqual([]);
  });

  it('names an image folder that is itself a link leading outside (to /etc, say)', async () => {
    await rm(join(base, 'evidence/app'), { recursive: true });
    await symlink(join(work, 'outside'), join(base, 'evidence/app'));
    const { subject, evidence } = await collectApp();
    expect(subject.problems.map((p) => [p.code, p.file])).toEqual([['EVIDENCE_LINK_OUTSIDE', 'evidence/app']]);
    expect(evidence).toEqual([]);
  });

  it('follows a link that stays inside the folder', async () => {
    await mkdir(join(base, 'shared'));
    await writeFile(join(base, 'shared/manifest.json'), JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    await symlink(join(base, 'shared/manifest.json'), join(base, 'evidence/app/manifest.json'));
    const { subject, evidence } = await collectApp();
    expect(subject.problems).toEqual([]);
    expect(evidence.map((e) => e.kind)).toEqual(['image-manifest']);
  });

  it('reads a configuration folder reached through a link, and still refuses a link out of it', async () => {
    // Every file's real path then differs from its path as written: the folder's own real path is what contains it.
    const linked = join(work, 'linked-config');
    await symlink(base, linked);
    await mkdir(join(base, 'shared'));
    await writeFile(join(base, 'shared/manifest.json'), JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    await symlink(join(base, 'shared/manifest.json'), join(base, 'evidence/app/manifest.json'));
    await symlink(join(work, 'outside/shadow'), join(base, 'evidence/app/signature.jsonl'));
    const { subject, evidence } = await collectImageFolder(linked, 'evidence/{image}', image);
    expect(evidence.map((e) => e.kind)).toEqual(['image-manifest']);
    expect(subject.problems.map((p) => [p.code, p.file])).toEqual([['EVIDENCE_LINK_OUTSIDE', 'evidence/app/signature.jsonl']]);
    expect(JSON.stringify(evidence)).not.toContain('not-for-auditors');
  });

  it('names a FIFO without opening it (no hang) and a binary file from its first bytes', async () => {
    execFileSync('mkfifo', [join(base, 'evidence/app/pipe.json')]);
    await writeFile(join(base, 'evidence/app/blob.bin'), Buffer.from([0x7b, 0, 1, 2]));
    const { subject } = await collectApp();
    expect(subject.problems.map((p) => [p.file, p.reason])).toEqual([
      ['evidence/app/blob.bin', 'a binary file, not a kind of evidence auditpack reads'],
      ['evidence/app/pipe.json', 'not a regular file (a FIFO): not read'],
    ]);
  });

  it('names a file whose name is not UTF-8 as a problem saying so (never dropped), and reads the others', async () => {
    // Linux file names are bytes; Node gives them as strings with U+FFFD, which then name no file.
    await writeFile(Buffer.concat([Buffer.from(join(base, 'evidence/app/sig')), Buffer.from([0xff, 0xfe]), Buffer.from('.jsonl')]), '{}');
    await writeFile(join(base, 'evidence/app/other.json'), '{}');
    const { subject } = await collectApp();
    expect(subject.problems.map((p) => [p.code, p.file, p.reason.replace(/ \(ENOENT.*$/, '')])).toEqual([
      // Read: valid JSON, but not evidence.
      ['EVIDENCE_UNRECOGNISED', 'evidence/app/other.json', 'valid JSON, but not a kind of evidence auditpack reads'],
      ['EVIDENCE_UNREADABLE', 'evidence/app/sig\ufffd\ufffd.jsonl', 'its name is not valid UTF-8 (shown with U+FFFD), so it cannot be opened: rename it'],
    ]);
  });

  it('refuses a 1.5 GiB file before reading it, with a clear problem line, and goes on', async () => {
    const big = await open(join(base, 'evidence/app/disk.img'), 'w');
    await big.truncate(1.5 * 2 ** 30); // sparse: costs no disk
    await big.close();
    await writeFile(join(base, 'evidence/app/manifest.json'), JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    const { subject, evidence } = await collectApp();
    expect(subject.problems).toEqual([
      {
        code: 'EVIDENCE_TOO_LARGE',
        file: 'evidence/app/disk.img',
        reason: '1.5 GiB is over the 256.0 MiB limit for one evidence file: not read',
        subject: 'app',
      },
    ]);
    expect(evidence.map((e) => e.kind)).toEqual(['image-manifest']);
  });
});

describe('a whole run', () => {
  const estate = (change?: (config: Record<string, any>) => void) => sampleCopy(join(work, 'estate'), change);

  it('names a CI step log linked outside, and keeps it out of the bundle', async () => {
    const configPath = await estate();
    const logs = join(work, 'estate/woodpecker/logs');
    const [run] = (await readdir(logs)).sort();
    const [step] = (await readdir(join(logs, run!))).sort();
    await rm(join(logs, run!, step!));
    await symlink(join(work, 'outside/shadow'), join(logs, run!, step!));
    const out = join(work, 'out');
    const result = await runReport({ configPath, outDir: out, clock: '2026-07-01T08:00:00.000Z' });
    expect(result.outcome.problems).toContainEqual(expect.objectContaining({ code: 'EVIDENCE_LINK_OUTSIDE', file: `woodpecker/logs/${run}/${step}` }));
    for (const file of result.files) expect((await readFile(join(out, file))).includes(Buffer.from(SECRET)), file).toBe(false);
  });

  it('keeps two manual documents ../x/policy.md and _parent_/x/policy.md apart in the bundle', async () => {
    await mkdir(join(work, 'x'));
    await writeFile(join(work, 'x/policy.md'), 'the real policy');
    const configPath = await estate((config) => {
      const entry = config.manualEvidence[0];
      config.manualEvidence = [
        { ...entry, id: 'outside', document: '../x/policy.md' },
        { ...entry, id: 'inside', document: '_parent_/x/policy.md' },
      ];
    });
    await mkdir(join(work, 'estate/_parent_/x'), { recursive: true });
    await writeFile(join(work, 'estate/_parent_/x/policy.md'), 'a look-alike');
    const out = join(work, 'out');
    await runReport({ configPath, outDir: out, clock: '2026-07-01T08:00:00.000Z' });
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    const paths = report.manualEvidence.map((m) => m.document?.path);
    expect(paths).toEqual(['evidence/_parent_/x/policy.md', 'evidence/__parent_/x/policy.md']);
    expect(await readFile(join(out, paths[0]!), 'utf8')).toBe('the real policy');
    expect(await readFile(join(out, paths[1]!), 'utf8')).toBe('a look-alike');
  });
});
