import type { ImageConfig, PopulationConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import type { Evidence } from './evidence.js';
import { applyFilters, filtersOf } from './population-filter.js';
import { matchPopulation, placeName } from './population-match.js';
import type { Population, UnresolvedContainer, UnresolvedTag } from './population-model.js';
import { repositoryOf } from './population-image-ref.js';
import { more, readPopulationSource, type GatheredPopulation } from './population-sources.js';

/** Unresolved images (or tags) named one problem each, up to this many; the rest in one more line. */
const MAX_UNRESOLVED_PROBLEMS = 50;
/** Places named in one problem line. */
const PLACES_SHOWN = 5;

export interface PopulationCollection {
  population: Population;
  /** Each export and listing, verbatim: unsigned operator evidence, sealed in the bundle like any other. */
  evidence: Evidence[];
  problems: InputProblem[];
}

/**
 * Reads the configured population sources (`population.kubernetes` exports,
 * `population.registry` listings), applies the population's filters and
 * matches what is left with the configuration's images. A source that cannot
 * be read whole, an entry that cannot be read and a container or tag whose
 * digest is unknown are problems naming the file; what was read is kept, and
 * what the filters leave out is listed with the rule.
 */
export async function collectPopulation(baseDir: string, config: PopulationConfig, images: readonly ImageConfig[]): Promise<PopulationCollection> {
  const gathered: GatheredPopulation = { sources: [], evidence: [], problems: [], running: [], unresolved: [], published: [], unresolvedTags: [] };
  for (const path of listOf(config.kubernetes)) await readPopulationSource(baseDir, path, 'kubernetes', gathered);
  for (const path of listOf(config.registry)) await readPopulationSource(baseDir, path, 'registry', gathered);
  const filters = filtersOf(config);
  const kept = applyFilters(gathered, filters);
  const population = matchPopulation(gathered.sources, kept.running, kept.unresolved, images, {
    published: kept.published,
    unresolvedTags: kept.unresolvedTags,
    excluded: kept.excluded,
    ...(filters === undefined ? {} : { filters }),
  });
  const problems = [...gathered.problems, ...unresolvedProblems(population.unresolved, images), ...unresolvedTagProblems(population.unresolvedTags, images)];
  return { population, evidence: gathered.evidence, problems };
}

function listOf(paths: string | string[] | undefined): string[] {
  return paths === undefined ? [] : typeof paths === 'string' ? [paths] : paths;
}

/** One problem per image whose containers have no registry digest, naming where they are and why. */
function unresolvedProblems(unresolved: UnresolvedContainer[], images: readonly ImageConfig[]): InputProblem[] {
  const byImage = new Map<string, UnresolvedContainer[]>();
  for (const c of unresolved) byImage.set(`${c.source}\u0000${c.image}`, [...(byImage.get(`${c.source}\u0000${c.image}`) ?? []), c]);
  const groups = [...byImage.values()];
  const problems = groups.slice(0, MAX_UNRESOLVED_PROBLEMS).map((group): InputProblem => {
    const [first] = group as [UnresolvedContainer];
    const subject = subjectOf(repositoryOf(first.image), images);
    const places = group.slice(0, PLACES_SHOWN).map((c) => `${placeName(c)}: ${c.reason}`);
    return {
      code: 'IMAGE_RUNNING_DIGEST_UNKNOWN',
      file: first.source,
      reason: `${group.length} container${group.length === 1 ? '' : 's'} of ${first.image} without a registry digest, so what runs there is unknown: ${places.join('; ')}${more(group.length)}`,
      ...(subject === undefined ? {} : { subject }),
    };
  });
  if (groups.length > MAX_UNRESOLVED_PROBLEMS) {
    const rest = groups.slice(MAX_UNRESOLVED_PROBLEMS).reduce((n, g) => n + g.length, 0);
    const file = groups[MAX_UNRESOLVED_PROBLEMS]?.[0]?.source ?? '';
    problems.push({
      code: 'IMAGE_RUNNING_DIGEST_UNKNOWN',
      file,
      reason: `and ${rest} more containers of ${groups.length - MAX_UNRESOLVED_PROBLEMS} other images without a registry digest (the report's population section counts them all)`,
    });
  }
  return problems;
}

/** One problem per listed tag the collection could not resolve, with its reason. */
function unresolvedTagProblems(unresolved: UnresolvedTag[], images: readonly ImageConfig[]): InputProblem[] {
  const problems = unresolved.slice(0, MAX_UNRESOLVED_PROBLEMS).map((t): InputProblem => {
    const subject = subjectOf(t.repository, images);
    return {
      code: 'IMAGE_PUBLISHED_DIGEST_UNKNOWN',
      file: t.source,
      reason: `${t.reference} was not resolved when the listing was collected (${t.code}: ${t.reason}), so what it publishes is unknown`,
      ...(subject === undefined ? {} : { subject }),
    };
  });
  const rest = unresolved.slice(MAX_UNRESOLVED_PROBLEMS);
  if (rest[0] !== undefined) {
    problems.push({
      code: 'IMAGE_PUBLISHED_DIGEST_UNKNOWN',
      file: rest[0].source,
      reason: `and ${rest.length} more tags not resolved when the listing was collected (the report's population section counts them all)`,
    });
  }
  return problems;
}

function subjectOf(repository: string, images: readonly ImageConfig[]): string | undefined {
  return images.find((i) => repositoryOf(i.ref) === repository)?.name;
}
