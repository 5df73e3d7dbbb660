import { WorkerPool } from '../util/worker-pool.js';

/**
 * Syncs a staged bundle's files to disk from a thread of its own, one file
 * after another with synchronous calls. A bundle of 1,000 images has 13,000
 * files; synced through `fs/promises` each costs an open, an fsync and a
 * close on Node's four-thread pool, three promises and a FileHandle: 1.5 s
 * of the command thread's CPU at 1,000 images (its profile), on a machine
 * whose two cores the image threads keep busy, and the pool's threads were
 * not free for the run's own reads and writes meanwhile. Here the thread
 * mostly waits on the disk. Batches are synced in the order they are given.
 * Where the whole file system is synced at once instead
 * (file-system-sync.ts), the thread checks that the files are still there.
 */
export class SyncThread {
  private pool: WorkerPool<SyncTask, SyncFailure | null> | undefined;

  /** Syncs `paths` (absolute) after every batch given before; rejects with the first file's error, as fs would throw it. */
  async sync(paths: readonly string[]): Promise<void> {
    await this.run({ files: paths.map((path) => [path, -1]), sync: true });
  }

  /**
   * Checks, after the whole file system was synced (file-system-sync.ts),
   * that each file is still there, a regular file of the size written:
   * what a missing file's fsync would have said (ENOENT), so that a file
   * gone from the staging folder still fails the commit.
   */
  async checkPresent(files: readonly { path: string; size: number }[]): Promise<void> {
    await this.run({ files: files.map(({ path, size }) => [path, size]), sync: false });
  }

  /** Ends the thread (a later `sync` starts another). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  private async run(task: SyncTask): Promise<void> {
    if (task.files.length === 0) return;
    // One thread, given every batch at once: it takes them in order.
    this.pool ??= new WorkerPool<SyncTask, SyncFailure | null>({ source: SYNC_WORKER }, 1, undefined, Number.MAX_SAFE_INTEGER);
    const failure = await this.pool.run(task);
    if (failure !== null) throw syncError(failure);
  }
}

/** A batch: each file's absolute path and the size it was written with (-1 when only synced). */
interface SyncTask {
  files: [string, number][];
  sync: boolean;
}

/** Why a file could not be synced, as the thread saw it. */
interface SyncFailure {
  message: string;
  code?: string;
  syscall?: string;
  path?: string;
}

/** The error the same call would have thrown in this thread (its `code` kept: the commit's failure names it). */
function syncError(failure: SyncFailure): Error {
  return Object.assign(new Error(failure.message), {
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...(failure.syscall === undefined ? {} : { syscall: failure.syscall }),
    ...(failure.path === undefined ? {} : { path: failure.path }),
  });
}

/**
 * The thread (CommonJS, Node's own modules only: see WorkerScript). A batch
 * stops at its first failure (the commit fails with it); a synced file is
 * closed whatever happens, and a failing close fails the batch too.
 */
const SYNC_WORKER = `
const { parentPort } = require('node:worker_threads');
const { closeSync, constants, fsyncSync, lstatSync, openSync } = require('node:fs');
function syncOne(path) {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
function checkOne(path, size) {
  const stats = lstatSync(path);
  if (!stats.isFile() || stats.size !== size) {
    throw Object.assign(new Error('changed in the staging folder before the commit (expected a file of ' + size + ' bytes): ' + path), { code: 'ECHANGED', path });
  }
}
parentPort.on('message', ({ id, task }) => {
  let failure = null;
  for (const [path, size] of task.files) {
    try {
      if (task.sync) syncOne(path);
      else checkOne(path, size);
    } catch (thrown) {
      failure = { message: String(thrown && thrown.message), code: thrown && thrown.code, syscall: thrown && thrown.syscall, path: thrown && thrown.path };
      break;
    }
  }
  parentPort.postMessage({ id, ok: true, value: failure });
});
`;
