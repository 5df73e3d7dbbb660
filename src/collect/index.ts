import type { LoadedConfig } from '../config/load.js';
import { sha256Hex } from '../util/manifest.js';
import type { Collection } from './evidence.js';
import { collectImageFolder } from './image-folder.js';
import { findOutsideLinks } from './links.js';
import { collectManualEvidence } from './manual.js';
import { collectPopulation } from './population.js';
import { collectWoodpecker } from './woodpecker.js';

export type ProgressFn = (message: string) => void;

export interface CollectOptions {
  /** The waiver file as read and validated (src/waivers/load.ts): kept verbatim like any evidence. */
  waiverFile?: { bytes: Buffer; source: string };
  progress?: ProgressFn;
}

/**
 * Collect stage: reads every evidence file the config points at (image
 * folders, CI exports, population exports, manual evidence documents) and keeps the waiver file,
 * each verbatim and addressed by its SHA-256. A link out of the
 * configuration's folder under the CI exports is named as a problem.
 */
export async function collect(loaded: LoadedConfig, options: CollectOptions = {}): Promise<Collection> {
  const { config, baseDir } = loaded;
  const progress = options.progress ?? (() => {});
  const collection: Collection = { evidence: [], subjects: new Map(), runs: [], problems: [], manualEvidence: [] };
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
    collection.problems.push(...(await findOutsideLinks(baseDir, config.evidence.woodpecker, collection.problems)));
  }
  if (config.population !== undefined) {
    progress('collect: population (what runs)');
    const found = await collectPopulation(baseDir, config.population, config.images);
    collection.population = found.population;
    collection.evidence.push(...found.evidence);
    collection.problems.push(...found.problems);
  }
  const manual = await collectManualEvidence(baseDir, config.manualEvidence ?? []);
  collection.evidence.push(...manual.evidence);
  collection.manualEvidence = manual.records;
  const waivers = options.waiverFile;
  if (waivers) collection.evidence.push({ sha256: sha256Hex(waivers.bytes), kind: 'waiver-file', source: waivers.source, bytes: waivers.bytes });
  return collection;
}
