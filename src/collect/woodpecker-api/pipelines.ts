import type { Period } from '../../config/period.js';
import { isRecord } from '../../util/wire.js';
import { RemoteError, type CollectProblem } from '../remote/errors.js';
import { PAGE_SIZE, type WoodpeckerClient } from './client.js';

/** A pipeline as the list returns it (the list has no workflows), v3 or v2 field names. */
export interface ListedPipeline {
  number: number;
  created: number | undefined;
  started: number | undefined;
  finished: number | undefined;
}

/** Unix seconds of a v3 field (`created`) or its v2 name (`created_at`); 0 means "not yet". */
export function epochField(o: Record<string, unknown>, v3: string, v2: string): number | undefined {
  const v = o[v3] ?? o[v2];
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function listedPipeline(o: unknown): ListedPipeline | undefined {
  if (!isRecord(o) || typeof o.number !== 'number' || !Number.isInteger(o.number) || o.number < 0) return undefined;
  return {
    number: o.number,
    created: epochField(o, 'created', 'created_at'),
    started: epochField(o, 'started', 'started_at'),
    finished: epochField(o, 'finished', 'finished_at'),
  };
}

/**
 * Whether a pipeline belongs to the period: created before its end and
 * running, or finished, within it. A run created on the last evening of
 * the previous quarter that finished in this one counts.
 */
export function overlapsPeriod(p: ListedPipeline, start: number, end: number): boolean {
  const created = p.created ?? p.started;
  if (created === undefined || created >= end) return false;
  return Math.max(created, p.started ?? 0, p.finished ?? 0) >= start;
}

/** The list is newest first; once a whole page was created this long before the period, older pages cannot matter. */
const MARGIN_SECONDS = 7 * 24 * 3600;
const MAX_PAGES = 1000;

/**
 * Pages through `GET /api/repos/{id}/pipelines` and returns the numbers of
 * the pipelines of the period, ascending. The server's `after`/`before`
 * filters narrow the list where they are implemented; the selection itself
 * is made here, from the fields, so a server that ignores them still gives
 * the right answer.
 */
export async function pipelinesOfPeriod(
  client: WoodpeckerClient,
  repoId: number,
  period: Period,
  progress: (m: string) => void,
): Promise<{ numbers: number[]; problems: CollectProblem[] }> {
  const start = Math.floor(period.interval.start.toSeconds());
  const end = Math.floor(period.interval.end.toSeconds());
  const window = { after: new Date((start - MARGIN_SECONDS) * 1000).toISOString(), before: new Date(end * 1000).toISOString() };
  const numbers = new Set<number>();
  const problems: CollectProblem[] = [];
  const sorted = () => [...numbers].sort((a, b) => a - b);
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    progress(`collect woodpecker: pipeline list page ${page}`);
    const answer = await client.pipelines(repoId, page, window);
    if (!Array.isArray(answer.json))
      throw new RemoteError('COLLECT_BAD_RESPONSE', `pipeline list page ${page}`, `pipeline list page ${page}: not a JSON list of pipelines`);
    if (answer.json.length === 0) return { numbers: sorted(), problems };
    const listed = answer.json.map(listedPipeline);
    listed.forEach((p, i) => {
      if (p === undefined)
        problems.push({ code: 'COLLECT_BAD_RESPONSE', where: `pipeline list page ${page}`, reason: `entry ${i + 1} has no pipeline number; skipped` });
      else if (overlapsPeriod(p, start, end)) numbers.add(p.number);
    });
    if (listed.every((p) => p !== undefined && (p.created ?? p.started ?? 0) < start - MARGIN_SECONDS)) return { numbers: sorted(), problems };
  }
  problems.push({
    code: 'COLLECT_TOO_LARGE',
    where: 'pipeline list',
    reason: `stopped after ${MAX_PAGES} pages of ${PAGE_SIZE} pipelines; older pipelines of the period may be missing`,
  });
  return { numbers: sorted(), problems };
}
