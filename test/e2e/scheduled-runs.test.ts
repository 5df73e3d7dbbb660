import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { GOLDEN_CLOCK, ROOT, type CliResult } from './cli.js';

/*
 * What a scheduler relies on: the bundle named by period when no --out is
 * given, a sealed bundle of another period never replaced, the same period
 * replaced, --quiet, and the --summary file with the exit code.
 */
const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
const BUNDLE = 'out/akko-sample-estate-2026-Q2';
let work: string;
let config: string;
let unsealedConfig: string;

/** The built CLI, run from the temporary folder, as cron or a systemd unit would (relative paths resolve there). */
function auditpack(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { encoding: 'utf8', cwd: work });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const report = (...more: string[]) => auditpack('report', '--config', config, '--clock', GOLDEN_CLOCK, '--output', 'json', ...more);
const summaryOf = async (file: string) => JSON.parse(await readFile(join(work, file), 'utf8')) as Record<string, any>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-scheduled-'));
  await cp(`${ROOT}samples/akko`, join(work, 'estate'), { recursive: true });
  // Three images: enough for the output rules, and quick.
  const data = parse(await readFile(join(work, 'estate/auditpack.yaml'), 'utf8'));
  data.images = data.images.slice(0, 3);
  config = join(work, 'estate/small.yaml');
  await writeFile(config, stringify(data));
  delete data.seal.key;
  unsealedConfig = join(work, 'estate/unsealed.yaml');
  await writeFile(unsealedConfig, stringify(data));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('bundles named by period', () => {
  it('writes out/<organisation>-<period> under the working directory when no --out is given, and says where', async () => {
    const r = report('--summary', 'last-run.json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`bundle  ${join(work, BUNDLE)} (sealed`);
    expect(await readdir(join(work, 'out'))).toEqual(['akko-sample-estate-2026-Q2']);
    expect(auditpack('verify', BUNDLE, '--key', PUB).status).toBe(0);
    const summary = await summaryOf('last-run.json');
    expect(summary).toMatchObject({ exitCode: 0, verdict: 'pass', bundle: join(work, BUNDLE), period: { label: '2026-Q2' } });
  });

  it('resolves previous against the clock in the name: the next quarter’s run, with --period previous, replaces the same bundle', async () => {
    const manifest = await readFile(join(work, BUNDLE, 'manifest.json'));
    const r = auditpack('report', '--config', config, '--clock', '2026-07-15T06:00:00Z', '--output', 'json', '--period', 'previous', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect((await readFile(join(work, BUNDLE, 'manifest.json'))).equals(manifest)).toBe(false);
    expect(await readdir(join(work, 'out'))).toEqual(['akko-sample-estate-2026-Q2']);
  });

  it('fills the placeholders in a given --out', async () => {
    const r = report('--out', 'bundles/{period}/{organisation}', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    expect(await readdir(join(work, 'bundles/2026-Q2'))).toEqual(['akko-sample-estate']);
  });
});

describe('the configuration read once', () => {
  it('names the folder and writes the report from one reading of the configuration (a FIFO gives its bytes only once)', async () => {
    const fifo = join(work, 'estate/once.yaml');
    execFileSync('mkfifo', [fifo]);
    const bytes = await readFile(config);
    const args = ['report', '--config', fifo, '--clock', GOLDEN_CLOCK, '--output', 'json', '--out', 'once/{organisation}-{period}', '--quiet'];
    const child = spawn(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { cwd: work, stdio: 'ignore' });
    // A second reading would wait for a writer that never comes: the run is stopped then, and fails the test.
    const stop = setTimeout(() => child.kill(), 20_000);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await writeFile(fifo, bytes);
    const status = await exited;
    clearTimeout(stop);
    expect(status).toBe(0);
    expect(await readdir(join(work, 'once'))).toEqual(['akko-sample-estate-2026-Q2']);
    const written = JSON.parse(await readFile(join(work, 'once/akko-sample-estate-2026-Q2/report.json'), 'utf8')) as Record<string, any>;
    expect(written.run.configSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('a sealed bundle of another period is never overwritten', () => {
  it('refuses to write 2026-Q1 over the 2026-Q2 bundle: exit 2, OUTPUT_OTHER_PERIOD, the bundle untouched, the summary says why', async () => {
    const before = await readFile(join(work, BUNDLE, 'manifest.json'));
    const r = report('--period', '2026-Q1', '--out', BUNDLE, '--summary', 'last-run.json', '--archive');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/the sealed bundle of 2026-Q2, not of 2026-Q1: a sealed bundle of another period is never replaced.*\[OUTPUT_OTHER_PERIOD\]/);
    expect((await readFile(join(work, BUNDLE, 'manifest.json'))).equals(before)).toBe(true);
    expect(auditpack('verify', BUNDLE, '--key', PUB).status).toBe(0);
    expect(await readdir(join(work, 'out'))).toEqual(['akko-sample-estate-2026-Q2']);
    const summary = await summaryOf('last-run.json');
    expect(summary).toMatchObject({
      verdict: 'error',
      exitCode: 2,
      generatedAt: GOLDEN_CLOCK,
      error: { code: 'OUTPUT_OTHER_PERIOD', file: join(work, BUNDLE) },
    });
  });

  it('replaces the same period given as a range of the same days', async () => {
    const r = report('--from', '2026-04-01', '--to', '2026-06-30', '--out', BUNDLE, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const written = JSON.parse(await readFile(join(work, BUNDLE, 'report.json'), 'utf8'));
    expect(written.run.period.label).toBe('2026-04-01..2026-06-30');
  });

  it('keeps refusing an unsealed bundle, as before: it cannot show what it is (OUTPUT_INVALID), while an empty folder is used', async () => {
    const unsealed = 'out/unsealed';
    const first = auditpack('report', '--config', unsealedConfig, '--clock', GOLDEN_CLOCK, '--output', 'json', '--out', unsealed);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/the bundle is NOT sealed/);
    const again = auditpack('report', '--config', unsealedConfig, '--clock', GOLDEN_CLOCK, '--output', 'json', '--out', unsealed);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/no seal \(manifest\.sigstore\.json\).*\[OUTPUT_INVALID\]/);
    await mkdir(join(work, 'out/empty'));
    expect(report('--period', '2026-Q1', '--out', 'out/empty', '--quiet').status).not.toBe(2);
    expect(await readdir(join(work, 'out/empty'))).toContain('manifest.sigstore.json');
  });
});

describe('--quiet and the summary a scheduler alerts on', () => {
  it('prints nothing on stdout with --quiet, only the JSON summary with --format json, and writes a summary valid against its schema', async () => {
    const quiet = report('--quiet');
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
    const json = report('--quiet', '--format', 'json', '--summary', 'summaries/q2.json');
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    const printed = JSON.parse(json.stdout);
    expect(await summaryOf('summaries/q2.json')).toEqual(printed);
    const schema = JSON.parse(await readFile(`${ROOT}schema/report-summary.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    for (const summary of [printed, await summaryOf('last-run.json')])
      expect(validate(structuredClone(summary)), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
    expect(validate({ ...printed, verdict: 'error' })).toBe(false);
    expect(validate({ ...printed, exitCode: 2 })).toBe(false);
  });

  it('with --progress plain, writes whole progress lines to a log (stderr not a terminal), also under --quiet; none and the default write none', () => {
    const plain = report('--quiet', '--progress', 'plain');
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toBe('');
    const lines = plain.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([
      'auditpack: collect: Woodpecker exports',
      ...lines.filter((l) => l.startsWith('auditpack: verify ')),
      'auditpack: render json',
      'auditpack: seal',
    ]);
    expect(lines.filter((l) => l.startsWith('auditpack: verify ')).map((l) => l.replace(/: [^:]*$/, ''))).toEqual([
      'auditpack: verify 1/3',
      'auditpack: verify 2/3',
      'auditpack: verify 3/3',
    ]);
    expect(plain.stderr).not.toContain('\r');
    for (const quiet of [report('--progress', 'none'), report()]) {
      expect(quiet.status, quiet.stderr).toBe(0);
      expect(quiet.stderr).toBe('');
    }
  });

  it('keeps the problem lines and the unsealed warning on stderr under --quiet: they are why it exits 1', async () => {
    const r = auditpack(
      'report',
      '--config',
      unsealedConfig,
      '--clock',
      GOLDEN_CLOCK,
      '--output',
      'json',
      '--out',
      'out/unsealed-quiet',
      '--quiet',
      '--summary',
      'unsealed.json',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/NOT sealed/);
    expect(await summaryOf('unsealed.json')).toMatchObject({ exitCode: 1, seal: { sealed: false } });
  });

  it('refuses a --summary inside the bundle folder, which would break its seal', () => {
    const r = report('--out', BUNDLE, '--summary', `${BUNDLE}/summary.json`);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is inside the bundle folder/);
    expect(auditpack('verify', BUNDLE, '--key', PUB).status).toBe(0);
  });

  it('verify --quiet prints nothing when intact, and only the problem when not', () => {
    expect(auditpack('verify', BUNDLE, '--key', PUB, '--quiet')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const unpinned = auditpack('verify', BUNDLE, '--quiet');
    expect(unpinned).toMatchObject({ status: 4, stdout: '' });
    expect(unpinned.stderr.trim().split('\n')).toEqual([expect.stringMatching(/NOT VERIFIED.*\[SEAL_UNPINNED\]$/)]);
    expect(JSON.parse(auditpack('verify', BUNDLE, '--key', PUB, '--quiet', '--format', 'json').stdout)).toMatchObject({ status: 'intact' });
  });

  it('diff --quiet prints nothing with text, and the exit code still says whether something got worse', () => {
    const same = auditpack('diff', BUNDLE, BUNDLE, '--key', PUB, '--quiet');
    expect(same).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(JSON.parse(auditpack('diff', BUNDLE, BUNDLE, '--key', PUB, '--quiet', '--format', 'json').stdout).diff.changed).toBe(false);
  });
});

describe('every option is documented', () => {
  it.each(['report', 'verify', 'diff'])('the README names each option of %s that --help lists', async (command) => {
    const help = auditpack(command, '--help');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const options = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] ?? '').filter((o) => o !== '--help' && o !== '--version');
    expect(options).toContain('--quiet');
    for (const option of options) expect(readme, option).toMatch(new RegExp(`\`(-\\w, )?${option}[ \`]`));
  });
});
