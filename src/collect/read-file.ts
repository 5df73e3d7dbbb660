import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describeThrown } from '../errors.js';
import { openedPath } from '../util/opened-path.js';
import type { Evidence } from './evidence.js';

/**
 * The largest evidence file auditpack reads (256 MiB, as `auditpack sbom`).
 * A larger file is refused before any byte is read, so a stray disk image in
 * an evidence folder is a problem line, not a crash.
 */
export const MAX_EVIDENCE_FILE = 256 * 1024 * 1024;

export type RefusalCode = 'EVIDENCE_UNREADABLE' | 'EVIDENCE_LINK_OUTSIDE' | 'EVIDENCE_TOO_LARGE';

/** A file auditpack will not read, with the reason; thrown like an fs error (it has a `code`). */
export class FileRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

export type ReadResult = { ok: true; evidence: Evidence } | { ok: false; code: RefusalCode; reason: string };

/** Reads one file verbatim (see `readContainedFile`) and addresses it by the SHA-256 of its bytes. */
export async function readEvidenceFile(baseDir: string, path: string, subject?: string): Promise<ReadResult> {
  const source = relative(baseDir, path);
  try {
    const bytes = await readContainedFile(baseDir, path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { ok: true, evidence: { sha256, kind: 'unrecognised', source, bytes, ...(subject === undefined ? {} : { subject }) } };
  } catch (thrown) {
    return {
      ok: false,
      code: thrown instanceof FileRefused ? thrown.code : 'EVIDENCE_UNREADABLE',
      reason: thrown instanceof FileRefused ? thrown.message : unreadableReason(source, thrown),
    };
  }
}

/**
 * Why a file could not be read. A name that is not UTF-8 reaches us with
 * U+FFFD in place of its bytes (Node's file names are strings) and then
 * names no file: say that, not only "no such file".
 */
function unreadableReason(source: string, thrown: unknown): string {
  const missing = (thrown as { code?: unknown } | null)?.code === 'ENOENT';
  return missing && source.includes('\ufffd')
    ? `its name is not valid UTF-8 (shown with U+FFFD), so it cannot be opened: rename it (${describeThrown(thrown)})`
    : describeThrown(thrown);
}

/**
 * Reads a file the configuration points at, refusing what the evidence
 * folder's author could use against the run: a symbolic link whose target
 * lies outside the configuration's folder (it could copy /etc/shadow into the
 * sealed bundle), anything but a regular file (a FIFO would hang the run), and
 * a file over `limit` bytes. Links that stay inside the folder are followed.
 */
export function readContainedFile(baseDir: string, path: string, limit = MAX_EVIDENCE_FILE): Promise<Buffer> {
  return settled(() => readContainedFileNow(baseDir, path, limit));
}

/**
 * The same, done with synchronous calls. A report reads thousands of small
 * files, mostly in worker threads that have nothing else to do meanwhile:
 * each asynchronous call is a round trip through Node's small, process-wide
 * thread pool, which cost more than the reading itself.
 */
function readContainedFileNow(baseDir: string, path: string, limit: number): Buffer {
  const real = containedRealPath(baseDir, path);
  const fd = openChecked(real);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefused('EVIDENCE_UNREADABLE', `not a regular file (${fileType(stats)}): not read`);
    if (stats.size > limit) throw tooLarge(stats.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(stats.size - total, 0) + 1, 8 * 1024 * 1024));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(total, limit);
      chunks.push(chunk.subarray(0, bytesRead));
      // A regular file reads short only at its end: no further read to learn it.
      if (bytesRead < chunk.length) break;
    }
    // One read is the common case (the size is known): no second copy of every evidence file.
    return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens the file at `real` (a real path, checked to stay where it must) for
 * reading, and makes sure the file opened is the one at that path. O_NOFOLLOW
 * refuses a link swapped in at the last step since the path was checked, and
 * O_NONBLOCK makes a FIFO open at once (fstat then refuses it); but a folder
 * on the way could have been swapped for a link too (whoever writes the
 * evidence folder can, while the run reads it), and open(2) would follow it
 * out of the folder. Where the system says which file a descriptor is
 * (Linux's /proc/self/fd), a file opened elsewhere than `real` is refused.
 */
export function openChecked(real: string): number {
  const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  const opened = openedPath(fd);
  if (opened !== undefined && opened !== real) {
    closeSync(fd);
    throw new FileRefused('EVIDENCE_LINK_OUTSIDE', `a folder on its path was replaced by a link while it was opened (it led to ${opened}): not read`);
  }
  return fd;
}

/**
 * The real path of `path`, once it is known to stay where the configuration
 * put it: inside the configuration's folder, or, for a path the configuration
 * itself places outside that folder, inside the folder holding it.
 */
export function assertContained(baseDir: string, path: string): Promise<string> {
  return settled(() => containedRealPath(baseDir, path));
}

/** A synchronous result as a promise: what it throws rejects it, as from the asynchronous calls it replaces. */
export function settled<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (thrown) {
    return Promise.reject(thrown instanceof Error ? thrown : new Error(String(thrown)));
  }
}

function containedRealPath(baseDir: string, path: string): string {
  const lexical = resolve(baseDir, path);
  const real = realpathSync.native(lexical);
  // No link on the way (the common case): nothing to contain. The folder's own real path is looked up only when there is one.
  if (real !== lexical && !isInside(real, containingRoot(baseDir, lexical))) {
    throw new FileRefused('EVIDENCE_LINK_OUTSIDE', `a symbolic link leading outside the configuration's folder (to ${real}): not followed`);
  }
  return real;
}

/** The real folder a path must stay in: the configuration's folder, or, for a path the configuration places outside it, the folder holding it. */
function containingRoot(baseDir: string, lexical: string): string {
  const base = resolve(baseDir);
  if (isInside(lexical, base)) return realpathSync.native(base);
  try {
    return realpathSync.native(dirname(lexical));
  } catch {
    return dirname(lexical);
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function tooLarge(size: number, limit: number): FileRefused {
  return new FileRefused('EVIDENCE_TOO_LARGE', `${formatSize(size)} is over the ${formatSize(limit)} limit for one evidence file: not read`);
}

export function formatSize(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

export function fileType(stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isSymbolicLink' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Regular files directly in `dir`, sorted by name so runs are deterministic. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(dir, e.name))
    .sort();
}

/** Sub-folders directly in `dir`, sorted by name. */
export async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
}
