import type { KeyObject } from 'node:crypto';
import type { SealInfo } from '../report/model.js';
import { entryOf, manifestOf, serialiseManifest, type ManifestEntry } from '../util/manifest.js';
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
  const added = await sealEntries(
    [...files.entries()].map(([path, bytes]) => entryOf(path, bytes)),
    clock,
    seal,
  );
  return new Map([...files.entries(), ...added.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The seal stage over files already written (the streaming bundle writer
 * knows each file's SHA-256 and size without holding its bytes): returns the
 * files the seal adds, manifest.json over every file and, with a key,
 * manifest.pub (which the manifest lists) and the seal over the manifest.
 */
export async function sealEntries(entries: readonly ManifestEntry[], clock: string, seal?: SealSpec): Promise<Map<string, Uint8Array>> {
  const added = new Map<string, Uint8Array>();
  const listed = [...entries];
  if (seal) {
    const pub = publicKeyPem(seal.key);
    added.set(SEAL_KEY_FILE, pub);
    listed.push(entryOf(SEAL_KEY_FILE, pub));
  }
  const manifestBytes = serialiseManifest(manifestOf(listed, clock));
  added.set(MANIFEST_FILE, manifestBytes);
  if (seal) added.set(SEAL_FILE, await signManifest(manifestBytes, seal.key, { ...seal.predicate, files: listed.length }, seal.timestamper));
  return added;
}
