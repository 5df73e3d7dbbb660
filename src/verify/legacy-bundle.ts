import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import type { CosignSignatureLine, DsseEnvelope, RekorBundle, SigningMaterial } from '../util/wire.js';
import { decodeStrictBase64 } from './base64.js';
import type { SignatureVerdict } from './sigstore.js';

/**
 * Conversions of cosign's pre-bundle formats into Sigstore bundles, so that
 * sigstore-js verifies them: a `download signature` line (or `.sig` layer)
 * becomes a v0.1 bundle with its Rekor SET as inclusion promise; a DSSE
 * envelope becomes a v0.3 bundle (bare) or a v0.1 bundle (annotated).
 */

/**
 * A `cosign download signature` line as a v0.1 bundle: the Rekor bundle
 * becomes the inclusion promise (v0.2+ would demand an inclusion proof).
 * A keyless line keeps its certificate, leaf first, then its chain; a chain
 * without a leaf is dropped so it can never stand in for the signer. An
 * RFC 3161 token is carried over, so sigstore-js checks it against the
 * trusted root's timestamp authorities instead of it being ignored.
 */
export function legacySignatureToBundle(line: CosignSignatureLine, payload: Buffer): SerializedBundle {
  const token = line.RFC3161Timestamp?.SignedRFC3161Timestamp;
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      ...legacyKeyMaterial(line),
      tlogEntries: rekorTlogEntries(line.Bundle),
      ...(token ? { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: token }] } } : {}),
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
      signature: line.Base64Signature,
    },
  } as unknown as SerializedBundle;
}

/**
 * A DSSE envelope as a bundle (v0.3 without log entry when bare, v0.1 with the
 * Rekor bundle as inclusion promise when annotated), or the reason it cannot be one.
 */
export function envelopeToBundle(
  envelope: DsseEnvelope,
  material: SigningMaterial,
  /** The payload as decodeStrictBase64 already read it, when it was: not decoded again to be checked. */
  decodedPayload?: Buffer,
): SerializedBundle | { refused: Extract<SignatureVerdict, { ok: false }> } {
  if (envelope.signatures.length !== 1) {
    // The same fault as a bundle's ValidationError on content.dsseEnvelope.signatures: malformed evidence.
    return {
      refused: { ok: false, code: 'EVIDENCE_MALFORMED', reason: `a DSSE envelope must carry exactly one signature, found ${envelope.signatures.length}` },
    };
  }
  const [signature] = envelope.signatures;
  if (!signature || decodeStrictBase64(signature.sig) === undefined || (decodedPayload ?? decodeStrictBase64(envelope.payload)) === undefined) {
    return { refused: { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'payload or signature is not strict base64' } };
  }
  const dsseEnvelope = { payload: envelope.payload, payloadType: envelope.payloadType, signatures: [{ sig: signature.sig, keyid: signature.keyid ?? '' }] };
  const annotated = material.Cert?.Raw || material.Bundle;
  return {
    mediaType: annotated ? 'application/vnd.dev.sigstore.bundle+json;version=0.1' : 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { ...legacyKeyMaterial(material), tlogEntries: rekorTlogEntries(material.Bundle) },
    dsseEnvelope,
  } as unknown as SerializedBundle;
}

function rekorTlogEntries(rekor: RekorBundle | null | undefined): object[] {
  if (!rekor) return [];
  const p = rekor.Payload;
  const body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
  return [
    {
      logIndex: String(p.logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: String(body.kind), version: String(body.apiVersion) },
      integratedTime: String(p.integratedTime),
      inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
      canonicalizedBody: p.body,
    },
  ];
}

function legacyKeyMaterial(material: SigningMaterial): object {
  const leaf = material.Cert?.Raw;
  if (leaf === undefined || leaf === '') return { publicKey: { hint: '' } };
  const chain = (material.Chain ?? []).map((c) => c.Raw).filter((raw): raw is string => typeof raw === 'string' && raw !== '');
  return { x509CertificateChain: { certificates: [leaf, ...chain].map((rawBytes) => ({ rawBytes })) } };
}
