import type { ErrorCode } from '../../errors.js';
import { GENERATOR } from '../../util/generator.js';
import type { CollectProblem } from '../remote/errors.js';
import type { CollectedImage } from './image.js';

/**
 * The registry listing `auditpack collect registry` writes beside the
 * evidence folders: what the registry published when it was collected, each
 * repository, each tag and the digest it resolved to (for an index, each
 * platform manifest too). It is unsigned operator evidence, like a kubectl
 * export: config `population.registry` reads it offline as a population
 * source (src/collect/population-registry.ts).
 *
 * Version 1 (`listingFormat: auditpack-registry-listing`, `version: 1`):
 *   registry       the registry URL the collection asked (never with credentials)
 *   host           the host as image references name it (`docker.io` for Docker Hub)
 *   collectedAt    when the collection ran (ISO 8601)
 *   request        the repositories (names or patterns) and tags asked for
 *   complete       every repository was read and every tag resolved or found absent
 *   problems       why the listing is not complete at its level (catalog unreadable, …)
 *   repositories   sorted by name; each with its tags, one of:
 *                    { tag, digest, mediaType, platforms: [{ platform, digest }] }  resolved
 *                    { tag, absent: true }                                          the registry has no such tag
 *                    { tag, problem: { code, reason } }                             not resolved: unknown
 * A reader refuses another `listingFormat` and a newer `version`; fields it does not know are ignored.
 */
export const LISTING_FILE = 'registry-listing.json';
export const LISTING_FORMAT = 'auditpack-registry-listing';
export const LISTING_VERSION = 1;

export interface ListedPlatform {
  platform: string;
  digest: string;
}

export type ListedTag =
  | { tag: string; digest: string; mediaType: string; platforms: ListedPlatform[] }
  | { tag: string; absent: true }
  | { tag: string; problem: { code: ErrorCode; reason: string } };

export interface ListedRepository {
  name: string;
  tags: ListedTag[];
}

export interface RegistryListing {
  listingFormat: typeof LISTING_FORMAT;
  version: typeof LISTING_VERSION;
  generator: { name: string; version: string };
  registry: string;
  host: string;
  collectedAt: string;
  request: { repositories: string[]; tags: string[] };
  complete: boolean;
  problems: CollectProblem[];
  repositories: ListedRepository[];
}

/** The host as image references name it: Docker Hub's API host is `docker.io` in every reference. */
export function referenceHost(registry: URL): string {
  return registry.host === 'registry-1.docker.io' ? 'docker.io' : registry.host;
}

/** What one tag resolved to, from the collected image. */
export function resolvedTag(image: CollectedImage): ListedTag {
  return {
    tag: image.tag,
    digest: image.image.digest,
    mediaType: image.image.mediaType,
    platforms: image.platforms.map((p) => ({ platform: p.platform, digest: p.manifest.digest })),
  };
}

/** The listing of one collection run: repositories sorted by name, complete only when nothing is unknown. */
export function buildListing(input: {
  registry: string;
  host: string;
  collectedAt: string;
  request: { repositories: string[]; tags: string[] };
  tags: Map<string, ListedTag[]>;
  problems: CollectProblem[];
}): RegistryListing {
  const repositories = [...input.tags.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, tags]) => ({ name, tags: [...tags].sort((a, b) => a.tag.localeCompare(b.tag)) }));
  const resolvedAll = repositories.every((r) => r.tags.every((t) => !('problem' in t)));
  return {
    listingFormat: LISTING_FORMAT,
    version: LISTING_VERSION,
    generator: { name: GENERATOR.name, version: GENERATOR.version },
    registry: input.registry,
    host: input.host,
    collectedAt: input.collectedAt,
    request: input.request,
    complete: resolvedAll && input.problems.length === 0,
    problems: input.problems,
    repositories,
  };
}
