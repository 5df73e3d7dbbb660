import type { KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { AuditpackError } from '../errors.js';

type Curve = typeof p256;

/**
 * ECDSA verification over a digest the caller already has (the artifact
 * itself is not available, only `sha256:<hex>`). Node's crypto always hashes
 * the message first, so this uses the audited @noble/curves. Throws an
 * `AuditpackError` for keys whose signatures cannot be checked from a digest.
 */
export function verifyEcdsaOverDigest(key: KeyObject, digest: Buffer, derSignature: Buffer): boolean {
  const curve = curveFor(key);
  const point = uncompressedPoint(key);
  try {
    // lowS: false — Go and OpenSSL produce high-S signatures and accept them.
    return curve.verify(derSignature, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}

function curveFor(key: KeyObject): Curve {
  const name = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : key.asymmetricKeyType;
  switch (name) {
    case 'prime256v1':
      return p256;
    case 'secp384r1':
      return p384;
    case 'secp521r1':
      return p521;
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
