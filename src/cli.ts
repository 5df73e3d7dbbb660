import { main } from './cli/main.js';
import { makeProgress } from './cli/io.js';

// The only module that touches `process`.
const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  progress: makeProgress((text) => process.stderr.write(text), process.stderr.isTTY === true),
};
process.exitCode = await main(process.argv.slice(2), io);
