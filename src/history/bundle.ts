/**
 * Reading an earlier bundle for comparison (`auditpack diff`, `report
 * --previous`). A bundle is hostile input like any other: whoever can write
 * it can edit its report.json and re-seal it with their own key, so a bundle
 * counts only when its seal verifies with a key the user pinned.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
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
 * temporary folder, verified and read there, then removed, so what is read
 * is what was verified; a folder is read in place after its verification.
 */
export async function openComparedBundle(path: string, keys: readonly KeyObject[] | 'unverified', role: string): Promise<ComparedBundle> {
  const isArchive = (await lstat(path).catch(() => undefined))?.isFile() === true;
  const extracted = isArchive ? await extractBundleArchive(path) : undefined;
  if (extracted && !extracted.ok)
    throw new AuditpackError('ARCHIVE_INVALID', `the ${role} bundle archive cannot be used: ${extracted.file}: ${extracted.reason}`, { file: path });
  const root = extracted?.ok ? extracted.root : path;
  try {
    const seal = keys === 'unverified' ? undefined : await assertSealedWith(root, keys, role, path);
    const read = await readComparedBundle(root, path);
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
    const verdict = await verifyBundle(dir, { anchor: { kind: 'key', key } });
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

/** Reads report.json (required) and inventory.csv (when present) from a bundle folder. */
export async function readComparedBundle(dir: string, shownAs = dir): Promise<ComparedBundle> {
  const reportFile = join(shownAs, 'report.json');
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
  } catch (thrown) {
    throw new AuditpackError('REPORT_UNREADABLE', `cannot read the bundle's report.json: ${describeThrown(thrown)}`, { file: reportFile, cause: thrown });
  }
  const report = asReport(data, reportFile);
  const csv = await readFile(join(dir, 'inventory.csv'), 'utf8').catch(() => undefined);
  return { path: shownAs, report, ...(csv === undefined ? {} : { inventory: parseInventoryCsv(csv, join(shownAs, 'inventory.csv')) }) };
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
