/**
 * A worker thread reading pipeline exports for a report run (see
 * collect-ci.ts): given its job context when started, it processes each
 * pipeline it is handed and replies with the outcome, or with the error it
 * threw. It imports only what reading CI exports needs, so it starts fast;
 * the run ends it once the exports are read, which frees all it used.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processPipeline, type PipelineJobContext, type PipelineOutcome, type PipelineTask } from './pipeline-job.js';
import { reportThrown, type TaskReply } from '../util/worker-pool.js';

const context = workerData as PipelineJobContext;

parentPort?.on('message', ({ id, task }: { id: number; task: PipelineTask }) => {
  processPipeline(context, task).then(
    (value) => parentPort?.postMessage({ id, ok: true, value } satisfies TaskReply<PipelineOutcome>),
    (thrown: unknown) => parentPort?.postMessage({ id, ok: false, error: reportThrown(thrown) } satisfies TaskReply<PipelineOutcome>),
  );
});
