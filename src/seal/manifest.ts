/**
 * The seal's files in a bundle (manifest.json, the seal over it, the public
 * key) and the strict reading of a bundle's manifest.json. The manifest
 * format itself is src/util/manifest.ts.
 */
import { MANIFEST_FORMAT, unsafePathReason, type Manifest, type ManifestEntry } from '../util/manifest.js';

export const MANIFEST_FILE = 'manifest.json';
export const SEAL_FILE = 'manifest.sigstore.json';
export const SEAL_KEY_FILE = 'manifest.pub';

/** Files of a bundle that the manifest cannot list: itself and the seal over it. */
export const SEAL_FILES: readonly string[] = [MANIFEST_FILE, SEAL_FILE];

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; reason: string; path?: string };

/**
 * Reads manifest.json strictly, before any listed file is touched: the
 * format, and every entry's path (relative, `/`-separated, no `.`/`..`, no
 * empty segment, listed once), SHA-256 and size. A path that could resolve
 * outside the bundle is rejected here, never read.
 */
export function parseManifest(bytes: Buffer): ParsedManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (thrown) {
    return { ok: false, reason: `not JSON (${thrown instanceof Error ? thrown.message : String(thrown)})` };
  }
  const m = value as Partial<Manifest> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.manifestFormat !== MANIFEST_FORMAT ||
    m.version !== 1 ||
    !Array.isArray(m.files) ||
    typeof m.createdAt !== 'string'
  ) {
    return { ok: false, reason: `not an ${MANIFEST_FORMAT} version 1 manifest` };
  }
  const seen = new Set<string>();
  for (const entry of m.files as unknown[]) {
    const e = entry as Partial<ManifestEntry> | null;
    if (e === null || typeof e !== 'object' || typeof e.path !== 'string') return { ok: false, reason: 'an entry has no path' };
    const unsafe = unsafePathReason(e.path);
    if (unsafe !== undefined) return { ok: false, reason: `lists ${JSON.stringify(e.path)}, which ${unsafe}: refused before reading anything`, path: e.path };
    if (seen.has(e.path)) return { ok: false, reason: `lists ${e.path} twice`, path: e.path };
    if (SEAL_FILES.includes(e.path)) return { ok: false, reason: `lists ${e.path}, which cannot be part of its own manifest`, path: e.path };
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256) || !Number.isSafeInteger(e.size) || (e.size ?? -1) < 0) {
      return { ok: false, reason: `the entry for ${e.path} has no valid sha256 and size`, path: e.path };
    }
    seen.add(e.path);
  }
  return { ok: true, manifest: m as Manifest };
}
