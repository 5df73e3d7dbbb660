import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bundle, MessageSignature } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';
import { AuditpackError } from '../errors.js';
import { IN_TOTO_PAYLOAD_TYPE, isRecord } from '../util/wire.js';
import { verifyEcdsaOverDigest } from './ecdsa-digest.js';

/** What the bundle is claimed to be about. */
export type ArtifactInput =
  | { kind: 'bytes'; bytes: Buffer }
  /** `sha256` is 64 lowercase hex digits (the CLI's `sha256:<hex>` without the prefix). */
  | { kind: 'digest'; sha256: string }
  /** DSSE only: verify the envelope without tying it to an artifact (the caller checks subjects). */
  | { kind: 'none' };

const NODE_HASH_NAMES: Partial<Record<HashAlgorithm, string>> = {
  // proto3 JSON omits the zero value; sigstore-js reads "unspecified" as SHA-256 too.
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

/**
 * Checks that the bundle is about this artifact, before any cryptography.
 * sigstore-js treats `messageDigest` as a hint and never checks DSSE
 * subjects, so both comparisons are ours. Throws an `AuditpackError`.
 */
export function checkArtifactBinding(bundle: Bundle, artifact: ArtifactInput): void {
  if (bundle.content.$case === 'messageSignature') {
    checkMessageDigest(bundle.content.messageSignature, artifact);
  } else if (artifact.kind !== 'none') {
    const env = bundle.content.dsseEnvelope;
    checkSubject(env.payloadType, env.payload, artifact);
  }
}

/**
 * The entity sigstore-js verifies. For a message signature known only by its
 * digest, the signature content is replaced (as the sigstore-js conformance
 * CLI does) so the tlog digest is compared with, and the signature verified
 * over, the digest the caller gave rather than the bundle's unsigned hint.
 */
export function toSignedEntityFor(bundle: Bundle, artifact: ArtifactInput): SignedEntity {
  if (artifact.kind !== 'digest' || bundle.content.$case !== 'messageSignature') {
    return toSignedEntity(bundle, artifact.kind === 'bytes' ? artifact.bytes : undefined);
  }
  const entity = toSignedEntity(bundle);
  const signature = bundle.content.messageSignature.signature;
  const digest = Buffer.from(artifact.sha256, 'hex');
  entity.signature = {
    signature,
    compareSignature: (candidate) => sameBytes(candidate, signature),
    compareDigest: (candidate) => sameBytes(candidate, digest),
    compareSignedDigest: (candidate) => sameBytes(candidate, digest),
    verifySignature: (key) => verifyEcdsaOverDigest(key, digest, signature),
  };
  return entity;
}

function checkMessageDigest(signature: MessageSignature, artifact: ArtifactInput): void {
  const claimed = signature.messageDigest.digest;
  const hashName = NODE_HASH_NAMES[signature.messageDigest.algorithm];
  if (artifact.kind === 'none') {
    throw new AuditpackError('EVIDENCE_MISSING', 'a message-signature bundle needs the artifact or its sha256 digest');
  }
  if (hashName === undefined || (artifact.kind === 'digest' && hashName !== 'sha256')) {
    throw new AuditpackError(
      'EVIDENCE_UNSUPPORTED',
      `cannot compare the artifact with a ${HashAlgorithm[signature.messageDigest.algorithm]} messageDigest${artifact.kind === 'digest' ? ' from a sha256 digest: pass the artifact file' : ''}`,
    );
  }
  const actual = artifact.kind === 'bytes' ? createHash(hashName).update(artifact.bytes).digest() : Buffer.from(artifact.sha256, 'hex');
  if (!sameBytes(actual, claimed)) {
    throw new AuditpackError(
      'DIGEST_MISMATCH',
      `the artifact's ${hashName} is ${actual.toString('hex')} but the bundle's messageDigest is ${claimed.toString('hex')}`,
    );
  }
}

/** In-toto subjects name artifacts by digest; one of them must be this artifact. */
function checkSubject(payloadType: string, payload: Buffer, artifact: Exclude<ArtifactInput, { kind: 'none' }>): void {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new AuditpackError('PAYLOAD_INVALID', `payloadType is '${payloadType}', not ${IN_TOTO_PAYLOAD_TYPE}: no subject to match the artifact with`);
  }
  const subjects = readSubjectDigests(payload);
  const matches = subjects.some((digests) => Object.entries(digests).some(([algorithm, hex]) => hex.toLowerCase() === artifactHex(artifact, algorithm)));
  if (!matches) {
    const wanted = artifact.kind === 'digest' ? `sha256:${artifact.sha256}` : `sha256:${artifactHex(artifact, 'sha256') ?? ''}`;
    throw new AuditpackError('DIGEST_MISMATCH', `no in-toto subject of the statement has digest ${wanted}`);
  }
}

function readSubjectDigests(payload: Buffer): Record<string, string>[] {
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch (thrown) {
    throw new AuditpackError('PAYLOAD_INVALID', `the DSSE payload is not JSON (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  const subjects = isRecord(statement) && Array.isArray(statement.subject) ? statement.subject : [];
  return subjects.map((s) => (isRecord(s) && isRecord(s.digest) ? stringEntries(s.digest) : {}));
}

function stringEntries(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The artifact's hex digest under a subject's algorithm, when we can compute it. */
function artifactHex(artifact: Exclude<ArtifactInput, { kind: 'none' }>, algorithm: string): string | undefined {
  if (artifact.kind === 'digest') return algorithm === 'sha256' ? artifact.sha256 : undefined;
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) return undefined;
  return createHash(algorithm).update(artifact.bytes).digest('hex');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
