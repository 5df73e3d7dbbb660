import type { LoadedConfig } from '../config/load.js';
import { collectImageFolder } from './image-folder.js';
import type { Collection } from './evidence.js';
import { collectWoodpecker } from './woodpecker.js';

export type ProgressFn = (message: string) => void;

/** Collect stage: reads every evidence file the config points at. */
export async function collect(loaded: LoadedConfig, progress: ProgressFn = () => {}): Promise<Collection> {
  const { config, baseDir } = loaded;
  const collection: Collection = { evidence: [], subjects: new Map(), runs: [], problems: [] };
  for (const [index, image] of config.images.entries()) {
    progress(`collect ${index + 1}/${config.images.length}: ${image.name}`);
    const { subject, evidence } = await collectImageFolder(baseDir, config.evidence.images, image);
    collection.subjects.set(image.name, subject);
    collection.evidence.push(...evidence);
    collection.problems.push(...subject.problems);
  }
  if (config.evidence.woodpecker !== undefined) {
    progress('collect: Woodpecker exports');
    const ci = await collectWoodpecker(baseDir, config.evidence.woodpecker);
    collection.runs = ci.runs;
    if (ci.repository) collection.repository = ci.repository;
    collection.evidence.push(...ci.evidence);
    collection.problems.push(...ci.problems);
  }
  return collection;
}
