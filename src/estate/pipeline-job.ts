/**
 * One pipeline export of a report run: read it and its step logs, write
 * every file into the bundle being staged, judge the run (bound or not, what
 * its logs show per digest) and keep it without its log lines. The same
 * function runs in the main thread and in worker threads (ci-worker.ts): its
 * input and output are plain data.
 */
import { writeStagedFile } from '../bundle/staging.js';
import { recordOf, type CiRepository, type EvidenceRecord, type PipelineRun } from '../collect/evidence.js';
import { readPipelineExport } from '../collect/woodpecker.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { InputProblem } from '../report/model.js';
import { runFacts, withoutLog, type CiPolicy, type RunFacts } from '../verify/ci-runs.js';
import type { StagedFile } from './image-job.js';

export interface PipelineJobContext {
  baseDir: string;
  /** The Woodpecker exports folder (absolute). */
  root: string;
  stagingDir: string;
  policy: CiPolicy;
}

export interface PipelineTask {
  file: string;
  /** The repository `repo.json` names, read first: runs are bound to it. */
  repository: CiRepository | undefined;
}

export interface PipelineOutcome {
  /** The run without its log lines, and what they showed; absent when the export is not a pipeline. */
  run: { light: PipelineRun; facts: RunFacts } | undefined;
  staged: StagedFile[];
  records: EvidenceRecord[];
  problems: InputProblem[];
}

export async function processPipeline(context: PipelineJobContext, { file, repository }: PipelineTask): Promise<PipelineOutcome> {
  const read = await readPipelineExport(context.baseDir, context.root, file);
  const staged = await Promise.all(
    read.evidence.map(async (e) => ({ entry: await writeStagedFile(context.stagingDir, evidencePath(e.source), e.bytes, e.sha256), origin: e.source })),
  );
  const run = read.run;
  return {
    run: run === undefined ? undefined : { light: withoutLog(run), facts: runFacts(run, { ...(repository ? { repository } : {}), policy: context.policy }) },
    staged,
    records: read.evidence.map(recordOf),
    problems: read.problems,
  };
}
