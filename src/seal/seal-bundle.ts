import type { KeyObject } from 'node:crypto';
import type { SealInfo } from '../report/model.js';
import { buildManifest, serialiseManifest } from '../util/manifest.js';
import { keyAlgorithm, keyFingerprint } from './keys.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from './manifest.js';
import { publicKeyPem, signManifest, type SealPredicate, type Timestamper } from './sign.js';
import { rfc3161Timestamper } from './timestamp.js';

/** What seals a bundle: the key, what the signed statement says about the run, and the TSA that dates it. */
export interface SealSpec {
  key: KeyObject;
  predicate: Omit<SealPredicate, 'files'>;
  timestamper?: Timestamper;
}

/** The seal of a run's bundle: its key, the organisation and period it states, and the TSA of `seal.timestampUrl`. */
export function sealSpec(key: KeyObject, predicate: Omit<SealPredicate, 'files'>, timestampUrl: string | undefined): SealSpec {
  return { key, predicate, ...(timestampUrl === undefined ? {} : { timestamper: rfc3161Timestamper(timestampUrl) }) };
}

/** The seal section of the report: known before rendering, since the key is. */
export function sealInfo(key: KeyObject, timestampUrl: string | undefined): SealInfo {
  return { keyFingerprint: keyFingerprint(key), algorithm: keyAlgorithm(key), ...(timestampUrl === undefined ? {} : { timestampAuthority: timestampUrl }) };
}

/**
 * Seal stage, in memory: adds manifest.json over every file (and, with a
 * key, manifest.pub, which the manifest lists, and the seal over the
 * manifest) and returns the complete bundle, sorted by path, for the bundle
 * writer. Without a key the bundle has a manifest but no seal.
 */
export async function sealBundle(files: ReadonlyMap<string, Uint8Array>, clock: string, seal?: SealSpec): Promise<Map<string, Uint8Array>> {
  const listed = new Map(files);
  if (seal) listed.set(SEAL_KEY_FILE, publicKeyPem(seal.key));
  const manifestBytes = serialiseManifest(buildManifest(listed, clock));
  listed.set(MANIFEST_FILE, manifestBytes);
  if (seal) listed.set(SEAL_FILE, await signManifest(manifestBytes, seal.key, { ...seal.predicate, files: listed.size - 1 }, seal.timestamper));
  return new Map([...listed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
