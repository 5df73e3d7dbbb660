import type { KeyObject } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toTrustMaterial, type KeyFinderFunc, type SignedEntity, type Signer, type TrustMaterial, type VerificationPolicy } from '@sigstore/verify';
import { AuditpackError, type ErrorCode } from '../errors.js';
import type { LoadedTrustedRoot } from '../trust/load.js';
import { checkArtifactBinding, toSignedEntityFor, type ArtifactInput } from './bundle-artifact.js';
import { translateThrown, type ThrownFact } from './bundle-errors.js';
import {
  describeBundle,
  describeSigner,
  findUncheckableEntry,
  fingerprintOf,
  timestampAuthorityTimes,
  type BundleFacts,
  type SignerFact,
} from './bundle-facts.js';

export type { ArtifactInput } from './bundle-artifact.js';
export type { BundleFacts, SignerFact, TlogEntryFact } from './bundle-facts.js';
export type { ThrownFact } from './bundle-errors.js';

/**
 * Who must have signed: a pinned key, or a keyless identity (exact unless a
 * regex is asked for). `validFor` is a key's validity window: a key that has
 * one is only trusted at a verified signing time inside it.
 */
export type SignerPolicy =
  | { kind: 'key'; publicKey: KeyObject; validFor?: (signedAt: Date) => boolean }
  | { kind: 'identity'; identity: string; issuer: string; identityIsRegex?: boolean };

export interface BundleVerificationInput {
  /** Raw file bytes (parsed here, so malformed JSON is a verdict) or already-parsed JSON. */
  bundle: Buffer | object;
  artifact: ArtifactInput;
  policy: SignerPolicy;
  /**
   * The bundle's DSSE payload as auditpack's strict decoder read it
   * (decodeStrictBase64), when the caller parsed the statement from those
   * bytes: they are what is checked, not decoded again. Ignored unless their
   * length is the one the payload's text decodes to.
   */
  dssePayload?: Buffer;
  /** Absent only where no log entry, timestamp or certificate is to be checked (a seal, a key-only signature). */
  trustedRoot?: LoadedTrustedRoot;
  /** Key mode only: require a transparency-log entry (default true). Log entries present are always checked. */
  requireTlog?: boolean;
  /**
   * Key mode only: require a verified signing time, a log entry's signed entry
   * timestamp or an RFC 3161 timestamp (default true). Keyless signatures and
   * keys with a validity window always require one.
   */
  requireTimestamp?: boolean;
  /**
   * Keyless only: the certificate comes from an instance that keeps no
   * transparency log and issues no SCTs (GitHub's own Sigstore), so neither is
   * required and an RFC 3161 timestamp dates the signature instead. Set only
   * for an instance the configuration trusts explicitly, with its root alone.
   */
  timestampOnly?: boolean;
}

export interface BundleFailure {
  /** `unsupported` (always with code EVIDENCE_UNSUPPORTED) means "cannot tell", never a pass. */
  status: 'invalid' | 'unsupported';
  /** The trusted root's SHA-256, when one was used. */
  trustedRootSha256?: string;
  code: ErrorCode;
  reason: string;
  /** The library's error, verbatim, when the failure came from sigstore-js or Node. */
  cause?: ThrownFact;
  /** Present once the bundle parsed. */
  facts?: BundleFacts;
}

export type BundleVerdict = { status: 'valid'; trustedRootSha256?: string; facts: BundleFacts; signer: SignerFact } | BundleFailure;

const EMPTY_ROOT = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' });

/**
 * Verifies a Sigstore bundle (v0.1–v0.3, message signature or DSSE) offline:
 * trust is injected, nothing is fetched, and nothing thrown escapes — every
 * failure is a verdict with a stable code and the library's own message.
 * This is auditpack's one verification path: legacy cosign signatures, bare
 * and annotated DSSE envelopes, layouts and the seal are converted to bundles
 * and checked here.
 */
