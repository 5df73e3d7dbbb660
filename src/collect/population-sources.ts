import { relative, resolve } from 'node:path';
import type { InputProblem } from '../report/model.js';
import type { Evidence } from './evidence.js';
import type { PopulationMembers } from './population-filter.js';
import { readKubernetesPods } from './population-kubernetes.js';
import type { PopulationSource } from './population-model.js';
import { readRegistryListing } from './population-registry.js';
import { readEvidenceFile } from './read-file.js';

/** Entries named in one problem line. */
const PLACES_SHOWN = 5;

/** Everything read from the population sources, before the filters. */
export interface GatheredPopulation extends PopulationMembers {
  sources: PopulationSource[];
  evidence: Evidence[];
  problems: InputProblem[];
}

const LABEL = { kubernetes: 'population export', registry: 'registry listing' } as const;
/** What an entry of each source holds, for the lines about entries that could not be read. */
const ENTRIES = { kubernetes: { entry: 'item', entries: 'items', hold: 'run' }, registry: { entry: 'entry', entries: 'entries', hold: 'publish' } } as const;
const EVIDENCE_KIND = { kubernetes: 'kubernetes-pods', registry: 'registry-listing' } as const;

/**
 * Reads one population source into `into`: a kubectl pods export or a
 * registry listing. A file that cannot be read, or not whole, is a problem
 * naming it, and its source records why (then "not found" means unknown, not
 * absent); whatever was read is kept.
 */
export async function readPopulationSource(baseDir: string, path: string, kind: PopulationSource['kind'], into: GatheredPopulation): Promise<void> {
  const read = await readEvidenceFile(baseDir, resolve(baseDir, path));
  if (!read.ok) {
    const source = relative(baseDir, resolve(baseDir, path));
    into.sources.push({ kind, source, pods: 0, containers: 0, failure: { code: read.code, reason: read.reason } });
    into.problems.push({ code: read.code, file: source, reason: `${LABEL[kind]}: ${read.reason}` });
    return;
  }
  const file: Evidence = { ...read.evidence, kind: EVIDENCE_KIND[kind] };
  into.evidence.push(file);
  const source: PopulationSource = { kind, source: file.source, sha256: file.sha256, pods: 0, containers: 0 };
  into.sources.push(source);
  const fail = (code: InputProblem['code'], reason: string) => {
    source.failure = { code, reason };
    into.problems.push({ code, file: file.source, reason });
  };
  const origin = { source: file.source, evidence: file.sha256 };
  const parsed = kind === 'kubernetes' ? readKubernetesPods(file.bytes, origin) : readRegistryListing(file.bytes, origin);
  if (!parsed.ok) return fail('EVIDENCE_MALFORMED', `${LABEL[kind]}: ${parsed.reason}`);
  const { reading } = parsed;
  if ('pods' in reading) {
    Object.assign(source, { pods: reading.pods, containers: reading.running.length + reading.unresolved.length });
    into.running.push(...reading.running);
    into.unresolved.push(...reading.unresolved);
  } else {
    const tags = reading.published.length + reading.unresolved.length + reading.absent;
    Object.assign(source, { repositories: reading.repositories, tags, ...(reading.collectedAt === undefined ? {} : { collectedAt: reading.collectedAt }) });
    into.published.push(...reading.published);
    into.unresolvedTags.push(...reading.unresolved);
    if (reading.incomplete.length > 0) {
      fail(
        'IMAGE_PUBLISHED_DIGEST_UNKNOWN',
        `registry listing: not complete (${shownList(reading.incomplete)}): what the registry publishes beyond the tags it lists is unknown`,
      );
    }
  }
  if (reading.skipped.length > 0) {
    const { entry, entries, hold } = ENTRIES[kind];
    const count = `${reading.skipped.length} ${reading.skipped.length === 1 ? `${entry} was` : `${entries} were`}`;
    fail('EVIDENCE_MALFORMED', `${LABEL[kind]}: ${count} not read (${shownList(reading.skipped)}): what they ${hold} is unknown`);
  }
  if (reading.truncated) {
    const count = 'pods' in reading ? `${source.containers} containers` : `${source.tags ?? 0} tags`;
    fail('EVIDENCE_TOO_LARGE', `${LABEL[kind]}: more than ${count}; the rest were not read, so what they ${ENTRIES[kind].hold} is unknown`);
  }
}

export function shownList(items: string[]): string {
  return `${items.slice(0, PLACES_SHOWN).join('; ')}${more(items.length)}`;
}

export function more(total: number): string {
  return total > PLACES_SHOWN ? `, and ${total - PLACES_SHOWN} more` : '';
}
