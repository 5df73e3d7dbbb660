import { randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa';
import { AuditpackError } from '../errors.js';

/**
 * cosign's own private-key format (`cosign generate-key-pair`, cosign.key):
 * a PEM block whose body is JSON from go-securesystemslib's `encrypted`
 * package: the PKCS#8 DER key sealed with NaCl secretbox (XSalsa20-Poly1305,
 * tag first) under a key derived with scrypt from COSIGN_PASSWORD.
 * Read from cosign `pkg/cosign/keys.go` and go-securesystemslib
 * `encrypted/encrypted.go`.
 */
export const COSIGN_KEY_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'] as const;

/** The scrypt parameters go-securesystemslib accepts (legacy, standard, OWASP); anything else could be a DoS. */
const ACCEPTED_PARAMS = [32768, 65536, 131072].map((N) => ({ N, r: 8, p: 1 }));
/** What `cosign generate-key-pair` writes today (go-securesystemslib's "standard" level). */
const DEFAULT_PARAMS = { N: 65536, r: 8, p: 1 };

interface EncryptedKey {
  kdf: { name: string; params: { N: number; r: number; p: number }; salt: string };
  cipher: { name: string; nonce: string };
  ciphertext: string;
}

/** Decrypts the body of a cosign.key PEM block to the PKCS#8 DER private key. */
export async function decryptCosignKey(body: Buffer, password: string, file: string): Promise<Buffer> {
  const data = parseEncryptedKey(body, file);
  const { N, r, p } = data.kdf.params;
  if (!ACCEPTED_PARAMS.some((a) => a.N === N && a.r === r && a.p === p)) {
    throw new AuditpackError('SEAL_KEY_INVALID', `cosign key: unsupported scrypt parameters N=${N} r=${r} p=${p}`, { file });
  }
  const nonce = Buffer.from(data.cipher.nonce, 'base64');
  if (nonce.length !== 24) throw new AuditpackError('SEAL_KEY_INVALID', 'cosign key: the secretbox nonce is not 24 bytes', { file });
  const key = await scrypt(password, Buffer.from(data.kdf.salt, 'base64'), { N, r, p });
  try {
    return Buffer.from(xsalsa20poly1305(key, nonce).decrypt(Buffer.from(data.ciphertext, 'base64')));
  } catch {
    throw new AuditpackError('SEAL_KEY_INVALID', 'cosign key: decryption failed: wrong COSIGN_PASSWORD, or the key file is damaged', { file });
  }
}

/** Encrypts a PKCS#8 DER private key the way `cosign generate-key-pair` does; returns the PEM text. */
export async function encryptCosignKey(pkcs8: Buffer, password: string): Promise<string> {
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const key = await scrypt(password, salt, DEFAULT_PARAMS);
  const sealed = xsalsa20poly1305(key, nonce).encrypt(pkcs8);
  // Field order as Go's json.Marshal writes the struct; []byte as standard base64.
  const json: EncryptedKey = {
    kdf: { name: 'scrypt', params: DEFAULT_PARAMS, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  };
  const lines =
    Buffer.from(JSON.stringify(json))
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  const label = COSIGN_KEY_LABELS[0];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function parseEncryptedKey(body: Buffer, file: string): EncryptedKey {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AuditpackError('SEAL_KEY_INVALID', 'cosign key: the PEM body is not the JSON cosign writes', { file });
  }
  const d = data as Partial<EncryptedKey>;
  if (
    d.kdf?.name !== 'scrypt' ||
    d.cipher?.name !== 'nacl/secretbox' ||
    typeof d.ciphertext !== 'string' ||
    typeof d.kdf.salt !== 'string' ||
    typeof d.cipher.nonce !== 'string' ||
    typeof d.kdf.params !== 'object'
  ) {
    throw new AuditpackError('SEAL_KEY_INVALID', 'cosign key: expected kdf scrypt and cipher nacl/secretbox', { file });
  }
  return d as EncryptedKey;
}

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Uint8Array> {
  // scrypt needs 128·N·r bytes: 128 MiB at N=2^17, over Node's 32 MiB default.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(Buffer.from(password, 'utf8'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))));
  });
}
