import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ROOT, auditpack } from '../../e2e/cli.js';
import { collectionFixture } from '../../helpers/woodpecker-fixture.js';
import { startWoodpecker, type FakeWoodpecker } from '../../helpers/woodpecker-server.js';

const TOKEN_ENV = 'AUDITPACK_TEST_COLLECT_COMMAND_TOKEN';
let work: string;
let server: FakeWoodpecker;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-command-'));
  server = await startWoodpecker(await collectionFixture(), { token: 'in-process' });
  process.env[TOKEN_ENV] = 'in-process';
});
afterAll(async () => {
  delete process.env[TOKEN_ENV];
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await main(
    args,
    { out: (l) => out.push(l), err: (l) => err.push(l), progress: (m) => progress.push(m) },
    () => new Date('2026-07-01T06:00:00Z'),
  );
  return { code, out, err, progress };
}

describe('auditpack collect (in process)', () => {
  it('reports progress through the CLI progress function, clears it at the end, and records the run clock', async () => {
    const r = await run([
      'collect',
      'woodpecker',
      '--server',
      server.url.toString(),
      '--repo',
      'akko/akko',
      '--period',
      '2026-Q2',
      '--out',
      join(work, 'ci'),
      '--token-env',
      TOKEN_ENV,
      '--concurrency',
      '1',
    ]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.progress).toContain('collect woodpecker: looking up akko/akko');
    expect(r.progress).toContain('collect woodpecker 1/16: pipeline #1201');
    expect(r.progress.at(-1)).toBe('');
    const record = JSON.parse(await readFile(join(work, 'ci', 'collection.json'), 'utf8')) as { collectedAt: string; period: object };
    expect(record.collectedAt).toBe('2026-07-01T06:00:00.000Z');
    expect(record.period).toEqual({ label: '2026-Q2', zone: 'UTC', start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' });
  });

  it('resolves --period previous against the clock, and with --quiet prints nothing but problems: no summary, no progress', async () => {
    const args = ['collect', 'woodpecker', '--server', server.url.toString(), '--repo', 'akko/akko', '--period', 'previous', '--token-env', TOKEN_ENV];
    const quiet = await run([...args, '--out', join(work, 'previous'), '--quiet']);
    expect(quiet).toMatchObject({ code: 0, out: [], err: [], progress: [] });
    const record = JSON.parse(await readFile(join(work, 'previous', 'collection.json'), 'utf8')) as { period: { label: string } };
    expect(record.period.label).toBe('2026-Q2');
    const json = await run([...args, '--out', join(work, 'previous'), '--quiet', '--format', 'json']);
    expect(json.out).toHaveLength(1);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({ command: 'collect woodpecker', problems: [] });
    const text = await run([...args, '--out', join(work, 'previous')]);
    expect(text.out[0]).toMatch(/pipelines of akko\/akko in 2026-Q2 /);
  });

  it('refuses --keep-originals inside --out: the originals may hold the secrets the folder must not carry', async () => {
    const r = await run([
      'collect',
      'woodpecker',
      '--server',
      server.url.toString(),
      '--repo',
      'akko/akko',
      '--period',
      '2026-Q2',
      '--out',
      join(work, 'x'),
      '--keep-originals',
      join(work, 'x', 'raw'),
      '--token-env',
      TOKEN_ENV,
    ]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--keep-originals must be outside --out/);
  });

  it('refuses a bad period, a bad --redact-var and a registry URL carrying credentials', async () => {
    const woodpecker = (extra: string[]) =>
      run(['collect', 'woodpecker', '--server', server.url.toString(), '--repo', 'akko/akko', '--out', join(work, 'y'), '--token-env', TOKEN_ENV, ...extra]);
    expect((await woodpecker(['--period', '2026-Q5'])).err.join()).toMatch(/'2026-Q5' is not a period: use 2026-Q2.*\[PERIOD_INVALID\]/);
    expect((await woodpecker(['--period', '2026-Q2', '--redact-var', 'A-B'])).err.join()).toMatch(/--redact-var "A-B" is not a variable name/);
    const registry = await run([
      'collect',
      'registry',
      '--registry',
      'https://user:pw@harbor.example',
      '--repository',
      'a/b',
      '--tag',
      '1',
      '--out',
      join(work, 'z'),
    ]);
    expect([registry.code, registry.err.join()]).toEqual([2, expect.stringMatching(/--registry must not carry credentials/)]);
  });
});

describe('every collect option is documented', () => {
  it.each(['registry', 'woodpecker'])('the README names each option of collect %s that --help lists', async (which) => {
    const help = auditpack('collect', which, '--help');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const options = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] ?? '').filter((o) => o !== '--help' && o !== '--version');
    expect(options.length).toBeGreaterThan(8);
    for (const option of options) expect(readme, option).toContain(`\`${option}`);
  });
});