export function verifySigstoreBundle(input: BundleVerificationInput): BundleVerdict {
  const trustedRootSha256 = input.trustedRoot?.sha256;
  let facts: BundleFacts | undefined;
  try {
    const bundle = parseBundle(Buffer.isBuffer(input.bundle) ? JSON.parse(input.bundle.toString('utf8')) : input.bundle, input.dssePayload);
    facts = describeBundle(bundle);
    const uncheckable = findUncheckableEntry(facts);
    if (uncheckable !== undefined) throw new AuditpackError('EVIDENCE_UNSUPPORTED', uncheckable);
    checkPolicyFitsBundle(input.policy, bundle);
    checkTrustedRootPresent(input, bundle, facts);
    checkArtifactBinding(bundle, input.artifact);
    const entity = toSignedEntityFor(bundle, input.artifact);
    facts.timestampAuthorityTimes = timestampAuthorityTimes(entity);
    const signer = verifyEntity(entity, input);
    const material = bundle.verificationMaterial.content;
    return {
      status: 'valid',
      ...optionalRoot(trustedRootSha256),
      facts,
      signer: describeSigner(signer, material.$case === 'publicKey' ? material.publicKey.hint : undefined),
    };
  } catch (thrown) {
    return failure(thrown, trustedRootSha256, facts);
  }
}

/**
 * The bundle as sigstore-js reads it, but its DSSE payload decoded once: the
 * caller's strictly decoded bytes when it has them, else Node's base64
 * decoder, the one the generated protobuf code calls, whose result that code
 * then copies twice, the second time byte by byte (`Uint8Array.from`): for an
 * attestation carrying a whole SBOM that copy cost more than the signature
 * check. The library still parses and validates everything else: it is given
 * the envelope with a one-byte stand-in payload (an empty one it rightly
 * refuses), then the decoded bytes replace it. An empty or absent payload
 * goes through the library unchanged.
 */
function parseBundle(json: unknown, decoded: Buffer | undefined): Bundle {
  const envelope = isObject(json) ? json.dsseEnvelope : undefined;
  if (!isObject(json) || !isObject(envelope) || typeof envelope.payload !== 'string') return bundleFromJSON(json);
  const payload = decoded !== undefined && decoded.length === strictDecodedLength(envelope.payload) ? decoded : Buffer.from(envelope.payload, 'base64');
  if (payload.length === 0) return bundleFromJSON(json);
  const bundle = bundleFromJSON({ ...json, dsseEnvelope: { ...envelope, payload: STAND_IN_PAYLOAD } });
  if (bundle.content.$case === 'dsseEnvelope') bundle.content.dsseEnvelope.payload = payload;
  return bundle;
}

const STAND_IN_PAYLOAD = 'AA==';

/** How many bytes padded base64 text of this length carries (what decodeStrictBase64 returns for it). */
function strictDecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * sigstore-js's trust material for a root, built once per root (its keys and
 * certificates parsed: creating the log's public key for every signature was
 * a few per cent of an estate's verification); the key finder, which carries
 * the signature's own pinned key, is added per verification.
 */
function trustMaterial(root: TrustedRoot, keyFinder: KeyFinderFunc | undefined): TrustMaterial {
  let material = TRUST_MATERIAL.get(root);
  if (material === undefined) {
    material = toTrustMaterial(root);
    TRUST_MATERIAL.set(root, material);
  }
  return keyFinder === undefined ? material : { ...material, publicKey: keyFinder };
}

const TRUST_MATERIAL = new WeakMap<TrustedRoot, TrustMaterial>();

/** Whether a verified signing time is demanded: always for certificates and for keys with a validity window. */
function requiresSignedTime(input: BundleVerificationInput): boolean {
  return input.policy.kind === 'identity' || input.policy.validFor !== undefined || input.requireTimestamp !== false;
}

