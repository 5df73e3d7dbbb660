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
  /** The entry carries a signed entry timestamp (SET): only then is its integrated time a verified signing time. */
  promised: boolean;
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
 * Rekor entry kinds auditpack checks against the bundle. Anything else
 * (`intoto/0.0.1` from cosign ≤ 2.1 attestations, `rekord` from cosign ≤ 1.3)
 * would fail inside the library with a misleading reason: we say "unsupported".
 *
 * `dsse/0.0.2` is left out on purpose although sigstore-js 4 accepts it: a
 * Rekor v2 log records only `hashedrekord/0.0.2`, a DSSE envelope as the hash
 * of its PAE (rekor-tiles CLIENTS.md "Entry Type", rekor-v2 spec §6.1.4;
 * rekor-tiles #744 dropped DSSE entries before v2 was deployed). sigstore-go
 * (`TestUnmarshalRekorV2EntryRejectsDsseKind`), sigstore-python, sigstore-java
 * (vector `bundle.dsse.rekor-v2.bad-entry-type`) and sigstore-rs reject it, and
 * sigstore-conformance removed its dsse/0.0.2 cases (#374).
 */
const CHECKABLE_ENTRIES = new Set(['hashedrekord/0.0.1', 'hashedrekord/0.0.2', 'dsse/0.0.1', 'intoto/0.0.2']);

const UNCHECKABLE_REASONS: Record<string, string> = {
  'dsse/0.0.2':
    'transparency-log entry kind dsse/0.0.2 is not a Rekor v2 entry kind: Rekor v2 logs a DSSE envelope as hashedrekord/0.0.2 over its PAE, and the reference clients (sigstore-go, -python, -java, -rust) reject dsse/0.0.2',
};

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

/** Why the first entry auditpack cannot check is refused, or undefined when every entry is of a checkable kind. */
export function findUncheckableEntry(facts: BundleFacts): string | undefined {
  const kv = facts.tlogEntries.map((e) => `${e.kind}/${e.version}`).find((k) => !CHECKABLE_ENTRIES.has(k));
  return kv === undefined ? undefined : (UNCHECKABLE_REASONS[kv] ?? `transparency-log entry kind ${kv} cannot be checked by auditpack (sigstore-js)`);
}

/** Verified signing times: integrated times of entries with a signed entry timestamp, then timestamp-authority times. */
export function verifiedTimes(facts: BundleFacts): { at: string; by: 'transparency log' | 'timestamp authority' }[] {
  return [
    ...facts.tlogEntries.flatMap((e) => (e.promised && e.integratedTime !== undefined ? [{ at: e.integratedTime, by: 'transparency log' as const }] : [])),
    ...facts.timestampAuthorityTimes.map((at) => ({ at, by: 'timestamp authority' as const })),
  ];
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

const fingerprints = new WeakMap<KeyObject, string>();

/**
 * SHA-256 of the SubjectPublicKeyInfo DER, hex: the same fingerprint
 * `src/trust` records. Memoised per key object: exporting a key costs more
 * than verifying a signature with it, and the same trusted key signs many.
 */
export function fingerprintOf(key: KeyObject): string {
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
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
    promised: entry.inclusionPromise !== undefined,
  };
}
