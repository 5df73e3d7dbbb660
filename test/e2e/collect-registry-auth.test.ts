/**
 * Registry authentication against the real registry: htpasswd Basic auth,
 * and Bearer tokens from a token service the registry itself verifies.
 * Credentials come from the environment or a Docker config.json and never
 * appear in any file written or any line printed.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Credentials } from '../../src/collect/registry/credentials.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { RegistryPusher } from '../helpers/registry-push.js';
import { startRegistry, type RunningRegistry } from '../helpers/registry-server.js';
import { startTokenService, type TokenService } from '../helpers/token-server.js';

const USER = { username: 'robot$auditor', password: 'Tr0ub4dor-and-3' };
let work: string;
let basic: RunningRegistry;
let tokens: TokenService;
let bearer: RunningRegistry;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-auth-'));
  basic = await startRegistry({ htpasswd: USER });
  await new RegistryPusher(basic.url, Credentials.basic(USER.username, USER.password, 'test')).image('team/app', '1.0', 'basic');
  tokens = await startTokenService(USER);
  bearer = await startRegistry({ token: tokens });
  await new RegistryPusher(bearer.url, Credentials.basic(USER.username, USER.password, 'test')).image('team/app', '1.0', 'bearer');
}, 120_000);

afterAll(async () => {
  await basic?.stop();
  await bearer?.stop();
  await tokens?.stop();
  await rm(work, { recursive: true, force: true });
});

const collect = (registry: RunningRegistry, out: string, env: Record<string, string> = {}, extra: string[] = []) =>
  auditpackAsync(
    [
      'collect',
      'registry',
      '--registry',
      registry.url.toString(),
      '--repository',
      'team/app',
      '--tag',
      '1.0',
      '--out',
      join(work, out),
      '--retries',
      '0',
      ...extra,
    ],
    env,
  );

const ENV = { AUDITPACK_REGISTRY_USERNAME: USER.username, AUDITPACK_REGISTRY_PASSWORD: USER.password };

async function everyFile(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')));
}

describe('htpasswd (Basic) registry', () => {
  it('collects with credentials from the environment, and writes the secret nowhere', async () => {
    const run = await collect(basic, 'basic-env', ENV);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const record = JSON.parse(await readFile(join(work, 'basic-env', 'collection.json'), 'utf8')) as { credentials: unknown; images: { status: string }[] };
    expect(record.credentials).toEqual({ scheme: 'basic', source: 'environment (AUDITPACK_REGISTRY_USERNAME, AUDITPACK_REGISTRY_PASSWORD)' });
    expect(record.images.map((i) => i.status)).toEqual(['complete']);
    const encoded = Buffer.from(`${USER.username}:${USER.password}`).toString('base64');
    for (const text of [...(await everyFile(join(work, 'basic-env'))), run.stdout, run.stderr]) {
      expect(text).not.toContain(USER.password);
      expect(text).not.toContain(encoded);
    }
  });

  it('collects with the auths entry of a Docker config.json (host:port key, base64 auth)', async () => {
    const home = join(work, 'home');
    await mkdir(join(home, '.docker'), { recursive: true });
    const auth = Buffer.from(`${USER.username}:${USER.password}`).toString('base64');
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [basic.url.host]: { auth } } }));
    const run = await collect(basic, 'basic-config', { HOME: home });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const record = JSON.parse(await readFile(join(work, 'basic-config', 'collection.json'), 'utf8')) as { credentials: { source: string } };
    expect(record.credentials.source).toBe(join(home, '.docker', 'config.json'));
  });

  it('without credentials: one clear line, exit 2', async () => {
    const run = await collect(basic, 'basic-none');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the registry requires credentials and none were found .*\[COLLECT_AUTH_FAILED\]/);
  });

  it('with a wrong password: one clear line naming where the credentials came from, exit 2', async () => {
    const run = await collect(basic, 'basic-wrong', { ...ENV, AUDITPACK_REGISTRY_PASSWORD: 'wrong' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /refused the credentials from environment \(AUDITPACK_REGISTRY_USERNAME, AUDITPACK_REGISTRY_PASSWORD\) \(http:\/\/127\.0\.0\.1:\d+\/v2\/team\/app\/manifests\/1\.0\) \[COLLECT_AUTH_FAILED\]/,
    );
    expect(run.stderr).not.toContain('wrong');
  });
});

describe('token (Bearer) registry', () => {
  it('follows the WWW-Authenticate challenge to the token service and collects with its token', async () => {
    tokens.requests.length = 0;
    const run = await collect(bearer, 'bearer-ok', ENV);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(tokens.requests).toContainEqual({ scope: 'repository:team/app:pull', user: USER.username });
  });

  it('lists the catalog with a registry:catalog:* token for a repository pattern', async () => {
    const run = await auditpackAsync(
      ['collect', 'registry', '--registry', bearer.url.toString(), '--repository', 'team/*', '--tag', '1.0', '--out', join(work, 'bearer-glob')],
      ENV,
    );
    expect(run.status).toBe(0);
    expect(tokens.requests.map((r) => r.scope)).toContain('registry:catalog:*');
  });

  it('with a wrong password the token service refuses: one clear line, exit 2, no hang', async () => {
    const run = await collect(bearer, 'bearer-wrong', { ...ENV, AUDITPACK_REGISTRY_PASSWORD: 'not-the-password' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the token service refused the credentials from environment .*\[COLLECT_AUTH_FAILED\]/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('anonymously the token service refuses: the line says to give credentials', async () => {
    const run = await collect(bearer, 'bearer-anonymous');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /refused anonymous access: give credentials \(http:\/\/127\.0\.0\.1:\d+\/token\?service=auditpack-test-registry&scope=repository%3Ateam%2Fapp%3Apull\) \[COLLECT_AUTH_FAILED\]/,
    );
  });
});
