import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileType } from '../collect/read-file.js';

export interface TreeEntry {
  /** Relative to the root, with `/` separators. */
  path: string;
  type: 'file' | 'folder' | 'other';
  /** For `other`: what it is (a symbolic link, a FIFO, a socket, a device). */
  what?: string;
  size: number;
}

/** More entries than any bundle holds: a tree past it is refused, not walked for ever. */
export const MAX_TREE_ENTRIES = 1_000_000;

/**
 * Every entry under `root`, found with lstat: links are listed as what they
 * are and never followed, so nothing outside the root is ever reached.
 * Sorted by path.
 */
export async function walkTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (out.length >= MAX_TREE_ENTRIES) throw new Error(`more than ${MAX_TREE_ENTRIES} entries`);
      const path = prefix === '' ? name : `${prefix}/${name}`;
      const stats = await lstat(join(dir, name));
      if (stats.isDirectory()) {
        out.push({ path, type: 'folder', size: 0 });
        await visit(join(dir, name), path);
      } else if (stats.isFile()) {
        out.push({ path, type: 'file', size: stats.size });
      } else {
        out.push({ path, type: 'other', what: fileType(stats), size: stats.size });
      }
    }
  };
  await visit(root, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
