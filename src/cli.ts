import { setFlagsFromString } from 'node:v8';
import { heapGrowingFlag, runInThread } from './cli/thread.js';

// The only module that touches `process`. The command itself runs in a worker thread (cli/thread.ts says why).
const growing = heapGrowingFlag();
if (growing !== undefined) setFlagsFromString(growing);

/**
 * A writer that stops writing once its stream fails: a reader that went
 * away (`auditpack report … | head`, a closed terminal) gives EPIPE, which
 * would otherwise be an uncaught error with a stack trace, and end a run
 * whose bundle is still being written and sealed. What is left to print has
 * nowhere to go; the run finishes and exits with its own code.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let failed = false;
  stream.on('error', () => {
    failed = true;
  });
  return (text) => {
    if (!failed) stream.write(text);
  };
}

process.exitCode = await runInThread(
  {
    argv: process.argv.slice(2),
    isTty: process.stderr.isTTY === true,
    ...(process.stdout.columns === undefined ? {} : { columns: process.stdout.columns }),
  },
  { stdout: writerTo(process.stdout), stderr: writerTo(process.stderr) },
  // Ctrl-C, or a scheduler stopping the run (systemd, Kubernetes): passed to the command (cli/thread.ts).
  (interrupt) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => interrupt(signal));
  },
);
