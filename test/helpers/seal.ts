import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { BundleFiles } from '../../src/bundle/files.js';
import { sealFiles } from '../../src/bundle/assemble.js';
import { writeBundleAtomically } from '../../src/bundle/output.js';
import type { Timestamper } from '../../src/seal/sign.js';

export const sealKey = generateKeyPairSync('ed25519').privateKey;
export const CLOCK = '2026-07-01T08:00:00.000Z';

/** Seals `files` into the bundle folder `dir` exactly as `auditpack report` does (manifest.pub, manifest, seal). */
export async function sealFolder(dir: string, files: Record<string, string | Buffer>, key: KeyObject = sealKey, timestamper?: Timestamper): Promise<void> {
  const bundle = new BundleFiles();
  for (const [path, content] of Object.entries(files)) bundle.add(path, Buffer.from(content));
  const sealed = await sealFiles(bundle, CLOCK, { key, predicate: { organisation: 'o', period: '2026-Q2' }, ...(timestamper ? { timestamper } : {}) });
  await writeBundleAtomically(dir, sealed);
}
