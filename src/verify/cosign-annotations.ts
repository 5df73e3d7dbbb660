import { describeThrown } from '../errors.js';
import { COSIGN_ANNOTATION, isRecord, type CosignSignatureLine, type RekorBundle, type SigningMaterial } from '../util/wire.js';

export type MaterialRead = { ok: true; material: SigningMaterial } | { ok: false; reason: string };

/**
 * The signing material cosign keeps in a `.sig` or `.att` layer's
 * annotations, as the fields of a `cosign download signature` line: the
 * certificate and chain (PEM → base64 DER), the Rekor bundle and the RFC 3161
 * timestamp (JSON strings). Unreadable annotations are a reason, not a throw.
 */
export function materialFromAnnotations(annotations: Record<string, string>): MaterialRead {
  const [leaf] = pemCertificates(annotations[COSIGN_ANNOTATION.certificate] ?? '');
  const chain = pemCertificates(annotations[COSIGN_ANNOTATION.chain] ?? '');
  const bundle = annotationJson(annotations, COSIGN_ANNOTATION.bundle);
  const timestamp = annotationJson(annotations, COSIGN_ANNOTATION.timestamp);
  if (!bundle.ok) return bundle;
  if (!timestamp.ok) return timestamp;
  if (bundle.value !== null && !isRekorBundle(bundle.value)) {
    return { ok: false, reason: `annotation ${COSIGN_ANNOTATION.bundle} is not a Rekor bundle (SignedEntryTimestamp and Payload)` };
  }
  return {
    ok: true,
    material: {
      Cert: leaf === undefined ? null : { Raw: leaf },
      Chain: chain.length === 0 ? null : chain.map((Raw) => ({ Raw })),
      Bundle: bundle.value,
      RFC3161Timestamp: timestamp.value as { SignedRFC3161Timestamp: string } | null,
    },
  };
}

/** A `.sig` layer as the `cosign download signature` line it stands for. */
export function signatureLineFromLayer(
  payload: Buffer,
  annotations: Record<string, string>,
): { ok: true; line: CosignSignatureLine } | { ok: false; reason: string } {
  const read = materialFromAnnotations(annotations);
  if (!read.ok) return read;
  return { ok: true, line: { Base64Signature: annotations[COSIGN_ANNOTATION.signature] ?? '', Payload: payload.toString('base64'), ...read.material } };
}

function annotationJson(annotations: Record<string, string>, key: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = annotations[key];
  if (text === undefined || text === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (thrown) {
    return { ok: false, reason: `annotation ${key} is not JSON (${describeThrown(thrown)})` };
  }
}

function isRekorBundle(value: unknown): value is RekorBundle {
  return isRecord(value) && typeof value.SignedEntryTimestamp === 'string' && isRecord(value.Payload) && typeof value.Payload.body === 'string';
}

function pemCertificates(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
}
