import { createHash } from 'node:crypto';

export const MANIFEST_FILE = 'manifest.json';
export const SEAL_FILE = 'manifest.sigstore.json';
export const SEAL_KEY_FILE = 'manifest.pub';
export const MANIFEST_FORMAT = 'auditpack-manifest';

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  manifestFormat: typeof MANIFEST_FORMAT;
  version: 1;
  createdAt: string;
  files: ManifestEntry[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest over every file of a bundle, sorted by path so the bytes are deterministic. */
export function buildManifest(files: Map<string, Uint8Array>, createdAt: string): Manifest {
  const entries = [...files.entries()]
    .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { manifestFormat: MANIFEST_FORMAT, version: 1, createdAt, files: entries };
}

export function serialiseManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
