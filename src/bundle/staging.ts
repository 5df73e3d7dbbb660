import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AuditpackError } from '../errors.js';
import { outputWriteError } from './output-error.js';
import { settled } from '../collect/read-file.js';
import { entryOf, sha256Hex, type ManifestEntry } from '../util/manifest.js';
import { makeStagingFolder, swapIntoPlace } from './output.js';
import { findSyncProgram, syncFileSystem } from './file-system-sync.js';
import { SyncThread } from './sync-thread.js';
import { hashOpenFile } from './read.js';

/**
 * The bundle being written, file by file, as the run reads its inputs: each
 * file goes to disk in a hidden sibling of the output folder as
 * soon as it is known, and only its path, SHA-256, size and origin stay in
 * memory. The seal is computed over those entries; `commit` then syncs
 * every file to disk and renames
 * the folder into place with writeBundleAtomically's guarantees (a sealed
 * bundle of another run is replaced only when it is recognisably one, a
 * crash leaves the old bundle or the new one). Under the output lock.
 *
 * Two different inputs can never end up at one bundle path: the second
 * would silently replace the first while report.json lists both. The same
 * bytes twice are one file; different bytes stop the run and name both.
 */
export class BundleStaging {
  private readonly entries = new Map<string, { sha256: string; size: number; origin: string }>();
  /** The files `syncAhead` is syncing, and its promise (awaited, errors included, by `commit`). */
  private readonly syncingAhead = new Set<string>();
  private syncedAhead: Promise<void> | undefined;
  private readonly syncer = new SyncThread();

  private constructor(
    readonly target: string,
    /** The staging folder: worker threads write evidence into it (`writeStagedFile`) and report the entries. */
    readonly dir: string,
    /** The program that syncs the whole file system (file-system-sync.ts); null: files are synced one by one. */
    private readonly syncProgram: string | null,
  ) {}

  static async open(target: string, syncProgram: string | null = findSyncProgram() ?? null): Promise<BundleStaging> {
    return new BundleStaging(target, await makeStagingFolder(target), syncProgram);
  }

  /**
   * Whether the files written are synced all at once (`syncWritten`, one
   * sync of the whole file system) rather than batch by batch as they are
   * written (`syncAhead`, one fsync per file, which the run then starts
   * while the images are verified).
   */
  get syncsAtOnce(): boolean {
    return this.syncProgram !== null;
  }

  /** Writes one file of the bundle, unless the same bytes are already there under that path. */
  async add(path: string, bytes: Uint8Array, origin: string = path): Promise<void> {
    if (this.claim(entryOf(path, bytes), origin)) await writeStagedFile(this.dir, path, bytes);
  }

