/** The command thread (see thread.ts): runs the command line it is given, printing through messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { makeProgress, terminalSafe, type CliIo } from './io.js';
import { main } from './main.js';
import type { ThreadData, ThreadMessage } from './thread.js';

const { argv, isTty, columns } = workerData as ThreadData;
const send = (message: ThreadMessage) => parentPort?.postMessage(message);
// Every line printed passes terminalSafe: this is the one place the commands' output leaves for the process.
const io: CliIo = {
  out: (line) => send({ kind: 'out', text: `${terminalSafe(line)}\n` }),
  err: (line) => send({ kind: 'err', text: `${terminalSafe(line)}\n` }),
  progress: makeProgress((text) => send({ kind: 'err', text }), isTty),
  ...(columns === undefined ? {} : { columns }),
};
send({ kind: 'exit', code: await main(argv, io) });
