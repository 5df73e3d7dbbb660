import { relative, resolve } from 'node:path';
import type { ImageConfig, PopulationConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import type { Evidence } from './evidence.js';
import { readKubernetesPods } from './population-kubernetes.js';
import { matchPopulation, placeName } from './population-match.js';
import type { Population, PopulationSource, RunningContainer, UnresolvedContainer } from './population-model.js';
import { repositoryOf } from './population-image-ref.js';
import { readEvidenceFile } from './read-file.js';

/** Unresolved images named one problem each, up to this many; the rest in one more line. */
const MAX_UNRESOLVED_PROBLEMS = 50;
/** Places named in one problem line. */
const PLACES_SHOWN = 5;

export interface PopulationCollection {
  population: Population;
  /** Each export, verbatim: unsigned operator evidence, sealed in the bundle like any other. */
  evidence: Evidence[];
  problems: InputProblem[];
}

/**
 * Reads the configured population exports (`population.kubernetes`) and
 * matches what runs with the configuration's images. An export that cannot
 * be read whole, an item that is not a pod and a container whose digest is
 * unknown are problems naming the file; what was read is kept.
 */
export async function collectPopulation(baseDir: string, config: PopulationConfig, images: readonly ImageConfig[]): Promise<PopulationCollection> {
  const paths = config.kubernetes === undefined ? [] : typeof config.kubernetes === 'string' ? [config.kubernetes] : config.kubernetes;
  const sources: PopulationSource[] = [];
  const evidence: Evidence[] = [];
  const problems: InputProblem[] = [];
  const running: RunningContainer[] = [];
  const unresolved: UnresolvedContainer[] = [];
  for (const path of paths) {
    const read = await readEvidenceFile(baseDir, resolve(baseDir, path));
    if (!read.ok) {
      const source = relative(baseDir, resolve(baseDir, path));
      sources.push({ kind: 'kubernetes', source, pods: 0, containers: 0, failure: { code: read.code, reason: read.reason } });
      problems.push({ code: read.code, file: source, reason: `population export: ${read.reason}` });
      continue;
    }
    const file: Evidence = { ...read.evidence, kind: 'kubernetes-pods' };
    evidence.push(file);
    const source: PopulationSource = { kind: 'kubernetes', source: file.source, sha256: file.sha256, pods: 0, containers: 0 };
    sources.push(source);
    const parsed = readKubernetesPods(file.bytes, { source: file.source, evidence: file.sha256 });
    if (!parsed.ok) {
      source.failure = { code: 'EVIDENCE_MALFORMED', reason: parsed.reason };
      problems.push({ code: 'EVIDENCE_MALFORMED', file: file.source, reason: `population export: ${parsed.reason}` });
      continue;
    }
    const { reading } = parsed;
    Object.assign(source, { pods: reading.pods, containers: reading.running.length + reading.unresolved.length });
    running.push(...reading.running);
    unresolved.push(...reading.unresolved);
    if (reading.skipped.length > 0) {
      const reason = `population export: ${reading.skipped.length} items not read (${reading.skipped.slice(0, PLACES_SHOWN).join('; ')}${more(reading.skipped.length)}): what they run is unknown`;
      source.failure = { code: 'EVIDENCE_MALFORMED', reason };
      problems.push({ code: 'EVIDENCE_MALFORMED', file: file.source, reason });
    }
    if (reading.truncated) {
      const reason = `population export: more than ${source.containers} containers; the rest were not read, so what they run is unknown`;
      source.failure = { code: 'EVIDENCE_TOO_LARGE', reason };
      problems.push({ code: 'EVIDENCE_TOO_LARGE', file: file.source, reason });
    }
  }
  const population = matchPopulation(sources, running, unresolved, images);
  return { population, evidence, problems: [...problems, ...unresolvedProblems(population.unresolved, images)] };
}

/** One problem per image whose containers have no registry digest, naming where they are and why. */
function unresolvedProblems(unresolved: UnresolvedContainer[], images: readonly ImageConfig[]): InputProblem[] {
  const byImage = new Map<string, UnresolvedContainer[]>();
  for (const c of unresolved) byImage.set(`${c.source}\u0000${c.image}`, [...(byImage.get(`${c.source}\u0000${c.image}`) ?? []), c]);
  const groups = [...byImage.values()];
  const problems = groups.slice(0, MAX_UNRESOLVED_PROBLEMS).map((group): InputProblem => {
    const [first] = group as [UnresolvedContainer];
    const subject = images.find((i) => repositoryOf(i.ref) === repositoryOf(first.image))?.name;
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

function more(total: number): string {
  return total > PLACES_SHOWN ? `, and ${total - PLACES_SHOWN} more` : '';
}
