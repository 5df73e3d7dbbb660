import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { PolicyError, Verifier, VerificationError, toSignedEntity, toTrustMaterial, type KeyFinderFunc } from '@sigstore/verify';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { CosignSignatureLine, DsseEnvelope, SigningMaterial } from '../collect/evidence.js';
import type { TrustedIdentityConfig } from '../config/schema.js';
import { isKeyValidAt, type TrustedKey, type TrustSet } from '../trust/load.js';
import { decodeStrictBase64 } from './base64.js';
import { envelopeToBundle, legacySignatureToBundle } from './legacy-bundle.js';
import { verifySigstoreBundle, type ArtifactInput, type BundleFacts, type BundleFailure, type BundleVerdict, type SignerPolicy } from './bundle.js';
import { describeBundle } from './bundle-facts.js';

/** Trust as verification uses it: keys and the trusted root (src/trust), keyless identities (config). */
export interface VerificationTrust extends TrustSet {
  identities?: TrustedIdentityConfig[];
}

export interface LogFact {
  index: string;
  integratedTime: string;
  logId: string;
}

/**
 * One signature's verdict. `details` is what the report records: format and
 * version, signer (key fingerprint, or SAN and issuer), log entry or TSA
 * times, and the trusted root's SHA-256 when one was used.
 */
export type SignatureVerdict =
  | { ok: true; signer: string; key?: TrustedKey; log?: LogFact; signedAt?: { at: string; by: 'transparency log' | 'timestamp authority' }; details: Record<string, string> }
  | { ok: false; code: ErrorCode; reason: string; details?: Record<string, string> };

/** What a signature or attestation needs to be verified, as read from evidence. */
export type VerificationInput =
  | { kind: 'legacy-signature'; line: CosignSignatureLine }
  | { kind: 'dsse-envelope'; envelope: DsseEnvelope; material?: SigningMaterial }
  | { kind: 'bundle'; bundle: Record<string, unknown>; artifact: ArtifactInput }
  | { kind: 'unsupported'; code: ErrorCode; reason: string };

/** How many log entries and timestamps a key-based verification demands: those the evidence carries. */
interface Thresholds {
  tlog: number;
  timestamp: number;
}
const NO_LOG: Thresholds = { tlog: 0, timestamp: 0 };

const EMPTY_ROOT = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' });
const LEGACY_FORMAT = 'cosign simple signing, checked as a Sigstore bundle v0.1';

/**
 * Verifies one input. Key-signed legacy signatures and bare envelopes verify
 * synchronously; anything checked through `verifySigstoreBundle` (bundles,
 * certificates, annotated envelopes) returns a promise that never rejects.
 */
export function verifyInput(input: VerificationInput, trust: VerificationTrust): SignatureVerdict | Promise<SignatureVerdict> {
  switch (input.kind) {
    case 'legacy-signature':
      return input.line.Cert?.Raw ? verifyKeylessSignature(input.line, trust) : verifyCosignSignature(input.line, trust);
    case 'dsse-envelope':
      return input.material?.Cert?.Raw || input.material?.Bundle ? verifyAnnotatedEnvelope(input.envelope, input.material, trust) : verifyDsseEnvelope(input.envelope, trust);
    case 'bundle':
      return verifyBundle(input.bundle, input.artifact, trust);
    case 'unsupported':
      return { ok: false, code: input.code, reason: input.reason };
  }
}

/**
 * Verifies one key-signed `cosign download signature` line with sigstore-js:
 * the line becomes a v0.1 bundle (its Rekor bundle as the inclusion promise),
 * which is verified against each trusted key in turn. Offline: trust is injected.
 */
