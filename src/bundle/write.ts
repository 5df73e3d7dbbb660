import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AuditpackError } from '../errors.js';
import { MANIFEST_FILE } from '../seal/manifest.js';

/**
 * Prepares the output folder. A previous auditpack bundle (it has a
 * manifest.json) is replaced whole, so no stale file breaks the new seal;
 * any other non-empty folder is left alone and refused.
 */
export async function prepareOutputDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    await mkdir(dir, { recursive: true });
    return;
  }
  if (entries.length === 0) return;
  if (!(await exists(join(dir, MANIFEST_FILE)))) {
    throw new AuditpackError('OUTPUT_INVALID', 'the output folder is not empty and is not an auditpack bundle; refusing to overwrite it', { file: dir });
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

export async function writeBundleFiles(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [path, bytes] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
