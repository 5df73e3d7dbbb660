import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeBundleAtomically } from '../../src/bundle/output.js';
import { sealBundle } from '../../src/seal/seal-bundle.js';
import type { Timestamper } from '../../src/seal/sign.js';

export const sealKey = generateKeyPairSync('ed25519').privateKey;
export const CLOCK = '2026-07-01T08:00:00.000Z';

/** Seals `files` into the bundle folder `dir` exactly as `auditpack report` does (manifest.pub, manifest, seal). */
export async function sealFolder(dir: string, files: Record<string, string | Buffer>, key: KeyObject = sealKey, timestamper?: Timestamper): Promise<void> {
  const bundle = new Map(Object.entries(files).map(([path, content]) => [path, Buffer.from(content)]));
  const sealed = await sealBundle(bundle, CLOCK, { key, predicate: { organisation: 'o', period: '2026-Q2' }, ...(timestamper ? { timestamper } : {}) });
  await writeBundleAtomically(dir, sealed);
}
