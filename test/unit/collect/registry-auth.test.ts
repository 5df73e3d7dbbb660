import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChallenges } from '../../../src/collect/registry/auth.js';
import { Credentials, findCredentials, registryKey, type CredentialSources } from '../../../src/collect/registry/credentials.js';
import { globToRegExp, imageNames } from '../../../src/collect/registry/repositories.js';

describe('WWW-Authenticate challenges', () => {
  it("reads Docker Hub's Bearer challenge with realm, service and scope", () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
  });

  it("reads Harbor's and distribution's forms, with an error parameter and a scope holding commas", () => {
    const [challenge] = parseChallenges(
      'Bearer realm="https://harbor.example/service/token",service="harbor-registry",scope="repository:akko/cockpit:pull,push",error="insufficient_scope"',
    );
    expect(challenge?.params).toEqual({
      realm: 'https://harbor.example/service/token',
      service: 'harbor-registry',
      scope: 'repository:akko/cockpit:pull,push',
      error: 'insufficient_scope',
    });
  });

  it('reads Basic, and several challenges in one header', () => {
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseChallenges('Basic realm="a", Bearer realm="https://t.example/token",service=reg').map((c) => c.scheme)).toEqual(['basic', 'bearer']);
  });

  it('unescapes quoted-pairs and gives nothing for an empty header', () => {
    expect(parseChallenges('Basic realm="say \\"hi\\""')[0]?.params.realm).toBe('say "hi"');
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('registry credentials', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-creds-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const sources = (extra: Partial<CredentialSources> = {}): CredentialSources => ({
    env: {},
    usernameEnv: 'U',
    passwordEnv: 'P',
    homeDir: join(dir, 'no-home'),
    ...extra,
  });
  const config = async (name: string, content: object | string) => {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const registry = new URL('https://harbor.example:8443');

  it('takes the environment first, over a config.json entry', async () => {
    const dockerConfig = await config('both.json', { auths: { 'harbor.example:8443': { auth: Buffer.from('other:pw').toString('base64') } } });
    const found = await findCredentials(registry, sources({ env: { U: 'robot', P: 'secret' }, dockerConfig }));
    expect(found.credentials.header()).toBe(`Basic ${Buffer.from('robot:secret').toString('base64')}`);
    expect(found.credentials.source).toBe('environment (U, P)');
  });

  it('finds the auths entry whatever form its key takes (host:port, https URL with path)', async () => {
    for (const key of ['harbor.example:8443', 'https://harbor.example:8443', 'https://harbor.example:8443/v2/']) {
      const dockerConfig = await config('key.json', { auths: { [key]: { auth: Buffer.from('u:p:with:colons').toString('base64') } } });
      const found = await findCredentials(registry, sources({ dockerConfig }));
      expect(found.credentials.header(), key).toBe(`Basic ${Buffer.from('u:p:with:colons').toString('base64')}`);
    }
  });

  it('maps Docker Hub registry hosts to the index.docker.io entry docker login writes', () => {
    expect(registryKey('registry-1.docker.io')).toBe('index.docker.io');
    expect(registryKey('https://index.docker.io/v1/')).toBe('index.docker.io');
  });

  it('uses $DOCKER_CONFIG/config.json when no file is named', async () => {
    await mkdir(join(dir, 'docker-config-dir'), { recursive: true });
    await writeFile(join(dir, 'docker-config-dir', 'config.json'), JSON.stringify({ auths: { 'harbor.example:8443': { username: 'u', password: 'p' } } }));
    const found = await findCredentials(registry, sources({ env: { DOCKER_CONFIG: join(dir, 'docker-config-dir') } }));
    expect(found.credentials.scheme).toBe('basic');
  });

  it('sends a registrytoken as a Bearer token, and says an identity token or a credential helper is not used', async () => {
    const token = await findCredentials(
      registry,
      sources({ dockerConfig: await config('token.json', { auths: { 'harbor.example:8443': { registrytoken: 'tok' } } }) }),
    );
    expect(token.credentials.header()).toBe('Bearer tok');
    const identity = await findCredentials(
      registry,
      sources({ dockerConfig: await config('identity.json', { auths: { 'harbor.example:8443': { identitytoken: 'x' } } }) }),
    );
    expect([identity.credentials.scheme, identity.notes[0]]).toEqual(['anonymous', expect.stringContaining('OAuth identity token')]);
    const helper = await findCredentials(registry, sources({ dockerConfig: await config('helper.json', { credsStore: 'desktop' }) }));
    expect(helper.notes[0]).toContain('docker-credential-desktop" is not run');
  });

  it('is anonymous when there is no config.json, but a named one that is missing or malformed is an error naming the file, never echoing it', async () => {
    expect((await findCredentials(registry, sources())).credentials.scheme).toBe('anonymous');
    await expect(findCredentials(registry, sources({ dockerConfig: join(dir, 'absent.json') }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      file: join(dir, 'absent.json'),
    });
    const bad = await config('bad.json', '{"auths": {"x": {"auth": "c2VjcmV0"}');
    const error = await findCredentials(registry, sources({ dockerConfig: bad })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', file: bad, message: 'the Docker config is not a JSON object' });
  });

  it('never shows the secret when printed, inspected or serialised', () => {
    const credentials = Credentials.basic('robot', 'hunter2', 'test');
    const shown = [
      JSON.stringify(credentials),
      inspect(credentials, { depth: 5, showHidden: true }),
      String(credentials),
      JSON.stringify({ credentials }),
    ].join('\n');
    expect(String(credentials)).toBe('basic credentials from test');
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain(Buffer.from('robot:hunter2').toString('base64'));
  });
});

describe('repository patterns and names', () => {
  it('* stays within a path component, ** crosses them, ? is one character', () => {
    expect(globToRegExp('akko/*').test('akko/cockpit')).toBe(true);
    expect(globToRegExp('akko/*').test('akko/tools/cli')).toBe(false);
    expect(globToRegExp('akko/**').test('akko/tools/cli')).toBe(true);
    expect(globToRegExp('akko/db?').test('akko/dbt')).toBe(true);
    expect(globToRegExp('a.b/*').test('axb/c')).toBe(false);
  });

  it('names images by their last path component unless two would collide', () => {
    expect([...imageNames(['akko/cockpit', 'akko/dbt', 'mirror/dbt'])]).toEqual([
      ['akko/cockpit', 'cockpit'],
      ['akko/dbt', 'akko-dbt'],
      ['mirror/dbt', 'mirror-dbt'],
    ]);
  });
});
