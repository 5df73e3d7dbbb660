/**
 * Ctrl-C, or a scheduler stopping the run (systemd, Kubernetes send
 * SIGTERM): a report stops at its next step and removes what it wrote; an
 * earlier bundle in its output folder is left as it was.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeForError } from '../../src/cli/exit-codes.js';
import { AuditpackError } from '../../src/errors.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG, auditpack } from './cli.js';

const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-interrupt-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Starts the CLI and sends `signal` once its stderr shows `after`; resolves when it has exited. */
function interrupted(signal: NodeJS.Signals, after: RegExp, ...args: string[]): Promise<{ status: number | null; stderr: string }> {
  const env = { ...process.env, AUDITPACK_TEST_TOKEN: 'not-a-real-token' };
  const child = spawn(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (!sent && after.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

const report = (out: string) => ['report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK, '--progress', 'plain'];

describe('a report stopped by a signal', () => {
  it('SIGINT while the images are verified: exit 130, a message, nothing of the run left beside --out, an error summary', async () => {
    const dir = join(work, 'fresh');
    const summaryFile = join(work, 'fresh-summary.json');
    const r = await interrupted('SIGINT', /verify 1\/16/, ...report(join(dir, 'bundle')), '--summary', summaryFile);
    expect(r.status).toBe(130);
    expect(r.stderr).toContain('auditpack: SIGINT: stopping at the next step');
    expect(r.stderr).toMatch(/stopped by SIGINT; what the run had written was removed.*\[INTERRUPTED\]/);
    // No bundle, lock, staging folder or scratch file (the folder holding --out was made by the run).
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    // What a monitor reads: the run stopped, why, and valid against the published schema.
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ verdict: 'error', exitCode: 130, error: { code: 'INTERRUPTED' } });
    const validate = compileSchema(JSON.parse(await readFile(`${ROOT}schema/report-summary.schema.json`, 'utf8')) as object);
    expect(validate(summary), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('SIGTERM (a scheduler) while an earlier bundle of the period is replaced: that bundle is left as it was and still verifies', async () => {
    const out = join(work, 'earlier', 'bundle');
    expect(auditpack(...report(out)).status).toBe(1);
    const manifest = await readFile(join(out, 'manifest.json'));
    const r = await interrupted('SIGTERM', /verify 1\/16/, ...report(out));
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/\[INTERRUPTED\]/);
    expect(await readdir(join(work, 'earlier'))).toEqual(['bundle']);
    expect(await readFile(join(out, 'manifest.json'))).toEqual(manifest);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
  });

  it('a command that does not handle a signal (collect, waiting on a server that never answers) is stopped at once, exit 130', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const r = await interrupted(
        'SIGINT',
        /auditpack: /,
        ...['collect', 'woodpecker', '--server', `http://127.0.0.1:${port}`, '--repo', 'akko/platform', '--period', '2026-Q2'],
        ...['--out', join(work, 'collected'), '--token-env', 'AUDITPACK_TEST_TOKEN', '--timeout', '60', '--progress', 'plain'],
      );
      expect(r.status).toBe(130);
      expect(r.stderr).not.toMatch(/Error|at .*\(node:/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('exit codes', () => {
  it('INTERRUPTED is 130 (128 + SIGINT, as a shell reports Ctrl-C); other refusals stay 2', () => {
    expect(exitCodeForError(new AuditpackError('INTERRUPTED', 'stopped'))).toBe(130);
    expect(exitCodeForError(new AuditpackError('CONFIG_INVALID', 'bad'))).toBe(2);
  });
});
