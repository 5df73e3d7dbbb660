import { createHash } from 'node:crypto';
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { PolicyError, Verifier, VerificationError, toSignedEntity, toTrustMaterial, type KeyFinderFunc } from '@sigstore/verify';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { CosignSignatureLine, DsseEnvelope } from '../collect/evidence.js';
import { isKeyValidAt, type TrustedKey, type TrustSet } from '../trust/load.js';
import { decodeStrictBase64 } from './base64.js';

export type SignatureVerdict =
  | { ok: true; key: TrustedKey; log?: { index: string; integratedTime: string; logId: string } }
  | { ok: false; code: ErrorCode; reason: string };

const EMPTY_ROOT = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' });

/**
 * Verifies one `cosign download signature` line with sigstore-js: the line
 * becomes a v0.1 bundle (its Rekor bundle as the inclusion promise), which is
 * verified against each trusted key in turn. Offline: trust is injected.
 */
export function verifyCosignSignature(line: CosignSignatureLine, trust: TrustSet): SignatureVerdict {
  const payload = decodeStrictBase64(line.Payload);
  if (payload === undefined || decodeStrictBase64(line.Base64Signature) === undefined) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'Payload or Base64Signature is not strict base64' };
  }
  if (line.Cert?.Raw) {
    return { ok: false, code: 'SIGNATURE_UNTRUSTED_KEY', reason: 'keyless (certificate) signatures are not yet verified by auditpack' };
  }
  const withLog = line.Bundle != null;
  if (withLog && trust.trustedRoot === undefined) {
    return { ok: false, code: 'TRUST_INVALID', reason: 'the signature carries a transparency-log entry but no trusted root is configured to check it' };
  }
  let bundle: SerializedBundle;
  try {
    bundle = legacySignatureToBundle(line, payload);
  } catch (thrown) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `cannot read the Rekor bundle: ${describeThrown(thrown)}` };
  }
  const verdict = verifyWithEachKey(bundle, payload, trust, withLog);
  if (!verdict.ok || !line.Bundle) return verdict;
  const p = line.Bundle.Payload;
  return { ...verdict, log: { index: String(p.logIndex), integratedTime: new Date(p.integratedTime * 1000).toISOString(), logId: p.logID } };
}

/**
 * Verifies a bare DSSE envelope as `cosign download attestation` prints it.
 * Such envelopes carry no certificate or log entry, so only the key signature
 * can be checked; the caller reports that no log was consulted.
 */
export function verifyDsseEnvelope(envelope: DsseEnvelope, trust: TrustSet): SignatureVerdict {
  if (envelope.signatures.length !== 1) {
    return { ok: false, code: 'SIGNATURE_INVALID', reason: `expected exactly one signature, found ${envelope.signatures.length}` };
  }
  const [signature] = envelope.signatures;
  if (!signature || decodeStrictBase64(signature.sig) === undefined || decodeStrictBase64(envelope.payload) === undefined) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'payload or signature is not strict base64' };
  }
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: '' }, tlogEntries: [] },
    dsseEnvelope: { payload: envelope.payload, payloadType: envelope.payloadType, signatures: [{ sig: signature.sig, keyid: signature.keyid ?? '' }] },
  } as unknown as SerializedBundle;
  return verifyWithEachKey(bundle, undefined, trust, false);
}

function verifyWithEachKey(bundle: SerializedBundle, artifact: Buffer | undefined, trust: TrustSet, withLog: boolean): SignatureVerdict {
  if (trust.keys.length === 0) return { ok: false, code: 'TRUST_INVALID', reason: 'no trusted key configured' };
  let last: SignatureVerdict = { ok: false, code: 'SIGNATURE_INVALID', reason: 'no key tried' };
  for (const key of trust.keys) {
    last = verifyWithKey(bundle, artifact, trust, key, withLog);
    if (last.ok) return last;
  }
  return last;
}

function verifyWithKey(bundle: SerializedBundle, artifact: Buffer | undefined, trust: TrustSet, key: TrustedKey, withLog: boolean): SignatureVerdict {
  // cosign leaves the key hint empty for key-based signatures: ignore it and
  // offer this key, within its configured validity window.
  const keyFinder: KeyFinderFunc = () => ({ publicKey: key.key, validFor: (date: Date) => isKeyValidAt(key, date) });
  try {
    const material = toTrustMaterial(trust.trustedRoot?.root ?? EMPTY_ROOT, keyFinder);
    const threshold = withLog ? 1 : 0;
    const verifier = new Verifier(material, { tlogThreshold: threshold, timestampThreshold: threshold, ctlogThreshold: 0 });
    verifier.verify(toSignedEntity(bundleFromJSON(bundle), artifact));
    return { ok: true, key };
  } catch (thrown) {
    return { ok: false, ...translateSigstoreError(thrown, key) };
  }
}

/** Every thrown thing becomes a code and a reason; nothing escapes as a crash. */
export function translateSigstoreError(thrown: unknown, key: TrustedKey): { code: ErrorCode; reason: string } {
  if (thrown instanceof VerificationError || thrown instanceof PolicyError) {
    const code: ErrorCode = thrown.code === 'SIGNATURE_ERROR' ? 'SIGNATURE_INVALID' : thrown.code === 'PUBLIC_KEY_ERROR' ? 'SIGNATURE_UNTRUSTED_KEY' : 'SIGNATURE_INVALID';
    const reason = thrown.code === 'SIGNATURE_ERROR' ? `signature does not verify with trusted key ${key.id}` : describeThrown(thrown);
    return { code, reason };
  }
  return { code: 'EVIDENCE_MALFORMED', reason: describeThrown(thrown) };
}

/**
 * A `cosign download signature` line as a v0.1 bundle: the Rekor bundle
 * becomes the inclusion promise (v0.2+ would demand an inclusion proof).
 * A keyless line keeps its certificate, leaf first, then its chain; a chain
 * without a leaf is dropped so it can never stand in for the signer.
 */
export function legacySignatureToBundle(line: CosignSignatureLine, payload: Buffer): SerializedBundle {
  const tlogEntries = [];
  if (line.Bundle) {
    const p = line.Bundle.Payload;
    const body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
    tlogEntries.push({
      logIndex: String(p.logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: String(body.kind), version: String(body.apiVersion) },
      integratedTime: String(p.integratedTime),
      inclusionPromise: { signedEntryTimestamp: line.Bundle.SignedEntryTimestamp },
      canonicalizedBody: p.body,
    });
  }
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: { ...legacyKeyMaterial(line), tlogEntries },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
      signature: line.Base64Signature,
    },
  } as unknown as SerializedBundle;
}

function legacyKeyMaterial(line: CosignSignatureLine): object {
  const leaf = line.Cert?.Raw;
  if (leaf === undefined || leaf === '') return { publicKey: { hint: '' } };
  const chain = (line.Chain ?? []).map((c) => c.Raw).filter((raw): raw is string => typeof raw === 'string' && raw !== '');
  return { x509CertificateChain: { certificates: [leaf, ...chain].map((rawBytes) => ({ rawBytes })) } };
}