export function verifyCosignSignature(line: CosignSignatureLine, trust: TrustSet): SignatureVerdict {
  const payload = decodeStrictBase64(line.Payload);
  if (payload === undefined || decodeStrictBase64(line.Base64Signature) === undefined) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'Payload or Base64Signature is not strict base64' };
  }
  if (line.Cert?.Raw) {
    return { ok: false, code: 'SIGNATURE_UNTRUSTED_KEY', reason: 'a keyless (certificate) signature is verified against trusted identities, not keys' };
  }
  const withLog = line.Bundle != null;
  const withTimestamp = withLog || Boolean(line.RFC3161Timestamp?.SignedRFC3161Timestamp);
  if (withTimestamp && trust.trustedRoot === undefined) {
    const what = withLog ? 'a transparency-log entry' : 'an RFC 3161 timestamp';
    return { ok: false, code: 'TRUST_INVALID', reason: `the signature carries ${what} but no trusted root is configured to check it` };
  }
  let bundle: SerializedBundle;
  let facts: BundleFacts;
  try {
    bundle = legacySignatureToBundle(line, payload);
    facts = describeBundle(bundleFromJSON(bundle));
  } catch (thrown) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `cannot read the Rekor bundle: ${describeThrown(thrown)}` };
  }
  const verdict = verifyWithEachKey(bundle, payload, trust, { tlog: withLog ? 1 : 0, timestamp: withTimestamp ? 1 : 0 });
  if (!verdict.ok) return verdict;
  const details = { 'format version': LEGACY_FORMAT, ...keyDetails(verdict.key), ...logDetails(facts, 'none in the signature; not checked') };
  if (!line.Bundle) return { ok: true, signer: `trusted key ${verdict.key.id}`, key: verdict.key, details };
  const p = line.Bundle.Payload;
  const log = { index: String(p.logIndex), integratedTime: new Date(p.integratedTime * 1000).toISOString(), logId: p.logID };
  return {
    ok: true,
    signer: `trusted key ${verdict.key.id}`,
    key: verdict.key,
    log,
    signedAt: { at: log.integratedTime, by: 'transparency log' },
    details: { ...details, ...rootDetails(trust.trustedRoot?.sha256) },
  };
}

/**
 * Verifies a bare DSSE envelope as `cosign download attestation` prints it.
 * Such envelopes carry no certificate or log entry, so only the key signature
 * can be checked; the details say that no log was consulted.
 */
export function verifyDsseEnvelope(envelope: DsseEnvelope, trust: TrustSet): SignatureVerdict {
  const bundle = envelopeToBundle(envelope, {});
  if ('refused' in bundle) return bundle.refused;
  const verdict = verifyWithEachKey(bundle, undefined, trust, NO_LOG);
  if (!verdict.ok) return verdict;
  return {
    ok: true,
    signer: `trusted key ${verdict.key.id}`,
    key: verdict.key,
    details: { 'format version': 'DSSE v1 envelope', ...keyDetails(verdict.key), 'payload type': envelope.payloadType, 'transparency log': 'not in a downloaded envelope; not checked' },
  };
}

/** A keyless `cosign download signature` line (or `.sig` layer): its certificate is checked against the trusted identities. */
export async function verifyKeylessSignature(line: CosignSignatureLine, trust: VerificationTrust): Promise<SignatureVerdict> {
  const payload = decodeStrictBase64(line.Payload);
  if (payload === undefined || decodeStrictBase64(line.Base64Signature) === undefined) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'Payload or Base64Signature is not strict base64' };
  }
  let bundle: SerializedBundle;
  try {
    bundle = legacySignatureToBundle(line, payload);
  } catch (thrown) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `cannot read the Rekor bundle: ${describeThrown(thrown)}` };
  }
  return verifyBundle(bundle, { kind: 'bytes', bytes: payload }, trust, LEGACY_FORMAT);
}

/** A `.att` layer of a `cosign save` layout: the envelope with the certificate and Rekor entry from its annotations. */
export async function verifyAnnotatedEnvelope(envelope: DsseEnvelope, material: SigningMaterial, trust: VerificationTrust): Promise<SignatureVerdict> {
  let bundle: SerializedBundle | { refused: Extract<SignatureVerdict, { ok: false }> };
  try {
    bundle = envelopeToBundle(envelope, material);
  } catch (thrown) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `cannot read the Rekor bundle annotation: ${describeThrown(thrown)}` };
  }
  if ('refused' in bundle) return bundle.refused;
  return verifyBundle(bundle, { kind: 'none' }, trust, 'DSSE v1 envelope with cosign layer annotations, checked as a Sigstore bundle v0.1');
}

/**
 * Verifies a Sigstore bundle against the trusted root: key-signed bundles with
 * each trusted key (within its validity window), certificate-signed ones with
 * each trusted identity. A bundle is never checked without a trusted root.
 */
