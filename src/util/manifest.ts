/**
 * The auditpack manifest format: the SHA-256 and size of every file of a set,
 * sorted by path. Pure, so that both the renderer (report.pdf's
 * attachments-manifest.json, over the files it embeds) and the seal (the
 * bundle's manifest.json, which the seal signs) build it the same way.
 */
import { createHash } from 'node:crypto';

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

/** The manifest over every given file, sorted by path so the bytes are deterministic. */
export function buildManifest(files: ReadonlyMap<string, Uint8Array>, createdAt: string): Manifest {
  return manifestOf(
    [...files.entries()].map(([path, bytes]) => entryOf(path, bytes)),
    createdAt,
  );
}

/** The manifest over files whose digests are already known (written as they were read), sorted by path. */
export function manifestOf(entries: readonly ManifestEntry[], createdAt: string): Manifest {
  const files = entries.map(({ path, sha256, size }) => ({ path, sha256, size })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { manifestFormat: MANIFEST_FORMAT, version: 1, createdAt, files };
}

export function entryOf(path: string, bytes: Uint8Array): ManifestEntry {
  return { path, sha256: sha256Hex(bytes), size: bytes.length };
}

export function serialiseManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Characters of text `manifestText` joins into one piece. */
const MANIFEST_PIECE = 64 * 1024;

/**
 * `serialiseManifest(manifestOf(files, createdAt))`'s text, in pieces of
 * about MANIFEST_PIECE characters: the bundle's manifest lists every file
 * (65,000 at 5,000 images, 12 MB of text), written without being held whole,
 * nor copied and sorted again. `files` must already be sorted by path.
 */
export function* manifestText(files: readonly ManifestEntry[], createdAt: string): Generator<string> {
  const whole: Manifest = { manifestFormat: MANIFEST_FORMAT, version: 1, createdAt, files: [] };
  const text = JSON.stringify(whole, null, 2);
  const cut = text.lastIndexOf('"files": []');
  const [head, tail] = [text.slice(0, cut), text.slice(cut + '"files": []'.length)];
  if (files.length === 0) {
    yield `${head}"files": []${tail}\n`;
    return;
  }
  let piece = `${head}"files": [\n`;
  for (const [i, { path, sha256, size }] of files.entries()) {
    // An entry as JSON.stringify indents it two levels down, among the array's items.
    piece += `    ${JSON.stringify({ path, sha256, size }, null, 2).replaceAll('\n', '\n    ')}${i === files.length - 1 ? '\n' : ',\n'}`;
    if (piece.length >= MANIFEST_PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}  ]${tail}\n`;
}

/** Why a listed path is unsafe to join to the folder it is listed in, or undefined when it is a plain relative path. */
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
