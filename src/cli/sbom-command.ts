import { stat } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { AuditpackError } from '../errors.js';
import { SbomReader } from '../sbom/extract.js';
import { MAX_SBOM_FILE_BYTES, readSbomFile } from '../sbom/read.js';
import { GRADES, meetsGrade, type Grade } from '../sbom/grades.js';
import { describeItem, reportableItems, scoreLine, validationLine, type FileResult, type ItemResult } from '../sbom/summary.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

interface SbomArgs {
  files: string[];
  format: 'text' | 'json';
  'max-size': number;
}
interface ValidateArgs extends SbomArgs {
  'max-errors': number;
}
interface ScoreArgs extends SbomArgs {
  'min-grade'?: Grade;
}

const EPILOG = `Inputs: plain CycloneDX or SPDX JSON, in-toto statements, DSSE envelopes (one per line, as \`cosign download attestation\` prints them), Sigstore bundles. Signatures are not verified here (\`auditpack report\` does). SPDX is recognised but not validated or scored.

Exit codes:
  0  every file holds at least one SBOM, and every SBOM is valid (validate) or scored at or above --min-grade (score)
  1  an SBOM is invalid, could not be validated or scored, is under --min-grade, or a file holds no readable SBOM
  2  bad arguments or a file that does not exist (nothing checked)`;

/** `auditpack sbom validate|score FILE…`: registered by main.ts; reports its exit code through `done`. */
export function sbomCommand(io: CliIo, done: (code: number) => void): CommandModule {
  return {
    command: 'sbom',
    describe: 'Validate or score SBOMs (plain, DSSE envelopes, Sigstore bundles), offline',
    builder: (y: Argv) =>
      y
        .command<ValidateArgs>(
          'validate <files..>',
          'Validate CycloneDX SBOMs: schema of their own specVersion, bom-refs, dependency refs, purls, SPDX expressions',
          validateOptions,
          async (args) => done(await validateFiles(args, io)),
        )
        .command<ScoreArgs>(
          'score <files..>',
          'Score CycloneDX SBOMs against BSI TR-03183-2 v2.1.0 and the CISA 2025 minimum elements (NTIA 2021 for reference), graded A–F; the weakest fields name their requirement',
          scoreOptions,
          async (args) => done(await scoreFiles(args, io)),
        )
        .demandCommand(1, 'Name an sbom command: validate or score (see auditpack sbom --help)')
        .epilog(EPILOG),
    handler: () => {},
  };
}

function commonOptions(y: Argv): Argv {
  return y
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'SBOM, attestation or bundle files' })
    .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'text: one line per SBOM; json: one document with every result' })
    .option('max-size', {
      type: 'number',
      default: MAX_SBOM_FILE_BYTES / 2 ** 20,
      describe: 'Largest file to read, in MiB; larger files are refused unread (memory stays bounded)',
    });
}

function validateOptions(y: Argv): Argv<ValidateArgs> {
  return commonOptions(y).option('max-errors', {
    type: 'number',
    default: 10,
    describe: 'Problems listed per SBOM (all are counted)',
  }) as unknown as Argv<ValidateArgs>;
}

function scoreOptions(y: Argv): Argv<ScoreArgs> {
  return commonOptions(y).option('min-grade', {
    type: 'string',
    choices: [...GRADES],
    describe: 'Fail (exit 1) when an SBOM grades below this (A best, F worst)',
  }) as unknown as Argv<ScoreArgs>;
}

async function validateFiles(args: ValidateArgs, io: CliIo): Promise<number> {
  const results = await eachItem(args, async (item) => {
    if (item.kind !== 'sbom' || item.format !== 'cyclonedx') return { ...describeItem(item), ok: false };
    // Loaded when it runs (the schemas and the CycloneDX library): `--help` and the other commands do not wait for it.
    const { validateCycloneDx } = await import('../sbom/validate.js');
    const validation = await validateCycloneDx(item.document, { maxIssues: Math.max(1, args['max-errors']) });
    return { ...describeItem(item), validation, ok: validation.status === 'valid' };
  });
  return finish('validate', args, results, io, (file, r) => validationLine(file, r));
}

async function scoreFiles(args: ScoreArgs, io: CliIo): Promise<number> {
  const minimum = args['min-grade'];
  // Loaded when it runs (with the CycloneDX library's licence lists): `--help` and the other commands do not wait for it.
  const { scoreSbom } = await import('../sbom/score.js');
  const results = await eachItem(args, (item) => {
    if (item.kind !== 'sbom') return Promise.resolve({ ...describeItem(item), ok: false });
    const bomFormat = (item.document as { bomFormat?: unknown } | null)?.bomFormat;
    if (item.format !== 'cyclonedx' || bomFormat !== 'CycloneDX') {
      const reason = item.format === 'spdx' ? 'SPDX, not scored (auditpack scores CycloneDX only)' : `bomFormat is '${String(bomFormat)}', not CycloneDX`;
      return Promise.resolve({ ...describeItem(item), reason, ok: false });
    }
    const score = scoreSbom(item.document);
    return Promise.resolve({ ...describeItem(item), score, ok: minimum === undefined || meetsGrade(score.grade, minimum) });
  });
  return finish('score', args, results, io, (file, r) => scoreLine(file, r, minimum));
}

/** Reads the files one at a time (bounded memory), each parsed once, and applies `check` to every reportable item. */
async function eachItem(args: SbomArgs, check: (item: Parameters<typeof describeItem>[0]) => Promise<ItemResult>): Promise<FileResult[]> {
  await requireFiles(args.files);
  const reader = new SbomReader(64 * 2 ** 20);
  const maxBytes = Math.floor(args['max-size'] * 2 ** 20);
  const results: FileResult[] = [];
  for (const file of args.files) {
    const read = await readSbomFile(file, reader, maxBytes);
    const items: ItemResult[] = [];
    for (const item of reportableItems(read)) items.push(await check(item));
    results.push({ file, ...(read.sha256 === undefined ? {} : { sha256: read.sha256 }), ...(read.size === undefined ? {} : { size: read.size }), items });
  }
  return results;
}

function finish(command: string, args: SbomArgs, results: FileResult[], io: CliIo, line: (file: string, r: ItemResult) => string): number {
  const ok = results.every((f) => f.items.length > 0 && f.items.every((i) => i.ok));
  if (args.format === 'json') io.out(JSON.stringify({ command: `sbom ${command}`, ok, files: results }));
  else for (const f of results) for (const r of f.items) io.out(line(f.file, r));
  return ok ? EXIT.OK : EXIT.FINDINGS;
}

/** A missing file is a usage error (exit 2) found before anything is checked; an unreadable one is a result. */
async function requireFiles(files: string[]): Promise<void> {
  for (const file of files) {
    try {
      await stat(file);
    } catch (thrown) {
      throw new AuditpackError('EVIDENCE_MISSING', `cannot use this file: ${thrown instanceof Error ? thrown.message : String(thrown)}`, {
        file,
        cause: thrown,
      });
    }
  }
}
