import { lstat } from 'node:fs/promises';
import { mapLimited } from '../collect/remote/limiter.js';
import { describeThrown } from '../errors.js';
import { checkSeal, type SealAnchor, type SealCheck, type SealProblem, type SealSigner } from '../seal/check-seal.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_FILES, SEAL_KEY_FILE, parseManifest } from '../seal/manifest.js';
import type { LoadedTrustedRoot } from '../trust/load.js';
import { sha256Hex, type Manifest } from '../util/manifest.js';
import { MAX_BUNDLE_FILE, extractBundleArchive } from './archive.js';
import { hashBundleFile, readBundleFile } from './read.js';
import { walkTree, type TreeEntry } from './walk.js';

export type { SealAnchor, SealProblem, SealSigner } from '../seal/check-seal.js';

export interface VerifyOptions {
  anchor: SealAnchor;
  /** The verifier's Sigstore trusted root: keyless seals, and the seal's RFC 3161 timestamp. */
  trustedRoot?: LoadedTrustedRoot;
  /**
   * Runs after the bundle proved intact, on the verified folder (see
   * `deepVerify`), given each file's SHA-256 in the verified manifest: what
   * it reads again must be what was verified.
   */
  deep?: (dir: string, signed: (path: string) => string | undefined) => Promise<SealProblem[]>;
  /** Bundle paths whose signed SHA-256 the caller will check what it reads against (`SealVerdict.digests`). */
  digestsOf?: readonly string[];
}

export interface SealVerdict {
  /** `intact` only against a verifier-supplied anchor; `unpinned` means consistent with itself, which proves nothing. */
  status: 'intact' | 'unpinned' | 'failed';
  ok: boolean;
  problems: SealProblem[];
  files: number;
  anchor: SealAnchor['kind'];
  signer?: SealSigner;
  /** The sealing time: the signer's own claim (manifest createdAt), or a verified TSA time. */
  sealedAt?: { at: string; by: 'signer' | 'timestamp-authority' };
  timestamp: SealCheck['timestamp']['state'];
  keyless: boolean;
  /** Whether `--deep` re-derived the findings (and they matched, when status is intact). */
  deep: boolean;
  /**
   * For each path of `digestsOf` that the signed manifest lists, its SHA-256
   * there, once every file proved to match it: what a caller reading the
   * folder afterwards checks its bytes against, since whoever can write the
   * folder can change a file between this verification and that reading.
   * Only in an intact verdict.
   */
  digests?: Record<string, string>;
}

/**
 * Checks a sealed bundle, folder or `.tar.gz`, offline: the seal over
 * manifest.json against the verifier's anchor; then, from a walk that never
 * follows a link, every listed file's size and SHA-256 (streamed; only
 * regular files are opened) and that nothing (file, folder, link, FIFO) was
 * added. Manifest paths that could leave the folder are refused before any
 * file is read. Never throws for a bad bundle: every fault is a problem.
 */
export async function verifyBundle(path: string, options: VerifyOptions): Promise<SealVerdict> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isFile()) {
    const extracted = await extractBundleArchive(path);
    if (!extracted.ok) return failed(options, [{ code: 'ARCHIVE_INVALID', file: extracted.file, reason: extracted.reason }]);
    try {
      return await verifyFolder(extracted.root, options);
    } finally {
      await extracted.cleanup();
    }
  }
  if (!stats?.isDirectory()) return failed(options, [{ code: 'SEAL_MISSING', file: MANIFEST_FILE, reason: 'no bundle folder or archive at this path' }]);
  return verifyFolder(path, options);
}

async function verifyFolder(dir: string, options: VerifyOptions): Promise<SealVerdict> {
  let tree: Map<string, TreeEntry>;
  try {
    tree = new Map((await walkTree(dir)).map((e) => [e.path, e]));
  } catch (thrown) {
    return failed(options, [{ code: 'SEAL_MISMATCH', file: '.', reason: `the folder cannot be walked: ${describeThrown(thrown)}` }]);
  }
  const manifestBytes = await readBundleFile(dir, MANIFEST_FILE, tree);
  const sealBytes = await readBundleFile(dir, SEAL_FILE, tree);
  if (!Buffer.isBuffer(manifestBytes)) return notSealed(options, MANIFEST_FILE, manifestBytes);
  if (!Buffer.isBuffer(sealBytes)) return notSealed(options, SEAL_FILE, sealBytes);
  const parsed = parseManifest(manifestBytes);
  if (!parsed.ok) return failed(options, [{ code: 'SEAL_MISMATCH', file: MANIFEST_FILE, reason: parsed.reason }]);
  const bundleKey = await readBundleFile(dir, SEAL_KEY_FILE, tree);
  const seal = checkSeal(sealBytes, manifestBytes, Buffer.isBuffer(bundleKey) ? bundleKey : undefined, options.anchor, options.trustedRoot);
  const problems: SealProblem[] = [...(seal.problem ? [seal.problem] : []), ...(await checkFiles(dir, parsed.manifest, tree))];
  const signed = (path: string) => parsed.manifest.files.find((f) => f.path === path)?.sha256;
  if (problems.length === 0) problems.push(...(await checkReportNamesSigner(dir, tree, seal.signer, signed('report.json'))));
  const deep = problems.length === 0 && options.deep !== undefined;
  if (deep && options.deep) problems.push(...(await options.deep(dir, signed)));
  const verified = seal.timestamp.state === 'verified' && seal.timestamp.at !== '';
  return {
    status: problems.length > 0 ? 'failed' : options.anchor.kind === 'none' ? 'unpinned' : 'intact',
    ok: problems.length === 0 && options.anchor.kind !== 'none',
    problems,
    files: parsed.manifest.files.length,
    anchor: options.anchor.kind,
    ...(seal.signer === undefined ? {} : { signer: seal.signer }),
    sealedAt:
      verified && seal.timestamp.state === 'verified' ? { at: seal.timestamp.at, by: 'timestamp-authority' } : { at: parsed.manifest.createdAt, by: 'signer' },
    timestamp: seal.timestamp.state,
    keyless: seal.keyless,
    deep,
    ...(options.digestsOf === undefined || problems.length > 0 || options.anchor.kind === 'none'
      ? {}
      : { digests: signedDigests(parsed.manifest.files, options.digestsOf) }),
  };
}

