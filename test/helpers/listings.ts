/**
 * Registry listings for tests, written by the same code as
 * `auditpack collect registry` (buildListing), so a reader test also checks
 * that the reader understands what the writer writes.
 */
import { buildListing, type ListedTag } from '../../src/collect/registry/listing.js';
import type { CollectProblem } from '../../src/collect/remote/errors.js';

export const LISTING_TIME = '2026-06-28T09:00:00.000Z';

/** `{ 'akko/app': [{ tag: '1.0', digest }] }` → the listing's JSON text. */
export function listingText(
  tags: Record<string, ListedTag[]>,
  options: { host?: string; problems?: CollectProblem[]; edit?: (listing: Record<string, unknown>) => void } = {},
): string {
  const listing = buildListing({
    registry: `https://${options.host ?? 'harbor.example'}/`,
    host: options.host ?? 'harbor.example',
    collectedAt: LISTING_TIME,
    request: { repositories: Object.keys(tags), tags: [...new Set(Object.values(tags).flatMap((list) => list.map((t) => t.tag)))] },
    tags: new Map(Object.entries(tags)),
    problems: options.problems ?? [],
  }) as unknown as Record<string, unknown>;
  options.edit?.(listing);
  return `${JSON.stringify(listing, null, 2)}\n`;
}

/** A resolved tag without platforms. */
export function published(tag: string, digest: string): ListedTag {
  return { tag, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', platforms: [] };
}
