import { mkdir, open, readFile, rm } from 'node:fs/promises';
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
 * cannot interleave. The lock is a file created exclusively (O_EXCL) holding
 * the owner's pid and host. A second run fails at once with a message naming
 * the holder; a lock left by a run that was killed (same host, pid gone) is
 * taken over. Without an owner to ask, an existing lock is always held.
 */
export async function acquireLock(target: string, owner?: LockOwner): Promise<ReleaseLock> {
  const path = lockPath(target);
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(`${JSON.stringify({ pid: owner?.pid ?? null, host: owner?.host ?? null })}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code !== 'EEXIST') throw thrown;
    }
    const holder = await readHolder(path);
    const stale = owner !== undefined && holder?.host === owner.host && typeof holder.pid === 'number' && !owner.isAlive(holder.pid);
    if (!stale) throw heldBy(path, target, holder);
    await rm(path, { force: true });
  }
  throw heldBy(path, target, await readHolder(path));
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