export async function verifyBundle(bundle: Record<string, unknown>, artifact: ArtifactInput, trust: VerificationTrust, formatVersion?: string): Promise<SignatureVerdict> {
  const trustedRoot = trust.trustedRoot;
  if (trustedRoot === undefined) {
    return { ok: false, code: 'TRUST_INVALID', reason: 'a Sigstore bundle or keyless signature is checked against a trusted root, and none is configured (trust.trustedRoot)' };
  }
  const material = bundleMaterial(bundle);
  const attempts: { who: string; policy: SignerPolicy; key?: TrustedKey; identity?: TrustedIdentityConfig }[] =
    material.keyless
      ? (trust.identities ?? []).map((identity) => ({ who: `identity ${identity.identity}`, identity, policy: { kind: 'identity', identity: identity.identity, issuer: identity.issuer, identityIsRegex: identity.regex === true } }))
      : trust.keys.map((key) => ({ who: `key ${key.id}`, key, policy: { kind: 'key', publicKey: key.key, validFor: (at: Date) => isKeyValidAt(key, at) } }));
  if (attempts.length === 0) {
    return material.keyless
      ? { ok: false, code: 'TRUST_INVALID', reason: 'the signature is keyless (a certificate), and no trusted identity is configured (trust.identities)' }
      : { ok: false, code: 'TRUST_INVALID', reason: 'no trusted key configured' };
  }
  const failures: { who: string; failure: BundleFailure }[] = [];
  for (const attempt of attempts) {
    const verdict = await verifySigstoreBundle({
      bundle,
      artifact,
      policy: attempt.policy,
      trustedRoot,
      // A key-signed bundle without log entry (`--tlog-upload=false`) verifies on its key alone, and says so.
      ...(material.keyless ? {} : { requireTlog: material.tlogEntries > 0, requireTimestamp: material.tlogEntries + material.tsaTokens > 0 }),
    });
    if (verdict.status === 'valid') return success(verdict, formatVersion, attempt.key, attempt.identity);
    failures.push({ who: attempt.who, failure: verdict });
  }
  return combineFailures(failures, formatVersion);
}

function success(verdict: Extract<BundleVerdict, { status: 'valid' }>, formatVersion: string | undefined, key?: TrustedKey, identity?: TrustedIdentityConfig): SignatureVerdict {
  const { facts, signer } = verdict;
  const details: Record<string, string> = { ...formatDetails(facts, formatVersion) };
  let who: string;
  if (signer.kind === 'public-key' && key) {
    Object.assign(details, keyDetails(key));
    who = `trusted key ${key.id}`;
  } else if (signer.kind === 'certificate') {
    Object.assign(details, {
      'signer identity (certificate SAN)': signer.subjectAlternativeName,
      'signer issuer (OIDC)': signer.issuer,
      'signer key fingerprint (SHA-256 of SPKI)': signer.keyFingerprint,
      ...(identity ? { 'identity policy': identity.regex === true ? `regular expression ${identity.identity}` : `exact ${identity.identity}` } : {}),
    });
    who = `${signer.subjectAlternativeName} (issuer ${signer.issuer})`;
  } else {
    details['key fingerprint (SHA-256 of SPKI)'] = signer.keyFingerprint;
    who = `key ${signer.keyFingerprint}`;
  }
  Object.assign(details, logDetails(facts, 'none in the bundle; not checked'), rootDetails(verdict.trustedRootSha256));
  const entry = facts.tlogEntries.find((e) => e.integratedTime !== undefined);
  const tsa = facts.timestampAuthorityTimes[0];
  const signedAt = entry?.integratedTime ? { at: entry.integratedTime, by: 'transparency log' as const } : tsa ? { at: tsa, by: 'timestamp authority' as const } : undefined;
  return {
    ok: true,
    signer: who,
    ...(key ? { key } : {}),
    ...(entry?.integratedTime ? { log: { index: entry.logIndex, integratedTime: entry.integratedTime, logId: entry.logId } } : {}),
    ...(signedAt ? { signedAt } : {}),
    details,
  };
}

/** One reason per key or identity tried (once if they agree); unsupported only when every attempt was. */
function combineFailures(failures: { who: string; failure: BundleFailure }[], formatVersion: string | undefined): SignatureVerdict {
  const last = failures[failures.length - 1]!.failure;
  const reasons = [...new Set(failures.map((f) => f.failure.reason))];
  const reason = reasons.length === 1 ? reasons[0]! : failures.map((f) => `${f.who}: ${f.failure.reason}`).join('; ');
  const unsupported = failures.find((f) => f.failure.status === 'unsupported');
  const code = failures.every((f) => f.failure.status === 'unsupported') ? 'EVIDENCE_UNSUPPORTED' : (failures.find((f) => f.failure.status === 'invalid')?.failure.code ?? last.code);
  const details: Record<string, string> = { ...(last.facts ? formatDetails(last.facts, formatVersion) : {}), ...rootDetails(last.trustedRootSha256) };
  if (last.cause) details['library error'] = `${last.cause.name}${last.cause.code ? ` ${last.cause.code}` : ''}: ${last.cause.message}`;
  if (unsupported && code !== 'EVIDENCE_UNSUPPORTED') details['also unsupported'] = unsupported.failure.reason;
  return { ok: false, code, reason, details };
}

