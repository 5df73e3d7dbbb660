import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { describeThrown, type ErrorCode } from '../errors.js';
import type { LoadedTrustedRoot } from '../trust/load.js';
import { verifySigstoreBundle, type ArtifactInput, type SignerPolicy } from '../verify/bundle.js';
import { parseInTotoStatement } from '../verify/payloads.js';
import { keyAlgorithm, keyFingerprint } from './keys.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from './manifest.js';
import { SEAL_PREDICATE_TYPE } from './sign.js';

/** What the verifier trusts: a key, a key's fingerprint, a keyless identity, or nothing (then nothing is "intact"). */
export type SealAnchor =
  | { kind: 'key'; key: KeyObject }
  | { kind: 'key-fingerprint'; sha256: string }
  | { kind: 'identity'; identity: string; issuer: string; identityIsRegex?: boolean }
  | { kind: 'none' };

export interface SealProblem {
  code: Extract<ErrorCode, 'SEAL_MISSING' | 'SEAL_MISMATCH' | 'SEAL_SIGNATURE_INVALID' | 'TIMESTAMP_INVALID' | 'ARCHIVE_INVALID' | 'FINDING_MISMATCH'>;
  file: string;
  reason: string;
}

export type SealSigner =
  { kind: 'key'; fingerprint: string; algorithm: string } | { kind: 'certificate'; identity: string; issuer: string; fingerprint: string };

export interface SealCheck {
  problem?: SealProblem;
  signer?: SealSigner;
  /** An RFC 3161 timestamp: checked against the verifier's trusted root, present but unchecked, or absent. */
  timestamp: { state: 'verified'; at: string } | { state: 'not-checked' } | { state: 'absent' };
  keyless: boolean;
}

/** A trusted root that trusts nothing: for key-only checks, where no log, CA or TSA is consulted. */
export const EMPTY_TRUSTED_ROOT: LoadedTrustedRoot = {
  source: '(none)',
  bytes: Buffer.alloc(0),
  sha256: createHash('sha256').update('').digest('hex'),
  root: TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' }),
  files: [],
};

/**
 * Checks the seal over manifest.json with `verifySigstoreBundle`, the code
 * behind `auditpack verify-bundle`, so both always agree. The key comes
 * from the verifier (`--key`), or from manifest.pub once its fingerprint is
 * the pinned one, or, with no anchor, from manifest.pub for a consistency
 * check that proves nothing about who sealed. A timestamp is checked when
 * the verifier gives a trusted root naming the TSA, otherwise set aside.
 */
export function checkSeal(
  sealBytes: Buffer,
  manifestBytes: Buffer,
  bundleKey: Buffer | undefined,
  anchor: SealAnchor,
  trustedRoot?: LoadedTrustedRoot,
): SealCheck {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(sealBytes.toString('utf8')) as Record<string, unknown>;
  } catch (thrown) {
    return { problem: invalid(`not JSON: ${describeThrown(thrown)}`), timestamp: { state: 'absent' }, keyless: false };
  }
  const material = (json.verificationMaterial ?? {}) as Record<string, unknown>;
  const keyless = material.certificate !== undefined || material.x509CertificateChain !== undefined;
  const stamps = ((material.timestampVerificationData as { rfc3161Timestamps?: unknown[] } | undefined)?.rfc3161Timestamps ?? []).length;
  // A keyless seal and no anchor: nothing to check its certificate against, so it stays unverified (not failed).
  if (keyless && anchor.kind === 'none') return { timestamp: { state: stamps > 0 ? 'not-checked' : 'absent' }, keyless };
  const policy = policyFor(anchor, keyless, bundleKey);
  if ('problem' in policy) return { problem: policy.problem, timestamp: { state: stamps > 0 ? 'not-checked' : 'absent' }, keyless };
  const checkStamps = stamps > 0 && trustedRoot !== undefined;
  const bundle = stamps > 0 && !checkStamps && !keyless ? withoutTimestamps(json, material) : json;
  const verify = (artifact: ArtifactInput) =>
    verifySigstoreBundle({
      bundle,
      artifact,
      policy: policy.policy,
      trustedRoot: trustedRoot ?? EMPTY_TRUSTED_ROOT,
      requireTlog: keyless,
      requireTimestamp: keyless || checkStamps,
    });
  let verdict = verify({ kind: 'bytes', bytes: manifestBytes });
  if (verdict.status !== 'valid' && verdict.code === 'DIGEST_MISMATCH') {
    // The signed statement names another manifest: blame manifest.json only if the seal itself is genuine.
    const signature = verify({ kind: 'none' });
    if (signature.status !== 'valid') verdict = signature;
  }
  const timestamp: SealCheck['timestamp'] =
    stamps === 0
      ? { state: 'absent' }
      : checkStamps
        ? { state: 'verified', at: verdict.status === 'valid' ? (verdict.facts.timestampAuthorityTimes[0] ?? '') : '' }
        : { state: 'not-checked' };
  if (verdict.status !== 'valid') {
    if (verdict.code === 'DIGEST_MISMATCH')
      return { problem: { code: 'SEAL_MISMATCH', file: MANIFEST_FILE, reason: 'its SHA-256 differs from the one the seal signed' }, timestamp, keyless };
    const code = verdict.code === 'TIMESTAMP_INVALID' ? 'TIMESTAMP_INVALID' : 'SEAL_SIGNATURE_INVALID';
    return {
      problem: {
        code,
        file: SEAL_FILE,
        reason: `${verdict.reason}${verdict.cause && verdict.cause.message !== verdict.reason ? ` (${verdict.cause.message})` : ''}${code === 'TIMESTAMP_INVALID' ? '' : otherKeyHint(anchor, bundleKey)}`,
      },
      timestamp,
      keyless,
    };
  }
  const predicate = sealPredicateProblem(json);
  const signer: SealSigner =
    verdict.signer.kind === 'certificate'
      ? { kind: 'certificate', identity: verdict.signer.subjectAlternativeName, issuer: verdict.signer.issuer, fingerprint: verdict.signer.keyFingerprint }
      : { kind: 'key', fingerprint: verdict.signer.keyFingerprint, algorithm: policy.policy.kind === 'key' ? keyAlgorithm(policy.policy.publicKey) : '' };
  return { ...(predicate === undefined ? {} : { problem: predicate }), signer, timestamp, keyless };
}

