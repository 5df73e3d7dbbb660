import { isRecord } from '../../util/wire.js';
import { RemoteError, problemFrom, type CollectProblem } from '../remote/errors.js';
import type { FetchedManifest, RegistryClient } from './client.js';
import { DIGEST, isIndexType } from './media-types.js';

/** A blob exactly as fetched and checked against its digest. */
export interface FetchedBlob {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

/** A manifest with the layers that could be fetched (the cosign `.sig`/`.att`/`.sbom` images, OCI 1.1 referrers). */
export interface Artifact {
  manifest: FetchedManifest;
  layers: FetchedBlob[];
}

export type AttachmentKind = 'sig' | 'att' | 'sbom';

export interface CollectedImage {
  repository: string;
  tag: string;
  /** What the tag points to: a platform manifest, or a multi-platform index. */
  image: FetchedManifest;
  /** For an index: each manifest it lists, with its platform (`linux/amd64`, `unknown/unknown` for build attestations). */
  platforms: { manifest: FetchedManifest; platform: string }[];
  /** cosign's tag scheme: `sha256-<hex>.sig`, `.att`, `.sbom` of the image digest. */
  attachments: Partial<Record<AttachmentKind, Artifact & { tag: string }>>;
  /** OCI 1.1 referrers of the image digest, from the referrers API or its fallback tag `sha256-<hex>`. */
  referrers: { source: 'api' | 'fallback-tag' | 'none'; indexes: FetchedManifest[]; artifacts: Artifact[] };
  /** What could not be collected; the rest of the image still is. */
  problems: CollectProblem[];
  /** What was looked for and is not there (no signature, no referrers): facts, not failures. */
  notes: string[];
}

const LABEL: Record<AttachmentKind, string> = { sig: 'cosign signatures', att: 'cosign attestations', sbom: 'cosign SBOM attachments' };

/**
 * Collects one image: the tag's manifest (and each platform manifest of an
 * index), then everything attached to its digest by cosign's tag scheme and
 * by OCI 1.1 referrers, with their layers. A failure to resolve the tag is
 * thrown (nothing to collect); any later failure is recorded and the rest is
 * still collected. Fatal errors (credentials refused) always propagate.
 */
export async function collectImage(client: RegistryClient, repository: string, tag: string, progress: (step: string) => void): Promise<CollectedImage> {
  const image = await client.manifest(repository, tag);
  if (image === undefined) throw new RemoteError('COLLECT_NOT_FOUND', `${repository}:${tag}`, `${repository} has no tag ${tag}`);
  const collected: CollectedImage = {
    repository,
    tag,
    image,
    platforms: [],
    attachments: {},
    referrers: { source: 'none', indexes: [], artifacts: [] },
    problems: [],
    notes: [],
  };
  const attempt = async <T>(where: string, task: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await task();
    } catch (thrown) {
      if (thrown instanceof RemoteError && thrown.fatal) throw thrown;
      collected.problems.push(problemFrom(thrown, where));
      return undefined;
    }
  };
  if (isIndexType(image.mediaType)) {
    progress('platform manifests');
    for (const child of descriptors(collected, image)) {
      const manifest = await attempt(`${repository}@${child.digest}`, () =>
        required(client.manifest(repository, child.digest, `platform manifest ${repository}@${child.digest}`), `${repository}@${child.digest}`),
      );
      if (manifest) collected.platforms.push({ manifest, platform: platformOf(child.descriptor) });
    }
  }
  for (const kind of ['sig', 'att', 'sbom'] as const) {
    progress(LABEL[kind]);
    const tagName = `${image.digest.replace(':', '-')}.${kind}`;
    const manifest = await attempt(`${repository}:${tagName}`, () => client.manifest(repository, tagName));
    if (manifest === undefined) {
      if (!collected.problems.some((p) => p.where === `${repository}:${tagName}`)) collected.notes.push(`no ${LABEL[kind]} (tag ${tagName} not found)`);
      continue;
    }
    collected.attachments[kind] = { tag: tagName, manifest, layers: await layers(client, collected, manifest, attempt) };
  }
  progress('OCI 1.1 referrers');
  await collectReferrers(client, collected, attempt);
  return collected;
}

type Attempt = <T>(where: string, task: () => Promise<T>) => Promise<T | undefined>;

