import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AuditpackError, describeThrown } from '../errors.js';
import { MANIFEST_FILE, parseManifest } from '../seal/manifest.js';
import { syncFiles } from './output.js';
import { readTarGz, TarError, writeTarGz, type TarLimits } from './tar.js';
import { readContainedFile } from '../collect/read-file.js';

/** The most a bundle file may weigh when read back (evidence is capped at 256 MiB; reports and the inventory are smaller). */
export const MAX_BUNDLE_FILE = 1024 * 1024 * 1024;

/** What `auditpack verify` accepts from an archive before refusing it. */
export const ARCHIVE_LIMITS: TarLimits = { maxEntries: 200_000, maxEntrySize: MAX_BUNDLE_FILE, maxTotalSize: 16 * 1024 * 1024 * 1024 };

/** The archive written beside a bundle folder by `--archive`. */
export function archivePathFor(outDir: string): string {
  return `${outDir.replace(/[\\/]+$/, '')}.tar.gz`;
}

/**
 * Writes the `.tar.gz` of a written bundle (`--archive`, the format of
 * tarGz): the files under the folder's name, every mtime the run's clock,
 * read from the folder one at a time (`paths`: every file of the bundle),
 * through a temporary sibling synced and renamed over `archive`.
 */
export async function writeArchive(archive: string, outDir: string, paths: readonly string[], clock: string): Promise<void> {
  const tmp = join(dirname(archive), `.${basename(archive)}.auditpack-tmp-${randomBytes(6).toString('hex')}`);
  try {
    await writeTarGz(tmp, paths, (path) => readContainedFile(outDir, join(outDir, path), MAX_BUNDLE_FILE), {
      prefix: basename(resolve(outDir)),
      mtime: new Date(clock),
    });
    await syncFiles([tmp]);
    await rename(tmp, archive);
  } catch (thrown) {
    await rm(tmp, { force: true });
    throw thrown;
  }
}

export type Extracted = { ok: true; root: string; cleanup: () => Promise<void> } | { ok: false; file: string; reason: string };

/**
 * Unpacks a bundle archive into a fresh private folder, safely (see
 * `readTarGz`: files and folders only, no absolute or `..` path, sizes
 * bounded; every file created exclusively, so an entry listed twice is
 * refused). The bundle is the archive's single top-level folder, or its
 * root when manifest.json sits there.
 */
export async function extractBundleArchive(archive: string): Promise<Extracted> {
  const dest = await mkdtemp(join(tmpdir(), 'auditpack-verify-'));
  const cleanup = () => rm(dest, { recursive: true, force: true });
  try {
    await readTarGz(archive, ARCHIVE_LIMITS, {
      folder: async (path) => {
        await mkdir(join(dest, path), { recursive: true });
      },
      file: async (path) => {
        await mkdir(dirname(join(dest, path)), { recursive: true });
        const handle = await open(join(dest, path), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644).catch(
          (thrown: NodeJS.ErrnoException) => {
            throw new TarError(thrown.code === 'EEXIST' ? 'is listed twice in the archive' : `cannot be unpacked (${describeThrown(thrown)})`, path);
          },
        );
        return { write: async (chunk) => void (await handle.write(chunk)), end: () => handle.close() };
      },
    });
    return { ok: true, root: await bundleRoot(dest), cleanup };
  } catch (thrown) {
    await cleanup();
    if (thrown instanceof TarError)
      return { ok: false, file: thrown.entry === undefined ? basename(archive) : `${basename(archive)}: ${thrown.entry}`, reason: thrown.message };
    return { ok: false, file: basename(archive), reason: describeThrown(thrown) };
  }
}

async function bundleRoot(dest: string): Promise<string> {
  const names = await readdir(dest);
  if (names.includes(MANIFEST_FILE)) return dest;
  const [only] = names;
  if (names.length === 1 && only !== undefined && (await lstat(join(dest, only))).isDirectory()) return join(dest, only);
  throw new TarError(`not an auditpack bundle archive: no ${MANIFEST_FILE} at its root or in its single top-level folder`);
}

/**
 * Whether an existing file at the archive path may be replaced: only an
 * auditpack bundle archive (it unpacks safely and its manifest names the
 * auditpack format). Anything else is refused and left untouched.
 */
export async function inspectArchiveTarget(target: string): Promise<'absent' | 'archive'> {
  const stats = await lstat(target).catch(() => undefined);
  if (stats === undefined) return 'absent';
  const refuse = (why: string) =>
    new AuditpackError('OUTPUT_INVALID', `the archive path exists and ${why}; refusing to replace it (remove it yourself or choose another --out)`, {
      file: target,
    });
  if (!stats.isFile()) throw refuse('is not a regular file');
  const extracted = await extractBundleArchive(target);
  if (!extracted.ok) throw refuse(`is not an auditpack bundle archive (${extracted.file}: ${extracted.reason})`);
  try {
    const manifest = await readSmall(join(extracted.root, MANIFEST_FILE));
    if (!parseManifest(manifest).ok) throw refuse('is not an auditpack bundle archive (its manifest is not an auditpack manifest)');
    return 'archive';
  } finally {
    await extracted.cleanup();
  }
}

async function readSmall(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
