import { Worker } from 'node:worker_threads';
import { AuditpackError, isErrorCode } from '../errors.js';

/** What a worker sends back for one task. */
export type TaskReply<Result> = { id: number; ok: true; value: Result } | { id: number; ok: false; error: ThrownReport };

/** A thrown error, as it crosses from a worker thread (typed errors keep their code and file). */
export interface ThrownReport {
  message: string;
  code?: string;
  file?: string;
}

export function reportThrown(thrown: unknown): ThrownReport {
  if (thrown instanceof AuditpackError) return { message: thrown.message, code: thrown.code, ...(thrown.file === undefined ? {} : { file: thrown.file }) };
  return { message: thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown) };
}

function rebuild(report: ThrownReport): Error {
  if (report.code !== undefined && isErrorCode(report.code)) {
    return new AuditpackError(report.code, report.message, report.file === undefined ? {} : { file: report.file });
  }
  return new AuditpackError('INTERNAL', `a worker thread failed: ${report.message}`);
}

/**
 * Each thread's heap. V8 lets a heap whose limit is 2 GB or more grow to four
 * times what it holds before collecting it (its default limit here is 4 GB);
 * under 2 GB, to about twice. A thread holds one image at a time (tens of MB
 * even for a large SBOM), so 1.75 GB is no constraint on what it can read, and
 * halves what the threads hold in all. A young generation of 32 MB: most of
 * an image's garbage (its parsed SBOM, the payload strings) dies young
 * instead of being copied by a scavenge and promoted. At 1,000 images each
 * image thread's garbage-collection time went from about 2.0 s to 1.4 s
 * against 16 MB (and 16 MB had been 8 % cheaper than 8 MB), for about 25 MB
 * more peak RSS without the PDF (485 to 498 MB against 459 to 469); with it,
 * the peak comes during the PDF, once the threads are gone (bench/README.md).
 */
const WORKER_HEAP = { maxOldGenerationSizeMb: 1792, maxYoungGenerationSizeMb: 32 };

/**
 * A worker's script: a module file, or (for a thread that needs only Node's
 * own modules) its CommonJS source, which runs the same from the compiled
 * package and from the TypeScript sources the tests import.
 */
export type WorkerScript = URL | { source: string };

interface Pending<Result> {
  id: number;
  task: unknown;
  resolve: (value: Result) => void;
  reject: (reason: Error) => void;
}

/**
 * A fixed set of worker threads running one script, each given up to `depth`
 * tasks at a time (a thread may work on them together, overlapping one's
 * waits with another's work, and its next task is already there when it
 * finishes one, instead of waiting for this thread to hand it over); `run`
 * resolves with the task's result whatever order the threads finish in (the
 * caller places results by their own index). A thread that dies fails its
 * tasks and every later one: a run never continues with a missing result.
 */
export class WorkerPool<Task, Result> {
  private readonly assigned = new Map<Worker, Pending<Result>[]>();
  private readonly queue: Pending<Result>[] = [];
  private broken: Error | undefined;
  private nextId = 0;
  private closing = false;

  constructor(
    script: WorkerScript,
    size: number,
    workerData: unknown,
    private readonly depth = 1,
  ) {
    for (let i = 0; i < size; i++) this.start(script, workerData);
  }

  run(task: Task): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.assigned.keys()].map((w) => w.terminate()));
  }

  private start(script: WorkerScript, workerData: unknown): void {
    const worker =
      script instanceof URL
        ? new Worker(script, { workerData, resourceLimits: WORKER_HEAP })
        : new Worker(script.source, { eval: true, workerData, resourceLimits: WORKER_HEAP });
    this.assigned.set(worker, []);
    worker.on('message', (reply: TaskReply<Result>) => {
      const tasks = this.assigned.get(worker) ?? [];
      const at = tasks.findIndex((p) => p.id === reply.id);
      const [pending] = at < 0 ? [] : tasks.splice(at, 1);
      if (pending === undefined) return;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(rebuild(reply.error));
      this.dispatch();
    });
    worker.on('error', (thrown) => this.fail(thrown instanceof Error ? thrown : new Error(String(thrown))));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`a worker thread exited (code ${code})`));
    });
  }

  /** Hands queued tasks to the least loaded threads, up to `depth` each. */
  private dispatch(): void {
    while (this.broken === undefined && this.queue.length > 0) {
      const [worker, tasks] = [...this.assigned].reduce((least, entry) => (entry[1].length < least[1].length ? entry : least));
      if (tasks.length >= this.depth) return;
      const pending = this.queue.shift();
      if (pending === undefined) return;
      tasks.push(pending);
      worker.postMessage({ id: pending.id, task: pending.task });
    }
  }

  private fail(thrown: Error): void {
    if (this.broken !== undefined) return;
    this.broken = thrown instanceof AuditpackError ? thrown : new AuditpackError('INTERNAL', `a worker thread failed: ${thrown.message}`, { cause: thrown });
    for (const pending of [...[...this.assigned.values()].flatMap((tasks) => tasks.splice(0)), ...this.queue.splice(0)]) pending.reject(this.broken);
    void this.close();
  }
}
