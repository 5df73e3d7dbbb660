import type { ErrorCode } from '../errors.js';
import { describeThrown } from '../errors.js';
import type { TrustedIdentityConfig } from '../config/schema.js';
import { hasValidityWindow, isKeyValidAt, type TrustedKey, type TrustSet } from '../trust/load.js';
import type { CosignSignatureLine, DsseEnvelope, SigningMaterial } from '../util/wire.js';
import { decodeStrictBase64 } from './base64.js';
import { envelopeToBundle, legacySignatureToBundle } from './legacy-bundle.js';
import { verifySigstoreBundle, type ArtifactInput, type BundleFailure, type SignerPolicy } from './bundle.js';
import { chooseInstance } from './github-instance.js';
import { combineFailures, success } from './verdict.js';

/** Trust as verification uses it: keys and the trusted root (src/trust), keyless identities (config). */
export interface VerificationTrust extends TrustSet {
  identities?: TrustedIdentityConfig[];
}

/** How demanding verification of evidence is (config `trust.requireTransparencyLog`). */
export interface VerificationOptions {
  /** Every signature needs a verified signing time (log entry with SET, or RFC 3161). Keyless ones and keys with a validity window always do. */
  requireSignedTime: boolean;
}

export const DEFAULT_VERIFICATION: VerificationOptions = { requireSignedTime: true };

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
  | {
      ok: true;
      signer: string;
      key?: TrustedKey;
      log?: LogFact;
      signedAt?: { at: string; by: 'transparency log' | 'timestamp authority' };
      details: Record<string, string>;
    }
  | { ok: false; code: ErrorCode; reason: string; details?: Record<string, string> };

/**
 * What a signature or attestation needs to be verified, as read from evidence.
 * `payload`: a DSSE payload as `decodeStrictBase64` read it from this same
 * envelope, when the statement was parsed from it (verify/units.ts):
 * verification checks those bytes instead of decoding them again.
 */
export type VerificationInput =
  | { kind: 'legacy-signature'; line: CosignSignatureLine }
  | { kind: 'dsse-envelope'; envelope: DsseEnvelope; material?: SigningMaterial; payload?: Buffer }
  | { kind: 'bundle'; bundle: Record<string, unknown>; artifact: ArtifactInput; payload?: Buffer }
  /** Evidence that cannot be verified as read (a missing blob, an unreadable annotation): its code and reason. */
  | { kind: 'refused'; code: ErrorCode; reason: string };

type Failure = Extract<SignatureVerdict, { ok: false }>;

const LEGACY_FORMAT = 'cosign simple signing, checked as a Sigstore bundle v0.1';
const BARE_ENVELOPE_FORMAT = 'DSSE v1 envelope, checked as a Sigstore bundle v0.3 (no log entry in a downloaded envelope)';
const ANNOTATED_ENVELOPE_FORMAT = 'DSSE v1 envelope with cosign layer annotations, checked as a Sigstore bundle v0.1';

/**
 * Verifies one piece of signed evidence. Every format is first converted to a
 * Sigstore bundle, then checked by `verifySigstoreBundle` against each trusted
 * key (or keyless identity) in turn: one path, one set of codes. Synchronous
 * and never throws.
 */
export function verifyInput(input: VerificationInput, trust: VerificationTrust, options: VerificationOptions = DEFAULT_VERIFICATION): SignatureVerdict {
  const converted = toBundle(input);
  if ('ok' in converted) return converted;
  return verifyAgainstTrust(converted, trust, options);
}

interface Converted {
  bundle: Record<string, unknown>;
  artifact: ArtifactInput;
  formatVersion?: string;
  /** The bundle's DSSE payload, decoded (VerificationInput's `payload`). */
  payload?: Buffer;
}

