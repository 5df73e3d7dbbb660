import { Settings } from 'luxon';
import yargs from 'yargs';
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
  3  internal error (a bug; please report it)
  4  verify: the bundle is consistent but NOT verified: no --key, --key-fingerprint or keyless identity was given
Verification is offline: report and verify never use the network; only \`collect\` does (evidence, never trust material).`;

/** Parses argv, runs one command and returns its exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  Settings.throwOnInvalid = true;
  Settings.defaultZone = 'utc';
  let exitCode: number = EXIT.OK;
  try {
    await yargs(argv)
      .scriptName('auditpack')
      .usage('$0 <command> [options]\n\nVerify container-image supply-chain evidence offline and write a clause-mapped, sealed audit pack.')
      .command<ReportArgs>(
        'report',
        'Collect, verify and map evidence; write report.{json,html,pdf,oscal.json} and seal the bundle',
        reportOptions,
        async (args) => {
          exitCode = await reportCommand(args, io, now, process.env);
        },
      )
      .command<VerifyArgs>('verify <bundle>', "Check a bundle's seal and every file in it, offline", verifyOptions, async (args) => {
        exitCode = await verifyCommand(args, io);
      })
      .command<KeygenArgs>('keygen', 'Make a key pair to seal bundles with (Ed25519 by default; PEM or cosign.key)', keygenOptions, async (args) => {
        exitCode = await keygenCommand(args, io, process.env, now);
      })
      .command<VerifyBundleArgs>(
        'verify-bundle <fileOrDigest>',
        'Verify one Sigstore bundle offline against a trusted root (sigstore-conformance protocol)',
        verifyBundleOptions,
        async (args) => {
          exitCode = await verifyBundleCommand(args, io);
        },
      )
      .command<DiffArgs>('diff <old> <new>', DIFF_DESCRIPTION, diffOptions, async (args) => {
        exitCode = await diffCommand(args, io);
      })
      .command(
        sbomCommand(io, (code) => {
          exitCode = code;
        }),
      )
      .command(
        frameworksCommand(io, (code) => {
          exitCode = code;
        }),
      )
      .command(
        collectCommand(io, now, (code) => {
          exitCode = code;
        }),
      )
      .demandCommand(1, 'Name a command (see --help)')
      .strict()
      .epilog(EPILOG)
      .help()
      .alias('h', 'help')
      .version(GENERATOR.version)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new AuditpackError('CONFIG_INVALID', message);
      })
      .parseAsync();
  } catch (thrown) {
    exitCode = exitCodeForError(thrown);
    io.err(formatError(thrown));
  }
  return exitCode;
}

function formatError(thrown: unknown): string {
  if (thrown instanceof AuditpackError) {
    const where = thrown.file === undefined ? '' : `${thrown.file}: `;
    return `auditpack: ${where}${thrown.message} [${thrown.code}]`;
  }
  return `auditpack: internal error: ${describeThrown(thrown)}\n${thrown instanceof Error ? (thrown.stack ?? '') : ''}`;
}
