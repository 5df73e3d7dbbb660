import type { Population, RunningImage } from '../collect/population-model.js';
import { repositoryOf } from '../collect/population-image-ref.js';
import { placeName } from '../collect/population-match.js';
import type { ImageConfig } from '../config/schema.js';
import { defineCheck, type CheckOutcome } from './types.js';

/** Places named in a message; the details list more. */
const IN_MESSAGE = 3;
const IN_DETAILS = 20;

export const populationCovered = defineCheck({
  id: 'population.covered',
  title: 'What runs or is published is the image evidenced',
  description:
    "With population sources (config population): the digest the configuration names for the image is found running (from the containers' imageID, never a tag) or published (a registry listing's tag resolved to it), so its evidence is that of what runs or is published. Every other digest found is a subject of its own that fails: IMAGE_RUNNING_UNCOVERED (running) or IMAGE_PUBLISHED_UNCOVERED (only published) when no configured image has it, IMAGE_RUNNING_DIGEST_DIFFERS or IMAGE_PUBLISHED_DIGEST_DIFFERS when a configured image of the same repository names another digest. Not applicable without population sources.",
  run({ image, population }) {
    if (population === undefined) {
      return { status: 'not-applicable', message: 'no population export is configured: what runs was not compared with the images listed' };
    }
    const own = population.images.find((i) => i.subject === image.name && !i.configured);
    if (own !== undefined) return uncovered(own);
    const found = population.images.find((i) => i.configured && i.digest === image.digest);
    if (found !== undefined) {
      return { status: 'pass', message: `${image.digest} ${whereFound(found)}`, details: details(found), evidence: sources(found) };
    }
    return notFound(image, population);
  },
});

/** A digest no configured image names: a gap, never silence. A digest only a registry listing has is published, not said to run. */
function uncovered(found: RunningImage): CheckOutcome {
  const ref = `${found.repositories.join(', ')} at ${found.digest}`;
  const runs = found.containers.length > 0;
  const base = { status: 'fail' as const, details: details(found), evidence: sources(found) };
  if (found.sameRepository.length > 0) {
    const named = found.sameRepository.map((c) => `${c.name} at ${c.digest}`).join(', ');
    return {
      ...base,
      code: runs ? 'IMAGE_RUNNING_DIGEST_DIFFERS' : 'IMAGE_PUBLISHED_DIGEST_DIFFERS',
      message: `${ref} ${whereFound(found)}, but the configuration names ${named} for this repository: no evidence is judged for the digest ${runs ? 'that runs' : 'published'}`,
    };
  }
  return {
    ...base,
    code: runs ? 'IMAGE_RUNNING_UNCOVERED' : 'IMAGE_PUBLISHED_UNCOVERED',
    message: `${ref} ${whereFound(found)}, but no image of the configuration has this digest: no evidence is judged for it`,
  };
}

/** The configured digest is not in the population: another of its repository is, or nothing is, or the sources could not tell. */
function notFound(image: ImageConfig, population: Population): CheckOutcome {
  const repository = repositoryOf(image.ref);
  const others = population.images.filter((i) => i.repositories.includes(repository));
  const looked = lookedFor(population);
  if (others.length > 0) {
    const runs = others.some((o) => o.containers.length > 0);
    return {
      status: 'fail',
      code: runs ? 'IMAGE_RUNNING_DIGEST_DIFFERS' : 'IMAGE_PUBLISHED_DIGEST_DIFFERS',
      message: `${image.digest} is not found ${looked.adjective}; ${repository} ${others.map((o) => repositoryHas(o)).join('; ')}: the evidence judged is not that of what ${runs ? 'runs' : 'is published'}`,
      details: Object.fromEntries(
        others.map((o) => [`${o.containers.length > 0 ? 'running' : 'published'} ${o.digest}`, `${o.subject}: ${whereFound(o, IN_DETAILS)}`]),
      ),
      evidence: others.flatMap(sources),
    };
  }
  const failed = population.sources.find((s) => s.failure !== undefined);
  if (failed?.failure !== undefined) {
    return {
      status: 'error',
      code: failed.failure.code,
      message: `${image.digest} is not found ${looked.adjective}, but ${failed.source} could not be read whole (${failed.failure.reason}): whether it ${looked.verb} is unknown`,
    };
  }
  const read = population.sources.map((s) => s.source).join(', ');
  const left = population.excluded.filter((e) => e.digest === image.digest);
  const excluded =
    left.length === 0
      ? ''
      : ` (the population's filters leave out ${left.length} place${left.length === 1 ? '' : 's'} where it is found: ${left[0]?.rule ?? ''})`;
  return {
    status: 'not-applicable',
    message: `${image.digest} is not found ${looked.adjective} in ${read}${excluded}: it is judged on its evidence as configured`,
  };
}

