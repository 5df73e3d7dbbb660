import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuditpackError, describeThrown } from '../errors.js';
import { COSIGN_KEY_LABELS, decryptCosignKey } from './cosign-key.js';

/** The environment variable holding the passphrase of an encrypted PEM seal key. */
export const PASSPHRASE_ENV = 'AUDITPACK_KEY_PASSPHRASE';
/** cosign's own variable for the password of a cosign.key. */
export const COSIGN_PASSWORD_ENV = 'COSIGN_PASSWORD';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads the private key that seals a bundle: PKCS#8 or SEC1/PKCS#1 PEM,
 * encrypted PKCS#8 PEM (passphrase from AUDITPACK_KEY_PASSPHRASE), or cosign's
 * cosign.key (password from COSIGN_PASSWORD). Every mistake a person makes
 * with key files gets its own message: a public key or a certificate in place
 * of the private key, a missing or wrong passphrase, a key that cannot sign.
 */
export async function loadSealKey(path: string, env: Environment): Promise<KeyObject> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (thrown) {
    throw new AuditpackError('SEAL_KEY_INVALID', `cannot read the seal key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
  const key = await parseSealKey(bytes, path, env);
  assertCanSeal(key, path);
  return key;
}

export async function parseSealKey(bytes: Buffer, file: string, env: Environment): Promise<KeyObject> {
  const text = bytes.toString('utf8');
  const block = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  const label = block?.[1];
  const fail = (message: string, cause?: unknown): never => {
    throw new AuditpackError('SEAL_KEY_INVALID', message, { file, ...(cause === undefined ? {} : { cause }) });
  };
  if (label === undefined || block === null) return fail('not a PEM private key (no -----BEGIN … PRIVATE KEY----- block); make one with `auditpack keygen`');
  if (/PUBLIC KEY$/.test(label))
    return fail('this is a public key: sealing needs the private key (the .key file `auditpack keygen` wrote; the .pub file is what verifiers pin)');
  if (label === 'CERTIFICATE') return fail('this is a certificate, not a private key');
  if ((COSIGN_KEY_LABELS as readonly string[]).includes(label)) {
    const password = env[COSIGN_PASSWORD_ENV];
    if (password === undefined) return fail(`a cosign key: set ${COSIGN_PASSWORD_ENV} to its password (it may be empty, as with cosign)`);
    const der = await decryptCosignKey(Buffer.from((block[2] ?? '').replace(/\s+/g, ''), 'base64'), password, file);
    return toPrivateKey(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), fail);
  }
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block[2] ?? '');
  if (encrypted) {
    const passphrase = env[PASSPHRASE_ENV];
    if (passphrase === undefined || passphrase === '') return fail(`the key is encrypted: set ${PASSPHRASE_ENV} to its passphrase`);
    return toPrivateKey(
      () => createPrivateKey({ key: block[0], format: 'pem', passphrase }),
      (m, c) => fail(`wrong ${PASSPHRASE_ENV}, or the key is damaged (${m})`, c),
    );
  }
  if (!/PRIVATE KEY$/.test(label)) return fail(`a PEM ${label} block, not a private key`);
  return toPrivateKey(() => createPrivateKey({ key: block[0], format: 'pem' }), fail);
}

function toPrivateKey(make: () => KeyObject, fail: (message: string, cause?: unknown) => never): KeyObject {
  try {
    return make();
  } catch (thrown) {
    return fail(`not a usable private key: ${describeThrown(thrown)}`, thrown);
  }
}

/** Ed25519, ECDSA P-256 and RSA ≥ 2048 bits: the keys cosign and sigstore-js check seals with. */
export function assertCanSeal(key: KeyObject, file: string): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  const ok = type === 'ed25519' || (type === 'ec' && details?.namedCurve === 'prime256v1') || (type === 'rsa' && (details?.modulusLength ?? 0) >= 2048);
  if (!ok) {
    const what = type === 'ec' ? `an ECDSA ${details?.namedCurve ?? ''} key` : `a ${type ?? 'unknown'} key`;
    throw new AuditpackError('SEAL_KEY_INVALID', `${what} cannot seal a bundle: use Ed25519 (byte-identical seals), ECDSA P-256 or RSA of at least 2048 bits`, {
      file,
    });
  }
}

/** SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex: the fingerprint verifiers pin. */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** A key's algorithm in words, as the report prints it. */
export function keyAlgorithm(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'Ed25519';
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ECDSA P-256' : `ECDSA ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim();
    case 'rsa':
      return `RSA ${key.asymmetricKeyDetails?.modulusLength ?? ''}`.trim();
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}
