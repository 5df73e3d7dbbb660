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

/** Why a bundle path is unsafe to join to the bundle folder, or undefined when it is a plain relative path. */
export function unsafePathReason(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const segments = path.split('/');
  if (segments.includes('..')) return 'climbs out with ..';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or . segment';
  return undefined;
}
