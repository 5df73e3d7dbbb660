import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG } from './cli.js';

/*
 * The offline package for air-gapped sites (`npm run pack:offline`): packed
 * here, then installed with npm pointed at a registry that does not answer
 * (a closed port on 127.0.0.1) and an empty cache, so that any download would
 * fail the install. The installed command then runs under the repository's
 * Node (the target brings its own Node >= 22.22; the pinned `node`
 * devDependency is not in the package).
 */
const VERSION = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let work: string;
let tarball: string;
let prefix: string;

/** A loopback port nothing listens on: bound by the system, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The environment of a target machine: this Node first on PATH, no npm settings inherited from the test run. */
function targetEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return { ...env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-offline-test-'));
  const packed = spawnSync(process.execPath, [join(ROOT, 'scripts/pack-offline.mjs'), '--out', join(work, 'package')], { encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`pack:offline failed: ${packed.stderr}`);
  tarball = join(work, 'package', `auditpack-offline-${VERSION}.tgz`);
  prefix = join(work, 'installed');
}, 300_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the offline package', () => {
  it('is one tarball with its SHA-256, bundling every production dependency and none for development', async () => {
    expect((await readdir(join(work, 'package'))).sort()).toEqual([`auditpack-offline-${VERSION}.tgz`, `auditpack-offline-${VERSION}.tgz.sha256`]);
    const sha = createHash('sha256')
      .update(await readFile(tarball))
      .digest('hex');
    expect(await readFile(`${tarball}.sha256`, 'utf8')).toBe(`${sha}  auditpack-offline-${VERSION}.tgz\n`);
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).stdout.split('\n');
    const root = JSON.parse(spawnSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout) as Record<string, any>;
    expect(root.bundleDependencies).toEqual(Object.keys(root.dependencies).sort());
    expect(root.devDependencies).toBeUndefined();
    expect(root.scripts).toBeUndefined();
    for (const dependency of root.bundleDependencies as string[]) expect(listing, dependency).toContain(`package/node_modules/${dependency}/package.json`);
    for (const development of ['typescript', 'vitest', 'node', 'eslint']) expect(listing).not.toContain(`package/node_modules/${development}/package.json`);
    expect(listing).toContain('package/dist/cli.js');
    expect(listing).toContain('package/templates/report.html.hbs');
  });

  it('installs with the registry unreachable and an empty cache, and the installed command runs a report', async () => {
    const port = await closedPort();
    const env = targetEnv({
      npm_config_registry: `http://127.0.0.1:${port}/`,
      npm_config_cache: join(work, 'empty-cache'),
      npm_config_update_notifier: 'false',
    });
    const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
      encoding: 'utf8',
      env,
      timeout: 240_000,
    });
    expect(install.status, install.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'auditpack');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
    expect([version.status, version.stdout.trim()]).toEqual([0, VERSION]);
    // The catalogs, templates and schemas travel with it: a real report over the sample estate, and its seal verified.
    const out = join(work, 'bundle');
    const report = spawnSync(bin, ['report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK, '--output', 'json', 'html', '--quiet'], {
      encoding: 'utf8',
      env,
    });
    expect(report.status, report.stderr).toBe(1); // the sample's three planted faults
    const verify = spawnSync(bin, ['verify', out, '--key', join(ROOT, 'samples/akko/keys/report-signing.pub'), '--quiet'], { encoding: 'utf8', env });
    expect(verify.status, verify.stderr).toBe(0);
  }, 600_000);
});
