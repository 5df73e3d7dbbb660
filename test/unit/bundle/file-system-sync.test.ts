import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_PROGRAMS, findSyncProgram, syncFileSystem } from '../../../src/bundle/file-system-sync.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-fssync-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A stand-in for `sync` that writes its arguments and its environment's variable names to `log`, then exits with `code`. */
async function fake(code: number): Promise<{ program: string; log: string }> {
  const program = join(work, `sync-${code}`);
  const log = join(work, `sync-${code}.log`);
  await writeFile(program, `#!/bin/sh\necho "$@" > '${log}'\nenv | cut -d= -f1 | sort >> '${log}'\nexit ${code}\n`);
  await chmod(program, 0o755);
  return { program, log };
}

describe('one sync of the whole file system', () => {
  it('uses the first sync program there is, on Linux only', () => {
    const there = (paths: string[]) => (path: string) => paths.includes(path);
    expect(findSyncProgram('linux', SYNC_PROGRAMS, there(['/bin/sync']))).toBe('/bin/sync');
    expect(findSyncProgram('linux', SYNC_PROGRAMS, there(['/bin/sync', '/usr/bin/sync']))).toBe('/usr/bin/sync');
    expect(findSyncProgram('linux', SYNC_PROGRAMS, there([]))).toBeUndefined();
    // Other systems' sync has no -f: their files are synced one by one.
    expect(findSyncProgram('darwin', SYNC_PROGRAMS, there(['/bin/sync']))).toBeUndefined();
    expect(findSyncProgram('win32', SYNC_PROGRAMS, () => true)).toBeUndefined();
  });

  it('runs the program with -f and the folder, in an empty environment, and says whether it succeeded', async () => {
    const { program, log } = await fake(0);
    process.env.AUDITPACK_FSSYNC_TEST = 'not for the child';
    try {
      await expect(syncFileSystem(program, work)).resolves.toBe(true);
    } finally {
      delete process.env.AUDITPACK_FSSYNC_TEST;
    }
    const [args, ...names] = (await readFile(log, 'utf8')).trim().split('\n');
    expect(args).toBe(`-f ${work}`);
    // What the shell sets itself, never a variable of the run's environment.
    expect(names).not.toContain('AUDITPACK_FSSYNC_TEST');
    expect(names).not.toContain('HOME');
  });

  it('says false, never throws, when the program fails or cannot start', async () => {
    await expect(syncFileSystem((await fake(1)).program, work)).resolves.toBe(false);
    await expect(syncFileSystem(join(work, 'no-such-program'), work)).resolves.toBe(false);
    await expect(syncFileSystem(work, work)).resolves.toBe(false);
  });

  it.runIf(findSyncProgram() !== undefined)("syncs with this machine's program", async () => {
    await writeFile(join(work, 'f'), 'x');
    await expect(syncFileSystem(findSyncProgram() ?? '', work)).resolves.toBe(true);
  });
});
