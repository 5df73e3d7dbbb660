/** The command thread (see thread.ts): runs the command line it is given, printing through messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { AuditpackError } from '../errors.js';
import { makeProgress, terminalSafe, type CliIo } from './io.js';
import { main } from './main.js';
import type { InterruptMessage, ThreadData, ThreadMessage } from './thread.js';

const { argv, isTty, columns } = workerData as ThreadData;
const send = (message: ThreadMessage) => parentPort?.postMessage(message);

// A signal reaches the command only once it has asked for it (io.interruption); before, the thread is stopped at once.
const interrupted = new AbortController();
parentPort?.on('message', (message: InterruptMessage) => {
  if (message.kind !== 'interrupt') return;
  interrupted.abort(new AuditpackError('INTERRUPTED', `stopped by ${message.signal}; what the run had written was removed, the output folder is as it was`));
});
// Listening must not keep the thread alive once its command has ended.
parentPort?.unref();

// Every line printed passes terminalSafe: this is the one place the commands' output leaves for the process.
const io: CliIo = {
  out: (line) => send({ kind: 'out', text: `${terminalSafe(line)}\n` }),
  err: (line) => send({ kind: 'err', text: `${terminalSafe(line)}\n` }),
  progress: makeProgress((text) => send({ kind: 'err', text }), isTty),
  ...(columns === undefined ? {} : { columns }),
  interruption: () => {
    send({ kind: 'interruptible' });
    return interrupted.signal;
  },
};
send({ kind: 'exit', code: await main(argv, io) });
