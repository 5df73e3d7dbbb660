/**
 * Starts a real registry for tests: Debian's `docker-registry` (CNCF
 * distribution 2.8) on 127.0.0.1, a free port, a temporary storage folder;
 * anonymous, behind htpasswd basic auth, or behind token (Bearer) auth.
 * The registry is a real component: if it is not installed the tests fail
 * with the command that installs it, they never skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRegistry {
  url: URL;
  /** The storage folder (filesystem driver root). */
  storage: string;
  stop(): Promise<void>;
}

export interface RegistryAuthConfig {
  htpasswd?: { username: string; password: string };
  token?: { realm: string; service: string; issuer: string; rootCertificatePem: string };
}

export async function startRegistry(auth: RegistryAuthConfig = {}): Promise<RunningRegistry> {
  const binary = spawnSync('docker-registry', ['--version'], { encoding: 'utf8' });
  if (binary.error) throw new Error('docker-registry is not installed: apt-get install -y docker-registry (CNCF distribution 2.8)');
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-registry-'));
  const storage = join(dir, 'storage');
  await mkdir(storage);
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    '  addr: 127.0.0.1:0',
    '  secret: auditpack-test-secret',
  ];
  if (auth.htpasswd) {
    const hash = spawnSync('htpasswd', ['-nbB', auth.htpasswd.username, auth.htpasswd.password], { encoding: 'utf8' });
    if (hash.error || hash.status !== 0) throw new Error('htpasswd is not installed: apt-get install -y apache2-utils');
    await writeFile(join(dir, 'htpasswd'), hash.stdout.trim() + '\n');
    lines.push('auth:', '  htpasswd:', '    realm: auditpack-test', `    path: ${join(dir, 'htpasswd')}`);
  } else if (auth.token) {
    await writeFile(join(dir, 'token-root.pem'), auth.token.rootCertificatePem);
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${auth.token.realm}`,
      `    service: ${auth.token.service}`,
      `    issuer: ${auth.token.issuer}`,
      `    rootcertbundle: ${join(dir, 'token-root.pem')}`,
    );
  }
  await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const address = await listeningAddress(child);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  if (address === undefined) {
    await stop();
    throw new Error('docker-registry did not start within 20 s');
  }
  return { url: new URL(`http://${address}`), storage, stop };
}

/** The registry logs "listening on 127.0.0.1:<port>" once it accepts connections. */
function listeningAddress(child: ChildProcess): Promise<string | undefined> {
  return new Promise((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve(undefined), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * Places blobs directly in the registry's storage folder, under digests
 * whose content does not exist. The sample estate's image manifests name
 * layers of tens of megabytes that were never made (only their digests
 * were); distribution refuses a manifest whose blobs it does not hold, so
 * the tests put a placeholder file under each such digest, in the storage
 * layout of distribution's filesystem driver. The collector never reads
 * image layers, so their content plays no part in any test.
 */
export async function seedPlaceholderBlobs(storage: string, repository: string, digests: string[]): Promise<void> {
  const root = join(storage, 'docker', 'registry', 'v2');
  for (const digest of digests) {
    const hex = digest.replace(/^sha256:/, '');
    await mkdir(join(root, 'blobs', 'sha256', hex.slice(0, 2), hex), { recursive: true });
    await writeFile(join(root, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'), `placeholder for ${digest}\n`);
    await mkdir(join(root, 'repositories', repository, '_layers', 'sha256', hex), { recursive: true });
    await writeFile(join(root, 'repositories', repository, '_layers', 'sha256', hex, 'link'), digest);
  }
}
