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
  title: 'What runs is the image evidenced',
  description:
    "With population exports (config population): the digest the configuration names for the image is found running (from the containers' imageID, never a tag), so its evidence is that of what runs. Every other digest found running is a subject of its own that fails: IMAGE_RUNNING_UNCOVERED when no configured image has it, IMAGE_RUNNING_DIGEST_DIFFERS when a configured image of the same repository names another digest. Not applicable without population exports.",
  run({ image, population }) {
    if (population === undefined) {
      return { status: 'not-applicable', message: 'no population export is configured: what runs was not compared with the images listed' };
    }
    const own = population.images.find((i) => i.subject === image.name && !i.configured);
    if (own !== undefined) return uncovered(own);
    const running = population.images.find((i) => i.configured && i.digest === image.digest);
    if (running !== undefined) {
      return { status: 'pass', message: `${image.digest} runs in ${places(running)}`, details: details(running), evidence: sources(running) };
    }
    return notRunning(image, population);
  },
});

/** A digest no configured image names: a gap, never silence. */
function uncovered(running: RunningImage): CheckOutcome {
  const ref = `${running.repositories.join(', ')} at ${running.digest}`;
  const base = { status: 'fail' as const, details: details(running), evidence: sources(running) };
  if (running.sameRepository.length > 0) {
    const named = running.sameRepository.map((c) => `${c.name} at ${c.digest}`).join(', ');
    return {
      ...base,
      code: 'IMAGE_RUNNING_DIGEST_DIFFERS',
      message: `${ref} runs in ${places(running)}, but the configuration names ${named} for this repository: no evidence is judged for the digest that runs`,
    };
  }
  return {
    ...base,
    code: 'IMAGE_RUNNING_UNCOVERED',
    message: `${ref} runs in ${places(running)}, but no image of the configuration has this digest: no evidence is judged for it`,
  };
}

/** The configured digest does not run: another of its repository does, or nothing does, or the exports could not tell. */
function notRunning(image: ImageConfig, population: Population): CheckOutcome {
  const repository = repositoryOf(image.ref);
  const others = population.images.filter((i) => i.repositories.includes(repository));
  if (others.length > 0) {
    return {
      status: 'fail',
      code: 'IMAGE_RUNNING_DIGEST_DIFFERS',
      message: `${image.digest} is not found running; ${repository} runs ${others.map((o) => `${o.digest} in ${places(o)}`).join('; ')}: the evidence judged is not that of what runs`,
      details: Object.fromEntries(others.map((o) => [`running ${o.digest}`, `${o.subject}: ${places(o, IN_DETAILS)}`])),
      evidence: others.flatMap(sources),
    };
  }
  const failed = population.sources.find((s) => s.failure !== undefined);
  if (failed?.failure !== undefined) {
    return {
      status: 'error',
      code: failed.failure.code,
      message: `${image.digest} is not found running, but ${failed.source} could not be read whole (${failed.failure.reason}): whether it runs is unknown`,
    };
  }
  const read = population.sources.map((s) => s.source).join(', ');
  return { status: 'not-applicable', message: `${image.digest} is not found running in ${read}: it is judged on its evidence as configured` };
}

function places(running: RunningImage, shown = IN_MESSAGE): string {
  const names = running.containers.slice(0, shown).map(placeName);
  const rest = running.containers.length - names.length;
  return `${running.containers.length} container${running.containers.length === 1 ? '' : 's'} (${names.join(', ')}${rest > 0 ? `, and ${rest} more` : ''})`;
}

function details(running: RunningImage): Record<string, string> {
  return {
    'runs in': places(running, IN_DETAILS),
    repositories: running.repositories.join(', '),
    'images as the pods name them': running.images.join(', '),
    'digest from': "the containers' imageID (the registry manifest digest the runtime pulled)",
  };
}

function sources(running: RunningImage): string[] {
  return [...new Set(running.containers.map((c) => c.evidence))];
}
