/**
 * `auditpack collect woodpecker` against a loopback server replaying
 * Woodpecker API answers (v3 and v2 field names): period selection, paging,
 * redaction with the original's digest kept, and faults (401, 404, 500, an
 * HTML page, a slow answer, a log cut off, bytes that are not UTF-8).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectWoodpecker } from '../../src/collect/woodpecker.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { NOT_UTF8, SECRETS, SECRET_LOG, collectionFixture } from '../helpers/woodpecker-fixture.js';
import { startWoodpecker, type Fault, type FakeWoodpecker, type WoodpeckerFixture } from '../helpers/woodpecker-server.js';

const TOKEN = 'wp-token-for-tests';
const PERIOD_PIPELINES = Array.from({ length: 16 }, (_, i) => 1201 + i);
let work: string;
let fixture: WoodpeckerFixture;
const servers: FakeWoodpecker[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-woodpecker-'));
  fixture = await collectionFixture();
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(work, { recursive: true, force: true });
});

async function serve(options: { version?: 'v2' | 'v3'; faults?: Record<string, Fault> } = {}): Promise<FakeWoodpecker> {
  const server = await startWoodpecker(fixture, {
    token: TOKEN,
    maxPage: 7,
    ...(options.version ? { version: options.version } : {}),
    faults: new Map(Object.entries(options.faults ?? {})),
  });
  servers.push(server);
  return server;
}

function collect(server: URL, out: string, extra: string[] = [], env: Record<string, string> = { WOODPECKER_TOKEN: TOKEN }) {
  return auditpackAsync(
    ['collect', 'woodpecker', '--server', server.toString(), '--repo', 'akko/akko', '--period', '2026-Q2', '--out', join(work, out), ...extra],
    env,
  );
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const written = async (out: string) => (await readdir(join(work, out, 'pipelines'))).map((f) => Number(f.replace('.json', ''))).sort((a, b) => a - b);
const lines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .filter((l) => l !== '');

describe('collecting a period (Woodpecker v3)', () => {
  let run: Awaited<ReturnType<typeof collect>>;
  beforeAll(async () => {
    run = await collect((await serve()).url, 'v3', ['--keep-originals', join(work, 'originals'), '--redact-var', 'DEPLOY_KEY_ID']);
  }, 120_000);

  it('collects exactly the pipelines of the quarter, every step log, and exits 0', async () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await written('v3')).toEqual(PERIOD_PIPELINES);
    expect(await readdir(join(work, 'v3', 'logs', '1201'))).toHaveLength(7);
  });

  it('redacts the secrets before writing: none is in any file written or line printed', async () => {
    const files = await readdir(join(work, 'v3'), { recursive: true, withFileTypes: true });
    for (const f of files.filter((e) => e.isFile())) {
      const raw = await readFile(join(f.parentPath, f.name));
      const decoded =
        f.name.endsWith('.json') && f.parentPath.includes('logs')
          ? (JSON.parse(raw.toString('utf8')) as { data: string }[]).map((e) => Buffer.from(e.data, 'base64').toString('latin1')).join('\n')
          : '';
      for (const secret of SECRETS) {
        expect(raw.toString('latin1'), f.name).not.toContain(secret);
        expect(decoded, f.name).not.toContain(secret);
      }
    }
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('keeps the original digest in redactions.json, and the original itself only in --keep-originals', async () => {
    const file = `logs/${SECRET_LOG.pipeline}/${SECRET_LOG.step}.json`;
    const served = fixture.logs.get(`${SECRET_LOG.pipeline}/${SECRET_LOG.step}`) ?? Buffer.alloc(0);
    const record = JSON.parse(await readFile(join(work, 'v3', 'redactions.json'), 'utf8')) as {
      files: { file: string; original: { sha256: string; size: number }; written: { sha256: string }; redactions: { line: number; rules: string[] }[] }[];
    };
    expect(record.files.map((f) => f.file)).toEqual([file]);
    const entry = record.files[0];
    expect(entry?.original).toEqual({ sha256: sha256(served), size: served.length });
    expect(entry?.written.sha256).toBe(sha256(await readFile(join(work, 'v3', file))));
    expect(entry?.redactions.flatMap((r) => r.rules).sort()).toEqual([
      'authorization',
      'private-key',
      'private-key',
      'private-key',
      'secret-assignment',
      'variable:DEPLOY_KEY_ID',
    ]);
    const original = await readFile(join(work, 'originals', file));
    expect(sha256(original)).toBe(entry?.original.sha256);
  });

  it('keeps bytes that are not UTF-8 exactly, in a log that was redacted', async () => {
    const entries = JSON.parse(await readFile(join(work, 'v3', `logs/${SECRET_LOG.pipeline}/${SECRET_LOG.step}.json`), 'utf8')) as { data: string }[];
    expect(entries.at(-1)?.data).toBe(NOT_UTF8.toString('base64'));
  });

  it('writes what the offline reader reads: runs with their steps and redacted log lines', async () => {
    const ci = await collectWoodpecker(work, 'v3');
    expect(ci.problems).toEqual([]);
    expect(ci.runs.map((r) => r.number)).toEqual(PERIOD_PIPELINES);
    // The redaction record is evidence too: the sealed bundle carries the originals' digests.
    expect(ci.evidence.find((e) => e.source === 'v3/redactions.json')).toMatchObject({
      kind: 'ci-redactions',
      sha256: sha256(await readFile(join(work, 'v3', 'redactions.json'))),
    });
    const sign = ci.runs[0]?.workflows.flatMap((w) => w.steps).find((s) => s.id === SECRET_LOG.step);
    expect(sign?.log).toContain('+ echo "password=[REDACTED:secret-assignment]"');
    expect(sign?.log).toContain('curl -H "Authorization: Bearer [REDACTED:authorization]" https://api.example');
    expect(sign?.log?.filter((l) => l === '[REDACTED:private-key]')).toHaveLength(3);
  });
});

describe('Woodpecker v2 field names', () => {
  it('selects the same pipelines from created_at/finished_at and writes them as served', async () => {
    const run = await collect((await serve({ version: 'v2' })).url, 'v2');
    expect(run.status).toBe(0);
    expect(await written('v2')).toEqual(PERIOD_PIPELINES);
    const pipeline = JSON.parse(await readFile(join(work, 'v2', 'pipelines', '1201.json'), 'utf8')) as Record<string, unknown>;
    expect(pipeline.finished_at).toBeTypeOf('number');
    const ci = await collectWoodpecker(work, 'v2');
    expect(ci.runs[0]?.finishedAt).toBe('2026-04-14T07:44:06.000Z');
  });
});

describe('Woodpecker faults', () => {
  it('a wrong token: one line, exit 2, no pipelines written', async () => {
    const run = await collect((await serve()).url, 'bad-token', [], { WOODPECKER_TOKEN: 'not-the-token' });
    expect(run.status).toBe(2);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/repository akko\/akko: the server refused the token \(401\): it is wrong, expired or revoked .*\[COLLECT_AUTH_FAILED\]$/),
    ]);
    await expect(readdir(join(work, 'bad-token', 'pipelines'))).rejects.toThrow();
  });

  it('no token in the environment: exit 2 before any request', async () => {
    const run = await collect(new URL('http://127.0.0.1:9'), 'no-token', [], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no Woodpecker token: set the environment variable WOODPECKER_TOKEN/);
  });

  it('500, an HTML page, a log cut off, a missing log, a slow answer: one line each, the rest collected, exit 1, no hang', async () => {
    const repo = `/api/repos/${fixture.repoId}`;
    const server = await serve({
      faults: {
        [`${repo}/pipelines/1203`]: { status: 500, body: '{"message":"database is locked"}' },
        [`${repo}/pipelines/1204`]: { status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Sign in to continue</body></html>' },
        [`${repo}/logs/1205/48241`]: { truncate: true },
        [`${repo}/logs/1206/48248`]: { status: 404, body: 'not found' },
        [`${repo}/pipelines/1207`]: { delayMs: 8000 },
        [`${repo}/pipelines/1208`]: { status: 502, times: 1, body: '<html>bad gateway</html>', contentType: 'text/html' },
      },
    });
    const run = await collect(server.url, 'faults', ['--retries', '1', '--timeout', '3']);
    expect(run.status).toBe(1);
    const errors = lines(run.stderr);
    expect(errors).toHaveLength(5);
    expect(errors).toContainEqual(
      expect.stringMatching(/^auditpack: pipeline #1203: the server answered 500 Internal Server Error \(2 attempts\).*\[COLLECT_SERVER_ERROR\]$/),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^auditpack: pipeline #1204: the server answered 200 with an HTML page, not JSON .*\[COLLECT_BAD_RESPONSE\]$/),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^auditpack: pipeline #1205 step 48241 \(clone\): log of pipeline #1205 step 48241: the answer was cut off before its end .*\[COLLECT_BAD_RESPONSE\]$/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^auditpack: pipeline #1206 step 48248 \(clone\): the step ran \(success\) but its log answers 404 \[COLLECT_NOT_FOUND\]$/),
    );
    expect(errors).toContainEqual(expect.stringMatching(/^auditpack: pipeline #1207: no answer within the 3 s timeout \(2 attempts\).*\[COLLECT_TIMEOUT\]$/));
    expect(await written('faults')).toEqual(PERIOD_PIPELINES.filter((n) => ![1203, 1204, 1207].includes(n)));
    expect((await readdir(join(work, 'faults', 'logs', '1205'))).sort()).toEqual([
      '48242.json',
      '48243.json',
      '48244.json',
      '48245.json',
      '48246.json',
      '48247.json',
    ]);
    expect(run.durationMs).toBeLessThan(60_000);
    const record = JSON.parse(await readFile(join(work, 'faults', 'collection.json'), 'utf8')) as { pipelines: { number: number; collected: string }[] };
    expect(record.pipelines.filter((p) => p.collected === 'partial').map((p) => p.number)).toEqual([1205, 1206]);
  });

  it('nothing already collected is lost: a re-run against a server that is down keeps every file', async () => {
    const before = await readFile(join(work, 'v3', 'pipelines', '1201.json'));
    const run = await collect(new URL('http://127.0.0.1:9'), 'v3', ['--retries', '0']);
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/cannot reach 127\.0\.0\.1:9 .*\[COLLECT_UNREACHABLE\]$/)]);
    expect((await readFile(join(work, 'v3', 'pipelines', '1201.json'))).equals(before)).toBe(true);
    const record = JSON.parse(await readFile(join(work, 'v3', 'collection.json'), 'utf8')) as { pipelines: { number: number }[] };
    expect(record.pipelines.map((p) => p.number)).toEqual(PERIOD_PIPELINES);
    expect(JSON.parse(await readFile(join(work, 'v3', 'redactions.json'), 'utf8')).files).toHaveLength(1);
  });

  it("refuses a folder holding another repository's pipelines (numbers would mix)", async () => {
    const run = await auditpackAsync(
      ['collect', 'woodpecker', '--server', 'http://127.0.0.1:9', '--repo', 'other/repo', '--period', '2026-Q2', '--out', join(work, 'v3')],
      { WOODPECKER_TOKEN: TOKEN },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/holds the pipelines of akko\/akko, not other\/repo: pipeline numbers would mix; choose another folder \[OUTPUT_INVALID\]/);
  });
});
