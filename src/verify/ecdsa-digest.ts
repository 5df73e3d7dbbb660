import type { KeyObject } from 'node:crypto';
import { AuditpackError } from '../errors.js';

export type DigestVerifier = (key: KeyObject, digest: Buffer, derSignature: Buffer) => boolean;

type Nist = typeof import('@noble/curves/nist.js');

let nist: Promise<Nist | undefined> | undefined;

/**
 * ECDSA verification over a digest the caller already has (the artifact
 * itself is not available). Node's crypto always hashes the message first,
 * so this uses the audited @noble/curves, loaded only when needed: a missing
 * package makes digest input fail with a typed error, not the whole CLI.
 */
export async function verifyEcdsaOverDigest(): Promise<DigestVerifier> {
  nist ??= import('@noble/curves/nist.js').catch(() => undefined);
  const curves = await nist;
  if (curves === undefined) {
    throw new AuditpackError('EVIDENCE_UNSUPPORTED', 'verifying a signature from a digest needs the package @noble/curves; install it or pass the artifact file');
  }
  return (key, digest, derSignature) => {
    const curve = curveFor(curves, key);
    const point = uncompressedPoint(key);
    try {
      // lowS: false — Go and OpenSSL produce high-S signatures and accept them.
      return curve.verify(derSignature, digest, point, { prehash: false, lowS: false, format: 'der' });
    } catch {
      return false;
    }
  };
}

function curveFor(curves: Nist, key: KeyObject): Nist['p256'] {
  const name = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key.asymmetricKeyType;
  switch (name) {
    case 'prime256v1':
      return curves.p256;
    case 'secp384r1':
      return curves.p384;
    case 'secp521r1':
      return curves.p521;
    default:
      // Ed25519 signs the message itself and RSA needs another path: the digest alone cannot be checked.
      throw new AuditpackError('EVIDENCE_UNSUPPORTED', `cannot verify a ${name ?? 'unknown'} signature from a digest: pass the artifact file`);
  }
}

/** SEC1 uncompressed point 04‖x‖y, the form noble takes, from Node's JWK export. */
function uncompressedPoint(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) throw new AuditpackError('EVIDENCE_MALFORMED', 'the signing key has no EC point');
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}
