import { createHash } from 'node:crypto';
import type { ParsedEvidence } from '../collect/evidence.js';
import { isRecord, type DsseEnvelope } from '../util/wire.js';
import { decodeStrictBase64 } from './base64.js';

/**
 * The blobs of a subject's evidence, by the digest a manifest or bundle names
 * them with: simple-signing payloads and DSSE envelopes, each by the SHA-256
 * of its exact bytes.
 */

export interface Blob<T> {
  value: T;
  evidence: string;
  /** Where it was read (a file, or a line of one), for messages. */
  label?: string;
}

/** Every simple-signing payload in the subject's evidence, by the hex SHA-256 of its exact bytes. */
export function signedPayloads(items: ParsedEvidence[]): Map<string, Blob<Buffer>> {
  const payloads = new Map<string, Blob<Buffer>>();
  const add = (bytes: Buffer | undefined, evidence: string) => {
    if (bytes !== undefined) payloads.set(sha256(bytes), { value: bytes, evidence });
  };
  for (const item of items) {
    if (item.kind === 'simple-signing-payload') add(item.evidence.bytes, item.evidence.sha256);
    if (item.kind === 'cosign-signature') item.lines.forEach((l) => add(decodeStrictBase64(l.Payload), item.evidence.sha256));
    if (item.kind === 'oci-layout') item.layout.signatures.forEach((s) => add(s.payload, s.evidence[0] ?? ''));
  }
  return payloads;
}

/**
 * The hex SHA-256 of each DSSE envelope's exact bytes in the subject's
 * evidence, hashed once: an envelope carries a whole SBOM, and both the
 * blobs an `.att` layer names and the envelopes left bare are found by it.
 */
export function envelopeDigests(items: ParsedEvidence[]): Map<Buffer, string> {
  const digests = new Map<Buffer, string>();
  for (const item of items) if (item.kind === 'dsse-attestation') for (const raw of item.raw) digests.set(raw, sha256(raw));
  return digests;
}

/** Every DSSE envelope in the subject's evidence, by the hex SHA-256 of its exact bytes (what an `.att` layer names). */
export function envelopeBlobs(items: ParsedEvidence[], digests = envelopeDigests(items)): Map<string, Blob<DsseEnvelope>> {
  const envelopes = new Map<string, Blob<DsseEnvelope>>();
  for (const item of items) {
    if (item.kind !== 'dsse-attestation') continue;
    const count = item.envelopes.length;
    item.envelopes.forEach((envelope, i) =>
      envelopes.set(digestOf(digests, item.raw[i]), {
        value: envelope,
        evidence: item.evidence.sha256,
        label: count > 1 ? `${item.evidence.source} line ${i + 1}` : item.evidence.source,
      }),
    );
  }
  return envelopes;
}

/** Envelopes an `.att` manifest of the folder names: they are verified with the manifest's material, not bare. */
export function claimedEnvelopes(items: ParsedEvidence[], envelopes: Map<string, Blob<DsseEnvelope>>): Set<string> {
  const claimed = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'signature-manifest' || item.role !== 'attestations') continue;
    for (const layer of item.layers) {
      const hex = digestHex(layer.digest);
      if (hex !== undefined && envelopes.has(hex)) claimed.add(hex);
    }
  }
  return claimed;
}

export function messageDigestHex(message: Record<string, unknown>): string | undefined {
  const md = isRecord(message.messageDigest) ? message.messageDigest : undefined;
  if (md === undefined || (md.algorithm !== undefined && md.algorithm !== 'SHA2_256')) return undefined;
  const bytes = typeof md.digest === 'string' ? decodeStrictBase64(md.digest) : undefined;
  return bytes?.length === 32 ? bytes.toString('hex') : undefined;
}

export function digestHex(digest: string): string | undefined {
  return /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
}

/** An envelope's digest, from `envelopeDigests` when it hashed these bytes. */
export function digestOf(digests: Map<Buffer, string>, bytes: Buffer | undefined): string {
  return (bytes === undefined ? undefined : digests.get(bytes)) ?? sha256(bytes);
}

export function sha256(bytes: Buffer | undefined): string {
  return bytes === undefined ? '' : createHash('sha256').update(bytes).digest('hex');
}
