import type { Argv } from 'yargs';
import { AuditpackError } from '../errors.js';
import { DEFAULT_LIMITS } from '../collect/registry/client.js';
import { collectRegistry, type RegistryCollection } from '../collect/registry/collect-registry.js';
import { findCredentials } from '../collect/registry/credentials.js';
import { LISTING_FILE } from '../collect/registry/listing.js';
import { REPOSITORY_NAME, TAG } from '../collect/registry/media-types.js';
import { collectExitCode } from './exit-codes.js';
import { httpSettings, parseSize, runReporting, serverUrl, type CollectArgs, type CollectContext } from './collect-command.js';

export interface RegistryArgs extends CollectArgs {
  registry: string;
  repository: string[];
  tag: string;
  'docker-config'?: string;
  'username-env': string;
  'password-env': string;
  'max-manifest-size': string;
  'max-blob-size': string;
}

export function registryOptions(y: Argv<CollectArgs>): Argv<RegistryArgs> {
  return y
    .option('registry', { type: 'string', demandOption: true, describe: 'Registry base URL, e.g. https://harbor.example.com (a bare host means https)' })
    .option('repository', {
      type: 'array',
      string: true,
      demandOption: true,
      describe: "Repository name or pattern, repeatable: akko/cockpit, 'akko/*' (* within a path component, ** across; patterns read /v2/_catalog)",
    })
    .option('tag', { type: 'string', demandOption: true, describe: 'The tag to resolve to a digest in each repository, e.g. 2026.04' })
    .option('docker-config', {
      type: 'string',
      describe:
        'Docker config.json whose "auths" entry for the registry gives the credentials (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json, if present)',
    })
    .option('username-env', {
      type: 'string',
      default: 'AUDITPACK_REGISTRY_USERNAME',
      describe: 'Environment variable holding the registry user name (with --password-env; takes precedence over config.json)',
    })
    .option('password-env', {
      type: 'string',
      default: 'AUDITPACK_REGISTRY_PASSWORD',
      describe: 'Environment variable holding the registry password or robot token',
    })
    .option('max-manifest-size', { type: 'string', default: '4MiB', describe: 'Largest manifest or index read (bytes, or with KiB, MiB, GiB)' })
    .option('max-blob-size', {
      type: 'string',
      default: '64MiB',
      describe: 'Largest signature, attestation, bundle or SBOM blob read',
    }) as unknown as Argv<RegistryArgs>;
}

export async function registryCommand(args: RegistryArgs, context: CollectContext): Promise<number> {
  const registry = serverUrl('registry', args.registry);
  if (registry.pathname !== '/')
    throw new AuditpackError('CONFIG_INVALID', `--registry ${args.registry}: the registry API is at the root of its host (/v2/); give the URL without a path`);
  if (!TAG.test(args.tag)) throw new AuditpackError('CONFIG_INVALID', `--tag ${JSON.stringify(args.tag)} is not a valid tag`);
  for (const r of args.repository) {
    if (!/^[a-z0-9._/*?-]+$/.test(r) || (!/[*?]/.test(r) && !REPOSITORY_NAME.test(r)))
      throw new AuditpackError(
        'CONFIG_INVALID',
        `--repository ${JSON.stringify(r)} is neither a repository name (lower case, e.g. akko/cockpit) nor a pattern (akko/*)`,
      );
  }
  const limits = {
    maxManifestBytes: parseSize('max-manifest-size', args['max-manifest-size'] ?? DEFAULT_LIMITS.maxManifestBytes),
    maxBlobBytes: parseSize('max-blob-size', args['max-blob-size'] ?? DEFAULT_LIMITS.maxBlobBytes),
  };
  const http = httpSettings(args);
  const found = await findCredentials(registry, {
    env: context.env,
    usernameEnv: args['username-env'],
    passwordEnv: args['password-env'],
    homeDir: context.homeDir,
    ...(args['docker-config'] === undefined ? {} : { dockerConfig: args['docker-config'] }),
  });
  if (!args.quiet) for (const note of found.notes) context.io.err(`auditpack: ${note}`);
  const result = await collectRegistry({
    registry,
    repositories: args.repository,
    tag: args.tag,
    outDir: args.out,
    credentials: found.credentials,
    http,
    limits,
    ...runReporting(context),
  });
  context.io.progress('');
  if (args.format === 'json')
    context.io.out(
      JSON.stringify({ command: 'collect registry', out: result.outDir, stopped: result.stopped, images: result.images, problems: result.problems }),
    );
  else if (!args.quiet) printSummary(result, registry, args, context);
  return collectExitCode(result.problems, result.stopped);
}

function printSummary(result: RegistryCollection, registry: URL, args: RegistryArgs, context: CollectContext): void {
  const out = (line: string) => context.io.out(line);
  const collected = result.images.filter((i) => i.status === 'complete' || i.status === 'partial');
  out(`auditpack collect registry: ${collected.length} images from ${registry.host} (tag ${args.tag}) into ${result.outDir}`);
  const width = Math.max(0, ...result.images.map((i) => i.name.length));
  for (const image of result.images) {
    const count = (a: { layers: unknown[] } | null | undefined, what: string) =>
      a ? `${a.layers.length} ${what}${a.layers.length === 1 ? '' : 's'}` : `no ${what}s`;
    const what =
      image.status === 'skipped' || image.status === 'kept-from-earlier-collection'
        ? image.status === 'skipped'
          ? `skipped: ${image.reason ?? ''}`
          : 'NOT collected this time; the earlier collection is kept'
        : `${image.digest ?? ''}  ${count(image.signatures, 'signature')}, ${count(image.attestations, 'attestation')}, ${count(image.referrers ? { layers: image.referrers.manifests } : null, 'referrer')}${image.status === 'partial' ? '  PARTIAL' : ''}`;
    out(`  ${image.name.padEnd(width)}  ${what}`);
  }
  out(`  images and digests: ${result.outDir}/images.yaml; what was collected: ${result.outDir}/collection.json`);
  out(`  what the registry publishes (for population.registry): ${result.outDir}/${LISTING_FILE}`);
  out(
    result.problems.length === 0
      ? 'problems: 0'
      : `problems: ${result.problems.length} (listed above and in collection.json)${result.stopped ? '; stopped early: credentials' : ''}`,
  );
}
