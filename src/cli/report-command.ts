import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { writeFileAtomically } from '../bundle/output.js';
import { DEFAULT_OUT, bundlePathFor, hasPlaceholders } from '../bundle/period-name.js';
import { isInside } from '../collect/read-file.js';
import { parseClock, parsePeriod, rangeLabel } from '../config/period.js';
import type { LoadedConfig } from '../config/load.js';
import { AuditpackError, describeThrown } from '../errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/formats.js';
import { LOCALES, type Locale } from '../report/i18n.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { PROGRESS_OPTION, QUIET_OPTION, progressIo, quietIo, type CliIo, type ProgressMode } from './io.js';
import { processLockOwner } from './lock-owner.js';
import { errorSummary, reportSummary } from './report-summary.js';

/** The environment variable holding the passphrase of the PDF signing PKCS#12 file or encrypted PEM key. */
export const PDF_PASSPHRASE_ENV = 'AUDITPACK_PDF_PASSPHRASE';

export interface ReportArgs {
  config: string;
  out?: string;
  period?: string;
  from?: string;
  to?: string;
  clock?: string;
  output?: OutputFormat[];
  'seal-key'?: string;
  previous?: string;
  'previous-key'?: string;
  archive: boolean;
  workers?: number;
  format: 'text' | 'json';
  quiet: boolean;
  progress: ProgressMode;
  summary?: string;
  locale?: Locale;
}

export function reportOptions(y: Argv): Argv<ReportArgs> {
  return y
    .option('config', { alias: 'c', type: 'string', demandOption: true, describe: 'auditpack.yaml: organisation, period, images, trust, evidence, frameworks' })
    .option('out', {
      alias: 'o',
      type: 'string',
      describe: `Bundle folder to write (default: ${DEFAULT_OUT}, {organisation} slugged from the config, {period} the concrete label, e.g. 2026-Q2; both placeholders work in any --out). Only an auditpack bundle of the same period is replaced (atomically); a sealed bundle of another period (OUTPUT_OTHER_PERIOD) and anything else are refused and left untouched`,
    })
    .option('period', {
      type: 'string',
      describe:
        'Reporting period, overrides the config: 2026-Q2, 2026-H1, 2026, 2026-04-01..2026-06-30, or previous / current (quarter; -half, -year) relative to --clock',
    })
    .option('from', { type: 'string', describe: "First day of the period (YYYY-MM-DD, in the config's zone); with --to, instead of --period" })
    .option('to', { type: 'string', describe: 'Last day of the period, included (YYYY-MM-DD); with --from' })
    .conflicts('period', ['from', 'to'])
    .implies('from', 'to')
    .implies('to', 'from')
    .option('clock', { type: 'string', describe: "The run's clock as an ISO 8601 instant (default: now). Same inputs + same clock = same bytes" })
    .option('output', {
      type: 'array',
      string: true,
      choices: [...OUTPUT_FORMATS],
      describe: "Report formats to write (default: the config's outputs); oscal writes report.oscal.json (OSCAL 1.0.6 assessment results)",
    })
    .option('seal-key', {
      type: 'string',
      describe: "Private key that seals the bundle (PEM or cosign.key), relative to the working directory; overrides the config's seal.key",
    })
    .option('archive', {
      type: 'boolean',
      default: false,
      describe: 'Also write OUT.tar.gz, a deterministic archive of the bundle (auditpack verify reads it directly)',
    })
    .option('workers', {
      type: 'number',
      describe:
        'Worker threads verifying images (0: none, all in the main thread). Default: one per core from 48 images on. The bundle is the same bytes either way',
    })
    .check((a) => {
      const workers = (a as { workers?: unknown }).workers;
      if (workers !== undefined && !(Number.isInteger(workers) && (workers as number) >= 0 && (workers as number) <= 64)) {
        throw new Error('--workers must be a whole number from 0 to 64');
      }
      return true;
    })
    .option('previous', { type: 'string', describe: "The previous period's bundle: the report gains its changes since then (needs --previous-key)" })
    .option('previous-key', { type: 'string', describe: "PEM public key the previous bundle's seal must verify with; a bundle that does not is refused" })
    .implies('previous', 'previous-key')
    .implies('previous-key', 'previous')
    .option('locale', {
      type: 'string',
      choices: [...LOCALES],
      describe: "Language of the PDF, the HTML and this summary (default: the config's locale, else en)",
    })
    .option('format', {
      type: 'string',
      choices: ['text', 'json'],
      default: 'text',
      describe: 'How to print the summary on stdout (json: one object, see schema/report-summary.schema.json)',
    })
    .option('summary', {
      type: 'string',
      describe:
        'Also write the JSON summary to this file (replaced atomically, outside the bundle), whatever --format says; a run that stops with exit 2, 3 or 130 writes {"verdict": "error", …} there instead, so a monitor never reads an earlier run',
    })
    .option('quiet', QUIET_OPTION)
    .option('progress', PROGRESS_OPTION) as unknown as Argv<ReportArgs>;
}

