// Where one `auditpack report` spends its time and memory (not a test): runs
// the built CLI in this process with a progress hook that prints, each time
// the run enters a new stage, the wall time since start, the process's CPU
// time (every thread's, worker threads included), its resident set size and
// V8's heap (used / total) and array buffers. How bench/README.md's stage
// figures were measured.
//
//   npm run build
//   node bench/stages.mjs report --config /tmp/estates/estate-1000/auditpack.yaml --out /tmp/out --clock 2026-07-01T08:00:00Z
//
// The arguments are auditpack's. The run's own summary and notes are not
// printed; errors are, on stderr. Stages are told apart by the progress
// message's words before its first digit ("verify 12/1000: …" is one stage).
import { main } from '../dist/cli/main.js';

const started = performance.now();
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function line(label) {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return [
    `${seconds(performance.now() - started).padStart(7)} wall`,
    `${seconds((cpu.user + cpu.system) / 1000).padStart(7)} CPU`,
    `RSS ${mb(memory.rss).padStart(7)}`,
    `heap ${mb(memory.heapUsed)} / ${mb(memory.heapTotal)}`,
    `array buffers ${mb(memory.arrayBuffers)}`,
    label,
  ].join('  ');
}

let stage = '';
const io = {
  out: () => {},
  err: (text) => process.stderr.write(`${text}\n`),
  progress: (message) => {
    const name = message.split(/\d/)[0] ?? '';
    if (message === '' || name === stage) return;
    stage = name;
    console.log(line(message));
  },
};

const code = await main(process.argv.slice(2), io);
console.log(line(`end: exit ${code}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`));
process.exitCode = code;
