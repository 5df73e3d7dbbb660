import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { parsePeriod } from '../config/period.js';
import { AuditpackError } from '../errors.js';
import { collectWoodpeckerApi, REDACTIONS_FILE, type WoodpeckerCollection } from '../collect/woodpecker-api/collect-woodpecker.js';
import { collectExitCode } from './exit-codes.js';
import { httpSettings, parseSize, runReporting, serverUrl, type CollectArgs, type CollectContext } from './collect-command.js';

export interface WoodpeckerArgs extends CollectArgs {
  server: string;
  repo: string;
  period: string;
  zone: string;
  'token-env': string;
  'redact-var': string[];
  'keep-originals'?: string;
  'max-size': string;
}

export function woodpeckerOptions(y: Argv<CollectArgs>): Argv<WoodpeckerArgs> {
  return y
    .option('server', { type: 'string', demandOption: true, describe: 'Woodpecker server URL, e.g. https://ci.example.com (the API is under /api)' })
    .option('repo', { type: 'string', demandOption: true, describe: 'Repository OWNER/NAME (one per run; collect each repository into its own folder)' })
    .option('period', {
      type: 'string',
      demandOption: true,
      describe:
        'Reporting period: 2026-Q2, 2026-H1, 2026, 2026-04-01..2026-06-30, or previous / current (quarter; -half, -year) relative to now: pipelines created before its end that ran or finished within it',
    })
    .option('zone', { type: 'string', default: 'UTC', describe: "IANA time zone the quarter is measured in (as the config's zone)" })
    .option('token-env', {
      type: 'string',
      default: 'WOODPECKER_TOKEN',
      describe: 'Environment variable holding the personal access token (never given on the command line)',
    })
    .option('redact-var', {
      type: 'array',
      string: true,
      default: [],
      describe: 'Variable name whose assigned values are secrets, repeatable (besides the built-in token, password and private-key patterns)',
    })
    .option('keep-originals', {
      type: 'string',
      describe: 'Folder outside --out for the unredacted originals of redacted files (stays on the connected side; their SHA-256 is in redactions.json)',
    })
    .option('max-size', {
      type: 'string',
      default: '64MiB',
      describe: 'Largest API answer read (a step log is one answer)',
    }) as unknown as Argv<WoodpeckerArgs>;
}

export async function woodpeckerCommand(args: WoodpeckerArgs, context: CollectContext): Promise<number> {
  const server = serverUrl('server', args.server);
  if (!/^[^/\s]+\/[^/\s]+$/.test(args.repo)) throw new AuditpackError('CONFIG_INVALID', `--repo ${JSON.stringify(args.repo)} is not OWNER/NAME`);
  // previous/current are resolved against the run's clock, as `report` does, so a scheduled collection can name them.
  const period = parsePeriod(args.period, args.zone, context.now().toISOString());
  const variables = args['redact-var'];
  for (const name of variables)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new AuditpackError('CONFIG_INVALID', `--redact-var ${JSON.stringify(name)} is not a variable name`);
  const keep = args['keep-originals'];
  if (keep !== undefined && !relative(resolve(args.out), resolve(keep)).startsWith('..')) {
    throw new AuditpackError('CONFIG_INVALID', '--keep-originals must be outside --out: the originals may hold the secrets the output folder must not carry');
  }
  const token = context.env[args['token-env']];
  if (token === undefined || token === '')
    throw new AuditpackError(
      'CONFIG_INVALID',
      `no Woodpecker token: set the environment variable ${args['token-env']} (a personal access token from the user settings)`,
    );
  const result = await collectWoodpeckerApi({
    server,
    repo: args.repo,
    period,
    outDir: args.out,
    token,
    http: httpSettings(args),
    maxBytes: parseSize('max-size', args['max-size']),
    redaction: { variables },
    ...(keep === undefined ? {} : { keepOriginals: keep }),
    ...runReporting(context),
  });
  context.io.progress('');
  if (args.format === 'json')
    context.io.out(
      JSON.stringify({
        command: 'collect woodpecker',
        out: result.outDir,
        stopped: result.stopped,
        repository: result.repository,
        pipelines: result.pipelines,
        redactions: result.redactions,
        problems: result.problems,
      }),
    );
  else if (!args.quiet) printSummary(result, period.label, args, context);
  return collectExitCode(result.problems, result.stopped);
}

function printSummary(result: WoodpeckerCollection, periodLabel: string, args: WoodpeckerArgs, context: CollectContext): void {
  const out = (line: string) => context.io.out(line);
  const logs = result.pipelines.reduce((n, p) => n + p.logs, 0);
  out(
    `auditpack collect woodpecker: ${result.pipelines.length} pipelines of ${args.repo} in ${periodLabel} (${logs} step logs) from ${new URL(args.server.includes('://') ? args.server : `https://${args.server}`).host} into ${result.outDir}`,
  );
  for (const p of result.pipelines.filter((x) => x.collected === 'partial'))
    out(`  #${p.number}  PARTIAL: ${p.problems.length} ${p.problems.length === 1 ? 'problem' : 'problems'} (above)`);
  const redactedLines = result.redactions.reduce((n, r) => n + r.redactions.length, 0);
  out(
    result.redactions.length === 0
      ? '  redactions: none needed'
      : `  redactions: ${redactedLines} places in ${result.redactions.length} files; original digests in ${result.outDir}/${REDACTIONS_FILE}`,
  );
  out(
    result.problems.length === 0
      ? 'problems: 0'
      : `problems: ${result.problems.length} (listed above and in collection.json)${result.stopped ? '; stopped early' : ''}`,
  );
}
