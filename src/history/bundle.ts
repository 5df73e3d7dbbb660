/**
 * Reading an earlier bundle for comparison (`auditpack diff`, `report
 * --previous`). A bundle is hostile input like any other: whoever can write
 * it can edit its report.json and re-seal it with their own key, so a bundle
 * counts only when its seal verifies with a key the user pinned.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractBundleArchive } from '../bundle/archive.js';
import { AuditpackError, describeThrown, type ErrorCode } from '../errors.js';
import type { Report } from '../report/model.js';
import { verifyBundle, type SealVerdict } from '../bundle/verify.js';
import { parseInventoryCsv, type EstateInventory } from './inventory.js';

export interface ComparedBundle {
  /** The path the user gave: a bundle folder or a `.tar.gz` bundle archive. */
  path: string;
  report: Report;
  /** The bundle's inventory.csv, when it has one (it has when any SBOM verified). */
  inventory?: EstateInventory;
  /** The seal's verdict against the pinned key; absent when compared unverified. */
  seal?: SealVerdict;
}

/**
 * Opens a bundle folder or archive for comparison. With keys, its seal must
 * verify with one of them first. An archive is unpacked into a private
 * temporary folder, verified and read there, then removed; a folder is read
 * in place after its verification, and what is read must have the SHA-256
 * the verified manifest gives it (whoever can write the folder could swap a
 * file, or put back another bundle's signed manifest and report, between
 * the two).
 */
export async function openComparedBundle(path: string, keys: readonly KeyObject[] | 'unverified', role: string): Promise<ComparedBundle> {
  const isArchive = (await lstat(path).catch(() => undefined))?.isFile() === true;
  const extracted = isArchive ? await extractBundleArchive(path) : undefined;
  if (extracted && !extracted.ok)
    throw new AuditpackError('ARCHIVE_INVALID', `the ${role} bundle archive cannot be used: ${extracted.file}: ${extracted.reason}`, { file: path });
  const root = extracted?.ok ? extracted.root : path;
  try {
    const seal = keys === 'unverified' ? undefined : await assertSealedWith(root, keys, role, path);
    const read = await readComparedBundle(root, path, seal?.digests);
    return { ...read, ...(seal ? { seal } : {}) };
  } finally {
    if (extracted?.ok) await extracted.cleanup();
  }
}

/**
 * The one place a bundle used for comparison is verified: its seal must
 * verify with one of the pinned keys (never the key the bundle carries).
 * Throws with the seal's own problem code, naming the bundle and the file.
 */
export async function assertSealedWith(dir: string, keys: readonly KeyObject[], role: string, shownAs = dir): Promise<SealVerdict> {
  let failed: SealVerdict | undefined;
  for (const key of keys) {
    const verdict = await verifyBundle(dir, { anchor: { kind: 'key', key }, digestsOf: COMPARED_FILES });
    if (verdict.ok) return verdict;
    failed ??= verdict;
  }
  const first = failed?.problems[0];
  const more = (failed?.problems.length ?? 0) > 1 ? ` (and ${(failed?.problems.length ?? 1) - 1} more)` : '';
  const code: ErrorCode = first?.code ?? 'SEAL_UNPINNED';
  const why = first ? `${first.file}: ${first.reason}${more}` : 'no pinned key was given';
  throw new AuditpackError(code, `the ${role} bundle's seal does not verify with the pinned key${keys.length > 1 ? 's' : ''}, so it is not used: ${why}`, {
    file: shownAs,
  });
}

const REPORT_FILE = 'report.json';
const INVENTORY_FILE = 'inventory.csv';
/** What a comparison reads of a bundle. */
const COMPARED_FILES = [REPORT_FILE, INVENTORY_FILE];

/**
 * Reads report.json (required) and inventory.csv (when present) from a
 * bundle folder. Given the digests its seal's verification vouched for
 * (`SealVerdict.digests`), reads only the files they list and refuses one
 * whose bytes are not the verified ones.
 */
export async function readComparedBundle(dir: string, shownAs = dir, digests?: Record<string, string>): Promise<ComparedBundle> {
  const reportFile = join(shownAs, REPORT_FILE);
  let data: unknown;
  try {
    data = JSON.parse((await readVerified(dir, REPORT_FILE, shownAs, digests)).toString('utf8'));
  } catch (thrown) {
    if (thrown instanceof AuditpackError) throw thrown;
    throw new AuditpackError('REPORT_UNREADABLE', `cannot read the bundle's report.json: ${describeThrown(thrown)}`, { file: reportFile, cause: thrown });
  }
  const report = asReport(data, reportFile);
  // Unverified, an inventory that cannot be read is left out; verified, only the one the manifest lists is read, and must be there.
  const csv =
    digests === undefined
      ? await readFile(join(dir, INVENTORY_FILE)).catch(() => undefined)
      : digests[INVENTORY_FILE] === undefined
        ? undefined
        : await readVerified(dir, INVENTORY_FILE, shownAs, digests);
  return { path: shownAs, report, ...(csv === undefined ? {} : { inventory: parseInventoryCsv(csv.toString('utf8'), join(shownAs, INVENTORY_FILE)) }) };
}

/** A file's bytes; with digests, only when they are the bytes the verified manifest gives for it. */
async function readVerified(dir: string, path: string, shownAs: string, digests: Record<string, string> | undefined): Promise<Buffer> {
  if (digests === undefined) return readFile(join(dir, path));
  const changed = (why: string) =>
    new AuditpackError('SEAL_MISMATCH', `${path} ${why} since the bundle's seal was verified: not used`, { file: join(shownAs, path) });
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, path));
  } catch (thrown) {
    throw changed(`cannot be read (${describeThrown(thrown)})`);
  }
  const signed = digests[path];
  if (signed === undefined)
    throw new AuditpackError('SEAL_MISMATCH', `${path} is not in the bundle's signed manifest: not used`, { file: join(shownAs, path) });
  if (createHash('sha256').update(bytes).digest('hex') !== signed) throw changed('changed');
  return bytes;
}

/** Only what the comparison reads is checked; the seal vouches for the rest. */
function asReport(data: unknown, file: string): Report {
  const r = data as Partial<Report> | null;
  const fail = (why: string): never => {
    throw new AuditpackError('REPORT_UNREADABLE', `not an auditpack report: ${why}`, { file });
  };
  if (r === null || typeof r !== 'object' || r.reportFormat !== 'auditpack-report') return fail('reportFormat is not auditpack-report');
  if (typeof r.schemaVersion !== 'string' || !r.schemaVersion.startsWith('1.')) return fail(`schemaVersion ${String(r.schemaVersion)} is not 1.x`);
  for (const key of ['subjects', 'findings', 'frameworks', 'waivers'] as const) if (!Array.isArray(r[key])) fail(`${key} is not a list`);
  if (!r.run?.period || !r.summary?.subjects || !Array.isArray(r.sboms?.entries)) fail('run, summary or sboms is missing');
  return data as Report;
}

/** A PEM public key file given to pin a seal signer. */
export async function readPinnedKey(path: string): Promise<KeyObject> {
  try {
    return createPublicKey(await readFile(path));
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a PEM public key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}
