import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA } from './media-types.js';
import type { Artifact, CollectedImage, FetchedBlob } from './image.js';
import type { FetchedManifest } from './client.js';

/** The `kind` annotations `cosign save` puts on index.json entries, which the offline layout reader follows. */
const COSIGN_KIND = {
  image: 'dev.cosignproject.cosign/image',
  imageIndex: 'dev.cosignproject.cosign/imageIndex',
  sigs: 'dev.cosignproject.cosign/sigs',
  atts: 'dev.cosignproject.cosign/atts',
};
/** What auditpack kept beyond `cosign save`; readers that do not know it ignore it (no `kind`). */
export const ROLE_ANNOTATION = 'dev.auditpack.collect.role';
const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * Writes one collected image as an OCI image layout, the way `cosign save
 * --dir` does and the offline collector reads it: every manifest and blob
 * verbatim under `blobs/sha256/<hex>` (each already checked against its
 * digest), `index.json` naming the image, its `.sig` and `.att` images with
 * cosign's `kind` annotations, and the rest (platform manifests, `.sbom`,
 * referrers and their indexes) with a role annotation for later readers.
 * Blobs that could not be fetched are simply absent, so an offline read
 * reports them missing rather than trusting anything in their place.
 */
export async function writeImageLayout(dir: string, image: CollectedImage): Promise<number> {
  const blobs = new Map<string, Buffer>();
  const entries: Record<string, unknown>[] = [];
  const keep = (blob: { digest: string; bytes: Buffer }) => blobs.set(blob.digest, blob.bytes);
  const entry = (manifest: FetchedManifest, annotations: Record<string, string>, extra: Record<string, unknown> = {}) => {
    keep(manifest);
    entries.push({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length, ...extra, annotations });
  };
  const artifact = (a: Artifact, annotations: Record<string, string>) => {
    entry(a.manifest, annotations);
    a.layers.forEach((layer: FetchedBlob) => keep(layer));
  };

  const isIndex = image.platforms.length > 0 || image.image.mediaType === MEDIA.ociIndex || image.image.mediaType === MEDIA.dockerList;
  entry(image.image, { kind: isIndex ? COSIGN_KIND.imageIndex : COSIGN_KIND.image, [REF_NAME]: image.tag });
  for (const p of image.platforms) {
    const [os = 'unknown', architecture = 'unknown', variant] = p.platform.split('/');
    entry(p.manifest, { [ROLE_ANNOTATION]: 'platform-manifest' }, { platform: { os, architecture, ...(variant === undefined ? {} : { variant }) } });
  }
  const { sig, att, sbom } = image.attachments;
  if (sig) artifact(sig, { kind: COSIGN_KIND.sigs, [REF_NAME]: sig.tag });
  if (att) artifact(att, { kind: COSIGN_KIND.atts, [REF_NAME]: att.tag });
  if (sbom) artifact(sbom, { [ROLE_ANNOTATION]: 'sbom-attachment', [REF_NAME]: sbom.tag });
  for (const index of image.referrers.indexes) entry(index, { [ROLE_ANNOTATION]: `referrers-index (${image.referrers.source})` });
  for (const referrer of image.referrers.artifacts) artifact(referrer, { [ROLE_ANNOTATION]: 'referrer' });

  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const [digest, bytes] of [...blobs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  }
  await writeFile(join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
  await writeFile(join(dir, 'index.json'), `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: entries }, null, 2)}\n`);
  return blobs.size;
}
