import { homedir } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { AuditpackError } from '../errors.js';
import type { CollectProblem } from '../collect/remote/errors.js';
import type { HttpSettings } from '../collect/remote/http.js';
import { PROGRESS_OPTION, QUIET_OPTION, progressIo, type CliIo, type ProgressMode } from './io.js';
import { registryOptions, registryCommand, type RegistryArgs } from './collect-registry-command.js';
import { woodpeckerOptions, woodpeckerCommand, type WoodpeckerArgs } from './collect-woodpecker-command.js';

export interface CollectArgs {
  out: string;
  timeout: number;
  retries: number;
  concurrency: number;
  format: 'text' | 'json';
  quiet: boolean;
  progress: ProgressMode;
}

/** How the collect commands reach the process: environment, home folder and clock come from the CLI boundary. */
export interface CollectContext {
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  now: () => Date;
}

const EPILOG = `Collect online, report offline: run collect where the registry and CI server are reachable, carry the output folder (it holds only evidence, never credentials) to where auditpack report runs, and point the configuration at it.

Exit codes:
  0  everything asked for was collected (an image without signatures is collected as such; the report shows the gap)
  1  the collection ran but something could not be collected (server unreachable or failing, timeout, too large, digest mismatch, missing tag or log); each is named on stderr and in collection.json, and what was collected is kept
  2  bad arguments or output folder, or credentials missing or refused: fix the invocation (what was collected before is kept)
  3  internal error (a bug; please report it)
130 stopped by SIGINT or SIGTERM`;

/** `auditpack collect registry|woodpecker`: registered by main.ts; reports its exit code through `done`. */
export function collectCommand(io: CliIo, now: () => Date, done: (code: number) => void): CommandModule {
  const context: CollectContext = { io, env: process.env, homeDir: homedir(), now };
  return {
    command: 'collect',
    describe: 'Collect evidence from a registry or a Woodpecker CI server into a folder that `report` reads offline',
    builder: (y: Argv) =>
      y
        .command<RegistryArgs>(
          'registry',
          "Resolve tags to digests and fetch images' cosign signatures, attestations and OCI 1.1 referrers",
          (b) => registryOptions(commonOptions(b)),
          async (args) => done(await registryCommand(args, commandContext(context, args))),
        )
        .command<WoodpeckerArgs>(
          'woodpecker',
          "Fetch a repository's pipelines of a period, their workflows, steps and step logs (secrets redacted)",
          (b) => woodpeckerOptions(commonOptions(b)),
          async (args) => done(await woodpeckerCommand(args, commandContext(context, args))),
        )
        .demandCommand(1, 'Name what to collect from: registry or woodpecker (see auditpack collect --help)')
        .epilog(EPILOG),
    handler: () => {},
  };
}

function commonOptions(y: Argv): Argv<CollectArgs> {
  return y
    .option('out', {
      alias: 'o',
      type: 'string',
      demandOption: true,
      describe: 'Folder to write: new, empty, or an earlier collection of the same kind (updated; nothing collected before is lost to a failed run)',
    })
    .option('timeout', { type: 'number', default: 30, describe: 'Seconds without an answer, or without further bytes of one, before a request is abandoned' })
    .option('retries', {
      type: 'number',
      default: 3,
      describe: 'Further attempts after a network error, timeout, 429 or 5xx, with exponential backoff (0.5 s, 1 s, 2 s, …; Retry-After honoured up to 30 s)',
    })
    .option('concurrency', { type: 'number', default: 4, describe: 'Requests in flight at once' })
    .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'How to print the summary on stdout' })
    .option('quiet', QUIET_OPTION)
    .option('progress', PROGRESS_OPTION)
    .epilog(EPILOG) as unknown as Argv<CollectArgs>;
}

/**
 * `--quiet` drops the progress line (unless `--progress plain` asks for
 * lines); the commands leave out their text summary and notes themselves (the
 * JSON summary is still printed).
 */
function commandContext(context: CollectContext, args: CollectArgs): CollectContext {
  return { ...context, io: progressIo(context.io, args.quiet && args.progress === 'auto' ? 'none' : args.progress) };
}

export function httpSettings(args: CollectArgs): HttpSettings {
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new AuditpackError('CONFIG_INVALID', `--${name} must be a whole number ≥ ${min}, not ${value}`);
    return value;
  };
  if (!(args.timeout > 0)) throw new AuditpackError('CONFIG_INVALID', `--timeout must be a number of seconds > 0, not ${args.timeout}`);
  return {
    timeoutMs: Math.round(args.timeout * 1000),
    retries: whole('retries', args.retries, 0),
    retryDelayMs: 500,
    concurrency: whole('concurrency', args.concurrency, 1),
  };
}

/** `--registry`/`--server`: an http(s) base URL without credentials; a bare host means https. */
export function serverUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    throw new AuditpackError('CONFIG_INVALID', `--${option} ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AuditpackError('CONFIG_INVALID', `--${option} must be an http(s) URL, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '')
    throw new AuditpackError('CONFIG_INVALID', `--${option} must not carry credentials: put them in the environment (see --help)`);
  return url;
}

/** Sizes like `4MiB`, `512KiB`, `1GiB` or a number of bytes. */
export function parseSize(option: string, value: string | number): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(String(value).trim());
  const units: Record<string, number> = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };
  const bytes = match ? Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1)) : NaN;
  if (!(bytes > 0)) throw new AuditpackError('CONFIG_INVALID', `--${option} ${JSON.stringify(value)} is not a size (bytes, or with KiB, MiB, GiB)`);
  return bytes;
}

/** When the run happened, progress on stderr, and each problem printed as it happens (clearing the progress line first). */
export function runReporting(context: CollectContext): { collectedAt: string; progress: (m: string) => void; problem: (p: CollectProblem) => void } {
  return {
    collectedAt: context.now().toISOString(),
    progress: context.io.progress,
    problem: (p) => {
      context.io.progress('');
      context.io.err(problemLine(p));
    },
  };
}

export function problemLine(p: CollectProblem): string {
  return `auditpack: ${p.where}: ${p.reason} [${p.code}]`;
}