  /**
   * Writes one file produced piece by piece (the inventory CSV), hashing it
   * as it is written; `produce` calls `write` for each piece, in order.
   * Returns its entry (path, SHA-256, size).
   */
  async addStreamed(path: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Promise<ManifestEntry> {
    const hash = createHash('sha256');
    let size = 0;
    await mkdir(dirname(join(this.dir, path)), { recursive: true });
    const handle = await open(join(this.dir, path), 'wx', 0o644);
    try {
      await produce(async (text) => {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        size += bytes.length;
        await handle.write(bytes);
      });
    } finally {
      await handle.close();
    }
    const entry = { path, sha256: hash.digest('hex'), size };
    this.claim(entry, path);
    return entry;
  }

  /**
   * Lets `write` create one file at its place in the folder (the signed PDF,
   * written and signed on disk), then hashes what it wrote.
   */
  async addWritten(path: string, write: (file: string) => Promise<void>): Promise<void> {
    const existing = this.entries.get(path);
    if (existing !== undefined) throw clash(existing.origin, path, path);
    const file = join(this.dir, path);
    await mkdir(dirname(file), { recursive: true });
    await write(file);
    const handle = await open(file, 'r');
    try {
      this.claim({ path, ...(await hashOpenFile(handle)) }, path);
    } finally {
      await handle.close();
    }
  }

  /**
   * Records a file already written into the folder by `writeStagedFile`
   * (in a worker thread). Entries are recorded in a fixed order (by image),
   * so which of two clashing inputs is named first does not depend on timing.
   */
  record(entry: ManifestEntry, origin: string = entry.path): void {
    this.claim(entry, origin);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Every file written so far, sorted by path (byte order). */
  list(): ManifestEntry[] {
    return [...this.entries.entries()]
      .map(([path, e]) => ({ path, sha256: e.sha256, size: e.size }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The bytes of a written file, read again. */
  read(path: string): Buffer {
    return readFileSync(this.pathOf(path));
  }

  /** Where a written file is on disk (the PDF reads the files it attaches from there). */
  pathOf(path: string): string {
    return join(this.dir, path);
  }

  /**
   * Starts syncing files already written to disk, in the background, so the
   * disk works while the run goes on instead of after it (at 1,000 images
   * 13,000 files, seconds of fsync). `paths`: bundle paths; a file already
   * being synced is not synced again. The files are synced by a thread of
   * their own (sync-thread.ts), batch after batch. `commit` waits for every
   * sync started, fails as it would have, and syncs the files written since.
   */
  syncAhead(paths: Iterable<string>): void {
    const fresh = [...paths].filter((path) => !this.syncingAhead.has(path));
    for (const path of fresh) this.syncingAhead.add(path);
    this.chain(this.syncer.sync(fresh.map((path) => join(this.dir, path))));
  }

  /**
   * Starts syncing every file recorded so far and not yet being synced, in
   * the background (the run calls it once the images are verified, while
   * the reports are rendered). With a program that syncs the whole file
   * system (`syncsAtOnce`), one run of it, then a check in the sync thread
   * that each file is still there at its size (what a vanished file's fsync
   * would have reported); should the program fail, each file is synced on
   * its own instead. Without one, `syncAhead` of those files.
   */
  syncWritten(): void {
    const fresh = [...this.entries].filter(([path]) => !this.syncingAhead.has(path));
    const program = this.syncProgram;
    if (program === null) return this.syncAhead(fresh.map(([path]) => path));
    if (fresh.length === 0) return;
    for (const [path] of fresh) this.syncingAhead.add(path);
    const files = fresh.map(([path, entry]) => ({ path: join(this.dir, path), size: entry.size }));
    this.chain(syncFileSystem(program, this.dir).then((synced) => (synced ? this.syncer.checkPresent(files) : this.syncer.sync(files.map((f) => f.path)))));
  }

  /** Adds a sync under way to those `commit` waits for. */
  private chain(syncing: Promise<void>): void {
    // All settled before a failure is reported, so that no fsync is still running when the folder is removed.
    const earlier = this.syncedAhead ?? Promise.resolve();
    this.syncedAhead = Promise.allSettled([earlier, syncing]).then((results) => {
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    });
    // Handled here so an early failure is not an unhandled rejection; commit awaits the promise itself and fails with it.
    this.syncedAhead.catch(() => undefined);
  }

  /** Syncs every file to disk, then renames the complete folder into place (see swapIntoPlace); on failure the folder is removed. */
  async commit(): Promise<void> {
    try {
      await this.syncedAhead;
      await this.syncer.sync([...this.entries.keys()].filter((path) => !this.syncingAhead.has(path)).map((path) => join(this.dir, path)));
      await this.syncer.close();
      await swapIntoPlace(this.dir, this.target);
    } catch (thrown) {
      await this.discard();
      throw thrown;
    }
  }

  async discard(): Promise<void> {
    await this.syncedAhead?.catch(() => undefined);
    await this.syncer.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** True when the path is new; false for the same bytes again; throws for different bytes at a taken path. */
  private claim(entry: ManifestEntry, origin: string): boolean {
    const existing = this.entries.get(entry.path);
    if (existing === undefined) {
      this.entries.set(entry.path, { sha256: entry.sha256, size: entry.size, origin });
      return true;
    }
    if (existing.sha256 !== entry.sha256) throw clash(existing.origin, origin, entry.path);
    return false;
  }
}

/** Two inputs that would end up at one bundle path: the run stops and names both. */
function clash(first: string, second: string, path: string): AuditpackError {
  return new AuditpackError('OUTPUT_INVALID', `'${first}' and '${second}' would both be kept in the bundle as ${path}; rename one of them`, { file: second });
}

/**
 * Writes one file into a staging folder, safely when two writers (worker
 * threads reading images that share a folder) may write the same path: the
 * file is created exclusively, and a writer that finds it there leaves it.
 * Which bytes are at a clashing path does not matter: both writers report
 * their entry and `BundleStaging.record` stops the run when the digests
 * differ, before anything is committed. Returns the file's manifest entry
 * (`sha256`: the digest of `bytes` when the caller has it already).
 */
export function writeStagedFile(dir: string, path: string, bytes: Uint8Array, sha256 = sha256Hex(bytes)): Promise<ManifestEntry> {
  return settled(() => {
    try {
      writeNewFileNow(join(dir, path), bytes);
    } catch (thrown) {
      // A write refused (no space left, a quota): named, with the system's reason, not an internal error.
      if ((thrown as NodeJS.ErrnoException).code !== 'EEXIST') throw outputWriteError(thrown, join(dir, path));
    }
    return { path, sha256, size: bytes.length };
  });
}

/**
 * Creates a file (never over an existing one) with synchronous calls: the
 * evidence files are many and small, written mostly by worker threads with
 * nothing else to do meanwhile, and each asynchronous call is a round trip
 * through Node's small, process-wide thread pool. Synced to disk later, all
 * at once (BundleStaging.commit). The folder is made only when the file
 * cannot be created without it (an image's files share one).
 */
function writeNewFileNow(path: string, bytes: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') throw thrown;
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'wx', 0o644);
  }
  try {
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