async function collectReferrers(client: RegistryClient, collected: CollectedImage, attempt: Attempt): Promise<void> {
  const { repository, image } = collected;
  const api = await attempt(`referrers of ${repository}@${image.digest}`, () => client.referrers(repository, image.digest));
  if (api === undefined) return;
  if (api === 'unsupported') {
    const fallback = image.digest.replace(':', '-');
    const index = await attempt(`${repository}:${fallback}`, () => client.manifest(repository, fallback, `referrers fallback tag ${repository}:${fallback}`));
    if (index === undefined) {
      collected.notes.push(`no OCI 1.1 referrers (the registry has no referrers API and no fallback tag ${fallback})`);
      return;
    }
    collected.referrers = { source: 'fallback-tag', indexes: [index], artifacts: [] };
  } else {
    collected.referrers = { source: 'api', indexes: api, artifacts: [] };
  }
  const seen = new Set<string>();
  for (const index of collected.referrers.indexes) {
    for (const child of descriptors(collected, index)) {
      if (seen.has(child.digest)) continue;
      seen.add(child.digest);
      const where = `${repository}@${child.digest}`;
      const manifest = await attempt(where, () => required(client.manifest(repository, child.digest, `referrer manifest ${where}`), where));
      if (manifest === undefined) continue;
      const subject = isRecord(manifest.json.subject) ? manifest.json.subject.digest : undefined;
      const named = typeof subject === 'string' ? subject : subject === undefined ? 'no subject' : 'a subject digest that is not a string';
      if (subject !== image.digest) collected.notes.push(`referrer ${child.digest} names ${named}, not the image, as its subject`);
      collected.referrers.artifacts.push({ manifest, layers: await layers(client, collected, manifest, attempt) });
    }
  }
  if (collected.referrers.artifacts.length === 0)
    collected.notes.push(`no OCI 1.1 referrers (${collected.referrers.source === 'api' ? 'the referrers API lists none' : 'the fallback tag lists none'})`);
}

async function layers(client: RegistryClient, collected: CollectedImage, manifest: FetchedManifest, attempt: Attempt): Promise<FetchedBlob[]> {
  const { repository } = collected;
  const fetched: FetchedBlob[] = [];
  for (const layer of descriptors(collected, manifest, 'layers')) {
    const where = `${repository}@${layer.digest}`;
    const bytes = await attempt(where, () =>
      required(client.blob(repository, layer.digest, `layer ${layer.digest} of ${repository}@${manifest.digest}`), where),
    );
    if (bytes !== undefined)
      fetched.push({
        digest: layer.digest,
        mediaType: typeof layer.descriptor.mediaType === 'string' ? layer.descriptor.mediaType : 'application/octet-stream',
        bytes,
      });
  }
  return fetched;
}

async function required<T>(value: Promise<T | undefined>, where: string): Promise<T> {
  const resolved = await value;
  if (resolved === undefined) throw new RemoteError('COLLECT_NOT_FOUND', where, `${where} is listed but the registry does not have it (404)`);
  return resolved;
}

/**
 * The descriptors a manifest lists (`manifests` of an index, `layers` of an
 * image) with a well-formed digest; others are a problem and not followed
 * (a malformed digest could name a path outside the layout).
 */
function descriptors(
  collected: CollectedImage,
  manifest: FetchedManifest,
  field: 'manifests' | 'layers' = 'manifests',
): { digest: string; descriptor: Record<string, unknown> }[] {
  const list = manifest.json[field];
  if (!Array.isArray(list)) return [];
  const valid = list.filter(isRecord).flatMap((d) => (typeof d.digest === 'string' && DIGEST.test(d.digest) ? [{ digest: d.digest, descriptor: d }] : []));
  if (valid.length < list.length) {
    collected.problems.push({
      code: 'COLLECT_BAD_RESPONSE',
      where: `${collected.repository}@${manifest.digest}`,
      reason: `${list.length - valid.length} of its ${field} have no well-formed sha256 digest; not followed`,
    });
  }
  return valid;
}

function platformOf(descriptor: Record<string, unknown>): string {
  const p = isRecord(descriptor.platform) ? descriptor.platform : {};
  return [p.os, p.architecture, p.variant].filter((x): x is string => typeof x === 'string' && x !== '').join('/') || 'unknown';
}