export async function reportCommand(args: ReportArgs, io: CliIo, now: () => Date, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const clock = parseClock(args.clock ?? now().toISOString()).toISO();
  let summaryFile = args.summary;
  try {
    const period = args.from !== undefined && args.to !== undefined ? rangeLabel(args.from, args.to) : args.period;
    const { outDir, loadedConfig } = await outputFolder(args.out ?? DEFAULT_OUT, args.config, period, clock);
    if (summaryFile !== undefined && isInside(resolve(summaryFile), outDir)) {
      summaryFile = undefined; // not even the error summary goes there
      throw new AuditpackError(
        'CONFIG_INVALID',
        `--summary ${args.summary} is inside the bundle folder ${outDir}: a file there would break its seal; write it beside`,
      );
    }
    return await report(args, io, { outDir, clock, env, ...(period === undefined ? {} : { period }), ...(loadedConfig === undefined ? {} : { loadedConfig }) });
  } catch (thrown) {
    // A summary file that could not be written is not written again as an error summary: the same write would fail.
    if (summaryFile !== undefined && !(thrown instanceof SummaryUnwritable)) {
      const file = summaryFile;
      // The run's own error matters more than the summary's: a summary that cannot be written is said, not thrown.
      await writeSummary(file, errorSummary(thrown, exitCodeForError(thrown), clock)).catch((failed: unknown) =>
        io.err(`auditpack: ${file}: ${failed instanceof Error ? failed.message : String(failed)}`),
      );
    }
    throw thrown;
  }
}

interface RunSetting {
  outDir: string;
  /** The configuration as read to name the bundle folder, when `--out` has placeholders. */
  loadedConfig?: LoadedConfig;
  clock: string;
  env: Readonly<Record<string, string | undefined>>;
  period?: string;
}

async function report(args: ReportArgs, io: CliIo, { outDir, clock, env, period, loadedConfig }: RunSetting): Promise<number> {
  const text = progressIo(quietIo(io, args.quiet), args.progress);
  // Loaded when the command runs (most of auditpack): `--help` and the other commands do not wait for them.
  const [{ runReport }, { reportText }] = await Promise.all([import('../run-report.js'), import('./report-text.js')]);
  const run = await runReport({
    configPath: args.config,
    ...(loadedConfig === undefined ? {} : { loadedConfig }),
    outDir,
    clock,
    ...(period === undefined ? {} : { period }),
    ...(args.output === undefined ? {} : { outputs: args.output }),
    ...(args['seal-key'] === undefined ? {} : { sealKey: resolve(args['seal-key']) }),
    archive: args.archive,
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    env,
    lockOwner: processLockOwner(),
    ...(env[PDF_PASSPHRASE_ENV] === undefined ? {} : { pdfPassphrase: env[PDF_PASSPHRASE_ENV] }),
    ...(args.previous === undefined || args['previous-key'] === undefined ? {} : { previous: { dir: args.previous, key: args['previous-key'] } }),
    ...(args.locale === undefined ? {} : { locale: args.locale }),
    progress: text.progress,
    ...(io.interruption === undefined ? {} : { signal: io.interruption() }),
  });
  text.progress('');
  for (const p of run.outcome.problems) io.err(`auditpack: ${p.file}: ${p.reason} [${p.code}]`);
  if (!run.sealed) {
    io.err('auditpack: the bundle is NOT sealed: no seal key in the config or --seal-key (make one with `auditpack keygen`); `auditpack verify` will fail,');
    io.err('  and a later run will not replace this folder, since only a sealed auditpack bundle is replaced');
  }
  const exitCode = run.outcome.summary.verdict === 'pass' && run.sealed ? EXIT.OK : EXIT.FINDINGS;
  const summary = reportSummary(run, exitCode);
  // Printed first: a summary file that cannot be written must not hide what the run found.
  if (args.format === 'json') io.out(JSON.stringify(summary));
  else for (const line of reportText(run)) text.out(line);
  if (args.summary !== undefined) await writeSummary(args.summary, summary, outDir);
  return exitCode;
}

/**
 * `--out` as an absolute path, with `{organisation}` and `{period}` filled in
 * from the config and the period (which takes reading the config first: the
 * run is then given what was read, not the file to read again, so that a
 * config changed meanwhile cannot report one period in a folder named for
 * another). Absolute, so that the bundle named in the summary is found
 * wherever a monitor reads it from.
 */
async function outputFolder(
  pattern: string,
  configPath: string,
  period: string | undefined,
  clock: string,
): Promise<{ outDir: string; loadedConfig?: LoadedConfig }> {
  if (!hasPlaceholders(pattern)) return { outDir: resolve(pattern) };
  const { loadConfig } = await import('../config/load.js');
  const loadedConfig = await loadConfig(configPath);
  const { config } = loadedConfig;
  return { outDir: resolve(bundlePathFor(pattern, config.organisation, parsePeriod(period ?? config.period, config.zone, clock).label)), loadedConfig };
}

/** The summary file of a run that wrote its bundle could not be written: exit 2, said once, the bundle named. */
class SummaryUnwritable extends AuditpackError {}

/** `bundle`: the folder of the bundle already written, named when the summary of a completed run fails. */
async function writeSummary(path: string, summary: object, bundle?: string): Promise<void> {
  try {
    await writeFileAtomically(path, Buffer.from(`${JSON.stringify(summary)}\n`, 'utf8'));
  } catch (thrown) {
    const written = bundle === undefined ? '' : ` (the bundle is written: ${bundle})`;
    throw new SummaryUnwritable('OUTPUT_INVALID', `cannot write the summary${written}: ${describeThrown(thrown)}`, {
      file: path,
      cause: thrown,
    });
  }
}
