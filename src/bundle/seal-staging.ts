/**
 * The seal stage over the staging folder. The same bytes as `sealEntries`
 * (seal/seal-bundle.ts), but manifest.json is written piece by piece
 * (`manifestText`) and signed by its SHA-256: at 5,000 images it lists
 * 65,000 files, 12 MB of text that was held twice (a string, then its bytes)
 * over two copies of the entries, at the moment of the run that used the
 * most memory.
 */
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from '../seal/manifest.js';
import type { SealSpec } from '../seal/seal-bundle.js';
import { publicKeyPem, signManifestDigest } from '../seal/sign.js';
import { manifestText } from '../util/manifest.js';
import type { BundleStaging } from './staging.js';

/** Adds manifest.pub (with a key), manifest.json over every file staged before it, and the seal over manifest.json. */
export async function sealStaging(staging: BundleStaging, clock: string, seal?: SealSpec): Promise<void> {
  if (seal) await staging.add(SEAL_KEY_FILE, publicKeyPem(seal.key));
  const listed = staging.list();
  const manifest = await staging.addStreamed(MANIFEST_FILE, async (write) => {
    for (const piece of manifestText(listed, clock)) await write(piece);
  });
  if (seal) {
    await staging.add(SEAL_FILE, await signManifestDigest(manifest.sha256, seal.key, { ...seal.predicate, files: listed.length }, seal.timestamper));
  }
}
