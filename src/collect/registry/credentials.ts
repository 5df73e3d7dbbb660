import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditpackError, describeThrown } from '../../errors.js';
import { isRecord } from '../../util/wire.js';

/**
 * Registry credentials. The secret is held in a private field: it is never
 * enumerable, printed, serialised or written anywhere; only `header()` hands
 * it to the HTTP layer.
 */
export class Credentials {
  readonly #header: string | undefined;

  private constructor(
    readonly scheme: 'anonymous' | 'basic' | 'bearer',
    /** Where they came from, for messages: "environment (AUDITPACK_REGISTRY_USERNAME)", "~/.docker/config.json". */
    readonly source: string,
    header?: string,
  ) {
    this.#header = header;
  }

  static anonymous(): Credentials {
    return new Credentials('anonymous', 'none');
  }

  static basic(username: string, password: string, source: string): Credentials {
    return new Credentials('basic', source, `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
  }

  static bearer(token: string, source: string): Credentials {
    return new Credentials('bearer', source, `Bearer ${token}`);
  }

  /** The Authorization header value, or undefined when anonymous. */
  header(): string | undefined {
    return this.#header;
  }

  toJSON(): object {
    return { scheme: this.scheme, source: this.source };
  }

  /** What a message may say about them: the scheme and where they came from, never the secret. */
  toString(): string {
    return `${this.scheme} credentials from ${this.source}`;
  }
}

export interface CredentialSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Names of the environment variables holding the user name and password. */
  usernameEnv: string;
  passwordEnv: string;
  /** A Docker `config.json` named by the user; when absent, `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` if it exists. */
  dockerConfig?: string;
  homeDir: string;
}

export interface FoundCredentials {
  credentials: Credentials;
  /** Why credentials that seem configured are not used (a credential helper, an identity token). */
  notes: string[];
}

/** Environment first, then the Docker config's `auths` entry for the registry's host. */
export async function findCredentials(registry: URL, sources: CredentialSources): Promise<FoundCredentials> {
  const username = sources.env[sources.usernameEnv];
  const password = sources.env[sources.passwordEnv];
  if (username !== undefined && username !== '' && password !== undefined) {
    return { credentials: Credentials.basic(username, password, `environment (${sources.usernameEnv}, ${sources.passwordEnv})`), notes: [] };
  }
  const notes: string[] = [];
  if ((username ?? '') !== '' || password !== undefined) notes.push(`${sources.usernameEnv} and ${sources.passwordEnv} must both be set; ignoring them`);
  const file = sources.dockerConfig ?? join(sources.env.DOCKER_CONFIG ?? join(sources.homeDir, '.docker'), 'config.json');
  const config = await readDockerConfig(file, sources.dockerConfig !== undefined);
  if (config === undefined) return { credentials: Credentials.anonymous(), notes };
  const found = fromDockerConfig(config, registry, file);
  return { credentials: found.credentials, notes: [...notes, ...found.notes] };
}

async function readDockerConfig(file: string, named: boolean): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (thrown) {
    if (!named && (thrown as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new AuditpackError('CONFIG_INVALID', `cannot read the Docker config (${describeThrown(thrown)})`, { file, cause: thrown });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // the message below says what is wrong, without echoing content that may hold secrets
  }
  throw new AuditpackError('CONFIG_INVALID', 'the Docker config is not a JSON object', { file });
}

function fromDockerConfig(config: Record<string, unknown>, registry: URL, file: string): FoundCredentials {
  const host = registryKey(registry.host);
  const auths = isRecord(config.auths) ? config.auths : {};
  const entry = Object.entries(auths).find(([key]) => registryKey(key) === host)?.[1];
  if (isRecord(entry)) {
    if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') return { credentials: Credentials.bearer(entry.registrytoken, file), notes: [] };
    const basic = basicFrom(entry);
    if (basic !== undefined) return { credentials: Credentials.basic(basic.username, basic.password, file), notes: [] };
    if (typeof entry.identitytoken === 'string')
      return {
        credentials: Credentials.anonymous(),
        notes: [`${file}: the entry for ${host} holds an OAuth identity token, which auditpack does not exchange; set a user name and password instead`],
      };
    throw new AuditpackError('CONFIG_INVALID', `the auths entry for ${host} has no usable "auth" (base64 user:password) or username and password`, { file });
  }
  const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
  const helper = Object.entries(helpers).find(([key]) => registryKey(key) === host)?.[1] ?? config.credsStore;
  const notes =
    typeof helper === 'string'
      ? [
          `${file}: credential helper "docker-credential-${helper}" is not run (auditpack reads only "auths"); set the user name and password in the environment instead`,
        ]
      : [];
  return { credentials: Credentials.anonymous(), notes };
}

function basicFrom(entry: Record<string, unknown>): { username: string; password: string } | undefined {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    return undefined;
  }
  if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string')
    return { username: entry.username, password: entry.password };
  return undefined;
}

/** `https://harbor.example/v2/`, `harbor.example` → `harbor.example`; Docker Hub's many names → `index.docker.io`. */
export function registryKey(nameOrUrl: string): string {
  const host =
    nameOrUrl
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? '';
  return ['docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host) ? 'index.docker.io' : host;
}
