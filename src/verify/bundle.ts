import type { KeyObject } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { Verifier, toTrustMaterial, type KeyFinderFunc, type SignedEntity, type Signer, type VerificationPolicy } from '@sigstore/verify';
import { AuditpackError, type ErrorCode } from '../errors.js';
import type { LoadedTrustedRoot } from '../trust/load.js';
import { checkArtifactBinding, toSignedEntityFor, type ArtifactInput } from './bundle-artifact.js';
import { translateThrown, type ThrownFact } from './bundle-errors.js';
import { describeBundle, describeSigner, findUncheckableEntry, fingerprintOf, timestampAuthorityTimes, type BundleFacts, type SignerFact } from './bundle-facts.js';

export type { ArtifactInput } from './bundle-artifact.js';
export type { BundleFacts, SignerFact, TlogEntryFact } from './bundle-facts.js';
export type { ThrownFact } from './bundle-errors.js';

/** Who must have signed: a pinned key, or a keyless identity (exact unless a regex is asked for). */
export type SignerPolicy =
  | { kind: 'key'; publicKey: KeyObject; validFor?: (signedAt: Date) => boolean }
  | { kind: 'identity'; identity: string; issuer: string; identityIsRegex?: boolean };

export interface BundleVerificationInput {
  /** Raw file bytes (parsed here, so malformed JSON is a verdict) or already-parsed JSON. */
  bundle: Buffer | object;
  artifact: ArtifactInput;
  policy: SignerPolicy;
  trustedRoot: LoadedTrustedRoot;
  /** Key mode only (`cosign sign --tlog-upload=false`): accept bundles without a log entry / timestamp. */
  requireTlog?: boolean;
  requireTimestamp?: boolean;
}

export interface BundleFailure {
  /** `unsupported` (always with code EVIDENCE_UNSUPPORTED) means "cannot tell", never a pass. */
  status: 'invalid' | 'unsupported';
  trustedRootSha256: string;
  code: ErrorCode;
  reason: string;
  /** The library's error, verbatim, when the failure came from sigstore-js or Node. */
  cause?: ThrownFact;
  /** Present once the bundle parsed. */
  facts?: BundleFacts;
}

export type BundleVerdict = { status: 'valid'; trustedRootSha256: string; facts: BundleFacts; signer: SignerFact } | BundleFailure;

/**
 * Verifies a Sigstore bundle (v0.1–v0.3, message signature or DSSE) offline:
 * trust is injected, nothing is fetched, and nothing thrown escapes — every
 * failure is a verdict with a stable code and the library's own message.
 */
export async function verifySigstoreBundle(input: BundleVerificationInput): Promise<BundleVerdict> {
  const trustedRootSha256 = input.trustedRoot.sha256;
  let facts: BundleFacts | undefined;
  try {
    const bundle = bundleFromJSON(Buffer.isBuffer(input.bundle) ? JSON.parse(input.bundle.toString('utf8')) : input.bundle);
    facts = describeBundle(bundle);
    const uncheckable = findUncheckableEntry(facts);
    if (uncheckable !== undefined) {
      throw new AuditpackError('EVIDENCE_UNSUPPORTED', `transparency-log entry kind ${uncheckable} cannot be checked by auditpack (sigstore-js)`);
    }
    checkPolicyFitsBundle(input.policy, bundle);
    checkArtifactBinding(bundle, input.artifact);
    const entity = await toSignedEntityFor(bundle, input.artifact);
    facts.timestampAuthorityTimes = timestampAuthorityTimes(entity);
    const signer = verifyEntity(entity, input);
    const material = bundle.verificationMaterial.content;
    return { status: 'valid', trustedRootSha256, facts, signer: describeSigner(signer, material.$case === 'publicKey' ? material.publicKey.hint : undefined) };
  } catch (thrown) {
    return failure(thrown, trustedRootSha256, facts);
  }
}

function verifyEntity(entity: SignedEntity, input: BundleVerificationInput): Signer {
  const { policy } = input;
  const keyFinder: KeyFinderFunc | undefined =
    policy.kind === 'key' ? () => ({ publicKey: policy.publicKey, validFor: policy.validFor ?? (() => true) }) : undefined;
  const trust = toTrustMaterial(input.trustedRoot.root, keyFinder);
  const keyless = policy.kind === 'identity';
  const verifier = new Verifier(trust, {
    // A certificate is only as good as its signing time: keyless always needs a log entry and a timestamp.
    tlogThreshold: keyless || input.requireTlog !== false ? 1 : 0,
    timestampThreshold: keyless || input.requireTimestamp !== false ? 1 : 0,
    ctlogThreshold: keyless ? 1 : 0,
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
    throw new AuditpackError('SIGNATURE_UNTRUSTED_KEY', 'the bundle is signed with a certificate, not with the pinned key: verify it with an identity and issuer');
  }
  if (policy.kind === 'identity' && keySigned) {
    throw new AuditpackError('SIGNATURE_UNTRUSTED_KEY', 'the bundle is signed with a public key, not a certificate: verify it with that key');
  }
}

function failure(thrown: unknown, trustedRootSha256: string, facts?: BundleFacts): BundleFailure {
  const { code, reason, cause } = translateThrown(thrown);
  return {
    status: code === 'EVIDENCE_UNSUPPORTED' ? 'unsupported' : 'invalid',
    trustedRootSha256,
    code,
    reason,
    // An AuditpackError is ours: its message is the reason, there is no library error to keep.
    ...(thrown instanceof AuditpackError ? {} : { cause }),
    ...(facts === undefined ? {} : { facts }),
  };
}