function toBundle(input: VerificationInput): Converted | Failure {
  switch (input.kind) {
    case 'refused':
      return { ok: false, code: input.code, reason: input.reason };
    case 'bundle':
      return { bundle: input.bundle, artifact: input.artifact, ...withPayload(input.payload) };
    case 'legacy-signature': {
      const payload = decodeStrictBase64(input.line.Payload);
      if (payload === undefined || decodeStrictBase64(input.line.Base64Signature) === undefined) {
        return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'Payload or Base64Signature is not strict base64' };
      }
      return convert(() => legacySignatureToBundle(input.line, payload), { kind: 'bytes', bytes: payload }, LEGACY_FORMAT);
    }
    case 'dsse-envelope': {
      const annotated = input.material?.Cert?.Raw || input.material?.Bundle;
      const converted = convert(
        () => envelopeToBundle(input.envelope, input.material ?? {}, input.payload),
        { kind: 'none' },
        annotated ? ANNOTATED_ENVELOPE_FORMAT : BARE_ENVELOPE_FORMAT,
      );
      return 'ok' in converted ? converted : { ...converted, ...withPayload(input.payload) };
    }
  }
}

function withPayload(payload: Buffer | undefined): { payload?: Buffer } {
  return payload === undefined ? {} : { payload };
}

function convert(build: () => object | { refused: Failure }, artifact: ArtifactInput, formatVersion: string): Converted | Failure {
  try {
    const bundle = build();
    if ('refused' in bundle) return bundle.refused;
    return { bundle: bundle as Record<string, unknown>, artifact, formatVersion };
  } catch (thrown) {
    return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `cannot read the Rekor bundle: ${describeThrown(thrown)}` };
  }
}

export interface Attempt {
  who: string;
  policy: SignerPolicy;
  key?: TrustedKey;
  identity?: TrustedIdentityConfig;
}

/** Key-signed evidence is tried with each trusted key (within its validity window), keyless evidence with each trusted identity. */
function verifyAgainstTrust(converted: Converted, trust: VerificationTrust, options: VerificationOptions): SignatureVerdict {
  const keyless = isKeyless(converted.bundle);
  const attempts: Attempt[] = keyless
    ? (trust.identities ?? []).map((identity) => ({
        who: `identity ${identity.identity}`,
        identity,
        policy: { kind: 'identity', identity: identity.identity, issuer: identity.issuer, identityIsRegex: identity.regex === true },
      }))
    : trust.keys.map((key) => ({ who: `key ${key.id}`, key, policy: keyPolicy(key) }));
  if (attempts.length === 0) {
    return keyless
      ? { ok: false, code: 'TRUST_INVALID', reason: 'the signature is keyless (a certificate), and no trusted identity is configured (trust.identities)' }
      : { ok: false, code: 'TRUST_INVALID', reason: 'no trusted key configured' };
  }
  const instance = chooseInstance(converted.bundle, keyless, trust);
  if (!instance.ok) return instance;
  const failures: { who: string; failure: BundleFailure }[] = [];
  for (const attempt of attempts) {
    const verdict = verifySigstoreBundle({
      bundle: converted.bundle,
      artifact: converted.artifact,
      ...(converted.payload === undefined ? {} : { dssePayload: converted.payload }),
      policy: attempt.policy,
      ...(instance.trustedRoot === undefined ? {} : { trustedRoot: instance.trustedRoot }),
      ...(instance.timestampOnly ? { timestampOnly: true } : {}),
      // A log entry is not required as such: a verified time (SET or RFC 3161) is, unless the policy waives it.
      ...(keyless ? {} : { requireTlog: false, requireTimestamp: options.requireSignedTime }),
    });
    if (verdict.status === 'valid') {
      const verified = success(verdict, converted.formatVersion, attempt);
      return verified.ok && instance.note ? { ...verified, details: { ...verified.details, ...instance.note } } : verified;
    }
    failures.push({ who: attempt.who, failure: verdict });
  }
  return combineFailures(failures, converted.formatVersion);
}

function keyPolicy(key: TrustedKey): SignerPolicy {
  return hasValidityWindow(key) ? { kind: 'key', publicKey: key.key, validFor: (at: Date) => isKeyValidAt(key, at) } : { kind: 'key', publicKey: key.key };
}

/** Reads, without trusting, whether a bundle names a certificate (keyless) rather than a key. */
function isKeyless(bundle: Record<string, unknown>): boolean {
  const vm = (bundle.verificationMaterial ?? {}) as Record<string, unknown>;
  return vm.x509CertificateChain != null || vm.certificate != null;
}

export { legacySignatureToBundle } from './legacy-bundle.js';
