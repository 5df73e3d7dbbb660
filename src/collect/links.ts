import type { Dirent } from 'node:fs';
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
  return notNamedIn(await scanOutsideLinks(baseDir, folder), known);
}

/**
 * Every such link, in name order, whatever problems name it: a scan that can
 * run while the files are read (a report starts it with the images), then be
 * filtered by `notNamedIn`. Entries' types come with their folder's listing
 * (no call per file). Never rejects: what cannot be listed is not walked.
 */
export async function scanOutsideLinks(baseDir: string, folder: string): Promise<InputProblem[]> {
  const root = resolve(baseDir, folder);
  if (!isInside(root, resolve(baseDir))) return [];
  const found: InputProblem[] = [];
  let budget = MAX_ENTRIES;
  const link = async (path: string) => {
    const reason = await outsideReason(baseDir, path);
    if (reason !== undefined) found.push({ code: 'EVIDENCE_LINK_OUTSIDE', file: relative(baseDir, path), reason });
  };
  const visit = async (path: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    const entries = await readdir(path, { withFileTypes: true }).catch(() => [] as Dirent[]);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (budget-- <= 0) return;
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) await link(child);
      else if (entry.isDirectory()) await visit(child, depth + 1);
    }
  };
  budget -= 1;
  const stats = await lstat(root).catch(() => undefined);
  if (stats?.isSymbolicLink()) await link(root);
  else if (stats?.isDirectory()) await visit(root, 0);
  return found;
}

/** The links found that no problem already names. */
export function notNamedIn(found: readonly InputProblem[], known: readonly InputProblem[]): InputProblem[] {
  const named = new Set(known.map((p) => p.file));
  return found.filter((p) => !named.has(p.file));
}

async function outsideReason(baseDir: string, link: string): Promise<string | undefined> {
  try {
    await assertContained(baseDir, link);
    return undefined;
  } catch (thrown) {
    return thrown instanceof FileRefused ? thrown.message : undefined;
  }
}
