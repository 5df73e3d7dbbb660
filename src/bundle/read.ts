import { createHash } from 'node:crypto';
import { constants, realpathSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describeThrown } from '../errors.js';
import { openedPath } from '../util/opened-path.js';
import type { TreeEntry } from './walk.js';

/** The seal files and report.json are small; a larger one is not read. */
const MAX_SMALL_FILE = 64 * 1024 * 1024;
/** No link followed at the last step, no blocking on a FIFO swapped in after the walk. */
const SAFE_OPEN = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * One small file of a bundle, read only when the walk found it as a regular
 * file (never through a link); otherwise the reason it was not read.
 */
export async function readBundleFile(dir: string, path: string, tree: Map<string, TreeEntry>): Promise<Buffer | string> {
  const entry = tree.get(path);
  if (entry === undefined) return 'not found';
  if (entry.type !== 'file') return `is ${entry.type === 'folder' ? 'a folder' : (entry.what ?? 'not a regular file')}, not a file`;
  if (entry.size > MAX_SMALL_FILE) return `is over ${MAX_SMALL_FILE} bytes`;
  try {
    const handle = await openBundleFile(dir, path);
    if (typeof handle === 'string') return handle;
    try {
      if (!(await handle.stat()).isFile()) return 'is not a regular file';
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (thrown) {
    return `cannot be read (${describeThrown(thrown)})`;
  }
}

/** The SHA-256 of a bundle file, streamed (any size, constant memory), or the reason it could not be read. */
export async function hashBundleFile(dir: string, path: string): Promise<string> {
  try {
    const handle = await openBundleFile(dir, path);
    if (typeof handle === 'string') return handle;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return 'is not a regular file';
      return (await hashOpenFile(handle, stats.size)).sha256;
    } finally {
      await handle.close();
    }
  } catch (thrown) {
    return `cannot be read (${describeThrown(thrown)})`;
  }
}

/**
 * Opens a bundle file the walk found as a regular file, and makes sure the
 * file opened is the one inside the folder: a folder on its path swapped
 * for a link since the walk (by whoever can write the bundle, while it is
 * verified) would otherwise have the file hashed from elsewhere, a copy of
 * the sealed bytes kept aside making a changed bundle verify. Where the
 * system says which file a descriptor is (openedPath); the reason it was
 * refused otherwise.
 */
async function openBundleFile(dir: string, path: string): Promise<FileHandle | string> {
  const expected = join(realFolder(dir), path);
  const handle = await open(join(dir, path), SAFE_OPEN);
  const opened = openedPath(handle.fd);
  if (opened === undefined || opened === expected) return handle;
  await handle.close();
  return `was reached through a folder replaced by a link since the bundle was walked (it led to ${opened}): not read`;
}

/** The bundle folder's real path, kept for the folder last asked about (one bundle's thousands of files in a row). */
function realFolder(dir: string): string {
  if (lastFolder?.dir !== dir) lastFolder = { dir, real: realpathSync.native(dir) };
  return lastFolder.real;
}
let lastFolder: { dir: string; real: string } | undefined;

/** The most read into memory at a time when hashing a file. */
const HASH_CHUNK = 1024 * 1024;

/**
 * SHA-256 and size of an open file, read through one buffer of a megabyte at
 * most (any size, constant memory). Given the size the file had when it was
 * stat'ed, the buffer is that size plus one byte (a file that grew since is
 * still read to its end): a megabyte zero-filled for each of a 1,000-image
 * bundle's 13,000 small files was most of the 14 s of CPU `auditpack verify`
 * took. Not zero-filled: only the bytes each read returns are hashed.
 */
export async function hashOpenFile(handle: FileHandle, sizeHint = HASH_CHUNK): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK, Math.max(0, sizeHint) + 1));
  let size = 0;
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { sha256: hash.digest('hex'), size };
}
