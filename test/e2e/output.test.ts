import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { GOLDEN_CLOCK, ROOT, auditpack } from './cli.js';

const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
let work: string;
let fullConfig: string;
let smallConfig: string;

interface Running {
  pid: number;
  done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(...args: string[]): Running {
  const child = spawn(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stderr })),
  );
  return { pid: child.pid ?? -1, done };
}

/**
 * Resolves 'seen' once a name matching `pattern` appears in `dir` (checked every 5 ms), 'ended' when
 * the run finished first (on a loaded machine a short moment can fall between two checks), or
 * 'timeout' after `ms`.
 */
async function appears(dir: string, pattern: RegExp, ms: number, ended: Promise<unknown>): Promise<'seen' | 'ended' | 'timeout'> {
  let finished = false;
  void ended.then(() => (finished = true));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.some((n) => pattern.test(n))) return 'seen';
    if (finished) return 'ended';
    await new Promise((r) => setTimeout(r, 5));
  }
  return 'timeout';
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-output-'));
  await cp(`${ROOT}samples/akko`, join(work, 'estate'), { recursive: true });
  fullConfig = join(work, 'estate/auditpack.yaml');
  // Three images only: enough for the output rules, and quick.
  const config = parse(await readFile(fullConfig, 'utf8'));
  config.images = config.images.slice(0, 3);
  smallConfig = join(work, 'estate/small.yaml');
  await writeFile(smallConfig, stringify(config));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const report = (config: string, out: string, ...more: string[]) => auditpack('report', '--config', config, '--out', out, '--clock', GOLDEN_CLOCK, ...more);

describe('--out never destroys what auditpack did not write', () => {
  it("refuses an image evidence folder holding crane's manifest.json, and a file, leaving both untouched (exit 2)", async () => {
    const folder = join(work, 'evidence-folder');
    await mkdir(folder);
    await writeFile(join(folder, 'manifest.json'), '{"schemaVersion":2,"config":{},"layers":[]}');
    await writeFile(join(folder, 'signature.jsonl'), 'precious');
    const r = report(smallConfig, folder);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not an auditpack bundle.*\[OUTPUT_INVALID\]/);
    expect((await readdir(folder)).sort()).toEqual(['manifest.json', 'signature.jsonl']);
    expect(await readFile(join(folder, 'signature.jsonl'), 'utf8')).toBe('precious');
    await writeFile(join(work, 'a-file'), 'keep me');
    expect(report(smallConfig, join(work, 'a-file')).status).toBe(2);
    expect(await readFile(join(work, 'a-file'), 'utf8')).toBe('keep me');
  });

  it('refuses an existing OUT.tar.gz that is not an auditpack archive, writing nothing', async () => {
    const out = join(work, 'archived');
    await writeFile(`${out}.tar.gz`, 'my own tarball');
    const r = report(smallConfig, out, '--archive');
    expect(r.status).toBe(2);
    expect(await readFile(`${out}.tar.gz`, 'utf8')).toBe('my own tarball');
    expect(await readdir(work)).not.toContain('archived');
  });

  it('lets one of two concurrent runs on the same --out fail at once, naming the other; the bundle verifies', async () => {
    const out = join(work, 'concurrent');
    const [a, b] = [
      start('report', '--config', smallConfig, '--out', out, '--clock', GOLDEN_CLOCK),
      start('report', '--config', smallConfig, '--out', out, '--clock', GOLDEN_CLOCK),
    ];
    const results = await Promise.all([a.done, b.done]);
    // The three images verify: the run that got the lock passes (0), the other is refused (2).
    expect(results.map((r) => r.status).sort()).toEqual([0, 2]);
    const loser = results.find((r) => r.status === 2);
    expect(loser?.stderr).toMatch(/another auditpack run \d+ on .* is writing .*\[OUTPUT_LOCKED\]/);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
    expect((await readdir(work)).filter((n) => n.startsWith('.concurrent'))).toEqual([]);
  });
});