/**
 * When the key the verifier gave is not the one the bundle names (its
 * manifest.pub, a claim, not trusted), says so: the usual cause of a seal
 * that does not verify is a key for another bundle, not an altered one.
 */
function otherKeyHint(anchor: SealAnchor, bundleKey: Buffer | undefined): string {
  if (anchor.kind !== 'key' || bundleKey === undefined) return '';
  let named: string;
  try {
    named = keyFingerprint(createPublicKey(bundleKey));
  } catch {
    return '';
  }
  const given = keyFingerprint(anchor.key);
  return named === given
    ? ''
    : `; the key given has SHA-256 ${given}, the bundle names a seal key with SHA-256 ${named} (${SEAL_KEY_FILE}, its own claim): sealed with another key, or --key is not this bundle's`;
}

function policyFor(anchor: SealAnchor, keyless: boolean, bundleKey: Buffer | undefined): { policy: SignerPolicy } | { problem: SealProblem } {
  if (anchor.kind === 'identity')
    return { policy: { kind: 'identity', identity: anchor.identity, issuer: anchor.issuer, ...(anchor.identityIsRegex ? { identityIsRegex: true } : {}) } };
  if (anchor.kind === 'key') return { policy: { kind: 'key', publicKey: anchor.key } };
  if (bundleKey === undefined) return { problem: { code: 'SEAL_MISSING', file: SEAL_KEY_FILE, reason: "not found: pass the signer's public key with --key" } };
  let key: KeyObject;
  try {
    key = createPublicKey(bundleKey);
  } catch (thrown) {
    return { problem: { code: 'SEAL_SIGNATURE_INVALID', file: SEAL_KEY_FILE, reason: `not a PEM public key: ${describeThrown(thrown)}` } };
  }
  if (anchor.kind === 'key-fingerprint' && keyFingerprint(key) !== anchor.sha256) {
    return {
      problem: {
        code: 'SEAL_SIGNATURE_INVALID',
        file: SEAL_KEY_FILE,
        reason: `the seal key's fingerprint is ${keyFingerprint(key)}, not the pinned ${anchor.sha256}: sealed by someone else`,
      },
    };
  }
  return { policy: { kind: 'key', publicKey: key } };
}

function sealPredicateProblem(json: Record<string, unknown>): SealProblem | undefined {
  const env = json.dsseEnvelope as { payloadType?: unknown; payload?: unknown } | undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const statement = parseInTotoStatement(text(env?.payloadType), text(env?.payload));
  if (!statement.ok) return invalid(statement.reason);
  if (statement.value.predicateType !== SEAL_PREDICATE_TYPE)
    return invalid(`its statement is a ${statement.value.predicateType}, not an auditpack bundle seal (${SEAL_PREDICATE_TYPE})`);
  return undefined;
}

/** The seal as it would verify without its timestamp: used when no trusted root was given to check the TSA. */
function withoutTimestamps(json: Record<string, unknown>, material: Record<string, unknown>): Record<string, unknown> {
  const { timestampVerificationData: _ignored, ...rest } = material;
  return { ...json, verificationMaterial: rest };
}

function invalid(reason: string): SealProblem {
  return { code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE, reason };
}
