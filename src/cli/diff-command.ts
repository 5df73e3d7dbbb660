import type { Argv } from 'yargs';
import { AuditpackError } from '../errors.js';
import type { ComparedBundle } from '../history/bundle.js';
import type { ReportDiff } from '../history/diff-model.js';
import { EXIT } from './exit-codes.js';
import { QUIET_OPTION, type CliIo } from './io.js';

export interface DiffArgs {
  old: string;
  new: string;
  key?: string | string[];
  unverified?: boolean;
  format: 'text' | 'json' | 'html';
  'fail-on': 'regression' | 'change' | 'never';
  quiet: boolean;
}

export const DIFF_DESCRIPTION = "Compare two bundles (e.g. last quarter's and this quarter's): images, findings, controls, components, waivers, catalogs";

export function diffOptions(y: Argv): Argv<DiffArgs> {
  return y
    .positional('old', { type: 'string', demandOption: true, describe: 'The earlier bundle (folder or .tar.gz archive)' })
    .positional('new', { type: 'string', demandOption: true, describe: 'The later bundle (folder or .tar.gz archive)' })
    .option('key', { type: 'string', describe: 'PEM public key both seals must verify with (repeat for a rotated key: each bundle must verify with one)' })
    .option('unverified', { type: 'boolean', describe: 'Compare without checking the seals (the output says so); instead of --key' })
    .conflicts('key', 'unverified')
    .option('format', {
      type: 'string',
      choices: ['text', 'json', 'html'],
      default: 'text',
      describe: 'text for people, json for machines, html for a self-contained page',
    })
    .option('fail-on', {
      type: 'string',
      choices: ['regression', 'change', 'never'],
      default: 'regression',
      describe: 'When to exit 1: something got worse, anything changed, or never',
    })
    .option('quiet', { ...QUIET_OPTION, describe: 'Print nothing on stdout with --format text (json and html are still printed): the exit code says it' })
    .epilog(`Exit codes:
  0  compared; nothing got worse (with --fail-on change: nothing changed)
  1  compared; something got worse: a new failure, an image or control status down, a waiver expired (with --fail-on change: anything changed)
  2  bad arguments, a bundle without a readable report.json, or a seal that does not verify with the pinned key (nothing compared)
  3  internal error
130 stopped by SIGINT or SIGTERM`) as unknown as Argv<DiffArgs>;
}

export async function diffCommand(args: DiffArgs, io: CliIo): Promise<number> {
  // Loaded when the command runs: `--help` and the other commands do not wait for them.
  const [{ openComparedBundle, readPinnedKey }, { diffHtmlPage }, { diffText }, { diffReports }] = await Promise.all([
    import('../history/bundle.js'),
    import('../history/diff-html.js'),
    import('../history/diff-text.js'),
    import('../history/diff.js'),
  ]);
  const keys = await Promise.all([args.key ?? []].flat().map(readPinnedKey));
  if (keys.length === 0 && args.unverified !== true) {
    throw new AuditpackError('SEAL_MISSING', 'pass --key with the public key the bundles were sealed with (or --unverified to compare unchecked bundles)');
  }
  const pinned = keys.length === 0 ? 'unverified' : keys;
  const before = await openComparedBundle(args.old, pinned, 'old');
  const after = await openComparedBundle(args.new, pinned, 'new');
  if (pinned === 'unverified') io.err('auditpack diff: the seals were NOT checked (--unverified): either report may have been edited');
  const seals = { old: sealText(before), new: sealText(after) };
  const diff = diffReports({
    old: before.report,
    new: after.report,
    ...(before.inventory ? { oldInventory: before.inventory } : {}),
    ...(after.inventory ? { newInventory: after.inventory } : {}),
  });
  if (args.format === 'json') {
    io.out(JSON.stringify({ bundles: { old: { path: args.old, seal: seals.old }, new: { path: args.new, seal: seals.new } }, diff }));
  } else if (args.format === 'html') {
    io.out(diffHtmlPage(diff));
  } else if (!args.quiet) {
    io.out(`bundles: ${args.old} (seal ${seals.old}) → ${args.new} (seal ${seals.new})`);
    for (const line of diffText(diff)) io.out(line);
  }
  return exitFor(diff, args['fail-on']);
}

function sealText(bundle: ComparedBundle): string {
  if (!bundle.seal) return 'not checked (--unverified)';
  const signer = bundle.seal.signer?.kind === 'key' ? `, seal key SHA-256 ${bundle.seal.signer.fingerprint}` : '';
  return `intact, ${bundle.seal.files} files${signer}`;
}

function exitFor(diff: ReportDiff, failOn: DiffArgs['fail-on']): number {
  if (failOn === 'never') return EXIT.OK;
  return (failOn === 'change' ? diff.changed : diff.regression) ? EXIT.FINDINGS : EXIT.OK;
}
