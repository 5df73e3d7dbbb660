import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG, auditpack } from './cli.js';

const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
let work: string;

/** Runs the built CLI with its standard output (or error) a pipe whose reader is gone before anything is written. */
function withReaderGone(stream: 'stdout' | 'stderr', ...args: string[]): Promise<{ status: number | null; other: string }> {
  const child = spawn(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child[stream].destroy();
  const otherStream = stream === 'stdout' ? child.stderr : child.stdout;
  let other = '';
  otherStream.on('data', (c: Buffer) => (other += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, other })));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-closed-output-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a reader that goes away (auditpack … | head)', () => {
  it('does not stop a report: the bundle is sealed, the exit code is the report verdict, no stack trace', async () => {
    const out = join(work, 'bundle');
    const r = await withReaderGone('stdout', 'report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK);
    expect(r.other).not.toMatch(/EPIPE|at .*\(node:|Unhandled/);
    // The sample's three intended faults: exit 1, as with an open terminal.
    expect(r.status).toBe(1);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
  });

  it('a closed standard error is not a crash either: a refused configuration still exits 2, not as a crash', async () => {
    const r = await withReaderGone('stderr', 'report', '--config', join(work, 'no-such.yaml'), '--out', join(work, 'none'));
    expect(r.status).toBe(2);
    expect(r.other).toBe('');
  });
});
