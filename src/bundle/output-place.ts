import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { isInside } from '../collect/read-file.js';
import { AuditpackError } from '../errors.js';

/**
 * Refuses an output folder inside the evidence a run reads: whoever can
 * write the evidence could change the bundle's files while the run writes
 * them (the PDF embeds evidence files read back from the staging folder,
 * beside the output), and the next run would read the bundle as evidence.
 * The evidence folders are the images' folder (the part of `evidence.images`
 * before `{image}`; the images' own folders when that part is the
 * configuration's folder) and the Woodpecker exports' folder. Compared as
 * real paths, so a link to the output cannot hide it.
 */
export function refuseOutputInsideEvidence(outDir: string, config: Config, baseDir: string): void {
  const out = realPath(resolve(outDir));
  for (const folder of evidenceFolders(config, baseDir)) {
    const real = realPath(folder);
    if (isInside(out, real)) {
      throw new AuditpackError(
        'OUTPUT_INVALID',
        `the output folder is inside the evidence folder ${folder}: whoever writes the evidence could change the bundle while it is written, and the next run would read it as evidence; choose an --out outside it`,
        { file: outDir },
      );
    }
  }
}

function evidenceFolders(config: Config, baseDir: string): string[] {
  const pattern = config.evidence.images;
  const prefix = dirname(pattern.slice(0, pattern.indexOf('{image}')) + 'x');
  const root = resolve(baseDir, prefix);
  const images = root === resolve(baseDir) ? config.images.map((image) => resolve(baseDir, pattern.replaceAll('{image}', image.name))) : [root];
  return config.evidence.woodpecker === undefined ? images : [...images, resolve(baseDir, config.evidence.woodpecker)];
}

/** The real path of `path`, or of its nearest existing parent joined with the rest (an output folder need not exist yet). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}
