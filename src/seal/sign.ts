import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { IN_TOTO_PAYLOAD_TYPE } from '../verify/payloads.js';
import { MANIFEST_FILE, sha256Hex } from './manifest.js';

export const SEAL_PREDICATE_TYPE = 'https://auditpack.dev/attestation/bundle-seal/v1';

export interface SealPredicate {
  organisation: string;
  period: string;
  files: number;
}

/**
 * Signs the manifest: an in-toto Statement whose subject is manifest.json,
 * in a DSSE envelope inside a Sigstore bundle v0.3 (key-based, no log), so
 * sigstore tooling can check it as well as `auditpack verify`.
 * DSSE rather than a message signature: sigstore-js verifies message
 * signatures with a digest algorithm, which Ed25519 keys refuse.
 */
export function signManifest(manifestBytes: Buffer, privateKey: KeyObject, predicate: SealPredicate): Buffer {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: MANIFEST_FILE, digest: { sha256: sha256Hex(manifestBytes) } }],
    predicateType: SEAL_PREDICATE_TYPE,
    predicate,
  };
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const pae = dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
  // Ed25519 takes no digest (null); ECDSA and RSA keys sign SHA-256.
  const signature = sign(privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256', pae, privateKey);
  const publicKey = createPublicKey(privateKey);
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: keyHint(publicKey) }, tlogEntries: [] },
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
