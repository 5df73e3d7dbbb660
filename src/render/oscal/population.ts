/**
 * What runs or is published, as OSCAL observations (methods EXAMINE): one per
 * digest found running or published at a listed tag (covered, not covered, or
 * another digest than configured, with where it runs and the tags that
 * publish it), one for the containers whose digest is unknown, one for
 * the configured images not found running. Each points at the population
 * exports it was read from: unsigned operator evidence, as the remarks say.
 */
import type { PopulationImage, PopulationSection, Report, SubjectResult } from '../../report/model.js';
import { evidenceUuid, imageUuid, observationUuid } from './observations.js';
import { prop, type Observation, type Origin, type SubjectReference } from './types.js';

/** Places named in an observation's description; the count gives the rest. */
const PLACES_NAMED = 10;

const STATUS: Readonly<Record<PopulationImage['status'], string>> = {
  covered: 'covered by the configuration: its evidence is judged',
  uncovered: 'NOT covered: no image of the configuration names this digest, so no evidence is judged for it',
  'digest-differs': 'another digest than the configuration names for its repository',
};

const UNSIGNED = 'Read from population exports and registry listings: unsigned operator evidence; whoever writes one can list any image.';

export function populationObservations(report: Report, docUuid: string, origin: Origin): Observation[] {
  const population = report.population;
  if (population === undefined) return [];
  const subjects = new Map(report.subjects.map((s) => [s.id, s]));
  const component = (id: string): SubjectReference[] => {
    const subject = subjects.get(id);
    return subject === undefined ? [] : [componentOf(subject)];
  };
  const base = {
    methods: ['EXAMINE' as const],
    origins: [origin],
    ...exportsEvidence(report, population),
    collected: report.run.generatedAt,
    remarks: UNSIGNED,
  };
  const observations: Observation[] = population.images.map((image) => {
    const places = image.runsIn.slice(0, PLACES_NAMED).map((p) => `${p.namespace}/${p.pod} ${p.container}${p.kind === 'container' ? '' : ` (${p.kind})`}`);
    const more = image.containers - places.length;
    const configured = (image.configuredAs ?? []).map((c) => `${c.name} at ${c.digest}`);
    const subjectRefs = component(image.subject);
    const runs = image.containers > 0 || image.publishedAs === undefined;
    return {
      uuid: observationUuid(docUuid, 'population', image.digest),
      title: `Population: ${image.subject} ${runs ? 'runs' : 'is published'} (${image.status})`,
      description:
        `Digest ${image.digest}` +
        (runs ? ` runs in ${image.containers} container(s): ${places.join('; ')}${more > 0 ? `; and ${more} more` : ''}.` : '') +
        publishedWords(image, runs) +
        ` It is ${STATUS[image.status]}${configured.length > 0 ? ` (the configuration names ${configured.join(', ')})` : ''}.`,
      props: [prop('population-status', image.status), prop('digest', image.digest), prop('containers', String(image.containers))],
      ...base,
      ...(subjectRefs.length > 0 ? { subjects: subjectRefs } : {}),
    };
  });
  const unresolved = population.counts.unresolved;
  const notRunning = population.configuredNotRunning;
  if (unresolved > 0) {
    const named = population.unresolved.slice(0, PLACES_NAMED).map((u) => `${u.namespace}/${u.pod} ${u.container} (${u.image}): ${u.reason}`);
    observations.push({
      uuid: observationUuid(docUuid, 'population', 'unresolved'),
      title: 'Population: containers without a registry digest',
      description: `${unresolved} container(s) have no registry digest, so what they run is unknown: ${named.join('; ')}${unresolved > named.length ? `; and ${unresolved - named.length} more` : ''}.`,
      props: [prop('population-status', 'digest-unknown'), prop('containers', String(unresolved))],
      ...base,
    });
  }
  if (notRunning.length > 0) {
    const refs = notRunning.flatMap(component);
    observations.push({
      uuid: observationUuid(docUuid, 'population', 'configured-not-running'),
      title: 'Population: configured images not found running',
      description: `Not found running: ${notRunning.join(', ')}. ${population.complete ? 'Every export was read whole.' : 'Not every export was read whole: they may still run.'}`,
      props: [prop('population-status', 'configured-not-running'), prop('complete', String(population.complete))],
      ...base,
      ...(refs.length > 0 ? { subjects: refs } : {}),
    });
  }
  return observations;
}

/** The tags that publish a digest (a registry listing: published, not necessarily running), the first ones named. */
function publishedWords(image: PopulationImage, runs: boolean): string {
  if (image.publishedAs === undefined || image.publishedAs.length === 0) return '';
  const total = image.tags ?? image.publishedAs.length;
  const named = image.publishedAs.slice(0, PLACES_NAMED).map((t) => t.reference);
  return `${runs ? ' It' : ''} is published as ${total} tag(s): ${named.join(', ')}${total > named.length ? `; and ${total - named.length} more` : ''} (registry listing: published, not necessarily running).`;
}

function componentOf(subject: SubjectResult): SubjectReference {
  return { 'subject-uuid': imageUuid(subject), type: 'component', title: subject.ref };
}

/** The exports the population was read from, as relevant evidence listed in the back-matter. */
function exportsEvidence(report: Report, population: PopulationSection): Pick<Observation, 'relevant-evidence'> {
  const read = new Set(population.sources.flatMap((s) => (s.sha256 === undefined ? [] : [s.sha256])));
  const files = report.evidence.filter((e) => read.has(e.sha256));
  if (files.length === 0) return {};
  return {
    'relevant-evidence': files.map((e) => ({ href: `#${evidenceUuid(e)}`, description: `population export ${e.path} (SHA-256 ${e.sha256}, unsigned)` })),
  };
}
