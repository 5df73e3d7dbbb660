/**
 * The sample estate's DEMO-ONLY keys, derived from fixed seeds so that every
 * run produces the same keys and the same signatures. ECDSA P-256 signatures
 * come from @noble/curves, which derives the nonce per RFC 6979, so they are
 * deterministic too (node:crypto's ECDSA is not).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';

export interface EcdsaKey {
  /** PKCS#8 PEM, unencrypted. */
  privatePem: string;
  /** SPKI PEM, as `cosign generate-key-pair` writes cosign.pub. */
  publicPem: string;
  /** SPKI DER of the public key. */
  spkiDer: Buffer;
  /** DER ECDSA-SHA256 signature over `message`. */
  sign(message: Uint8Array): Buffer;
}

export interface Ed25519Key {
  privatePem: string;
  publicPem: string;
  publicKey: KeyObject;
  sign(message: Uint8Array): Buffer;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A P-256 key whose private scalar is sha256(seed) reduced into [1, n-1]. */
export function ecdsaKeyFromSeed(seed: string): EcdsaKey {
  const n = p256.Point.Fn.ORDER;
  const digest = BigInt(`0x${createHash('sha256').update(seed).digest('hex')}`);
  const scalar = (digest % (n - 1n)) + 1n;
  const secret = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const point = p256.getPublicKey(secret, false); // 0x04 || X || Y
  const jwk = { kty: 'EC', crv: 'P-256', d: b64url(secret), x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return {
    privatePem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    publicPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    spkiDer: Buffer.from(publicKey.export({ type: 'spki', format: 'der' })),
    // cosign and Rekor sign sha256(message); lowS off, as Go's crypto/ecdsa does not normalise s.
    sign: (message) => Buffer.from(p256.sign(message, secret, { prehash: true, lowS: false, format: 'der' })),
  };
}

/** An Ed25519 key whose 32-byte seed is sha256(seed). Ed25519 signatures are deterministic. */
export function ed25519KeyFromSeed(seed: string): Ed25519Key {
  const secret = createHash('sha256').update(seed).digest();
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: b64url(secret), x: b64url(ed25519.getPublicKey(secret)) };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return {
    privatePem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    publicPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    publicKey,
    sign: (message) => Buffer.from(ed25519.sign(message, secret)),
  };
}

export interface DemoKeys {
  cosign: EcdsaKey;
  rekor: EcdsaKey;
  report: Ed25519Key;
}

export function demoKeys(): DemoKeys {
  return {
    cosign: ecdsaKeyFromSeed('auditpack demo cosign key v1'),
    rekor: ecdsaKeyFromSeed('auditpack demo rekor key v1'),
    report: ed25519KeyFromSeed('auditpack demo report signing key v1'),
  };
}
