import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuditpackError } from '../errors.js';

/** Who holds a lock, and how to tell whether a holder is still running (injected by the CLI). */
export interface LockOwner {
  pid: number;
  host: string;
  isAlive: (pid: number) => boolean;
}

export type ReleaseLock = () => Promise<void>;

/** The lock file of an output path: a hidden sibling, so it never lands inside the bundle. */
export function lockPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.auditpack-lock`);
}

/**
 * Takes the lock on an output path, so two runs writing the same bundle
 * cannot interleave. The lock is a file holding the owner's pid and host,
 * made whole before it appears (see `createLock`). A second run fails at once
 * with a message naming the holder; a lock left by a run that was killed (same
 * host, pid gone) is taken over. Without an owner to ask, an existing lock is
 * always held.
 */
export async function acquireLock(target: string, owner?: LockOwner): Promise<ReleaseLock> {
  const path = lockPath(target);
  await mkdir(dirname(path), { recursive: true });
  const content = `${JSON.stringify({ pid: owner?.pid ?? null, host: owner?.host ?? null })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createLock(path, draftPath(target), content)) return () => rm(path, { force: true });
    const holder = await readHolder(path);
    const stale = owner !== undefined && holder?.host === owner.host && typeof holder.pid === 'number' && !owner.isAlive(holder.pid);
    if (!stale) throw heldBy(path, target, holder);
    await rm(path, { force: true });
  }
  throw heldBy(path, target, await readHolder(path));
}

/**
 * A lock's draft: named like the run's temporary folders, so the next run's
 * recovery (`recoverInterruptedRun`) removes a draft left by a killed run.
 */
function draftPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.auditpack-tmp-lock-${randomBytes(6).toString('hex')}`);
}

/**
 * Creates the lock file with its content, or returns false when it exists.
 * The content is written to a draft that is then hard-linked to the lock's
 * name (which fails if the name exists): a run killed at any moment leaves
 * either no lock or a whole one naming it, never an empty lock file that no
 * later run could tell from a live one. Where the file system has no hard
 * links, the lock is created in place and written (the old way, with that
 * small window).
 */
async function createLock(path: string, draft: string, content: string): Promise<boolean> {
  await writeFile(draft, content, { flag: 'wx', mode: 0o644 });
  try {
    await link(draft, path);
    return true;
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    // ENOENT: the draft was removed by the recovery of a run that holds the lock.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw thrown;
    return createInPlace(path, content);
  } finally {
    await rm(draft, { force: true });
  }
}

async function createInPlace(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o644);
    await handle.writeFile(content);
    await handle.close();
    return true;
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw thrown;
  }
}

async function readHolder(path: string): Promise<{ pid?: unknown; host?: unknown } | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    return undefined;
  }
}

function heldBy(path: string, target: string, holder: { pid?: unknown; host?: unknown } | undefined): AuditpackError {
  const who = typeof holder?.pid === 'number' ? `run ${holder.pid}${typeof holder.host === 'string' ? ` on ${holder.host}` : ''}` : 'run';
  return new AuditpackError(
    'OUTPUT_LOCKED',
    `another auditpack ${who} is writing ${target}; wait for it to finish (if none is running, delete the lock file ${path})`,
    { file: target },
  );
}
