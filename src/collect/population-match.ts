import type { ImageConfig } from '../config/schema.js';
import type {
  ExcludedMember,
  Population,
  PopulationFilters,
  PopulationSource,
  PublishedTag,
  RunningContainer,
  RunningImage,
  UnresolvedContainer,
  UnresolvedTag,
} from './population-model.js';
import { repositoryOf } from './population-image-ref.js';

/** The registry side of the population, and what the filters left out. */
export interface PopulationExtras {
  published?: PublishedTag[];
  unresolvedTags?: UnresolvedTag[];
  filters?: PopulationFilters;
  excluded?: ExcludedMember[];
}

/**
 * Matches the population (digests found running, digests registry tags
 * resolve to) with the configuration's images, by digest only: a digest an
 * image of the configuration names is covered by it (its evidence is
 * judged); any other is a subject of its own, named after its repository and
 * digest, for which no evidence is judged. Configured images of the same
 * repository are recorded beside it: the digest running or published is not
 * the one the configuration names. Pure and deterministic.
 */
export function matchPopulation(
  sources: PopulationSource[],
  running: RunningContainer[],
  unresolved: UnresolvedContainer[],
  images: readonly ImageConfig[],
  extras: PopulationExtras = {},
): Population {
  const published = extras.published ?? [];
  const byDigest = new Map<string, { containers: RunningContainer[]; tags: PublishedTag[] }>();
  const entry = (digest: string) => {
    const found = byDigest.get(digest) ?? { containers: [], tags: [] };
    byDigest.set(digest, found);
    return found;
  };
  for (const c of running) entry(c.digest).containers.push(c);
  for (const t of published) entry(t.digest).tags.push(t);
  const configured = new Map<string, ImageConfig>();
  for (const image of images) if (!configured.has(image.digest)) configured.set(image.digest, image);
  const taken = new Set(images.map((i) => i.name));
  const runningImages = [...byDigest.keys()].sort().map((digest): RunningImage => {
    const found = byDigest.get(digest) ?? { containers: [], tags: [] };
    const containers = [...found.containers].sort(byPlace);
    const tags = [...found.tags].sort((a, b) => a.reference.localeCompare(b.reference) || a.source.localeCompare(b.source));
    const repositories = unique([...containers.map((c) => c.repository), ...tags.map((t) => t.repository)]);
    const own = configured.get(digest);
    const sameRepository = own ? [] : images.filter((i) => repositories.includes(repositoryOf(i.ref))).map((i) => ({ name: i.name, digest: i.digest }));
    return {
      digest,
      repositories,
      images: unique([...containers.map((c) => c.image), ...tags.map((t) => t.reference)]),
      containers,
      tags,
      subject: own?.name ?? subjectName(repositories[0] ?? 'image', digest, taken),
      configured: own !== undefined,
      sameRepository,
    };
  });
  return {
    sources,
    images: runningImages.sort((a, b) => a.subject.localeCompare(b.subject)),
    unresolved: [...unresolved].sort(byPlace),
    unresolvedTags: [...(extras.unresolvedTags ?? [])].sort((a, b) => a.reference.localeCompare(b.reference)),
    ...(extras.filters === undefined ? {} : { filters: extras.filters }),
    excluded: extras.excluded ?? [],
    uncovered: runningImages
      .filter((i) => !i.configured)
      .map((i) => ({ name: i.subject, ref: `${i.repositories[0] ?? 'unknown'}@${i.digest}`, digest: i.digest })),
    complete: sources.every((s) => s.failure === undefined),
  };
}

/** `coredns-0a1b2c3d4e5f`: the repository's last part and the digest's first 12 hex digits (all 64 if that is taken). */
function subjectName(repository: string, digest: string, taken: Set<string>): string {
  const last = (repository.split('/').pop() ?? 'image').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  const hex = digest.slice('sha256:'.length);
  const short = `${last}-${hex.slice(0, 12)}`;
  const name = taken.has(short) ? `${last}-${hex}` : short;
  taken.add(name);
  return name;
}

export function placeName(c: { namespace: string; pod: string; container: string; kind: string }): string {
  return `${c.namespace}/${c.pod}/${c.container}${c.kind === 'container' ? '' : ` (${c.kind})`}`;
}

function byPlace(a: RunningContainer | UnresolvedContainer, b: RunningContainer | UnresolvedContainer): number {
  return a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod) || a.kind.localeCompare(b.kind) || a.container.localeCompare(b.container);
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
