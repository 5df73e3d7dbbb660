import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { IN_TOTO_PAYLOAD_TYPE } from '../verify/payloads.js';
import { sha256Hex } from '../util/manifest.js';
import { MANIFEST_FILE } from './manifest.js';

export const SEAL_PREDICATE_TYPE = 'https://auditpack.dev/attestation/bundle-seal/v1';
/** The media type cosign writes for a v0.3 bundle (sigstore-go and sigstore-js read both spellings). */
export const SEAL_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SealPredicate {
  organisation: string;
  period: string;
  files: number;
}

/** Asks a timestamp authority to date the signature bytes; returns the DER TimeStampResp. */
export type Timestamper = (signature: Buffer) => Promise<Buffer>;

/**
 * Signs the manifest: an in-toto Statement whose subject is manifest.json,
 * in a DSSE envelope inside a Sigstore bundle v0.3 (key-based, no log), the
 * shape `cosign attest-blob --new-bundle-format` writes, so both
 * `auditpack verify-bundle` and `cosign verify-blob-attestation` check it.
 * DSSE rather than a message signature: sigstore-js verifies message
 * signatures with a digest algorithm, which Ed25519 keys refuse.
 * With a timestamper, an RFC 3161 timestamp over the signature is added, so
 * the sealing time no longer rests on the signer's clock.
 */
export async function signManifest(manifestBytes: Buffer, privateKey: KeyObject, predicate: SealPredicate, timestamper?: Timestamper): Promise<Buffer> {
  return signManifestDigest(sha256Hex(manifestBytes), privateKey, predicate, timestamper);
}

/** `signManifest` for a manifest written piece by piece: the statement names the manifest by its SHA-256 only. */
export async function signManifestDigest(manifestSha256: string, privateKey: KeyObject, predicate: SealPredicate, timestamper?: Timestamper): Promise<Buffer> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: MANIFEST_FILE, digest: { sha256: manifestSha256 } }],
    predicateType: SEAL_PREDICATE_TYPE,
    predicate,
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const pae = dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  // Ed25519 takes no digest (null); ECDSA and RSA keys sign SHA-256.
  const signature = sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', pae, privateKey);
  const timestamp = timestamper === undefined ? undefined : await timestamper(signature);
  const bundle = {
    mediaType: SEAL_BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: { hint: keyHint(createPublicKey(privateKey)) },
      tlogEntries: [],
      ...(timestamp === undefined ? {} : { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: timestamp.toString('base64') }] } }),
    },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: signature.toString('base64'), keyid: '' }] },
  };
  return Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8');
}

/** The public half of the seal key, as PEM, for the bundle's manifest.pub. */
export function publicKeyPem(privateKey: KeyObject): Buffer {
  return Buffer.from(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(), 'utf8');
}

/** base64 SHA-256 of the SPKI, as cosign and sigstore-go write key hints. */
export function keyHint(publicKey: KeyObject): string {
  return Buffer.from(sha256Hex(publicKey.export({ type: 'spki', format: 'der' })), 'hex').toString('base64');
}
