import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuditpackError, describeThrown } from '../../errors.js';
import { GENERATOR } from '../../util/generator.js';
import { isRecord } from '../../util/wire.js';

/** Writes a file whole or not at all: a crash never leaves half a file where a reader expects a whole one. */
export async function writeFileAtomic(path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

/**
 * Builds a folder beside `target` and swaps it in only when `build`
 * succeeded: an earlier collection of the same thing is replaced by a
 * complete new one, never lost to a failed one.
 */
export async function replaceFolder(target: string, build: (dir: string) => Promise<void>): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const fresh = join(dirname(target), `.${basename(target)}.${suffix}.partial`);
  const old = join(dirname(target), `.${basename(target)}.${suffix}.old`);
  await mkdir(fresh, { recursive: true });
  try {
    await build(fresh);
  } catch (thrown) {
    await rm(fresh, { recursive: true, force: true });
    throw thrown;
  }
  const existed = await exists(target);
  if (existed) await rename(target, old);
  await rename(fresh, target);
  if (existed) await rm(old, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The record every collection writes at the top of its output folder. */
export const RECORD_FILE = 'collection.json';
export const RECORD_FORMAT = 'auditpack-collection';

/** The fields every `collection.json` starts with. */
export function recordHeader(source: 'registry' | 'woodpecker', collectedAt: string): Record<string, unknown> {
  return { collectionFormat: RECORD_FORMAT, version: 1, source, generator: { name: GENERATOR.name, version: GENERATOR.version }, collectedAt };
}

/**
 * Makes sure `--out` can be written: a new or empty folder, or one that an
 * earlier collection of the same source wrote (it is updated in place).
 * Anything else is refused so that a typo never writes into a folder of
 * unrelated files. Returns the earlier record, if any.
 */
export async function prepareCollectionDir(dir: string, source: 'registry' | 'woodpecker'): Promise<Record<string, unknown> | undefined> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (thrown) {
    if ((thrown as { code?: unknown }).code !== 'ENOENT')
      throw new AuditpackError('OUTPUT_INVALID', `cannot use the output folder (${describeThrown(thrown)})`, { file: dir, cause: thrown });
    await mkdir(dir, { recursive: true });
    return undefined;
  }
  if (entries.length === 0) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(await readFile(join(dir, RECORD_FILE), 'utf8'));
  } catch {
    record = undefined;
  }
  if (!isRecord(record) || record.collectionFormat !== RECORD_FORMAT) {
    throw new AuditpackError(
      'OUTPUT_INVALID',
      `the output folder is not empty and holds no earlier auditpack collection (${RECORD_FILE}); choose an empty or new folder`,
      { file: dir },
    );
  }
  if (record.source !== source) {
    throw new AuditpackError('OUTPUT_INVALID', `the output folder holds a ${String(record.source)} collection, not a ${source} one; choose another folder`, {
      file: dir,
    });
  }
  await removeLeftovers(dir);
  return record;
}

/** A name `writeFileAtomic` or `replaceFolder` gives what it writes or moves aside: `.NAME.<8 hex>.partial|old`. */
const LEFTOVER = /^\.(.+)\.[0-9a-f]{8}\.(partial|old)$/;

/**
 * What a collection stopped at once (a signal, a kill, a power cut) left in
 * its output folder: files and folders being written (`.partial`) are
 * removed; an earlier folder moved aside for its replacement (`.old`) is put
 * back when the replacement did not land, else removed. Run before a
 * collection updates the folder, so leftovers never pile up. Links are not
 * followed.
 */
export async function removeLeftovers(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const leftover = LEFTOVER.exec(entry.name);
    if (leftover === null) {
      if (entry.isDirectory()) await removeLeftovers(path);
      continue;
    }
    const [, name = '', kind] = leftover;
    if (kind === 'old' && !(await exists(join(dir, name)))) await rename(path, join(dir, name));
    else await rm(path, { recursive: true, force: true });
  }
}
