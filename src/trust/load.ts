import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { TrustedKeyConfig } from '../config/schema.js';
import { AuditpackError, describeThrown } from '../errors.js';
import type { ValidateFunction } from 'ajv';
import { formatSchemaErrors, schemaValidator } from '../util/ajv.js';
import { loadGithubInstanceRoot } from './github-instance.js';
import { mergeTrustedRoots } from './merge-roots.js';

let validateTrustedRoot: ValidateFunction | undefined;

export interface TrustedKey {
  id: string;
  /** Path relative to the config folder. */
  source: string;
  bytes: Buffer;
  /** SHA-256 of the key file's bytes, hex. */
  sha256: string;
  key: KeyObject;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex. */
  fingerprint: string;
  algorithm: string;
  validFrom?: Date;
  validUntil?: Date;
}

export interface LoadedTrustedRoot {
  source: string;
  bytes: Buffer;
  /** SHA-256 of the file, or, for several roots merged, of the merged JSON (see merge-roots.ts). */
  sha256: string;
  root: TrustedRoot;
  /** The files behind it, each kept verbatim in the bundle. */
  files: { source: string; bytes: Buffer; sha256: string }[];
}

export interface TrustSet {
  keys: TrustedKey[];
  trustedRoot?: LoadedTrustedRoot;
  /**
   * The root of GitHub's own Sigstore instance (no transparency log, no SCTs),
   * when the configuration trusts it explicitly (`trust.githubInstance`).
   * Bundles without a log entry are verified against it alone.
   */
  githubInstance?: LoadedTrustedRoot;
}

/** Loads trust material from files only; nothing here touches the network. */
export async function loadTrust(
  baseDir: string,
  keys: TrustedKeyConfig[],
  trustedRootPath: string | string[] | undefined,
  githubInstancePath?: string | string[],
): Promise<TrustSet> {
  const loadedKeys = await Promise.all(keys.map((k) => loadTrustedKey(baseDir, k)));
  const githubInstance = githubInstancePath === undefined ? undefined : await loadGithubInstanceRoot(baseDir, githubInstancePath);
  const instance = githubInstance === undefined ? {} : { githubInstance };
  if (trustedRootPath === undefined) return { keys: loadedKeys, ...instance };
  const paths = Array.isArray(trustedRootPath) ? trustedRootPath : [trustedRootPath];
  const roots = await Promise.all(paths.map((p) => loadTrustedRoot(baseDir, p)));
  return { keys: loadedKeys, trustedRoot: mergeTrustedRoots(roots), ...instance };
}

export async function loadTrustedKey(baseDir: string, config: TrustedKeyConfig): Promise<TrustedKey> {
  const source = relative(baseDir, resolve(baseDir, config.path));
  const bytes = await readTrustFile(baseDir, config.path);
  let key: KeyObject;
  try {
    key = createPublicKey(bytes);
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a PEM public key: ${describeThrown(thrown)}`, { file: source, cause: thrown });
  }
  const spki = key.export({ type: 'spki', format: 'der' });
  return {
    id: config.id,
    source,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    key,
    fingerprint: createHash('sha256').update(spki).digest('hex'),
    algorithm: describeKeyAlgorithm(key),
    ...(config.validFrom === undefined ? {} : { validFrom: new Date(config.validFrom) }),
    ...(config.validUntil === undefined ? {} : { validUntil: new Date(config.validUntil) }),
  };
}

/**
 * A trusted root file: one `trusted_root.json`, or the JSON lines `gh
 * attestation trusted-root` prints (one root a line: Sigstore's public-good
 * instance, then GitHub's), whose roots are merged as several files are.
 */
export async function loadTrustedRoot(baseDir: string, path: string): Promise<LoadedTrustedRoot> {
  const file = await readTrustedRootFile(baseDir, path);
  const [only] = file.roots;
  const root = only !== undefined && file.roots.length === 1 ? only : mergeTrustedRoots(file.roots.map((r) => ({ ...file, root: r }))).root;
  return { ...file, root };
}

/** A trusted root file, read and validated, with each root it holds (one, or one a JSON line). */
export interface TrustedRootFile {
  source: string;
  bytes: Buffer;
  sha256: string;
  roots: TrustedRoot[];
  files: { source: string; bytes: Buffer; sha256: string }[];
}

export async function readTrustedRootFile(baseDir: string, path: string): Promise<TrustedRootFile> {
  const source = relative(baseDir, resolve(baseDir, path));
  const bytes = await readTrustFile(baseDir, path);
  const text = bytes.toString('utf8');
  let documents: unknown[];
  try {
    documents = [JSON.parse(text)];
  } catch (thrown) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    // One JSON document per line (`gh attestation trusted-root`); anything else is not a root.
    documents = lines.length > 1 ? lines.map((line, i) => parseRootLine(line, i, source, thrown)) : [];
    if (documents.length === 0) {
      throw new AuditpackError('TRUST_INVALID', `not a Sigstore trusted root: ${describeThrown(thrown)}`, { file: source, cause: thrown });
    }
  }
  const roots = documents.map((json, i) => toTrustedRoot(json, source, documents.length > 1 ? ` (line ${i + 1})` : ''));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { source, bytes, sha256, roots, files: [{ source, bytes, sha256 }] };
}

function parseRootLine(line: string, index: number, source: string, wholeFile: unknown): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new AuditpackError('TRUST_INVALID', `not a Sigstore trusted root, nor JSON lines of them: line ${index + 1} is not JSON`, {
      file: source,
      cause: wholeFile,
    });
  }
}

function toTrustedRoot(json: unknown, file: string, line: string): TrustedRoot {
  validateTrustedRoot ??= schemaValidator('trusted-root');
  if (!validateTrustedRoot(json)) {
    const problems = formatSchemaErrors(validateTrustedRoot.errors);
    throw new AuditpackError('TRUST_INVALID', `not a Sigstore trusted root (dev.sigstore.trustedroot)${line}: ${problems.join('; ')}`, { file });
  }
  try {
    return TrustedRoot.fromJSON(json);
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `not a Sigstore trusted root${line}: ${describeThrown(thrown)}`, { file, cause: thrown });
  }
}

/** True when the key may have signed at `at`: inside its window, if it has one. */
export function isKeyValidAt(key: TrustedKey, at: Date): boolean {
  if (key.validFrom !== undefined && at < key.validFrom) return false;
  if (key.validUntil !== undefined && at > key.validUntil) return false;
  return true;
}

/** A key with a validity window is trusted only at a verified signing time inside it. */
export function hasValidityWindow(key: TrustedKey): boolean {
  return key.validFrom !== undefined || key.validUntil !== undefined;
}

async function readTrustFile(baseDir: string, path: string): Promise<Buffer> {
  try {
    return await readFile(resolve(baseDir, path));
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `cannot read trust material: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}

function describeKeyAlgorithm(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `ECDSA ${details?.namedCurve === 'prime256v1' ? 'P-256' : (details?.namedCurve ?? '')}`.trim();
    case 'rsa':
      return `RSA ${details?.modulusLength ?? ''}`.trim();
    case 'ed25519':
      return 'Ed25519';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}