describe('a seal that cannot be completed', () => {
  it('leaves the previous bundle as it was when the timestamp authority cannot be reached after manifest.json is staged', async () => {
    const parent = join(work, 'unreachable-tsa');
    const out = join(parent, 'bundle');
    expect(report(smallConfig, out).status).toBe(0);
    const previous = await readFile(join(out, 'manifest.json'));
    const config = parse(await readFile(smallConfig, 'utf8'));
    // Nothing listens on loopback's discard port: the request is refused at once.
    config.seal = { ...config.seal, timestampUrl: 'http://127.0.0.1:9/' };
    const withTsa = join(work, 'estate/unreachable-tsa.yaml');
    await writeFile(withTsa, stringify(config));
    const r = report(withTsa, out);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/timestamp authority cannot be reached.*\[TIMESTAMP_INVALID\]/);
    expect((await readFile(join(out, 'manifest.json'))).equals(previous)).toBe(true);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
    expect(await readdir(parent)).toEqual(['bundle']);
  });
});

describe('kill -9 in the middle of a run', () => {
  it('leaves the previous bundle intact, and the next run succeeds', async () => {
    const out = join(work, 'killed', 'bundle');
    expect(report(fullConfig, out).status).toBe(1);
    let previous = await readFile(join(out, 'manifest.json'));
    const parent = join(work, 'killed');

    // Killed while collecting (it holds the lock), then while writing the new bundle, then while the
    // PDF's attachments wait in their scratch file beside it. On a loaded machine the run may finish
    // between seeing the moment and the kill: then it is no kill, the finished run's bundle becomes
    // the previous one, and the moment is tried again.
    for (const moment of [/^\.bundle\.auditpack-lock$/, /^\.bundle\.auditpack-tmp-/, /^\.bundle\.auditpack-tmp-.*\.pdf-attachments$/]) {
      let killed = false;
      const tries: string[] = []; // what each attempt saw, for the message if none was killed
      for (let attempt = 0; attempt < 8 && !killed; attempt += 1) {
        const run = start('report', '--config', fullConfig, '--out', out, '--clock', `2026-07-02T08:00:0${attempt}.000Z`);
        const caught = await appears(parent, moment, 120_000, run.done);
        expect(caught, String(moment)).not.toBe('timeout');
        try {
          process.kill(run.pid, 'SIGKILL');
        } catch {
          // ESRCH: it had already exited.
        }
        const ended = await run.done;
        killed = ended.signal === 'SIGKILL';
        tries.push(`${caught}: exit ${String(ended.status)} ${String(ended.signal)} ${ended.stderr.trim().split('\n').at(-1) ?? ''}`);
        if (killed) expect((await readFile(join(out, 'manifest.json'))).equals(previous), String(moment)).toBe(true);
        else previous = await readFile(join(out, 'manifest.json'));
        expect(auditpack('verify', out, '--key', PUB).status, String(moment)).toBe(0);
      }
      expect(killed, `killed at ${String(moment)}: ${tries.join('; ')}`).toBe(true);
    }

    const next = report(fullConfig, out);
    expect(next.status, next.stderr).toBe(1);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
    expect(await readdir(parent)).toEqual(['bundle']);
  }, 300_000);
});

describe('an output the file system will not take', () => {
  it('a file where the folder holding --out must be: exit 2, a message naming it, no stack trace', async () => {
    const blocker = join(work, 'a-file');
    await writeFile(blocker, 'not a folder');
    const r = auditpack('report', '--config', fullConfig, '--out', join(blocker, 'bundle'), '--clock', GOLDEN_CLOCK);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^auditpack: ${blocker}: the output cannot be written here: E[A-Z]+: .*\\[OUTPUT_INVALID\\]\\n$`));
  });

  it('a --summary file that cannot be written: said once, after what the run found; exit 2; the bundle is written and verifies', async () => {
    const blocker = join(work, 'another-file');
    await writeFile(blocker, 'not a folder');
    const out = join(work, 'summary-unwritable');
    const r = auditpack('report', '--config', fullConfig, '--out', out, '--clock', GOLDEN_CLOCK, '--summary', join(blocker, 'last-run.json'));
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^verdict: FAIL/m);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^auditpack: .*last-run\.json: cannot write the summary \(the bundle is written: .*\): E[A-Z]+: .*\[OUTPUT_INVALID\]$/),
    ]);
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
  });
});
