import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Period } from '../../config/period.js';
import { AuditpackError } from '../../errors.js';
import { isRecord } from '../../util/wire.js';
import { REDACTION_RULES, type RedactionPolicy } from '../redact.js';
import { REDACTIONS_FILE } from '../woodpecker.js';
import { RemoteError, displayUrl, problemFrom, sortedProblems, type CollectProblem } from '../remote/errors.js';
import { RECORD_FILE, prepareCollectionDir, recordHeader, writeFileAtomic } from '../remote/files.js';
import { HttpClient, type HttpSettings } from '../remote/http.js';
import { mapLimited } from '../remote/limiter.js';
import { WoodpeckerClient } from './client.js';
import { pipelinesOfPeriod } from './pipelines.js';
import { redactJsonAnswer, type Redacted, type RedactionRecord } from './redact-answer.js';
import { collectPipeline, type PipelineRecord } from './pipeline.js';

export { REDACTIONS_FILE };

export interface WoodpeckerCollectOptions {
  server: URL;
  /** `owner/name`. */
  repo: string;
  period: Period;
  outDir: string;
  token: string;
  http: HttpSettings;
  /** Largest API answer read (a step log is one answer). */
  maxBytes: number;
  redaction: RedactionPolicy;
  /** A folder, kept on the connected side, for the unredacted originals of redacted files. */
  keepOriginals?: string;
  collectedAt: string;
  progress: (message: string) => void;
  problem: (problem: CollectProblem) => void;
}

export interface WoodpeckerCollection {
  outDir: string;
  repository?: { id: number; fullName: string };
  pipelines: PipelineRecord[];
  redactions: RedactionRecord[];
  problems: CollectProblem[];
  stopped: boolean;
}

/**
 * `auditpack collect woodpecker`: the repository's pipelines of the period
 * with their workflows, steps and step logs, written as the export folder
 * the report reads (`repo.json`, `pipelines/<n>.json`, `logs/<n>/<step_id>.json`).
 * Secrets are redacted before anything is written; `redactions.json` keeps
 * each redacted file's original SHA-256 and size (see the README).
 */
export async function collectWoodpeckerApi(options: WoodpeckerCollectOptions): Promise<WoodpeckerCollection> {
  const previous = await prepareCollectionDir(options.outDir, 'woodpecker');
  const earlierRepo = isRecord(previous?.repository) ? previous.repository.fullName : undefined;
  if (earlierRepo !== undefined && earlierRepo !== options.repo) {
    const named = typeof earlierRepo === 'string' ? earlierRepo : `a repository named ${JSON.stringify(earlierRepo)}`;
    throw new AuditpackError(
      'OUTPUT_INVALID',
      `the output folder holds the pipelines of ${named}, not ${options.repo}: pipeline numbers would mix; choose another folder`,
      { file: options.outDir },
    );
  }
  const result: WoodpeckerCollection = { outDir: options.outDir, pipelines: [], redactions: [], problems: [], stopped: false };
  const note = (p: CollectProblem) => {
    result.problems.push(p);
    options.problem(p);
  };
  const write = async (file: string, answer: Redacted, original: Buffer) => {
    await writeFileAtomic(join(options.outDir, file), answer.bytes);
    if (answer.record === undefined) return;
    result.redactions.push(answer.record);
    if (options.keepOriginals !== undefined) await writeFileAtomic(join(options.keepOriginals, file), original);
  };
  try {
    const client = new WoodpeckerClient(new HttpClient(options.http), options.server, options.token, options.maxBytes);
    options.progress(`collect woodpecker: looking up ${options.repo}`);
    const repo = await client.lookupRepository(options.repo);
    const id = isRecord(repo?.json) ? repo.json.id : undefined;
    if (repo === undefined)
      throw new RemoteError(
        'COLLECT_NOT_FOUND',
        options.repo,
        `repository ${options.repo} does not exist on ${options.server.host}, or the token cannot see it`,
        { fatal: true },
      );
    if (typeof id !== 'number' || !Number.isInteger(id))
      throw new RemoteError('COLLECT_BAD_RESPONSE', options.repo, `the lookup of ${options.repo} answered without a numeric repository id`, { fatal: true });
    result.repository = { id, fullName: options.repo };
    await write('repo.json', redactJsonAnswer('repo.json', repo, options.redaction), repo.bytes);
    const listing = await pipelinesOfPeriod(client, id, options.period, options.progress);
    listing.problems.forEach(note);
    let done = 0;
    await mapLimited(listing.numbers, options.http.concurrency, async (number) => {
      if (result.stopped) return;
      options.progress(`collect woodpecker ${done + 1}/${listing.numbers.length}: pipeline #${number}`);
      const record = await collectPipeline({ client, repoId: id, number, policy: options.redaction, write, note, collectedAt: options.collectedAt }).catch(
        (thrown: unknown) => {
          if (thrown instanceof RemoteError && thrown.fatal) result.stopped = true;
          note(problemFrom(thrown, `pipeline #${number}`));
          return undefined;
        },
      );
      if (record !== undefined) result.pipelines.push(record);
      done += 1;
    });
  } catch (thrown) {
    if (!(thrown instanceof RemoteError)) throw thrown;
    result.stopped ||= thrown.fatal;
    note(problemFrom(thrown, displayUrl(options.server)));
  }
  result.pipelines.sort((a, b) => a.number - b.number);
  await writeRecords(options, result, previous);
  return result;
}

async function writeRecords(options: WoodpeckerCollectOptions, result: WoodpeckerCollection, previous: Record<string, unknown> | undefined): Promise<void> {
  const byNumber = new Map<number, unknown>();
  for (const p of isRecord(previous) && Array.isArray(previous.pipelines) ? previous.pipelines.filter(isRecord) : [])
    if (typeof p.number === 'number') byNumber.set(p.number, p);
  for (const p of result.pipelines) byNumber.set(p.number, p);
  const pipelines = [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
  const start = options.period.interval.start.toUTC().toISO();
  const end = options.period.interval.end.toUTC().toISO();
  const record = {
    ...recordHeader('woodpecker', options.collectedAt),
    server: displayUrl(options.server),
    repository: result.repository ?? { fullName: options.repo },
    period: { label: options.period.label, zone: options.period.zone, start, end },
    redaction: { rules: Object.keys(REDACTION_RULES), variables: options.redaction.variables, record: REDACTIONS_FILE },
    pipelines,
    problems: sortedProblems(result.problems),
  };
  await writeFileAtomic(join(options.outDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const files = new Map<string, unknown>();
  for (const f of await earlierRedactions(options.outDir)) if (isRecord(f) && typeof f.file === 'string') files.set(f.file, f);
  for (const f of result.redactions) files.set(f.file, f);
  const redactions = {
    redactionFormat: 'auditpack-redactions',
    version: 1,
    note: 'Each file listed was redacted before it was written: "original" is the SHA-256 and size of the bytes the server sent, "written" of the file here. Secrets themselves are never recorded.',
    rules: REDACTION_RULES,
    variables: options.redaction.variables,
    files: [...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f),
  };
  await writeFileAtomic(join(options.outDir, REDACTIONS_FILE), `${JSON.stringify(redactions, null, 2)}\n`);
}

async function earlierRedactions(outDir: string): Promise<unknown[]> {
  try {
    const json: unknown = JSON.parse(await readFile(join(outDir, REDACTIONS_FILE), 'utf8'));
    return isRecord(json) && Array.isArray(json.files) ? (json.files as unknown[]) : [];
  } catch {
    return [];
  }
}
