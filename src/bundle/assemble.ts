import type { KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import type { Collection } from '../collect/evidence.js';
import type { LoadedConfig } from '../config/load.js';
import type { Report } from '../report/model.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE, buildManifest, serialiseManifest } from '../seal/manifest.js';
import { publicKeyPem, signManifest, type SealPredicate, type Timestamper } from '../seal/sign.js';
import type { TrustSet } from '../trust/load.js';
import { BundleFiles } from './files.js';
import { evidencePath, trustPath } from './paths.js';

/** Where the bundle keeps the configuration the run used, so `verify --deep` can run it again. */
export function configPath(configFile: string): string {
  return `config/${basename(configFile)}`;
}

export interface BundleContents {
  loaded: LoadedConfig;
  collection: Collection;
  trust: TrustSet;
  /** Rendered reports and other generated files (inventory.csv), by bundle path. */
  generated: Map<string, Uint8Array>;
}

/**
 * Every file of the bundle but the seal: the configuration, each evidence
 * and trust file verbatim, the generated files. Two inputs mapped to one
 * bundle path stop the run (see BundleFiles).
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

/**
 * Adds manifest.json (and, with a key, manifest.pub and the seal) and
 * returns the complete bundle, sorted by path.
 */
export async function sealFiles(
  files: BundleFiles,
  clock: string,
  seal?: { key: KeyObject; predicate: Omit<SealPredicate, 'files'>; timestamper?: Timestamper },
): Promise<Map<string, Uint8Array>> {
  if (seal) files.add(SEAL_KEY_FILE, publicKeyPem(seal.key));
  const listed = files.toMap();
  const manifestBytes = serialiseManifest(buildManifest(listed, clock));
  listed.set(MANIFEST_FILE, manifestBytes);
  if (seal) listed.set(SEAL_FILE, await signManifest(manifestBytes, seal.key, { ...seal.predicate, files: listed.size - 1 }, seal.timestamper));
  return new Map([...listed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The seal section of the report: known before rendering, since the key is. */
export function sealInfo(fingerprint: string, algorithm: string, timestampUrl: string | undefined): NonNullable<Report['seal']> {
  return { keyFingerprint: fingerprint, algorithm, ...(timestampUrl === undefined ? {} : { timestampAuthority: timestampUrl }) };
}
