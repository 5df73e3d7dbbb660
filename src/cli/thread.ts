/**
 * Every command runs in a worker thread whose young generation is bounded.
 *
 * V8 sizes the main thread's young generation from the machine's memory: on
 * a 24 GB machine Node 24 lets its new space grow to 134 MB, which a report
 * fills with short-lived objects (each image's findings as they arrive, the
 * reports as they are rendered) and keeps committed. Only flags given when
 * the process starts change that (`v8.setFlagsFromString` comes after the
 * main thread's heap is made; the growing factor below, which V8 reads at
 * each full collection, is another matter), and
 * the ways auditpack is started (its bin, `node bin/auditpack.js`, npm
 * scripts, schedulers) cannot all pass one; a worker thread's limits are set
 * by code. Measured at 1,000 images (bench/README.md): 48 MB (semi-spaces of
 * 16 MB) lowers the peak RSS by 80 to 100 MB with every report, 20 to 40 MB
 * without the PDF, for no more time; 24 MB saves 15 MB more and costs time.
 * The old generation is capped at 2047 MB unless node was given a heap size
 * (`--max-old-space-size`, on its command line or in NODE_OPTIONS): V8 lets a
 * heap whose limit is under 2 GB grow to about twice its live set before a
 * full collection, one of 2 GB or more to about four times, and Node's own
 * default is about 4 GB on a machine of 16 GB or more. Measured at 1,000
 * images with every report (three alternating runs each): peak RSS 484 to
 * 489 MB against 505 to 538 MB, for the same time; 5,000 images ran in it
 * at 1.01 GB. (Since the CLI fixes V8's growing factor, HEAP_GROWING_PERCENT
 * below, the limit no longer sets how far a heap grows; it still bounds the
 * command.) By the per-image figures in docs/sharding.md, 2 GB holds a
 * report of about 10,000 images; past that, give node a heap size. Whenever
 * it has one, the old generation may grow to the main thread's whole heap
 * limit (V8's heap_size_limit: the flag plus the main thread's young
 * generation), so that the flag bounds the command.
 *
 * The thread sends what the command prints as messages; this side writes
 * them, in order. What the thread's code writes to its own process.stdout
 * (yargs' --help and --version) Node pipes to this process's.
 */
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { EXIT } from './exit-codes.js';
import { terminalSafe } from './io.js';

const MB = 1024 * 1024;
const YOUNG_GENERATION_MB = 48;

export interface ThreadData {
  argv: string[];
  isTty: boolean;
  columns?: number;
}

/**
 * What the thread sends: text for stdout or stderr, then the exit code once
 * the command has ended; and, when its command handles SIGINT and SIGTERM
 * itself (io.interruption), that it does.
 */
export type ThreadMessage = { kind: 'out' | 'err'; text: string } | { kind: 'exit'; code: number } | { kind: 'interruptible' };

/** What this side sends the thread: the process got SIGINT or SIGTERM. */
export interface InterruptMessage {
  kind: 'interrupt';
  signal: 'SIGINT' | 'SIGTERM';
}

/** Called with the function that passes a signal to the running command (the CLI binds it to the process's signals). */
export type InterruptBinding = (interrupt: (signal: InterruptMessage['signal']) => void) => void;

export interface ProcessOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The command thread's old generation when node was not given a heap size (see above). */
export const DEFAULT_OLD_GENERATION_MB = 2047;

/**
 * The command thread's heap: a bounded young generation; an old generation
 * up to the main thread's heap limit when node was given one, else up to
 * DEFAULT_OLD_GENERATION_MB.
 */
export function commandThreadLimits(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  const limit = Math.round(getHeapStatistics().heap_size_limit / MB);
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--max[-_]old[-_]space[-_]size(=|$)/.test(arg));
  return { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: given ? limit : Math.min(limit, DEFAULT_OLD_GENERATION_MB) };
}

/**
 * How far V8 lets each heap grow past what its last full collection kept,
 * in percent. V8's own factor moves between 1.1 and 4 with how fast its
 * collector keeps up: in a report it settles near 2, and the command thread
 * and the image threads reach their full collections together, so their
 * slack adds up. Measured (bench/README.md, alternating runs): at 1,000
 * images 20 % lowers the peak RSS from 437-484 MB to 406-431 MB and at 5,000
 * images from 771-831 MB to 627-669 MB, for about 5 % more wall time (more
 * full collections); 35 % saves less for the same time, V8's
 * `--optimize-for-size` 130 MB for twice the time. A quarterly batch's
 * memory limit matters more than its minutes.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * The V8 flag that sets HEAP_GROWING_PERCENT, unless node was started with a
 * growing factor of its own (V8 reads it at each full collection, so setting
 * it before the threads start applies to every heap of the process).
 */
export function heapGrowingFlag(execArgv: readonly string[] = process.execArgv): string | undefined {
  return execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg)) ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Runs `argv` in the command thread; resolves with the exit code (INTERNAL
 * when the thread died without one). A first SIGINT or SIGTERM is passed to
 * the command: a report stops at its next step and removes what it wrote; a
 * command that does not handle it (nothing half-written to undo) is stopped
 * at once. A second one stops any command at once.
 */
export function runInThread(data: ThreadData, output: ProcessOutput, bindInterrupt?: InterruptBinding): Promise<number> {
  return new Promise((resolve) => {
    let code: number = EXIT.INTERNAL;
    const worker = new Worker(new URL('./thread-main.js', import.meta.url), { workerData: data, resourceLimits: commandThreadLimits() });
    const stopNow = () => {
      code = EXIT.INTERRUPTED;
      void worker.terminate();
    };
    let interruptible = false;
    let interrupted = false;
    bindInterrupt?.((signal) => {
      if (!interruptible) return stopNow();
      if (interrupted) {
        output.stderr(`auditpack: ${signal} again: stopped at once; the next run into the same output folder removes what this one left\n`);
        return stopNow();
      }
      interrupted = true;
      // Said here, at once: the thread may be in a long step (the PDF's layout) before it reads the message.
      output.stderr(`auditpack: ${signal}: stopping at the next step and removing what this run wrote (${signal} again to stop at once)\n`);
      worker.postMessage({ kind: 'interrupt', signal } satisfies InterruptMessage);
    });
    worker.on('message', (message: ThreadMessage) => {
      if (message.kind === 'exit') code = message.code;
      else if (message.kind === 'interruptible') interruptible = true;
      else if (message.kind === 'out') output.stdout(message.text);
      else output.stderr(message.text);
    });
    worker.on('error', (thrown) => {
      code = EXIT.INTERNAL;
      // An internal error's message can quote evidence: the same terminal safety as every other line.
      output.stderr(`${terminalSafe(threadFailure(thrown))}\n`);
    });
    worker.on('exit', () => resolve(code));
  });
}

/**
 * Why the command thread died. Running out of heap is not a bug: it says so,
 * with the thread's limit and how to raise it. A report stopped half-way
 * leaves its output as it was (the next run clears its staging files).
 */
export function threadFailure(thrown: unknown): string {
  if ((thrown as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return (
      `auditpack: out of memory: the command needed more than the ${commandThreadLimits().maxOldGenerationSizeMb} MB heap Node gives it here, and stopped ` +
      "(a report's output folder is left as it was). Give it a larger heap (node --max-old-space-size=MB, or NODE_OPTIONS=--max-old-space-size=MB) " +
      'or a larger machine: docs/sharding.md gives the memory a report needs per image'
    );
  }
  return `auditpack: internal error (please report it): ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`;
}