function formatDetails(facts: BundleFacts, formatVersion: string | undefined): Record<string, string> {
  return {
    'format version': formatVersion ?? `Sigstore bundle v${facts.version}`,
    'bundle media type': facts.mediaType,
    'bundle content': facts.payloadType ? `${facts.content} (${facts.payloadType})` : facts.content,
  };
}

function keyDetails(key: TrustedKey): Record<string, string> {
  return { key: key.id, 'key fingerprint (SHA-256 of SPKI)': key.fingerprint, 'key algorithm': key.algorithm };
}

function logDetails(facts: BundleFacts, none: string): Record<string, string> {
  const [entry] = facts.tlogEntries;
  const details: Record<string, string> = {};
  if (entry === undefined) details['transparency log'] = none;
  else {
    Object.assign(details, { 'transparency log entry': `${entry.kind} ${entry.version}`, 'transparency log index': entry.logIndex, 'log id': entry.logId });
    if (entry.integratedTime) details['integrated time'] = entry.integratedTime;
    if (facts.tlogEntries.length > 1) details['transparency log entries'] = String(facts.tlogEntries.length);
  }
  if (facts.timestampAuthorityTimes.length > 0) details['timestamp authority times'] = facts.timestampAuthorityTimes.join(', ');
  return details;
}

function rootDetails(sha256: string | undefined): Record<string, string> {
  return sha256 === undefined ? {} : { 'trusted root (SHA-256)': sha256 };
}

/** Reads, without trusting, what kind of signer a bundle names and how many log entries and TSA tokens it has. */
function bundleMaterial(bundle: Record<string, unknown>): { keyless: boolean; tlogEntries: number; tsaTokens: number } {
  const vm = (bundle.verificationMaterial ?? {}) as Record<string, unknown>;
  const tsa = (vm.timestampVerificationData ?? {}) as { rfc3161Timestamps?: unknown };
  return {
    keyless: vm.x509CertificateChain != null || vm.certificate != null,
    tlogEntries: Array.isArray(vm.tlogEntries) ? vm.tlogEntries.length : 0,
    tsaTokens: Array.isArray(tsa.rfc3161Timestamps) ? tsa.rfc3161Timestamps.length : 0,
  };
}

function verifyWithEachKey(bundle: SerializedBundle, artifact: Buffer | undefined, trust: TrustSet, thresholds: Thresholds): { ok: true; key: TrustedKey } | Extract<SignatureVerdict, { ok: false }> {
  if (trust.keys.length === 0) return { ok: false, code: 'TRUST_INVALID', reason: 'no trusted key configured' };
  let last: Extract<SignatureVerdict, { ok: false }> = { ok: false, code: 'SIGNATURE_INVALID', reason: 'no key tried' };
  for (const key of trust.keys) {
    const verdict = verifyWithKey(bundle, artifact, trust, key, thresholds);
    if (verdict.ok) return verdict;
    last = verdict;
  }
  return last;
}

function verifyWithKey(bundle: SerializedBundle, artifact: Buffer | undefined, trust: TrustSet, key: TrustedKey, thresholds: Thresholds): { ok: true; key: TrustedKey } | Extract<SignatureVerdict, { ok: false }> {
  // cosign leaves the key hint empty for key-based signatures: ignore it and
  // offer this key, within its configured validity window.
  const keyFinder: KeyFinderFunc = () => ({ publicKey: key.key, validFor: (date: Date) => isKeyValidAt(key, date) });
  try {
    const material = toTrustMaterial(trust.trustedRoot?.root ?? EMPTY_ROOT, keyFinder);
    const verifier = new Verifier(material, { tlogThreshold: thresholds.tlog, timestampThreshold: thresholds.timestamp, ctlogThreshold: 0 });
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

export { legacySignatureToBundle } from './legacy-bundle.js';
