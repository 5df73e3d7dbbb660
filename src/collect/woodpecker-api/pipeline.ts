import { isRecord } from '../../util/wire.js';
import type { RedactionPolicy } from '../redact.js';
import { RemoteError, problemFrom, type CollectProblem } from '../remote/errors.js';
import type { Answer, WoodpeckerClient } from './client.js';
import { redactJsonAnswer, redactLogAnswer, type Redacted } from './redact-answer.js';

/** What `collection.json` says about one pipeline. */
export interface PipelineRecord {
  number: number;
  /** complete: the pipeline and every step log that exists were written; partial: see problems. */
  collected: 'complete' | 'partial';
  /** The pipeline's own status on the server (success, failure, running, …). */
  status: string;
  file: string;
  steps: number;
  logs: number;
  /** Steps that never ran (skipped, pending, …) have no log; they are listed, not counted as problems. */
  stepsWithoutLog: number[];
  collectedAt: string;
  problems: CollectProblem[];
}

/** Step states in which Woodpecker keeps no log. */
const NO_LOG_STATES = new Set(['skipped', 'pending', 'blocked', 'declined', 'canceled', 'created']);

export interface PipelineJob {
  client: WoodpeckerClient;
  repoId: number;
  number: number;
  policy: RedactionPolicy;
  write: (file: string, answer: Redacted, original: Buffer) => Promise<void>;
  note: (problem: CollectProblem) => void;
  collectedAt: string;
}

/**
 * One pipeline: its detail (workflows and steps), then each step's log.
 * Logs are written first and the pipeline file last, each whole or not at
 * all; a log that cannot be fetched is a problem and the others are kept.
 */
export async function collectPipeline(job: PipelineJob): Promise<PipelineRecord> {
  const { client, repoId, number } = job;
  const detail = await client.pipeline(repoId, number);
  const where = `pipeline #${number}`;
  if (detail === undefined) throw new RemoteError('COLLECT_NOT_FOUND', where, `${where} is listed but its detail answers 404`);
  if (!isRecord(detail.json) || detail.json.number !== number || typeof detail.json.status !== 'string') {
    throw new RemoteError('COLLECT_BAD_RESPONSE', where, `${where}: the answer is not that pipeline (no matching number or no status)`);
  }
  const problems: CollectProblem[] = [];
  const note = (p: CollectProblem) => {
    problems.push(p);
    job.note(p);
  };
  const steps = stepsOf(detail.json);
  const record: PipelineRecord = {
    number,
    collected: 'complete',
    status: detail.json.status,
    file: `pipelines/${number}.json`,
    steps: steps.length,
    logs: 0,
    stepsWithoutLog: [],
    collectedAt: job.collectedAt,
    problems,
  };
  for (const step of steps) {
    const file = `logs/${number}/${step.id}.json`;
    let log: Answer | undefined;
    try {
      log = await client.stepLog(repoId, number, step.id);
    } catch (thrown) {
      if (thrown instanceof RemoteError && thrown.fatal) throw thrown;
      note(problemFrom(thrown, `${where} step ${step.id} (${step.name})`));
      continue;
    }
    if (log === undefined) {
      if (NO_LOG_STATES.has(step.state)) record.stepsWithoutLog.push(step.id);
      else
        note({
          code: 'COLLECT_NOT_FOUND',
          where: `${where} step ${step.id} (${step.name})`,
          reason: `the step ran (${step.state || 'no state'}) but its log answers 404`,
        });
      continue;
    }
    const redacted = redactLogAnswer(file, log, job.policy);
    if (redacted === undefined) {
      note({
        code: 'COLLECT_BAD_RESPONSE',
        where: `${where} step ${step.id} (${step.name})`,
        reason: 'the log is not a JSON list of log entries; not written',
      });
      continue;
    }
    await job.write(file, redacted, log.bytes);
    record.logs += 1;
  }
  await job.write(record.file, redactJsonAnswer(record.file, detail, job.policy), detail.bytes);
  if (problems.length > 0) record.collected = 'partial';
  return record;
}

function stepsOf(pipeline: Record<string, unknown>): { id: number; name: string; state: string }[] {
  const workflows = Array.isArray(pipeline.workflows) ? pipeline.workflows.filter(isRecord) : [];
  return workflows.flatMap((w) =>
    (Array.isArray(w.children) ? w.children.filter(isRecord) : []).flatMap((s) =>
      typeof s.id === 'number' && Number.isInteger(s.id) && s.id >= 0
        ? [{ id: s.id, name: typeof s.name === 'string' ? s.name : '', state: typeof s.state === 'string' ? s.state : '' }]
        : [],
    ),
  );
}
