/**
 * The Woodpecker exports of a report run, streamed: `repo.json` and the
 * redaction record read here, then each pipeline export read, written into
 * the bundle and judged as one job (pipeline-job.ts), in worker threads when
 * `workers` > 0 (short-lived ones: they end once the exports are read), and
 * kept without its log lines. Runs are placed in file order, never in
 * finishing order.
 */
import { resolve } from 'node:path';
import { type BundleStaging, writeStagedFile } from '../bundle/staging.js';
import { recordOf, type EvidenceRecord, type PipelineRun } from '../collect/evidence.js';
import { collectWoodpecker } from '../collect/woodpecker.js';
import type { LoadedConfig } from '../config/load.js';
import { ciPolicy } from '../engine/run-checks.js';
import { AuditpackError } from '../errors.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { InputProblem } from '../report/model.js';
import { indexOfFacts, type CiEvidence, type RunFacts } from '../verify/ci-runs.js';
import type { StagedFile } from './image-job.js';
import { processPipeline, type PipelineJobContext, type PipelineOutcome, type PipelineTask } from './pipeline-job.js';
import type { StringPool } from '../util/string-pool.js';
import { WorkerPool } from '../util/worker-pool.js';

export interface CollectedCi {
  evidence: CiEvidence;
  staged: StagedFile[];
  records: EvidenceRecord[];
  problems: InputProblem[];
}

/** Pipelines a worker thread works on at once: each mostly waits on the disk. */
const PIPELINES_PER_THREAD = 4;

export async function collectCi(input: {
  loaded: LoadedConfig;
  staging: BundleStaging;
  workers: number;
  progress: (message: string) => void;
  /** Keeps one copy of the strings the worker threads send back repeated from run to run (the evidence kinds, the labels of unsigned evidence). */
  strings: StringPool;
}): Promise<CollectedCi> {
  const { config, baseDir } = input.loaded;
  const policy = ciPolicy(config);
  const folder = config.evidence.woodpecker;
  if (folder === undefined) return { evidence: { runs: [], policy }, staged: [], records: [], problems: [] };
  input.progress('collect: Woodpecker exports');
  const context: PipelineJobContext = { baseDir, root: resolve(baseDir, folder), stagingDir: input.staging.dir, policy };
  const pool =
    input.workers > 0
      ? new WorkerPool<PipelineTask, PipelineOutcome>(new URL('./ci-worker.js', import.meta.url), input.workers, context, PIPELINES_PER_THREAD)
      : undefined;
  const staged: StagedFile[] = [];
  const records: EvidenceRecord[] = [];
  const facts = new Map<PipelineRun, RunFacts>();
  const writes = new Writes();
  try {
    const collected = await collectWoodpecker(baseDir, folder, {
      // repo.json and the redaction record: the entry is known from the bytes; the write runs while the next files are read.
      keep: async (e) => {
        const path = evidencePath(e.source);
        staged.push({ entry: { path, sha256: e.sha256, size: e.bytes.length }, origin: e.source });
        records.push(recordOf(e));
        await writes.start(writeStagedFile(input.staging.dir, path, e.bytes, e.sha256));
      },
      pipeline: async (file, _root, repository) => {
        const task = { file, repository };
        const outcome = pool ? input.strings.intern(await pool.run(task)) : await processPipeline(context, task);
        staged.push(...outcome.staged);
        records.push(...outcome.records);
        if (outcome.run) facts.set(outcome.run.light, outcome.run.facts);
        return { run: outcome.run?.light, problems: outcome.problems };
      },
    });
    await writes.settle();
    const index = indexOfFacts(
      collected.runs.map((run) => {
        const judged = facts.get(run);
        if (judged === undefined) throw new AuditpackError('INTERNAL', `pipeline run #${run.number} was collected without being judged`);
        return judged;
      }),
    );
    const repository = collected.repository;
    // Files finish in any order: sorted, so which of two clashing inputs is named first never depends on timing.
    staged.sort((a, b) => compare(a.entry.path, b.entry.path) || compare(a.origin, b.origin));
    return { evidence: { runs: collected.runs, ...(repository ? { repository } : {}), policy, index }, staged, records, problems: collected.problems };
  } finally {
    await pool?.close();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes running in the background, at most `limit` at once: starting one more waits for the oldest. */
class Writes {
  private readonly pending: Promise<unknown>[] = [];

  constructor(private readonly limit = 16) {}

  async start(write: Promise<unknown>): Promise<void> {
    write.catch(() => undefined); // awaited by start or settle; meanwhile not unhandled
    this.pending.push(write);
    if (this.pending.length > this.limit) await this.pending.shift();
  }

  async settle(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }
}
