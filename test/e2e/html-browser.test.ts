import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CLOCK, SAMPLE_CONFIG, auditpack, tool } from './cli.js';

// Headless Chromium as the env notes run it: no sandbox (root), and no
// background networking, which this machine's closed network refuses.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work: string;

function chromiumRun(...args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${join(work, 'profile')}`, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    maxBuffer: 256 * 2 ** 20,
  });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'chromium is not installed (apt-get install chromium)' : `chromium failed: ${r.error.message}`);
  }
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

function chromium(...args: string[]): string {
  return chromiumRun(...args).stdout;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-browser-'));
  const run = auditpack('report', '--config', SAMPLE_CONFIG, '--out', join(work, 'bundle'), '--clock', GOLDEN_CLOCK, '--output', 'html');
  expect(run.status).toBe(1);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('report.html in a real browser (headless Chromium)', () => {
  it('renders the faults into the DOM without scripts, console messages or blocked requests', () => {
    const r = chromiumRun('--enable-logging=stderr', '--v=0', '--dump-dom', `file://${join(work, 'bundle/report.html')}`);
    expect(r.stdout).toContain('pipeline green, no signature');
    expect(r.stdout).toContain('an attestation verifies, but none binds');
    expect(r.stdout).not.toMatch(/<script\b/i);
    // A console message, a refused (CSP) load or a failed request would be logged here.
    expect(r.stderr).not.toMatch(/CONSOLE|Refused to|net::ERR_/);
  });

  it('prints to PDF within the 25-page target, the faults and the citation check readable', async () => {
    const printed = join(work, 'printed.pdf');
    chromium(`--print-to-pdf=${printed}`, '--no-pdf-header-footer', `file://${join(work, 'bundle/report.html')}`);
    expect((await readFile(printed)).subarray(0, 5).toString()).toBe('%PDF-');
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(tool('pdfinfo', printed))?.[1]);
    expect(pages).toBeGreaterThan(5);
    expect(pages).toBeLessThanOrEqual(25);
    const text = tool('pdftotext', '-layout', printed, '-').replace(/\s+/g, ' ');
    expect(text).toContain('pipeline green, no signature');
    expect(text).toContain('SBOM lacks licences and purls');
    expect(text).toContain('NIS2 Annex II');
  });
});
