import { basename } from 'node:path';
import type { Collection } from '../collect/evidence.js';
import type { LoadedConfig } from '../config/load.js';
import { evidencePath, trustPath } from '../report/bundle-paths.js';
import type { TrustSet } from '../trust/load.js';
import { BundleFiles } from './files.js';

/** Where the bundle keeps the configuration the run used, so `verify --deep` can run it again. */
export function configPath(configFile: string): string {
  return `config/${basename(configFile)}`;
}

export interface BundleContents {
  loaded: LoadedConfig;
  collection: Collection;
  trust: TrustSet;
  /** Generated files (inventory.csv), by bundle path. */
  generated: Map<string, Uint8Array>;
}

/**
 * Bundle assembly: every file of the bundle but the reports and the seal
 * (the configuration, each evidence and trust file verbatim, the generated
 * files such as inventory.csv), by bundle path. The renderers add their
 * reports (the PDF attaches these files), the seal stage the manifest and
 * its signature, and the bundle writer writes the whole. Two inputs mapped
 * to one bundle path stop the run (see BundleFiles).
 */
export function bundleFiles(contents: BundleContents): BundleFiles {
  const files = new BundleFiles();
  files.add(configPath(contents.loaded.path), contents.loaded.bytes, contents.loaded.path);
  for (const e of contents.collection.evidence) files.add(evidencePath(e.source), e.bytes, e.source);
  for (const k of contents.trust.keys) files.add(trustPath(k.source), k.bytes, k.source);
  for (const f of contents.trust.trustedRoot?.files ?? []) files.add(trustPath(f.source), f.bytes, f.source);
  for (const [path, bytes] of contents.generated) files.add(path, bytes);
  return files;
}
