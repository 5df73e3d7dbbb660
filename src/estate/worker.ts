/**
 * The worker thread of a report run (see ../util/worker-pool.ts): builds its job context
 * from the spec it is started with, then processes each image it is given
 * and replies with the image's outcome, or with the error it threw. The pool
 * hands it two images at a time, so the next is there as soon as one is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processImage, type ImageOutcome, type ImageTask } from './image-job.js';
import { reportThrown, type TaskReply } from '../util/worker-pool.js';
import { jobContextFromSpec, type WorkerSpec } from './spec.js';

const context = await jobContextFromSpec(workerData as WorkerSpec);

parentPort?.on('message', ({ id, task }: { id: number; task: ImageTask }) => {
  processImage(context, task).then(
    (value) => parentPort?.postMessage({ id, ok: true, value } satisfies TaskReply<ImageOutcome>),
    (thrown: unknown) => parentPort?.postMessage({ id, ok: false, error: reportThrown(thrown) } satisfies TaskReply<ImageOutcome>),
  );
});