/** "runs in 3 containers (…)", "is published as reg/repo:tag (registry listing)", or both. */
function whereFound(found: RunningImage, shown = IN_MESSAGE): string {
  const runs = found.containers.length > 0 ? `runs in ${containersText(found, shown)}` : '';
  const published = found.tags.length > 0 ? `is published as ${tagsText(found, shown)} (registry listing)` : '';
  return [runs, published].filter((p) => p !== '').join(' and ');
}

/** After the repository's name: "runs sha256:… in 1 container (…)", "publishes sha256:… as reg/repo:tag (registry listing)". */
function repositoryHas(found: RunningImage): string {
  const published = `publish${found.containers.length > 0 ? 'es it' : `es ${found.digest}`} as ${tagsText(found)} (registry listing)`;
  if (found.containers.length === 0) return published;
  return `runs ${found.digest} in ${containersText(found)}${found.tags.length > 0 ? ` and ${published}` : ''}`;
}

function containersText(found: RunningImage, shown = IN_MESSAGE): string {
  const names = found.containers.slice(0, shown).map(placeName);
  const rest = found.containers.length - names.length;
  return `${found.containers.length} container${found.containers.length === 1 ? '' : 's'} (${names.join(', ')}${rest > 0 ? `, and ${rest} more` : ''})`;
}

function tagsText(found: RunningImage, shown = IN_MESSAGE): string {
  const names = found.tags.slice(0, shown).map((t) => t.reference);
  const rest = found.tags.length - names.length;
  return `${names.join(', ')}${rest > 0 ? `, and ${rest} more tags` : ''}`;
}

/** What the sources can show: what runs (kubectl exports), what is published (registry listings), or both. */
function lookedFor(population: Population): { adjective: string; verb: string } {
  const kinds = new Set(population.sources.map((s) => s.kind));
  if (kinds.size === 2) return { adjective: 'running or published', verb: 'runs or is published' };
  return kinds.has('registry') ? { adjective: 'published', verb: 'is published' } : { adjective: 'running', verb: 'runs' };
}

function details(found: RunningImage): Record<string, string> {
  const from = [
    ...(found.containers.length > 0 ? ["the containers' imageID (the registry manifest digest the runtime pulled)"] : []),
    ...(found.tags.length > 0 ? ['the registry listing (the digest each tag resolved to when collected; published, not necessarily running)'] : []),
  ];
  return {
    ...(found.containers.length > 0
      ? { 'runs in': containersText(found, IN_DETAILS), 'images as the pods name them': [...new Set(found.containers.map((c) => c.image))].sort().join(', ') }
      : {}),
    ...(found.tags.length > 0 ? { 'published as': tagsText(found, IN_DETAILS) } : {}),
    repositories: found.repositories.join(', '),
    'digest from': from.join('; '),
  };
}

function sources(found: RunningImage): string[] {
  return [...new Set([...found.containers.map((c) => c.evidence), ...found.tags.map((t) => t.evidence)])];
}
