/**
 * The JSON shapes cosign and Sigstore write, and the guards that recognise
 * them. Neutral ground: collect recognises evidence with these, verify reads
 * it, sbom finds SBOMs inside it. A guard looks at shape only; whether the
 * content is valid is verification's question.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle';
/** Layer media types of cosign's `.sig` and `.att` images (cosign `pkg/oci/static`, `pkg/types`). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
/** Layer annotations of `.sig` / `.att` images (cosign `pkg/oci/static`); note the two prefixes. */
export const COSIGN_ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

/** `cosign download signature` line (Go field names, as cosign prints them). */
export interface CosignSignatureLine {
  Base64Signature: string;
  Payload: string;
  Cert?: { Raw?: string } | null;
  Chain?: { Raw?: string }[] | null;
  Bundle?: RekorBundle | null;
  RFC3161Timestamp?: { SignedRFC3161Timestamp: string } | null;
}

export interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

/** The signing material cosign keeps beside a signature: layer annotations, or the fields of a download line. */
export type SigningMaterial = Pick<CosignSignatureLine, 'Cert' | 'Chain' | 'Bundle' | 'RFC3161Timestamp'>;

/** One layer of an OCI manifest as cosign writes it: a blob named by digest, with string annotations. */
export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  annotations: Record<string, string>;
}

export function isSignatureLine(value: unknown): value is CosignSignatureLine {
  return isRecord(value) && typeof value.Base64Signature === 'string' && typeof value.Payload === 'string';
}

export function isDsseEnvelope(value: unknown): value is DsseEnvelope {
  return isRecord(value) && typeof value.payloadType === 'string' && typeof value.payload === 'string' && Array.isArray(value.signatures);
}

/** Any Sigstore bundle media type (v0.1–v0.3 and later): verification, not recognition, judges the version. */
export function isSigstoreBundle(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.mediaType === 'string' && value.mediaType.startsWith(SIGSTORE_BUNDLE_MEDIA_TYPE);
}

export function isInTotoStatement(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value._type === 'string' && value._type.startsWith('https://in-toto.io/Statement/');
}

/** A simple-signing claim (what `cosign sign` signs, and what `cosign verify` prints). */
export function isSimpleSigningClaim(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value.critical);
}

/** An OCI image manifest (schema version 2, a config and layers). */
export function isImageManifest(value: unknown): value is Record<string, unknown> & { layers: unknown[] } {
  return isRecord(value) && value.schemaVersion === 2 && Array.isArray(value.layers) && isRecord(value.config);
}

/**
 * An OCI image index or Docker manifest list (schema version 2, a list of
 * manifests): what `crane manifest` prints for a multi-platform image, whose
 * digest is the image's.
 */
export function isImageIndex(value: unknown): value is Record<string, unknown> & { manifests: unknown[] } {
  return isRecord(value) && value.schemaVersion === 2 && Array.isArray(value.manifests) && !('layers' in value);
}

/** The layers of a manifest, with only their string annotations. */
export function layerDescriptors(manifest: { layers: unknown[] }): LayerDescriptor[] {
  return manifest.layers.filter(isRecord).map((layer) => ({
    mediaType: typeof layer.mediaType === 'string' ? layer.mediaType : '',
    digest: typeof layer.digest === 'string' ? layer.digest : '',
    annotations: stringAnnotations(layer),
  }));
}

export function stringAnnotations(descriptor: Record<string, unknown>): Record<string, string> {
  const annotations = isRecord(descriptor.annotations) ? descriptor.annotations : {};
  return Object.fromEntries(Object.entries(annotations).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
