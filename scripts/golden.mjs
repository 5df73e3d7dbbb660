// `npm run golden`: rebuilds samples/akko/golden/report.json with the fixed
// clock the end-to-end test uses. Run it after an intended change to the
// report, and review the diff like code.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLOCK = '2026-07-01T08:00:00.000Z';
const out = join(mkdtempSync(join(tmpdir(), 'auditpack-golden-')), 'bundle');
const r = spawnSync(process.execPath, ['bin/auditpack.js', 'report', '--config', 'samples/akko/auditpack.yaml', '--out', out, '--clock', CLOCK], {
  stdio: 'inherit',
});
if (r.status !== 1) {
  console.error(`expected exit 1 (the samples' intended faults), got ${r.status}`);
  process.exit(1);
}
mkdirSync('samples/akko/golden', { recursive: true });
copyFileSync(join(out, 'report.json'), 'samples/akko/golden/report.json');
rmSync(out, { recursive: true, force: true });
console.log('wrote samples/akko/golden/report.json');