function verifyEntity(entity: SignedEntity, input: BundleVerificationInput): Signer {
  const { policy } = input;
  const keyFinder: KeyFinderFunc | undefined =
    policy.kind === 'key' ? () => ({ publicKey: policy.publicKey, validFor: policy.validFor ?? (() => true) }) : undefined;
  const trust = trustMaterial(input.trustedRoot?.root ?? EMPTY_ROOT, keyFinder);
  const keyless = policy.kind === 'identity';
  const logged = keyless && input.timestampOnly !== true;
  const verifier = new Verifier(trust, {
    // A certificate is only as good as its signing time: keyless always needs a log entry (or, timestamp-only, a TSA time).
    tlogThreshold: logged || (!keyless && input.requireTlog !== false) ? 1 : 0,
    // sigstore-js checks a key's window only against the timestamps it verified: with none, the window would never hold.
    timestampThreshold: requiresSignedTime(input) ? 1 : 0,
    ctlogThreshold: logged ? 1 : 0,
  });
  const signer = verifier.verify(entity, keyless ? identityPolicy(policy) : undefined);
  if (policy.kind === 'key' && fingerprintOf(signer.key) !== fingerprintOf(policy.publicKey)) {
    throw new AuditpackError('SIGNATURE_UNTRUSTED_KEY', 'the signature verified with a key other than the pinned one');
  }
  return signer;
}

/** sigstore-js matches the SAN as an unanchored regex: escape and anchor it unless a regex was asked for. */
function identityPolicy(policy: Extract<SignerPolicy, { kind: 'identity' }>): VerificationPolicy {
  const pattern = policy.identityIsRegex === true ? policy.identity : `^${policy.identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
  return { subjectAlternativeName: pattern, extensions: { issuer: policy.issuer } };
}

/**
 * sigstore-js consults the injected key only for key-signed bundles and the
 * identity only for certificates, so a mismatch would silently skip the
 * pinned trust. Refuse it up front.
 */
function checkPolicyFitsBundle(policy: SignerPolicy, bundle: Bundle): void {
  const keySigned = bundle.verificationMaterial.content.$case === 'publicKey';
  if (policy.kind === 'key' && !keySigned) {
    throw new AuditpackError(
      'SIGNATURE_UNTRUSTED_KEY',
      'the bundle is signed with a certificate, not with the pinned key: verify it with an identity and issuer',
    );
  }
  if (policy.kind === 'identity' && keySigned) {
    throw new AuditpackError('SIGNATURE_UNTRUSTED_KEY', 'the bundle is signed with a public key, not a certificate: verify it with that key');
  }
}

/**
 * Without a trusted root, nothing but a bare key signature can be checked:
 * refuse, naming what needed the root, rather than let an empty root pass or
 * blame the signature.
 */
function checkTrustedRootPresent(input: BundleVerificationInput, bundle: Bundle, facts: BundleFacts): void {
  if (input.trustedRoot !== undefined) return;
  const tokens = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
  const needs =
    input.policy.kind === 'identity'
      ? 'is keyless (a certificate), which is checked against a trusted root'
      : facts.tlogEntries.length > 0
        ? 'carries a transparency-log entry'
        : tokens > 0
          ? 'carries an RFC 3161 timestamp'
          : requiresSignedTime(input)
            ? 'needs a verified signing time (transparency log or timestamp authority)'
            : undefined;
  if (needs !== undefined)
    throw new AuditpackError('TRUST_INVALID', `the signature ${needs}, but no trusted root is configured to check it (trust.trustedRoot)`);
}

function optionalRoot(sha256: string | undefined): { trustedRootSha256?: string } {
  return sha256 === undefined ? {} : { trustedRootSha256: sha256 };
}

function failure(thrown: unknown, trustedRootSha256: string | undefined, facts?: BundleFacts): BundleFailure {
  const { code, reason, cause } = translateThrown(thrown);
  return {
    status: code === 'EVIDENCE_UNSUPPORTED' ? 'unsupported' : 'invalid',
    ...optionalRoot(trustedRootSha256),
    code,
    reason,
    // An AuditpackError is ours: its message is the reason, there is no library error to keep.
    ...(thrown instanceof AuditpackError ? {} : { cause }),
    ...(facts === undefined ? {} : { facts }),
  };
}
