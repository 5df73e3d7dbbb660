/**
 * Writes OCI image layouts the way `cosign save --dir` does (no public real
 * one exists to test against): `oci-layout`, `index.json` with `kind`
 * annotations for the image, `.sig` and `.att` images, and cosign v3 bundle
 * referrers stored as blobs without an index entry (cosign `pkg/oci/layout`,
 * sigstore-formats.md §4.2, §4.3, §4.5, §4.6).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CosignSignatureLine, DsseEnvelope, SigningMaterial } from '../../src/util/wire.js';
import { sha256 } from './estate.js';
import { toPem } from './x509.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface LayerSpec<T> {
  content: T;
  annotations: Record<string, string>;
}

export interface LayoutSpec {
  /** The image manifest's exact bytes; the image digest is their SHA-256. */
  imageManifest: Buffer;
  /** Layers of the `.sig` image: payload bytes plus annotations. */
  signatures?: LayerSpec<Buffer>[];
  /** Layers of the `.att` image: DSSE envelopes plus annotations. */
  attestations?: LayerSpec<DsseEnvelope>[];
  /** Sigstore bundles attached as OCI 1.1 referrers of the image (cosign v3). */
  referrers?: { bundle: object; predicateType: string }[];
}

export interface WrittenLayout {
  dir: string;
  imageDigest: string;
  /** Blob paths by role, for tests that tamper with or delete one. */
  paths: { sigManifest?: string; sigLayers: string[]; attManifest?: string; attLayers: string[]; referrerManifests: string[]; bundles: string[] };
}

/** A small image manifest; `seed` makes distinct images. */
export function imageManifest(seed = 'app'): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 2, digest: `sha256:${sha256(seed)}` },
      layers: [],
    }),
  );
}

/** A `cosign download signature` line as the `.sig` layer cosign stores it: payload blob plus annotations. */
export function signatureLayer(line: CosignSignatureLine): LayerSpec<Buffer> {
  return {
    content: Buffer.from(line.Payload, 'base64'),
    annotations: { 'dev.cosignproject.cosign/signature': line.Base64Signature, ...materialAnnotations(line) },
  };
}

/** An attestation as the `.att` layer cosign stores it: envelope blob, empty signature annotation, predicate type. */
export function attestationLayer(envelope: DsseEnvelope, predicateType: string, material: SigningMaterial = {}): LayerSpec<DsseEnvelope> {
  return { content: envelope, annotations: { 'dev.cosignproject.cosign/signature': '', predicateType, ...materialAnnotations(material) } };
}

function materialAnnotations(m: SigningMaterial): Record<string, string> {
  const pem = (raw: string | undefined) => (raw ? toPem(Buffer.from(raw, 'base64')) : '');
  return {
    ...(m.Cert?.Raw ? { 'dev.sigstore.cosign/certificate': pem(m.Cert.Raw) } : {}),
    ...(m.Chain?.length ? { 'dev.sigstore.cosign/chain': m.Chain.map((c) => pem(c.Raw)).join('') } : {}),
    ...(m.Bundle ? { 'dev.sigstore.cosign/bundle': JSON.stringify(m.Bundle) } : {}),
    ...(m.RFC3161Timestamp ? { 'dev.sigstore.cosign/rfc3161timestamp': JSON.stringify(m.RFC3161Timestamp) } : {}),
  };
}

/**
 * What `crane manifest IMAGE:sha256-<hex>.sig` (or `.att`) prints: cosign's
 * signature image manifest, one layer per signature naming its blob by digest.
 */
export function cosignImageManifest(role: 'signatures' | 'attestations', layers: LayerSpec<Buffer>[]): Buffer {
  const mediaType = role === 'signatures' ? 'application/vnd.dev.cosign.simplesigning.v1+json' : 'application/vnd.dsse.envelope.v1+json';
  const descriptors = layers.map((l) => ({ mediaType, size: l.content.length, digest: `sha256:${sha256(l.content)}`, annotations: l.annotations }));
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    size: 233,
    digest: `sha256:${sha256(JSON.stringify(descriptors.map((d) => d.digest)))}`,
  };
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers: descriptors }));
}

export async function writeOciLayout(dir: string, spec: LayoutSpec): Promise<WrittenLayout> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blob = async (bytes: Buffer, mediaType: string) => {
    const hex = sha256(bytes);
    await writeFile(join(dir, 'blobs', 'sha256', hex), bytes);
    return { descriptor: { mediaType, size: bytes.length, digest: `sha256:${hex}` }, path: join(dir, 'blobs', 'sha256', hex) };
  };
  const image = await blob(spec.imageManifest, MANIFEST);
  const paths: WrittenLayout['paths'] = { sigLayers: [], attLayers: [], referrerManifests: [], bundles: [] };
  const index: object[] = [];

  /** A cosign "signatures image": config listing the layers' diff ids, one layer per signature. */
  const attachment = async (layers: { bytes: Buffer; mediaType: string; annotations: Record<string, string> }[], kind: string, into: string[]) => {
    const written = [];
    for (const l of layers) {
      const b = await blob(l.bytes, l.mediaType);
      into.push(b.path);
      written.push({ ...b.descriptor, annotations: l.annotations });
    }
    const config = await blob(
      Buffer.from(
        JSON.stringify({
          architecture: '',
          created: '0001-01-01T00:00:00Z',
          os: '',
          rootfs: { type: 'layers', diff_ids: written.map((l) => l.digest) },
          config: {},
        }),
      ),
      'application/vnd.oci.image.config.v1+json',
    );
    const manifest = await blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config: config.descriptor, layers: written })), MANIFEST);
    index.push({ ...manifest.descriptor, annotations: { kind } });
    return manifest.path;
  };

  // cosign save writes the referrers first (each write resets index.json), so they end up without index entries.
  for (const r of spec.referrers ?? []) {
    const bundle = await blob(Buffer.from(JSON.stringify(r.bundle)), 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const empty = await blob(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const manifest = await blob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          config: empty.descriptor,
          layers: [bundle.descriptor],
          subject: image.descriptor,
          annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': r.predicateType },
        }),
      ),
      MANIFEST,
    );
    paths.bundles.push(bundle.path);
    paths.referrerManifests.push(manifest.path);
  }
  if (spec.signatures?.length) {
    paths.sigManifest = await attachment(
      spec.signatures.map((s) => ({ bytes: s.content, mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', annotations: s.annotations })),
      'dev.cosignproject.cosign/sigs',
      paths.sigLayers,
    );
  }
  if (spec.attestations?.length) {
    paths.attManifest = await attachment(
      spec.attestations.map((a) => ({
        bytes: Buffer.from(JSON.stringify(a.content)),
        mediaType: 'application/vnd.dsse.envelope.v1+json',
        annotations: a.annotations,
      })),
      'dev.cosignproject.cosign/atts',
      paths.attLayers,
    );
  }
  index.push({ ...image.descriptor, annotations: { kind: 'dev.cosignproject.cosign/image' } });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }));
  return { dir, imageDigest: image.descriptor.digest, paths };
}
