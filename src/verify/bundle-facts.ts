import { createHash, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { SignedEntity, Signer } from '@sigstore/verify';

/** One transparency-log entry as the bundle states it (verified when the verdict is valid). */
export interface TlogEntryFact {
  kind: string;
  version: string;
  logIndex: string;
  /** Hex SHA-256 of the log's public key, as Rekor prints `logID`. */
  logId: string;
  /** ISO 8601; absent for Rekor v2 entries, which carry no integrated time. */
  integratedTime?: string;
}

/** What an audit report records about a bundle, whatever the verdict. */
export interface BundleFacts {
  mediaType: string;
  /** `0.1`, `0.2`, `0.3`, or whatever unknown version the media type names. */
  version: string;
  content: 'message-signature' | 'dsse-envelope';
  /** DSSE only. */
  payloadType?: string;
  keyMaterial: 'public-key' | 'certificate-chain' | 'certificate';
  tlogEntries: TlogEntryFact[];
  /** ISO 8601 genTime of each RFC 3161 token, once the tokens were parsed. */
  timestampAuthorityTimes: string[];
}

export type SignerFact =
  | { kind: 'public-key'; keyFingerprint: string; hint: string }
  | { kind: 'certificate'; subjectAlternativeName: string; issuer: string; keyFingerprint: string };

/**
 * Rekor entry kinds sigstore-js can check against the bundle. Anything else
 * (`intoto/0.0.1` from cosign ≤ 2.1 attestations, `rekord` from cosign ≤ 1.3)
 * would fail inside the library with a misleading reason: we say "unsupported".
 */
const CHECKABLE_ENTRIES = new Set(['hashedrekord/0.0.1', 'hashedrekord/0.0.2', 'dsse/0.0.1', 'dsse/0.0.2', 'intoto/0.0.2']);

export function describeBundle(bundle: Bundle): BundleFacts {
  const content = bundle.content;
  return {
    mediaType: bundle.mediaType,
    version: bundleVersion(bundle.mediaType),
    content: content.$case === 'dsseEnvelope' ? 'dsse-envelope' : 'message-signature',
    ...(content.$case === 'dsseEnvelope' ? { payloadType: content.dsseEnvelope.payloadType } : {}),
    keyMaterial: describeKeyMaterial(bundle),
    tlogEntries: bundle.verificationMaterial.tlogEntries.map(describeTlogEntry),
    timestampAuthorityTimes: [],
  };
}

/** The first entry sigstore-js cannot check, as `kind/version`, or undefined. */
export function findUncheckableEntry(facts: BundleFacts): string | undefined {
  return facts.tlogEntries.map((e) => `${e.kind}/${e.version}`).find((kv) => !CHECKABLE_ENTRIES.has(kv));
}

export function timestampAuthorityTimes(entity: SignedEntity): string[] {
  return entity.timestamps.flatMap((t) => (t.$case === 'timestamp-authority' ? [t.timestamp.signingTime.toISOString()] : []));
}

export function describeSigner(signer: Signer, hint: string | undefined): SignerFact {
  const keyFingerprint = fingerprintOf(signer.key);
  if (signer.identity === undefined) return { kind: 'public-key', keyFingerprint, hint: hint ?? '' };
  return {
    kind: 'certificate',
    subjectAlternativeName: signer.identity.subjectAlternativeName ?? '',
    issuer: signer.identity.extensions?.issuer ?? '',
    keyFingerprint,
  };
}

/** SHA-256 of the SubjectPublicKeyInfo DER, hex: the same fingerprint `src/trust` records. */
export function fingerprintOf(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

function bundleVersion(mediaType: string): string {
  const match = /version=(\d+\.\d+)/.exec(mediaType) ?? /bundle\.v(\d+\.\d+)\+json/.exec(mediaType);
  return match?.[1] ?? 'unknown';
}

function describeKeyMaterial(bundle: Bundle): BundleFacts['keyMaterial'] {
  switch (bundle.verificationMaterial.content.$case) {
    case 'publicKey':
      return 'public-key';
    case 'x509CertificateChain':
      return 'certificate-chain';
    case 'certificate':
      return 'certificate';
  }
}

function describeTlogEntry(entry: Bundle['verificationMaterial']['tlogEntries'][number]): TlogEntryFact {
  const seconds = Number(entry.integratedTime);
  return {
    kind: entry.kindVersion.kind,
    version: entry.kindVersion.version,
    logIndex: entry.logIndex,
    logId: entry.logId.keyId.toString('hex'),
    // Number.isFinite guards a hostile "integratedTime" that would make toISOString throw.
    ...(seconds > 0 && Number.isFinite(seconds) && seconds < 8.64e12 ? { integratedTime: new Date(seconds * 1000).toISOString() } : {}),
  };
}
