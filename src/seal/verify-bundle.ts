import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { describeThrown } from '../errors.js';
import { verifySigstoreBundle } from '../verify/bundle.js';
import { parseInTotoStatement } from '../verify/payloads.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE, sha256Hex, type Manifest } from './manifest.js';
import { SEAL_PREDICATE_TYPE } from './sign.js';

export interface SealProblem {
  code: 'SEAL_MISSING' | 'SEAL_MISMATCH' | 'SEAL_SIGNATURE_INVALID';
  file: string;
  reason: string;
}

export interface SealVerdict {
  ok: boolean;
  problems: SealProblem[];
  files: number;
  /** SHA-256 of the SPKI of the key the seal verified with. */
  keyFingerprint?: string;
  /** Whether the key was pinned by the caller or taken from the bundle itself. */
  keySource: 'pinned' | 'bundle';
}

/**
 * Checks a sealed bundle offline: the seal signature over manifest.json, then
 * every listed file's size and SHA-256, then that no file was added.
 */
export async function verifyBundle(dir: string, pinnedKey?: KeyObject): Promise<SealVerdict> {
  const keySource = pinnedKey ? 'pinned' : 'bundle';
  const manifestBytes = await readOptional(join(dir, MANIFEST_FILE));
  const sealBytes = await readOptional(join(dir, SEAL_FILE));
  if (!manifestBytes || !sealBytes) {
    const missing = !manifestBytes ? MANIFEST_FILE : SEAL_FILE;
    return { ok: false, files: 0, keySource, problems: [{ code: 'SEAL_MISSING', file: missing, reason: 'not found; the folder is not a sealed auditpack bundle' }] };
  }
  const key = pinnedKey ?? (await readBundleKey(dir));
  if (!key) return { ok: false, files: 0, keySource, problems: [{ code: 'SEAL_MISSING', file: SEAL_KEY_FILE, reason: 'no key to check the seal with (pass --key)' }] };
  const problems: SealProblem[] = [];
  const signature = checkSeal(sealBytes, manifestBytes, key);
  if (signature) problems.push(signature);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    if (!Array.isArray(manifest.files)) throw new Error('no file list');
  } catch (thrown) {
    problems.push({ code: 'SEAL_MISMATCH', file: MANIFEST_FILE, reason: `unreadable: ${describeThrown(thrown)}` });
    return { ok: false, files: 0, keySource, problems };
  }
  problems.push(...(await checkFiles(dir, manifest)));
  const fingerprint = sha256Hex(key.export({ type: 'spki', format: 'der' }));
  return { ok: problems.length === 0, problems, files: manifest.files.length, keyFingerprint: fingerprint, keySource };
}

function checkSeal(sealBytes: Buffer, manifestBytes: Buffer, key: KeyObject): SealProblem | undefined {
  // The one verification path: the seal is a key-signed DSSE bundle whose in-toto subject is manifest.json.
  const verdict = verifySigstoreBundle({ bundle: sealBytes, artifact: { kind: 'bytes', bytes: manifestBytes }, policy: { kind: 'key', publicKey: key }, requireTlog: false, requireTimestamp: false });
  if (verdict.status !== 'valid') {
    return verdict.code === 'DIGEST_MISMATCH'
      ? { code: 'SEAL_MISMATCH', file: MANIFEST_FILE, reason: 'its SHA-256 differs from the one the seal signed' }
      : { code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE, reason: `${verdict.reason} [${verdict.code}]` };
  }
  const bundle = JSON.parse(sealBytes.toString('utf8')) as { dsseEnvelope?: { payloadType?: unknown; payload?: unknown } };
  const env = bundle.dsseEnvelope;
  const statement = parseInTotoStatement(String(env?.payloadType ?? ''), String(env?.payload ?? ''));
  if (!statement.ok) return { code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE, reason: statement.reason };
  if (statement.value.predicateType !== SEAL_PREDICATE_TYPE) return { code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE, reason: `predicate type is ${statement.value.predicateType}` };
  return undefined;
}

async function checkFiles(dir: string, manifest: Manifest): Promise<SealProblem[]> {
  const problems: SealProblem[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = await readOptional(join(dir, entry.path));
    if (!bytes) problems.push({ code: 'SEAL_MISMATCH', file: entry.path, reason: 'listed in the manifest but missing' });
    else if (bytes.length !== entry.size || sha256Hex(bytes) !== entry.sha256) {
      problems.push({ code: 'SEAL_MISMATCH', file: entry.path, reason: 'content differs from the sealed SHA-256' });
    }
  }
  for (const file of await listTree(dir)) {
    if (!listed.has(file) && file !== MANIFEST_FILE && file !== SEAL_FILE) {
      problems.push({ code: 'SEAL_MISMATCH', file, reason: 'not in the sealed manifest (added after sealing)' });
    }
  }
  return problems;
}

async function readBundleKey(dir: string): Promise<KeyObject | undefined> {
  const pem = await readOptional(join(dir, SEAL_KEY_FILE));
  if (!pem) return undefined;
  try {
    return createPublicKey(pem);
  } catch {
    return undefined;
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
