import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { AuditpackError, describeThrown } from '../errors.js';
import type { ValidateFunction } from 'ajv';
import { formatSchemaErrors, schemaValidator } from '../util/ajv.js';
import { parseMaxAge } from './max-age.js';
import type { Config, ValidConfig } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Folder every relative path in the config is resolved against. */
  baseDir: string;
  path: string;
  /** The file's bytes, kept in the bundle so the run can be repeated from it. */
  bytes: Buffer;
  sha256: string;
}

let validateConfig: ValidateFunction<ValidConfig> | undefined;

/** Reads, parses and validates a configuration file; every problem names the file. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (thrown) {
    throw new AuditpackError('CONFIG_INVALID', `cannot read the configuration: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
  return parseConfig(bytes, path);
}

export function parseConfig(bytes: Buffer, path: string): LoadedConfig {
  let data: unknown;
  try {
    data = parse(bytes.toString('utf8'), { prettyErrors: true });
  } catch (thrown) {
    throw new AuditpackError('CONFIG_INVALID', `not valid YAML: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
  validateConfig ??= schemaValidator<ValidConfig>('config');
  if (!validateConfig(data)) {
    const problems = formatSchemaErrors(validateConfig.errors);
    throw new AuditpackError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, { file: path });
  }
  // YAML reads `period: 2026` as a number; the period is a label. (Ajv has filled in every default, `zone` included.)
  const config: Config = Object.assign(data, { period: String(data.period) });
  assertUniqueImageNames(config, path);
  assertTrustedRootWhenTimeRequired(config, path);
  assertMaxAge(config, path);
  assertRepositoryPatterns(config, path);
  return {
    config,
    baseDir: dirname(resolve(path)),
    path,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * A verified signing time comes from a transparency log or a timestamp
 * authority, named by the trusted root: requiring one without a root could
 * only fail every signature, so it is a configuration error.
 */
function assertTrustedRootWhenTimeRequired(config: Config, path: string): void {
  if (config.trust.trustedRoot !== undefined) return;
  if (config.trust.requireTransparencyLog) {
    throw new AuditpackError(
      'CONFIG_INVALID',
      'invalid configuration:\n  /trust: trustedRoot is required: signatures need a verified signing time from the transparency log or timestamp authority it names (set requireTransparencyLog: false to accept key-only signatures without one)',
      { file: path },
    );
  }
  const windowed = config.trust.keys.find((k) => k.validFrom !== undefined || k.validUntil !== undefined);
  if (windowed) {
    throw new AuditpackError(
      'CONFIG_INVALID',
      `invalid configuration:\n  /trust: key '${windowed.id}' has a validity window, which holds only against a verified signing time: trustedRoot is required`,
      { file: path },
    );
  }
}

/** The schema checks the duration's form; luxon must read it as a duration that is not zero. */
function assertMaxAge(config: Config, path: string): void {
  try {
    parseMaxAge(config.evidence.maxAge);
  } catch (thrown) {
    if (thrown instanceof AuditpackError) throw new AuditpackError(thrown.code, thrown.message, { file: path, cause: thrown });
    throw thrown;
  }
}

function assertUniqueImageNames(config: Config, path: string): void {
  const seen = new Set<string>();
  for (const image of config.images) {
    if (seen.has(image.name)) {
      throw new AuditpackError('CONFIG_INVALID', `invalid configuration:\n  /images: the name '${image.name}' is used twice`, { file: path });
    }
    seen.add(image.name);
  }
}

/**
 * Population repositories are matched as the report names them, host first
 * (`harbor.example/akko/cockpit`, `docker.io/library/nginx`): a pattern that
 * starts with a path (`akko/*`) could never match, so it is refused with the
 * form that would.
 */
function assertRepositoryPatterns(config: Config, path: string): void {
  for (const key of ['repositories', 'excludeRepositories'] as const) {
    for (const pattern of config.population?.[key] ?? []) {
      const [first = '', ...rest] = pattern.split('/');
      const hosted = first.includes('.') || first.includes(':') || first === 'localhost' || /[*?]/.test(first);
      if ((rest.length > 0 && hosted) || pattern === '**') continue;
      throw new AuditpackError(
        'CONFIG_INVALID',
        `invalid configuration:\n  /population/${key}: '${pattern}' names no registry host: repositories are matched host first, as the report names them (harbor.example.com/${pattern}, **/${pattern} for any host, docker.io/library/nginx for nginx)`,
        { file: path },
      );
    }
  }
}
