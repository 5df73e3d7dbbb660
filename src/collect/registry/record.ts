import type { CollectProblem } from '../remote/errors.js';
import type { FetchedManifest } from './client.js';
import type { Artifact, CollectedImage } from './image.js';
import { referenceHost } from './listing.js';

/** What `collection.json` says about one image. */
export interface ImageRecord {
  name: string;
  repository: string;
  /** complete: everything found was collected; partial: some objects could not be (see problems); skipped: a pattern matched it but it has no such tag. */
  status: 'complete' | 'partial' | 'skipped' | 'kept-from-earlier-collection';
  reason?: string;
  ref?: string;
  digest?: string;
  mediaType?: string;
  /** The image's evidence folder, relative to the collection folder. */
  folder?: string;
  platforms?: { platform: string; digest: string }[];
  signatures?: ArtifactRecord | null;
  attestations?: ArtifactRecord | null;
  sboms?: ArtifactRecord | null;
  referrers?: { source: string; manifests: ArtifactRecord[] };
  notes?: string[];
  problems?: CollectProblem[];
}

interface ArtifactRecord {
  tag?: string;
  manifest: string;
  artifactType?: string;
  layers: { digest: string; mediaType: string; size: number }[];
}

export function imageRecord(name: string, image: CollectedImage, options: { registry: URL; tag: string }): ImageRecord {
  const host = referenceHost(options.registry);
  const attachment = (a: (Artifact & { tag: string }) | undefined) => (a === undefined ? null : { tag: a.tag, ...artifactRecord(a) });
  return {
    name,
    repository: image.repository,
    status: image.problems.length === 0 ? 'complete' : 'partial',
    ref: `${host}/${image.repository}:${options.tag}`,
    digest: image.image.digest,
    mediaType: image.image.mediaType,
    folder: `evidence/${name}`,
    platforms: image.platforms.map((p) => ({ platform: p.platform, digest: p.manifest.digest })),
    signatures: attachment(image.attachments.sig),
    attestations: attachment(image.attachments.att),
    sboms: attachment(image.attachments.sbom),
    referrers: { source: image.referrers.source, manifests: image.referrers.artifacts.map(artifactRecord) },
    notes: image.notes,
    problems: image.problems,
  };
}

function artifactRecord(a: Artifact): ArtifactRecord {
  return {
    manifest: a.manifest.digest,
    ...(artifactType(a.manifest) === undefined ? {} : { artifactType: artifactType(a.manifest) as string }),
    layers: a.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.bytes.length })),
  };
}

function artifactType(manifest: FetchedManifest): string | undefined {
  const annotations = manifest.json.annotations;
  const predicate =
    typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)['dev.sigstore.bundle.predicateType'] : undefined;
  const type = manifest.json.artifactType;
  return [type, predicate].filter((x): x is string => typeof x === 'string').join(' ') || undefined;
}
