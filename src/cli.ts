import { setFlagsFromString } from 'node:v8';
import { heapGrowingFlag, runInThread } from './cli/thread.js';

// The only module that touches `process`. The command itself runs in a worker thread (cli/thread.ts says why).
const growing = heapGrowingFlag();
if (growing !== undefined) setFlagsFromString(growing);
process.exitCode = await runInThread(
  {
    argv: process.argv.slice(2),
    isTty: process.stderr.isTTY === true,
    ...(process.stdout.columns === undefined ? {} : { columns: process.stdout.columns }),
  },
  { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
);
