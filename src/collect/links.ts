import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { InputProblem } from '../report/model.js';
import { FileRefused, assertContained, isInside } from './read-file.js';

/** Bounds of the scan: evidence folders are shallow; a deeper or larger tree is not walked further. */
const MAX_DEPTH = 8;
const MAX_ENTRIES = 100_000;

/**
 * Names every symbolic link under `folder` whose target lies outside the
 * configuration's folder. Collectors already refuse to read through such a
 * link; this makes each one a problem line even where a collector treats an
 * unreadable file as absent (a CI step without an exported log). Links are
 * never followed by the scan itself. Problems already naming a file are not
 * repeated.
 */
export async function findOutsideLinks(baseDir: string, folder: string, known: readonly InputProblem[]): Promise<InputProblem[]> {
  const root = resolve(baseDir, folder);
  if (!isInside(root, resolve(baseDir))) return [];
  const named = new Set(known.map((p) => p.file));
  const found: InputProblem[] = [];
  let budget = MAX_ENTRIES;
  const visit = async (path: string, depth: number): Promise<void> => {
    if (budget-- <= 0) return;
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isSymbolicLink()) {
      const reason = await outsideReason(baseDir, path);
      const file = relative(baseDir, path);
      if (reason !== undefined && !named.has(file)) found.push({ code: 'EVIDENCE_LINK_OUTSIDE', file, reason });
      return;
    }
    if (!stats?.isDirectory() || depth > MAX_DEPTH) return;
    const names = await readdir(path).catch(() => [] as string[]);
    for (const name of names.sort()) await visit(join(path, name), depth + 1);
  };
  await visit(root, 0);
  return found;
}

async function outsideReason(baseDir: string, link: string): Promise<string | undefined> {
  try {
    await assertContained(baseDir, link);
    return undefined;
  } catch (thrown) {
    return thrown instanceof FileRefused ? thrown.message : undefined;
  }
}
