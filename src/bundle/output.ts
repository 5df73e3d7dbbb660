import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuditpackError, describeThrown } from '../errors.js';
import { readContainedFile } from '../collect/read-file.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_FILES, parseManifest } from '../seal/manifest.js';
import { walkTree } from './walk.js';

export type OutputState = 'absent' | 'empty' | 'bundle';

/** Hidden siblings of the output folder: the new bundle being written, and the previous one while it is swapped. */
const tmpPrefix = (target: string) => `.${basename(target)}.auditpack-tmp-`;
const previousPath = (target: string) => join(dirname(target), `.${basename(target)}.auditpack-previous`);

/**
 * What is at the output path, refusing anything auditpack did not write: a
 * folder is replaceable only when it is recognisably an auditpack bundle
 * (its manifest.json names the auditpack manifest format, the seal is there,
 * every file in it is listed and nothing in it is a link or a device).
 * An evidence folder holding crane's manifest.json, a web project, a file:
 * refused (exit 2), and left untouched.
 */
export async function inspectOutput(target: string): Promise<OutputState> {
  const stats = await lstat(target).catch((thrown: NodeJS.ErrnoException) => {
    if (thrown.code === 'ENOENT') return undefined;
    throw refuse(target, `cannot be inspected: ${describeThrown(thrown)}`);
  });
  if (stats === undefined) return 'absent';
  if (!stats.isDirectory()) throw refuse(target, 'exists and is not a folder');
  const tree = await walkTree(target).catch((thrown: unknown) => {
    throw refuse(target, `cannot be listed: ${describeThrown(thrown)}`);
  });
  if (tree.length === 0) return 'empty';
  const why = await notABundleReason(target, tree);
  if (why !== undefined) throw refuse(target, `is not empty and is not an auditpack bundle (${why})`);
  return 'bundle';
}

async function notABundleReason(target: string, tree: Awaited<ReturnType<typeof walkTree>>): Promise<string | undefined> {
  const other = tree.find((e) => e.type === 'other');
  if (other !== undefined) return `${other.path} is ${other.what ?? 'not a regular file'}`;
  const files = tree.filter((e) => e.type === 'file').map((e) => e.path);
  if (!files.includes(MANIFEST_FILE)) return `no ${MANIFEST_FILE}`;
  let bytes: Buffer;
  try {
    bytes = await readContainedFile(target, MANIFEST_FILE, 64 * 1024 * 1024);
  } catch (thrown) {
    return `${MANIFEST_FILE} cannot be read: ${describeThrown(thrown)}`;
  }
  const parsed = parseManifest(bytes);
  if (!parsed.ok) return `its ${MANIFEST_FILE} is ${parsed.reason.startsWith('not ') ? '' : 'invalid: '}${parsed.reason}`;
  if (!files.includes(SEAL_FILE)) return `no seal (${SEAL_FILE})`;
  const listed = new Set(parsed.manifest.files.map((f) => f.path));
  const unlisted = files.filter((f) => !listed.has(f) && !SEAL_FILES.includes(f));
  if (unlisted.length > 0) return `${unlisted.slice(0, 3).join(', ')}${unlisted.length > 3 ? ', …' : ''} not in its manifest`;
  return undefined;
}

/**
 * Under the lock, before a run writes: a previous run killed mid-swap left
 * the old bundle as the hidden `previous` sibling with nothing at the target,
 * so it is put back; a `previous` left beside a complete target, and the
 * temporary folders of killed runs, are removed.
 */
export async function recoverInterruptedRun(target: string): Promise<void> {
  const previous = previousPath(target);
  if (await exists(previous)) {
    if (await exists(target)) await rm(previous, { recursive: true, force: true });
    else await rename(previous, target);
  }
  const parent = dirname(target);
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(tmpPrefix(target)))) await rm(join(parent, name), { recursive: true, force: true });
}

/**
 * Writes the bundle into a temporary sibling folder (every file synced to
 * disk), then renames it into place (see `swapIntoPlace`).
 */
export async function writeBundleAtomically(target: string, files: Map<string, Uint8Array>): Promise<void> {
  const tmp = await makeStagingFolder(target);
  try {
    for (const [path, bytes] of files) await writeSynced(join(tmp, path), bytes, false);
    await syncFiles([...files.keys()].map((path) => join(tmp, path)));
    await swapIntoPlace(tmp, target);
  } catch (thrown) {
    await rm(tmp, { recursive: true, force: true });
    throw thrown;
  }
}

/** Writes one file through a temporary sibling and renames it over `target` (the run summary). */
export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(target), `${tmpPrefix(target)}${randomBytes(6).toString('hex')}`);
  try {
    await writeSynced(tmp, bytes);
    await rename(tmp, target);
  } catch (thrown) {
    await rm(tmp, { force: true });
    throw thrown;
  }
}

/** The hidden sibling folder a new bundle is written into before it is renamed into place. */
export async function makeStagingFolder(target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = await mkdtemp(join(dirname(target), tmpPrefix(target)));
  await chmod(tmp, 0o755); // mkdtemp makes it private; a bundle is a folder to hand over
  return tmp;
}

/**
 * Puts a complete staging folder in place of the target: a previous bundle
 * is moved aside first and removed last, anything that is not recognisably
 * an auditpack bundle is refused (inspectOutput). A crash at any point
 * leaves either the previous bundle or the new one complete (or the
 * previous one aside, which the next run restores): never half a bundle,
 * never neither. The caller removes the staging folder when this throws.
 */
export async function swapIntoPlace(tmp: string, target: string): Promise<void> {
  await syncFolder(tmp);
  const state = await inspectOutput(target);
  if (state === 'bundle') await rename(target, previousPath(target));
  if (state === 'empty') await rmdir(target);
  await rename(tmp, target);
  await syncFolder(dirname(target));
  await rm(previousPath(target), { recursive: true, force: true });
}

/** Writes a new file (never over an existing one) and, unless told not to, syncs it to disk. */
export async function writeSynced(path: string, bytes: Uint8Array, sync = true): Promise<void> {
  // The folder usually exists (an image's files share one): it is made only when the file cannot be created without it.
  const handle = await open(path, 'wx', 0o644).catch(async (thrown: NodeJS.ErrnoException) => {
    if (thrown.code !== 'ENOENT') throw thrown;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx', 0o644);
  });
  try {
    await handle.writeFile(bytes);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Syncs files already written to disk, several at a time (concurrent fsyncs
 * share the file system's journal commits). For the few files written whole
 * (the archive, writeBundleAtomically); a staged bundle's thousands of files
 * are synced by its SyncThread (sync-thread.ts).
 */
export async function syncFiles(paths: readonly string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const handle = await open(paths[i] ?? '', 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
}

async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function refuse(target: string, reason: string): AuditpackError {
  return new AuditpackError('OUTPUT_INVALID', `the output ${reason}; refusing to replace it (choose another --out, or remove it yourself)`, { file: target });
}
