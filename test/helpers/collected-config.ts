import { mkdir, readFile, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { SAMPLE_DIR } from './sample-registry.js';

/**
 * A configuration like the sample estate's, but reading the evidence that
 * `auditpack collect` wrote: the images and digests from the collected
 * `images.yaml`, the image folders and Woodpecker export from the
 * collection folders. Keys, waivers and manual evidence are the sample's
 * (copied), so the report differs only in where the evidence came from.
 */
export async function configForCollected(dir: string, collected: { registry: string; woodpecker: string }): Promise<string> {
  await mkdir(dir, { recursive: true });
  // Copies, not links: a run never follows a link out of the configuration's folder.
  for (const name of ['keys', 'manual', 'waivers.yaml']) await cp(join(SAMPLE_DIR, name), join(dir, name), { recursive: true });
  const sample = parse(await readFile(join(SAMPLE_DIR, 'auditpack.yaml'), 'utf8')) as Record<string, unknown> & { evidence: Record<string, unknown> };
  const snippet = parse(await readFile(join(collected.registry, 'images.yaml'), 'utf8')) as { images: unknown[]; evidence: { images: string } };
  const config = {
    ...sample,
    images: snippet.images,
    evidence: { ...sample.evidence, images: join(collected.registry, snippet.evidence.images), woodpecker: collected.woodpecker },
  };
  const path = join(dir, 'auditpack.yaml');
  await writeFile(path, stringify(config));
  return path;
}
