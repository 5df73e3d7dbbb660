import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeThrown } from '../errors.js';
import type { Evidence } from './evidence.js';

export type ReadResult = { ok: true; evidence: Evidence } | { ok: false; reason: string };

/** Reads one file verbatim and addresses it by the SHA-256 of its bytes. */
export async function readEvidenceFile(baseDir: string, path: string, subject?: string): Promise<ReadResult> {
  const source = relative(baseDir, path);
  try {
    const bytes = await readFile(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { ok: true, evidence: { sha256, kind: 'unrecognised', source, bytes, ...(subject === undefined ? {} : { subject }) } };
  } catch (thrown) {
    return { ok: false, reason: describeThrown(thrown) };
  }
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
