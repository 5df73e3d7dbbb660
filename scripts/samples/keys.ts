/**
 * The sample estate's DEMO-ONLY keys, derived from fixed seeds so that every
 * run produces the same keys and the same signatures. ECDSA P-256 signatures
 * come from @noble/curves, which derives the nonce per RFC 6979, so they are
 * deterministic too (node:crypto's ECDSA is not).
 */
import { checkPrimeSync, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { selfSignedCertificate } from '../../src/util/certificate.ts';

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

/** `bytes` big-endian bytes of sha256(seed/label/counter/block…), the top two bits and the lowest bit set. */
function oddCandidate(seed: string, label: string, counter: number, bytes: number): bigint {
  const blocks: Buffer[] = [];
  for (let block = 0; blocks.length * 32 < bytes; block += 1) blocks.push(createHash('sha256').update(`${seed}/${label}/${counter}/${block}`).digest());
  const buf = Buffer.concat(blocks).subarray(0, bytes);
  buf[0] = buf[0]! | 0xc0;
  buf[bytes - 1] = buf[bytes - 1]! | 0x01;
  return BigInt(`0x${buf.toString('hex')}`);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/**
 * An RSA key whose primes come from sha256(seed…): the first candidates that
 * node:crypto's primality test accepts. RSA because its PKCS#1 v1.5
 * signatures are deterministic, so the signed demo PDF is byte-identical
 * between runs (ECDSA signatures are not, reference/libs-formats.md §3.9).
 */
export function rsaKeyFromSeed(seed: string, bits = 2048): KeyObject {
  const e = 65537n;
  const prime = (label: string): bigint => {
    for (let counter = 0; ; counter += 1) {
      const candidate = oddCandidate(seed, label, counter, bits / 16);
      if ((candidate - 1n) % e !== 0n && checkPrimeSync(candidate, { checks: 64 })) return candidate;
    }
  };
  const p = prime('p');
  const q = prime('q');
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const b64 = (n: bigint): string => Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url');
  const jwk = { kty: 'RSA', n: b64(p * q), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(modInverse(q, p)) };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export interface PdfSigningKey {
  privateKey: KeyObject;
  privatePem: string;
}

export interface DemoKeys {
  cosign: EcdsaKey;
  rekor: EcdsaKey;
  report: Ed25519Key;
  /** Signs report.pdf (with the self-signed demo certificate below). */
  pdf: PdfSigningKey;
}

export function demoKeys(): DemoKeys {
  const pdf = rsaKeyFromSeed('auditpack demo PDF signing key v1');
  return {
    cosign: ecdsaKeyFromSeed('auditpack demo cosign key v1'),
    rekor: ecdsaKeyFromSeed('auditpack demo rekor key v1'),
    report: ed25519KeyFromSeed('auditpack demo report signing key v1'),
    pdf: { privateKey: pdf, privatePem: String(pdf.export({ type: 'pkcs8', format: 'pem' })) },
  };
}

/** The demo's self-signed PDF signing certificate: fixed names and validity, so the same bytes every run. */
export function demoPdfCertificate(keys: DemoKeys): Promise<string> {
  return selfSignedCertificate({
    privateKey: keys.pdf.privateKey,
    commonName: 'AKKO sample estate DEMO-ONLY report signer',
    organisation: 'AKKO (sample estate)',
    country: 'FR',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2036-01-01T00:00:00Z'),
  });
}
