/**
 * The worker thread of a report run (see pool.ts): builds its job context
 * from the spec it is started with, then processes the images it is given
 * one at a time, in the order they came (the pool may hand it the next one
 * before it has finished the current one), replying with each image's
 * outcome, or with the error it threw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processImage, type ImageOutcome, type ImageTask } from './image-job.js';
import { reportThrown, type TaskReply } from './pool.js';
import { jobContextFromSpec, type WorkerSpec } from './spec.js';

const context = await jobContextFromSpec(workerData as WorkerSpec);
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', ({ id, task }: { id: number; task: ImageTask }) => {
  queue = queue.then(() =>
    processImage(context, task).then(
      (value) => parentPort?.postMessage({ id, ok: true, value } satisfies TaskReply<ImageOutcome>),
      (thrown: unknown) => parentPort?.postMessage({ id, ok: false, error: reportThrown(thrown) } satisfies TaskReply<ImageOutcome>),
    ),
  );
});
