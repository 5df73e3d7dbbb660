import type { ExcludedMember, Population, PopulationFilters, TagPlace } from '../collect/population-model.js';
import type { ImageConfig } from '../config/schema.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { PopulationExclusions, PopulationPlace, PopulationSection, PopulationTag } from '../report/model.js';

/** Containers and tags listed per image, and unresolved or excluded entries listed, in the report (the counts hold them all). */
const PLACES_LISTED = 50;
const UNRESOLVED_LISTED = 200;

/** The report's population section, from the population as collected, filtered and matched. Pure. */
export function populationSection(population: Population, images: readonly ImageConfig[]): PopulationSection {
  const listing = population.sources.some((s) => s.kind === 'registry');
  const entries = population.images.map((i) => ({
    subject: i.subject,
    digest: i.digest,
    status: i.configured ? ('covered' as const) : i.sameRepository.length > 0 ? ('digest-differs' as const) : ('uncovered' as const),
    repositories: i.repositories,
    images: i.images,
    ...(i.sameRepository.length > 0 ? { configuredAs: i.sameRepository } : {}),
    containers: i.containers.length,
    runsIn: i.containers.slice(0, PLACES_LISTED).map(place),
    ...(listing ? { tags: i.tags.length, publishedAs: i.tags.slice(0, PLACES_LISTED).map(tag) } : {}),
  }));
  const found = new Set(population.images.map((i) => i.digest));
  const configuredNotRunning = images.filter((i) => !found.has(i.digest)).map((i) => i.name);
  const count = (status: string) => entries.filter((e) => e.status === status).length;
  return {
    sources: population.sources.map((s) => ({
      kind: s.kind,
      source: s.source,
      ...(s.sha256 === undefined ? {} : { sha256: s.sha256, path: evidencePath(s.source) }),
      signed: false,
      pods: s.pods,
      containers: s.containers,
      ...(s.repositories === undefined ? {} : { repositories: s.repositories }),
      ...(s.tags === undefined ? {} : { tags: s.tags }),
      ...(s.collectedAt === undefined ? {} : { collectedAt: s.collectedAt }),
      ...(s.failure === undefined ? {} : { failure: s.failure }),
    })),
    complete: population.complete,
    counts: {
      containers: population.sources.reduce((n, s) => n + s.containers, 0),
      images: entries.length,
      covered: count('covered'),
      uncovered: count('uncovered'),
      digestDiffers: count('digest-differs'),
      unresolved: population.unresolved.length,
      configuredNotRunning: configuredNotRunning.length,
      ...(listing ? { tags: population.sources.reduce((n, s) => n + (s.tags ?? 0), 0), unresolvedTags: population.unresolvedTags.length } : {}),
      ...(population.filters === undefined ? {} : { excluded: population.excluded.length }),
    },
    images: entries,
    unresolved: population.unresolved.slice(0, UNRESOLVED_LISTED).map((c) => ({ ...place(c), image: c.image, reason: c.reason, source: c.source })),
    configuredNotRunning,
    ...(listing
      ? { unresolvedTags: population.unresolvedTags.slice(0, UNRESOLVED_LISTED).map((t) => ({ ...tag(t), code: t.code, reason: t.reason, source: t.source })) }
      : {}),
    ...(population.filters === undefined ? {} : { exclusions: exclusions(population.filters, population.excluded) }),
  };
}

function exclusions(filters: PopulationFilters, excluded: ExcludedMember[]): PopulationExclusions {
  const byRule = new Map<string, { rule: string; containers: number; tags: number }>();
  for (const e of excluded) {
    const counts = byRule.get(e.rule) ?? { rule: e.rule, containers: 0, tags: 0 };
    if (e.container) counts.containers += 1;
    else counts.tags += 1;
    byRule.set(e.rule, counts);
  }
  return {
    filters,
    byRule: [...byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    entries: excluded.slice(0, UNRESOLVED_LISTED).map((e) => ({
      rule: e.rule,
      image: e.image,
      source: e.source,
      ...(e.digest === undefined ? {} : { digest: e.digest }),
      ...(e.container ? { place: place(e.container) } : {}),
      ...(e.tag ? { tag: tag(e.tag) } : {}),
    })),
  };
}

function place(c: PopulationPlace): PopulationPlace {
  return { namespace: c.namespace, pod: c.pod, container: c.container, kind: c.kind };
}

function tag(t: TagPlace): PopulationTag {
  return { reference: t.reference, repository: t.repository, tag: t.tag };
}
