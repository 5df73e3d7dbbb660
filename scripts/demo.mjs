// `npm start`: runs auditpack on the embedded AKKO sample estate, prints where
// the PDF and HTML are with the verdict summary, checks the seal, and exits 0
// when the report found exactly the faults the samples were built with.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const OUT = 'out/akko-2026-Q2';
const expected = JSON.parse(readFileSync('samples/akko/expected.json', 'utf8'));

function auditpack(...args) {
  return spawnSync(process.execPath, ['bin/auditpack.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const report = auditpack('report', '--config', 'samples/akko/auditpack.yaml', '--out', OUT);
process.stdout.write(report.stdout);
const problems = [];
if (report.status !== expected.exitCode) problems.push(`auditpack report exited ${report.status}, expected ${expected.exitCode}`);

// The verdicts are read from the report the run just wrote, not re-run.
const summary = existsSync(`${OUT}/report.json`) ? JSON.parse(readFileSync(`${OUT}/report.json`, 'utf8')) : { subjects: [] };
const byId = new Map(summary.subjects.map((s) => [s.id, s]));
for (const id of expected.verified) {
  if (byId.get(id)?.status !== 'verified') problems.push(`${id} should be verified`);
}
for (const [id, headline] of Object.entries(expected.faults)) {
  const subject = byId.get(id);
  if (subject?.status !== 'failed' || !subject.headlines.some((h) => h.startsWith(headline))) problems.push(`${id} should fail with "${headline}…"`);
}

// The seal is checked against the key the demo organisation publishes, never the one inside the bundle.
const verify = auditpack('verify', OUT, '--key', 'samples/akko/keys/report-signing.pub');
process.stdout.write(verify.stdout);
if (verify.status !== 0) problems.push(`auditpack verify exited ${verify.status}`);

if (problems.length > 0) {
  console.error(`\nDemo FAILED: the report did not come out as expected:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(
  `\nDemo OK: the sample estate's three intended faults were found (exit ${expected.exitCode} is what a scheduler would alert on); the bundle's seal verifies.`,
);
console.log(`Open ${OUT}/report.pdf or ${OUT}/report.html.`);
