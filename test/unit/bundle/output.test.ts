import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockPath, type LockOwner } from '../../../src/bundle/lock.js';
import { inspectOutput, recoverInterruptedRun, writeBundleAtomically } from '../../../src/bundle/output.js';
import { AuditpackError } from '../../../src/errors.js';
import { SEAL_FILE } from '../../../src/seal/manifest.js';
import { sealFolder } from '../../helpers/seal.js';

let work: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-out-'));
  out = join(work, 'bundle');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const refusal = async (target: string) => {
  const thrown = await inspectOutput(target).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(AuditpackError);
  expect((thrown as AuditpackError).code).toBe('OUTPUT_INVALID');
  return (thrown as AuditpackError).message;
};

/** Every file under `dir` with its content, to show a refused folder was not touched. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const)));
}

describe('the output folder is replaced only when it is an auditpack bundle', () => {
  it('accepts nothing, an empty folder and a sealed bundle', async () => {
    expect(await inspectOutput(out)).toBe('absent');
    await mkdir(out);
    expect(await inspectOutput(out)).toBe('empty');
    await rm(out, { recursive: true });
    await sealFolder(out, { 'report.json': '{}' });
    expect(await inspectOutput(out)).toBe('bundle');
  });

  it('recognises a sealed bundle named by a relative path (a library caller without the CLI resolving it)', async () => {
    await sealFolder(out, { 'report.json': '{}' });
    expect(await inspectOutput(relative(process.cwd(), out))).toBe('bundle');
  });

  it("refuses, untouched, an image evidence folder holding crane's manifest.json, a web project and a file", async () => {
    await mkdir(out);
    await writeFile(join(out, 'manifest.json'), JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
    await writeFile(join(out, 'signature.jsonl'), 'precious');
    const before = await snapshot(out);
    expect(await refusal(out)).toMatch(/not an auditpack bundle/);
    await expect(writeBundleAtomically(out, new Map([['x', Buffer.from('y')]]))).rejects.toThrow(/not an auditpack bundle/);
    expect(await snapshot(out)).toEqual(before);
    await writeFile(join(work, 'file'), 'x');
    expect(await refusal(join(work, 'file'))).toMatch(/not a folder/);
  });

  it('refuses a bundle with an unlisted file, without its seal, or holding a link', async () => {
    await sealFolder(out, { 'report.json': '{}' });
    await writeFile(join(out, 'notes.txt'), 'mine');
    expect(await refusal(out)).toMatch(/notes.txt not in its manifest/);
    await rm(join(out, 'notes.txt'));
    await symlink('/etc', join(out, 'etc'));
    expect(await refusal(out)).toMatch(/etc is a symbolic link/);
    await rm(join(out, 'etc'));
    await rm(join(out, SEAL_FILE));
    expect(await refusal(out)).toMatch(/no seal/);
  });

  it('replaces a previous bundle whole, leaving no temporary sibling', async () => {
    await sealFolder(out, { 'old.json': 'old' });
    await writeBundleAtomically(out, new Map([['new.json', Buffer.from('new')]]));
    expect(await readdir(out)).toEqual(['new.json']);
    expect(await readdir(work)).toEqual(['bundle']);
  });
});

describe('a run killed mid-way never loses the previous bundle', () => {
  it('puts back a bundle moved aside by a run killed between the two renames, and clears its leftovers', async () => {
    await sealFolder(out, { 'report.json': '{"old":true}' });
    await rename(out, join(work, '.bundle.auditpack-previous'));
    await mkdir(join(work, '.bundle.auditpack-tmp-abc123'));
    await recoverInterruptedRun(out);
    expect(await readdir(work)).toEqual(['bundle']);
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{"old":true}');
  });

  it('removes a previous copy left beside a complete new bundle', async () => {
    await sealFolder(out, { 'report.json': 'new' });
    await sealFolder(join(work, '.bundle.auditpack-previous'), { 'report.json': 'old' });
    await recoverInterruptedRun(out);
    expect(await readdir(work)).toEqual(['bundle']);
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('new');
  });
});

describe('the output lock', () => {
  const owner = (alive: boolean, pid = 4242): LockOwner => ({ pid, host: 'h', isAlive: () => alive });

  it('keeps a second run off the same output while the first runs, naming it', async () => {
    const release = await acquireLock(out, owner(true, 111));
    await expect(acquireLock(out, owner(true, 222))).rejects.toThrow(/another auditpack run 111 on h is writing/);
    await release();
    const again = await acquireLock(out, owner(true, 222));
    await again();
  });

  it('takes over a lock left by a killed run on this host, and never one it cannot check', async () => {
    await writeFile(lockPath(out), JSON.stringify({ pid: 999999, host: 'h' }));
    const release = await acquireLock(out, owner(false));
    expect(JSON.parse(await readFile(lockPath(out), 'utf8'))).toEqual({ pid: 4242, host: 'h' });
    await release();
    await writeFile(lockPath(out), JSON.stringify({ pid: 999999, host: 'elsewhere' }));
    await expect(acquireLock(out, owner(false))).rejects.toMatchObject({ code: 'OUTPUT_LOCKED' });
    await expect(acquireLock(out)).rejects.toMatchObject({ code: 'OUTPUT_LOCKED' });
  });

  it("never shows a lock without its holder: it appears whole, and a killed run's draft is cleared by the next run", async () => {
    const release = await acquireLock(out, owner(true, 111));
    expect(JSON.parse(await readFile(lockPath(out), 'utf8'))).toEqual({ pid: 111, host: 'h' });
    // The draft the lock was made from is gone: only the lock is left beside the output.
    expect((await readdir(dirname(out))).filter((n) => n.startsWith(`.${basename(out)}.`))).toEqual([basename(lockPath(out))]);
    await release();
    // A run killed after writing its draft but before linking it leaves the draft, which blocks nothing.
    const draft = join(dirname(out), `.${basename(out)}.auditpack-tmp-lock-0123456789ab`);
    await writeFile(draft, JSON.stringify({ pid: 999999, host: 'h' }));
    const next = await acquireLock(out, owner(true, 222));
    await recoverInterruptedRun(out);
    expect(await readdir(dirname(out))).not.toContain(basename(draft));
    await next();
  });
});
