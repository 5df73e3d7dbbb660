import { describeThrown, isErrorCode } from '../errors.js';
import { isRecord } from '../util/wire.js';
import { LISTING_FORMAT, LISTING_VERSION } from './registry/listing.js';
import { DIGEST, REPOSITORY_NAME, TAG } from './registry/media-types.js';
import type { PublishedTag, TagPlace, UnresolvedTag } from './population-model.js';
import { normaliseRepository, shown } from './population-image-ref.js';

/** The most tags read from one listing; the rest are reported as not read (a registry of 10 000 repositories has far fewer release tags). */
export const MAX_LISTING_TAGS = 100_000;
/** Platform manifests read per tag (an index lists a handful). */
const MAX_PLATFORMS = 256;
/** The longest repository name read (clients limit host and name together to 255 characters). */
const MAX_NAME = 255;
/** A host as image references name it: lower-case name or IPv4 address, optional port. */
const HOST = /^[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?(:[0-9]{1,5})?$/;

export interface RegistryReading {
  host: string;
  collectedAt: string | undefined;
  repositories: number;
  published: PublishedTag[];
  /** Tags the registry did not have when collected: not published, so not in the population. */
  absent: number;
  unresolved: UnresolvedTag[];
  /** Entries that were not read, each with why: the population is then incomplete. */
  skipped: string[];
  /** Why the listing itself says it is not whole (its `complete` or `problems`). */
  incomplete: string[];
  /** More tags than the limit: the rest were not read. */
  truncated: boolean;
}

export type RegistryParse = { ok: true; reading: RegistryReading } | { ok: false; reason: string };

/**
 * Reads a registry listing (`registry-listing.json` of `auditpack collect
 * registry`, see src/collect/registry/listing.ts). Hostile input: every name,
 * tag and digest is checked against the distribution spec's grammar, and an
 * entry that fails is named in `skipped`, never passed over in silence; a tag
 * the collection could not resolve is kept as unresolved with its reason.
 */
export function readRegistryListing(bytes: Buffer, origin: { source: string; evidence: string }, limit = MAX_LISTING_TAGS): RegistryParse {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (thrown) {
    return { ok: false, reason: `not JSON (a registry-listing.json of auditpack collect registry): ${describeThrown(thrown)}` };
  }
  if (!isRecord(json) || json.listingFormat !== LISTING_FORMAT) {
    return { ok: false, reason: `not a registry listing: listingFormat is not "${LISTING_FORMAT}" (write one with auditpack collect registry)` };
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) return { ok: false, reason: 'the listing has no valid version' };
  if (json.version > LISTING_VERSION) return { ok: false, reason: `listing version ${json.version} is newer than this auditpack reads (${LISTING_VERSION})` };
  if (typeof json.host !== 'string' || !HOST.test(json.host)) return { ok: false, reason: 'the listing names no valid registry host ("host")' };
  if (!Array.isArray(json.repositories)) return { ok: false, reason: 'the listing has no "repositories" list' };
  const reading: RegistryReading = {
    host: json.host,
    collectedAt: typeof json.collectedAt === 'string' ? shown(json.collectedAt) : undefined,
    repositories: 0,
    published: [],
    absent: 0,
    unresolved: [],
    skipped: [],
    incomplete: [],
    truncated: false,
  };
  readRepositories(json.repositories as unknown[], reading, origin, limit);
  reading.incomplete = incompleteness(json, reading.unresolved.length > 0);
  return { ok: true, reading };
}

/** Every tag of every repository entry, into `reading`, up to `limit` tags. */
function readRepositories(entries: unknown[], reading: RegistryReading, origin: { source: string; evidence: string }, limit: number): void {
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const name = isRecord(entry) ? entry.name : undefined;
    if (typeof name !== 'string' || name.length > MAX_NAME || !REPOSITORY_NAME.test(name) || !isRecord(entry) || !Array.isArray(entry.tags)) {
      reading.skipped.push(`repositories[${index}]${typeof name === 'string' ? ` (${shown(name)})` : ''} is not a valid repository name with a tags list`);
      continue;
    }
    reading.repositories += 1;
    for (const [t, tag] of (entry.tags as unknown[]).entries()) {
      if (reading.published.length + reading.unresolved.length + reading.absent >= limit) {
        reading.truncated = true;
        return;
      }
      const where = `repositories[${index}].tags[${t}] (${name})`;
      const tagName = isRecord(tag) ? tag.tag : undefined;
      if (typeof tagName !== 'string' || !TAG.test(tagName)) {
        reading.skipped.push(`${where}: no valid tag`);
        continue;
      }
      const place: TagPlace = {
        reference: `${reading.host}/${name}:${tagName}`,
        repository: normaliseRepository(`${reading.host}/${name}`),
        tag: tagName,
        ...origin,
      };
      if (seen.has(place.reference)) {
        reading.skipped.push(`${where}: ${place.reference} is listed twice`);
        continue;
      }
      seen.add(place.reference);
      const read = readTag(tag as Record<string, unknown>, place);
      if ('absent' in read) reading.absent += 1;
      else if ('malformed' in read) reading.skipped.push(`${where}: ${read.malformed}`);
      else if ('digest' in read) reading.published.push(read);
      else reading.unresolved.push(read);
    }
  }
}

/** One tag entry: resolved, absent, unresolved (with why), or why it cannot be read. */
function readTag(tag: Record<string, unknown>, place: TagPlace): PublishedTag | UnresolvedTag | { absent: true } | { malformed: string } {
  if (tag.absent === true && tag.digest === undefined && tag.problem === undefined) return { absent: true };
  if (isRecord(tag.problem)) {
    const { code, reason } = tag.problem;
    if (!isErrorCode(code) || typeof reason !== 'string') return { malformed: 'its problem has no known code and reason' };
    return { ...place, code, reason: shown(reason) };
  }
  if (typeof tag.digest !== 'string' || !DIGEST.test(tag.digest)) return { malformed: 'no digest (sha256:<64 hex>), no absent: true and no problem' };
  const platforms = tag.platforms ?? [];
  if (!Array.isArray(platforms) || platforms.length > MAX_PLATFORMS) return { malformed: `platforms is not a list of at most ${MAX_PLATFORMS}` };
  const read = platforms.map((p) => (isRecord(p) && typeof p.platform === 'string' && typeof p.digest === 'string' && DIGEST.test(p.digest) ? p : undefined));
  if (read.includes(undefined)) return { malformed: 'a platform entry has no platform and digest (sha256:<64 hex>)' };
  return {
    ...place,
    digest: tag.digest,
    platforms: read.flatMap((p) => (p === undefined ? [] : [{ platform: shown(String(p.platform)), digest: String(p.digest) }])),
  };
}

/** The listing's own word that it is not whole: problems at its level, or `complete` not true with no unresolved tag to say why. */
function incompleteness(json: Record<string, unknown>, unresolvedTags: boolean): string[] {
  const problems = Array.isArray(json.problems) ? json.problems : [];
  const reasons = problems.map((p) =>
    isRecord(p) && typeof p.reason === 'string'
      ? `${typeof p.code === 'string' ? `${shown(p.code)}: ` : ''}${shown(p.reason)}`
      : 'a problem entry that cannot be read',
  );
  if (json.complete !== true && reasons.length === 0 && !unresolvedTags) reasons.push('the listing does not say it is complete ("complete" is not true)');
  return reasons;
}
