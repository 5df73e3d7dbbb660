import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool, reportThrown } from '../../../src/util/worker-pool.js';
import { AuditpackError } from '../../../src/errors.js';

let dir: string;
let script: URL;

// A worker in plain JavaScript, speaking the pool's protocol: it doubles `n` after `delay` ms,
// replies with a typed error for 'bad', throws outside any task for 'crash', and exits for 'exit';
// for 'held', after \`delay\` ms, the most tasks it has held at once.
const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
let held = 0;
let most = 0;
parentPort.on('message', ({ id, task }) => {
  most = Math.max(most, ++held);
  if (task.kind === 'held') setTimeout(() => { held--; parentPort.postMessage({ id, ok: true, value: most }); }, task.delay);
  else if (task.kind === 'crash') setTimeout(() => { throw new Error('worker blew up'); });
  else if (task.kind === 'exit') process.exit(3);
  else if (task.kind === 'bad') parentPort.postMessage({ id, ok: false, error: { code: 'EVIDENCE_MALFORMED', message: 'bad input', file: 'x.json' } });
  else setTimeout(() => parentPort.postMessage({ id, ok: true, value: task.n * workerData.factor }), task.delay);
});
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-pool-'));
  await writeFile(join(dir, 'worker.mjs'), WORKER);
  script = pathToFileURL(join(dir, 'worker.mjs'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Task = { kind: 'double'; n: number; delay: number } | { kind: 'held'; delay: number } | { kind: 'bad' | 'crash' | 'exit' };

describe('WorkerPool', () => {
  it('gives every task its own result, whatever order the threads finish in', async () => {
    const pool = new WorkerPool<Task, number>(script, 2, { factor: 2 });
    try {
      // The first tasks take longest: later ones finish first.
      const results = await Promise.all([40, 30, 20, 10, 0].map((delay, n) => pool.run({ kind: 'double', n, delay })));
      expect(results).toEqual([0, 2, 4, 6, 8]);
    } finally {
      await pool.close();
    }
  });

  it.each([1, 2, 3])('hands a thread at most %i tasks at a time (its depth), the rest waiting in the queue', async (depth) => {
    const pool = new WorkerPool<Task, number>(script, 1, { factor: 1 }, depth);
    try {
      const most = await Promise.all(Array.from({ length: 6 }, () => pool.run({ kind: 'held', delay: 20 })));
      expect(Math.max(...most)).toBe(depth);
    } finally {
      await pool.close();
    }
  });

  it('rejects a task the worker reports as failed with the typed error, and goes on with the others', async () => {
    const pool = new WorkerPool<Task, number>(script, 1, { factor: 3 });
    try {
      const thrown = await pool.run({ kind: 'bad' }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(AuditpackError);
      expect(thrown).toMatchObject({ code: 'EVIDENCE_MALFORMED', message: 'bad input', file: 'x.json' });
      expect(await pool.run({ kind: 'double', n: 5, delay: 0 })).toBe(15);
    } finally {
      await pool.close();
    }
  });

  it.each(['crash', 'exit'] as const)('fails the task, every queued one and every later one when a thread dies (%s), never hangs', async (kind) => {
    const pool = new WorkerPool<Task, number>(script, 1, { factor: 1 });
    const dying = pool.run({ kind });
    const queued = pool.run({ kind: 'double', n: 1, delay: 0 });
    await expect(dying).rejects.toThrow(/a worker thread (failed|exited)/);
    await expect(queued).rejects.toThrow(/a worker thread (failed|exited)/);
    await expect(pool.run({ kind: 'double', n: 1, delay: 0 })).rejects.toBeInstanceOf(AuditpackError);
    await pool.close();
  });

  it('fails (INTERNAL) rather than waits when the worker script cannot be loaded', async () => {
    const pool = new WorkerPool<Task, number>(pathToFileURL(join(dir, 'missing.mjs')), 1, {});
    const thrown = await pool.run({ kind: 'double', n: 1, delay: 0 }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'INTERNAL' });
    await pool.close();
  });

  it('reports a thrown error so the main thread can rebuild it: typed errors keep code and file', () => {
    expect(reportThrown(new AuditpackError('OUTPUT_INVALID', 'clash', { file: 'a' }))).toEqual({ message: 'clash', code: 'OUTPUT_INVALID', file: 'a' });
    expect(reportThrown('text')).toEqual({ message: 'text' });
    expect(reportThrown(new TypeError('boom')).message).toMatch(/^TypeError: boom/);
  });
});