function signedDigests(files: readonly { path: string; sha256: string }[], wanted: readonly string[]): Record<string, string> {
  const paths = new Set(wanted);
  return Object.fromEntries(files.filter((f) => paths.has(f.path)).map((f) => [f.path, f.sha256]));
}

/**
 * Files hashed at once: their opens and reads overlap (a bundle is thousands
 * of small files, one at a time left the CPU mostly waiting), in at most a
 * megabyte each. The problems are listed in the manifest's order whatever
 * order the reads finish in.
 */
const HASH_CONCURRENCY = 8;

/** Every listed file as sealed, and nothing else: no file, folder, link or FIFO added. */
async function checkFiles(dir: string, manifest: Manifest, tree: Map<string, TreeEntry>): Promise<SealProblem[]> {
  const problems: SealProblem[] = [];
  const mismatch = (file: string, reason: string) => problems.push({ code: 'SEAL_MISMATCH', file, reason });
  const accounted = new Set<string>(SEAL_FILES);
  // What the walk alone shows wrong with each listed file; only the others are read.
  const unread = manifest.files.map((entry) => walkProblem(entry, tree.get(entry.path)));
  const digests = await mapLimited(manifest.files, HASH_CONCURRENCY, (entry, index) =>
    unread[index] === undefined ? hashBundleFile(dir, entry.path) : Promise.resolve(undefined),
  );
  for (const [index, entry] of manifest.files.entries()) {
    accounted.add(entry.path);
    for (let i = entry.path.indexOf('/'); i > 0; i = entry.path.indexOf('/', i + 1)) accounted.add(entry.path.slice(0, i));
    const digest = digests[index];
    const reason = unread[index] ?? (digest === entry.sha256 ? undefined : digest?.length === 64 ? 'content differs from the sealed SHA-256' : digest);
    if (reason !== undefined) mismatch(entry.path, reason);
  }
  for (const [path, entry] of tree) {
    if (accounted.has(path)) continue;
    const what = entry.type === 'folder' ? 'a folder' : entry.type === 'other' ? (entry.what ?? 'not a regular file') : 'a file';
    mismatch(path, `${what} not in the sealed manifest (added after sealing)`);
  }
  return problems;
}

/** Why a listed file cannot be the sealed one, from the walk alone (missing, not a regular file, another size, too large to read). */
function walkProblem(entry: Manifest['files'][number], file: TreeEntry | undefined): string | undefined {
  if (file === undefined) return 'listed in the manifest but missing';
  if (file.type !== 'file') return `is ${file.type === 'folder' ? 'a folder' : (file.what ?? 'not a regular file')}, not the sealed file`;
  if (file.size !== entry.size) return `is ${file.size} bytes, the sealed file ${entry.size}`;
  if (entry.size > MAX_BUNDLE_FILE) return `is over the ${MAX_BUNDLE_FILE}-byte limit for one bundle file: not read`;
  return undefined;
}

/**
 * report.json states which key sealed its bundle (read again after every
 * file was hashed: it must still be the sealed file). A bundle re-sealed with
 * another key, report left as it was, fails here even without a pinned key
 * (a forger who also edits report.json is caught by pinning).
 */
export async function checkReportNamesSigner(
  dir: string,
  tree: Map<string, TreeEntry>,
  signer: SealSigner | undefined,
  sealedSha256: string | undefined,
): Promise<SealProblem[]> {
  if (signer?.kind !== 'key') return [];
  const bytes = await readBundleFile(dir, 'report.json', tree);
  if (!Buffer.isBuffer(bytes)) return [];
  if (sealedSha256 !== undefined && sha256Hex(bytes) !== sealedSha256) {
    return [{ code: 'SEAL_MISMATCH', file: 'report.json', reason: 'changed while the bundle was verified' }];
  }
  let stated: unknown;
  try {
    stated = (JSON.parse(bytes.toString('utf8')) as { seal?: { keyFingerprint?: unknown } }).seal?.keyFingerprint;
  } catch {
    return [];
  }
  if (typeof stated !== 'string' || stated === signer.fingerprint) return [];
  return [
    {
      code: 'SEAL_MISMATCH',
      file: 'report.json',
      reason: `the report was made for seal key ${stated}, but the bundle is sealed with key ${signer.fingerprint}: re-sealed by someone else`,
    },
  ];
}

/** manifest.json or the seal could not be read (`why`): not a sealed bundle. */
function notSealed(options: VerifyOptions, file: string, why: string): SealVerdict {
  return failed(options, [{ code: 'SEAL_MISSING', file, reason: `${why}; the folder is not a sealed auditpack bundle` }]);
}

function failed(options: VerifyOptions, problems: SealProblem[]): SealVerdict {
  return { status: 'failed', ok: false, problems, files: 0, anchor: options.anchor.kind, timestamp: 'absent', keyless: false, deep: false };
}
