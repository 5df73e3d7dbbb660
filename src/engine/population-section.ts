import type { Population } from '../collect/population-model.js';
import type { ImageConfig } from '../config/schema.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { PopulationPlace, PopulationSection } from '../report/model.js';

/** Containers listed per image, and unresolved containers listed, in the report (the counts hold them all). */
const PLACES_LISTED = 50;
const UNRESOLVED_LISTED = 200;

/** The report's population section, from the population as collected and matched. Pure. */
export function populationSection(population: Population, images: readonly ImageConfig[]): PopulationSection {
  const entries = population.images.map((i) => ({
    subject: i.subject,
    digest: i.digest,
    status: i.configured ? ('covered' as const) : i.sameRepository.length > 0 ? ('digest-differs' as const) : ('uncovered' as const),
    repositories: i.repositories,
    images: i.images,
    ...(i.sameRepository.length > 0 ? { configuredAs: i.sameRepository } : {}),
    containers: i.containers.length,
    runsIn: i.containers.slice(0, PLACES_LISTED).map(place),
  }));
  const running = new Set(population.images.map((i) => i.digest));
  const configuredNotRunning = images.filter((i) => !running.has(i.digest)).map((i) => i.name);
  const count = (status: string) => entries.filter((e) => e.status === status).length;
  return {
    sources: population.sources.map((s) => ({
      kind: s.kind,
      source: s.source,
      ...(s.sha256 === undefined ? {} : { sha256: s.sha256, path: evidencePath(s.source) }),
      signed: false,
      pods: s.pods,
      containers: s.containers,
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
    },
    images: entries,
    unresolved: population.unresolved.slice(0, UNRESOLVED_LISTED).map((c) => ({ ...place(c), image: c.image, reason: c.reason, source: c.source })),
    configuredNotRunning,
  };
}

function place(c: PopulationPlace): PopulationPlace {
  return { namespace: c.namespace, pod: c.pod, container: c.container, kind: c.kind };
}
