import { Settings } from 'luxon';
import yargs, { type Argv } from 'yargs';
import { AuditpackError, describeThrown } from '../errors.js';
import { GENERATOR } from '../util/generator.js';
import { collectCommand } from './collect-command.js';
import { DIFF_DESCRIPTION, diffCommand, diffOptions, type DiffArgs } from './diff-command.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { frameworksCommand } from './frameworks-command.js';
import type { CliIo } from './io.js';
import { keygenCommand, keygenOptions, type KeygenArgs } from './keygen-command.js';
import { reportCommand, reportOptions, type ReportArgs } from './report-command.js';
import { sbomCommand } from './sbom-command.js';
import { verifyBundleCommand, verifyBundleOptions, type VerifyBundleArgs } from './verify-bundle-command.js';
import { verifyCommand, verifyOptions, type VerifyArgs } from './verify-command.js';

const EPILOG = `Exit codes (each command's --help says what they mean for it):
  0  success: checks passed / the bundle is intact / the signature or SBOM is valid
  1  the command ran and found a problem (failed checks, missing evidence, a changed file, an invalid signature or SBOM)
  2  bad arguments, configuration, trust material or output folder (nothing was checked or written)
  3  internal error (a bug; please report it), or out of memory (the message says so, with how to raise the limit)
  4  verify: the bundle is consistent but NOT verified: no --key, --key-fingerprint or keyless identity was given
130 stopped by SIGINT or SIGTERM (a report first removes what it had written; a second signal stops it at once)
Verification is offline: report and verify never use the network; only \`collect\` does (evidence, never trust material).`;

/** Parses argv, runs one command and returns its exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  Settings.throwOnInvalid = true;
  Settings.defaultZone = 'utc';
  let exitCode: number = EXIT.OK;
  try {
    await commandLine(argv, io, now, (code) => {
      exitCode = code;
    }).parseAsync();
  } catch (thrown) {
    exitCode = exitCodeForError(thrown);
    io.err(formatError(thrown));
  }
  return exitCode;
}

/** Thrown after validation to stop before any command runs. */
class ArgumentsChecked extends Error {
  constructor(readonly args: Record<string, unknown>) {
    super('arguments checked');
  }
}

/**
 * Parses a command line with the CLI's own parser and validation (strict:
 * unknown options, missing and conflicting ones, bad choices) and stops
 * before the command runs: how the scheduling recipes in docs/ are checked
 * to run only real options.
 */
export async function checkArguments(argv: string[]): Promise<{ ok: true; args: Record<string, unknown> } | { ok: false; reason: string }> {
  const silent: CliIo = { out: () => {}, err: () => {}, progress: () => {} };
  try {
    await commandLine(
      argv,
      silent,
      () => new Date(),
      () => {},
    )
      .middleware((args) => {
        throw new ArgumentsChecked(args);
      }, false)
      .parseAsync();
  } catch (thrown) {
    if (thrown instanceof ArgumentsChecked) return { ok: true, args: thrown.args };
    return { ok: false, reason: thrown instanceof Error ? thrown.message : String(thrown) };
  }
  return { ok: false, reason: 'no command ran (--help or --version)' };
}

function commandLine(argv: string[], io: CliIo, now: () => Date, done: (code: number) => void): Argv {
  return yargs(argv)
    .scriptName('auditpack')
    .usage('$0 <command> [options]\n\nVerify container-image supply-chain evidence offline and write a clause-mapped, sealed audit pack.')
    .command<ReportArgs>(
      'report',
      'Collect, verify and map evidence; write report.{json,html,pdf,oscal.json} and seal the bundle',
      reportOptions,
      async (args) => done(await reportCommand(args, io, now, process.env)),
    )
    .command<VerifyArgs>('verify <bundle>', "Check a bundle's seal and every file in it, offline", verifyOptions, async (args) =>
      done(await verifyCommand(args, io)),
    )
    .command<KeygenArgs>('keygen', 'Make a key pair to seal bundles with (Ed25519 by default; PEM or cosign.key)', keygenOptions, async (args) =>
      done(await keygenCommand(args, io, process.env, now)),
    )
    .command<VerifyBundleArgs>(
      'verify-bundle <fileOrDigest>',
      'Verify one Sigstore bundle offline against a trusted root (sigstore-conformance protocol)',
      verifyBundleOptions,
      async (args) => done(await verifyBundleCommand(args, io)),
    )
    .command<DiffArgs>('diff <old> <new>', DIFF_DESCRIPTION, diffOptions, async (args) => done(await diffCommand(args, io)))
    .command(sbomCommand(io, done))
    .command(frameworksCommand(io, done))
    .command(collectCommand(io, now, done))
    .demandCommand(1, 'Name a command (see --help)')
    .strict()
    .epilog(EPILOG)
    .help()
    .alias('h', 'help')
    .version(GENERATOR.version)
    .wrap(Math.min(110, io.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new AuditpackError('CONFIG_INVALID', message);
    });
}

function formatError(thrown: unknown): string {
  if (thrown instanceof AuditpackError) {
    const where = thrown.file === undefined ? '' : `${thrown.file}: `;
    return `auditpack: ${where}${thrown.message} [${thrown.code}]`;
  }
  return `auditpack: internal error: ${describeThrown(thrown)}\n${thrown instanceof Error ? (thrown.stack ?? '') : ''}`;
}
