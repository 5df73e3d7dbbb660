import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { parse } from 'yaml';
import { AuditpackError, describeThrown } from '../errors.js';
import type { Catalog, CatalogControl } from '../frameworks/catalog.js';
import { CONDITION_KEY, CONDITION_WORDS, type ProfileCondition } from '../frameworks/conditions.js';
import { STRENGTH_LABEL } from '../report/vocabulary.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

type Format = 'text' | 'json';
export interface ListArgs {
  format: Format;
}
export interface ShowArgs {
  id: string;
  format: Format;
}
export interface ValidateArgs {
  file: string;
  format: Format;
}

/** One problem in a catalog file: where (a JSON pointer, `(top level)` or `(file)`) and what. */
export interface CatalogProblem {
  path: string;
  message: string;
}

const EPILOG = `Exit codes:
  0  list/show: printed; validate: the catalog is valid
  1  validate: the catalog is invalid (every problem is printed with the file and its path)
  2  show: no built-in framework with that id; validate: the file cannot be read`;

/**
 * The catalog loader, loaded when a frameworks command runs: it brings the
 * check registry and with it sigstore-js, which `--help` and the other
 * commands need not wait for.
 */
const catalogModule = () => import('../frameworks/catalog.js');

/** `auditpack frameworks list|show|validate`: registered by main.ts; reports its exit code through `done`. */
export function frameworksCommand(io: CliIo, done: (code: number) => void): CommandModule {
  const format = (y: Argv) =>
    y.option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'text for people; json for machines' });
  return {
    command: 'frameworks',
    describe: 'List, show or validate framework catalogs (the clauses evidence is mapped to)',
    builder: (y: Argv) =>
      y
        .command<ListArgs>(
          'list',
          'List the built-in frameworks: id, title, version, who they apply to, control count',
          (a) => format(a) as Argv<ListArgs>,
          async (args) => done(await listFrameworks(args, io)),
        )
        .command<ShowArgs>(
          'show <id>',
          "Show a built-in framework's controls: citation, title, dates, entity-profile conditions, the checks that decide its status with their strength, what the evidence cannot cover",
          (a) => format(a.positional('id', { type: 'string', demandOption: true, describe: 'framework id (see frameworks list)' })) as Argv<ShowArgs>,
          async (args) => done(await showFramework(args, io)),
        )
        .command<ValidateArgs>(
          'validate <file>',
          'Validate a custom catalog file (YAML) against the catalog schema and the check registry',
          (a) => format(a.positional('file', { type: 'string', demandOption: true, describe: 'catalog file' })) as Argv<ValidateArgs>,
          async (args) => done(await validateFramework(args, io)),
        )
        .demandCommand(1, 'Name a frameworks command: list, show or validate (see auditpack frameworks --help)')
        .epilog(EPILOG),
    handler: () => {},
  };
}

export async function listFrameworks(args: ListArgs, io: CliIo): Promise<number> {
  const catalogs = await (await catalogModule()).loadBuiltInCatalogs();
  const rows = catalogs.map((c) => ({
    id: c.id,
    title: c.title,
    version: c.version,
    appliesTo: c.appliesTo,
    controls: c.controls.length,
    manualOnly: c.controls.filter((x) => x.manualOnly === true).length,
  }));
  if (args.format === 'json') {
    io.out(JSON.stringify({ command: 'frameworks list', frameworks: rows }));
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    io.out(`${r.id.padEnd(width)}  ${r.controls} controls (${r.manualOnly} manual only)  applies to: ${r.appliesTo.join(', ')}`);
    io.out(`${' '.repeat(width)}  ${r.title}`);
    io.out(`${' '.repeat(width)}  version: ${r.version}`);
  }
  return EXIT.OK;
}

export async function showFramework(args: ShowArgs, io: CliIo): Promise<number> {
  const { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } = await catalogModule();
  if (!(BUILT_IN_FRAMEWORKS as readonly string[]).includes(args.id)) {
    io.err(
      `auditpack: no built-in framework '${args.id}' (built in: ${BUILT_IN_FRAMEWORKS.join(', ')}); to check a custom catalog use: auditpack frameworks validate FILE`,
    );
    return EXIT.USAGE;
  }
  const catalog = await loadBuiltInCatalog(args.id);
  if (args.format === 'json') {
    io.out(JSON.stringify({ command: 'frameworks show', framework: { ...catalog, controls: catalog.controls.map(describeControl) } }));
    return EXIT.OK;
  }
  io.out(`${catalog.id}: ${catalog.title}`);
  io.out(`version: ${catalog.version}${catalog.celex === undefined ? '' : `; CELEX ${catalog.celex}`}`);
  io.out(`applies to: ${catalog.appliesTo.join(', ')}`);
  for (const d of catalog.dates ?? []) io.out(`from ${d.from}: ${oneLine(d.what)} (source: ${d.source})`);
  io.out(`source: ${catalog.source}`);
  for (const control of catalog.controls) {
    io.out('');
    io.out(`${control.id}  ${control.citation}`);
    io.out(`  ${control.title}${control.titleFr === undefined ? '' : ` / ${control.titleFr}`}`);
    io.out(`  applies from: ${control.appliesFrom ?? 'not stated (see the catalog dates)'}`);
    for (const gate of control.exceptFor ?? []) io.out(`  not for: ${conditionText(gate.condition)}; ${oneLine(gate.why)}`);
    if (control.onlyFor) io.out(`  only for: ${conditionText(control.onlyFor.condition)}; ${oneLine(control.onlyFor.why)}`);
    io.out(`  strength: ${strengthText(control)}`);
    if (control.manualOnly !== true)
      io.out(
        `  status from: ${control.support.map((s) => `${s.check} (${s.fullWhen === undefined ? s.strength : `${s.strength}, full when ${s.fullWhen}`})`).join(', ')}`,
      );
    for (const gap of control.notCovered) io.out(`  not covered: ${gap}`);
  }
  return EXIT.OK;
}

/** "the images are bespoke and custom software (entity.bespokeSoftware)". */
function conditionText(condition: ProfileCondition): string {
  return `${CONDITION_WORDS[condition]} (entity.${CONDITION_KEY[condition]})`;
}

/** The strongest mapping and, when a full one depends on the profile, on what: "partial; full when …". */
function strengthText(control: CatalogControl): string {
  if (control.manualOnly === true || control.support.length === 0) return 'none: manual evidence only, no automated check bears on the clause';
  const order = ['supporting', 'partial', 'full'] as const;
  const strongest = control.support.reduce(
    (best, s) => (order.indexOf(s.strength) > order.indexOf(best) ? s.strength : best),
    control.support[0]?.strength ?? 'supporting',
  );
  const conditions = [...new Set(control.support.flatMap((s) => (s.fullWhen === undefined ? [] : [s.fullWhen])))];
  const cautious = STRENGTH_LABEL[strongest];
  return conditions.length === 0 ? cautious : `${cautious}; full when ${conditions.map(conditionText).join(' and ')}`;
}

/** The control as `show` reports it: dates, profile conditions, what decides its status and how strongly, what the evidence cannot cover. */
function describeControl(control: CatalogControl): Record<string, unknown> {
  return {
    id: control.id,
    citation: control.citation,
    title: control.title,
    ...(control.titleFr === undefined ? {} : { titleFr: control.titleFr }),
    ...(control.appliesFrom === undefined ? {} : { appliesFrom: control.appliesFrom }),
    ...(control.exceptFor === undefined ? {} : { exceptFor: control.exceptFor }),
    ...(control.onlyFor === undefined ? {} : { onlyFor: control.onlyFor }),
    manualOnly: control.manualOnly === true,
    strength: strengthText(control),
    support: control.support.map((s) => ({ check: s.check, strength: s.strength, ...(s.fullWhen === undefined ? {} : { fullWhen: s.fullWhen }) })),
    notCovered: control.notCovered,
    source: control.source,
  };
}

export async function validateFramework(args: ValidateArgs, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(args.file, 'utf8');
  } catch (thrown) {
    io.err(`auditpack: ${args.file}: cannot read the catalog: ${describeThrown(thrown)} [FRAMEWORK_INVALID]`);
    return EXIT.USAGE;
  }
  const { catalog, problems } = await checkCatalog(text, args.file);
  if (args.format === 'json') {
    io.out(
      JSON.stringify({
        command: 'frameworks validate',
        file: args.file,
        ok: problems.length === 0,
        ...(catalog ? { id: catalog.id, controls: catalog.controls.length } : {}),
        problems,
      }),
    );
  } else if (catalog) {
    io.out(
      `${args.file}: valid catalog '${catalog.id}' (${catalog.controls.length} controls, ${catalog.controls.filter((c) => c.manualOnly === true).length} manual only)`,
    );
  } else {
    for (const p of problems) io.out(`${args.file}: ${p.path}: ${p.message}`);
    io.out(`${args.file}: invalid catalog (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  }
  return catalog ? EXIT.OK : EXIT.FINDINGS;
}

/**
 * Validates with parseCatalog, the loader the report uses. It lists every
 * schema error at once but stops at the first unresolved reference, so when
 * the schema passes each control is re-checked on its own to list them all.
 */
export async function checkCatalog(text: string, file: string): Promise<{ catalog?: Catalog; problems: CatalogProblem[] }> {
  const { parseCatalog } = await catalogModule();
  try {
    return { catalog: parseCatalog(text, file), problems: [] };
  } catch (thrown) {
    if (!(thrown instanceof AuditpackError) || thrown.code !== 'FRAMEWORK_INVALID') throw thrown;
    if (!/^\/controls\/\d+/.test(thrown.message)) return { problems: toProblems(thrown.message) };
    return { problems: await referenceProblems(parse(text) as Catalog, file) };
  }
}

async function referenceProblems(data: Catalog, file: string): Promise<CatalogProblem[]> {
  const { parseCatalog } = await catalogModule();
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  for (const [index, control] of data.controls.entries()) {
    if (seen.has(control.id)) problems.push({ path: `/controls/${index}/id`, message: `'${control.id}' is used twice` });
    seen.add(control.id);
    try {
      parseCatalog(JSON.stringify({ ...data, controls: [control] }), file);
    } catch (thrown) {
      if (!(thrown instanceof AuditpackError)) throw thrown;
      problems.push(...toProblems(thrown.message.replace(/^\/controls\/0\b/gm, `/controls/${index}`)));
    }
  }
  return problems;
}

/** Splits a FRAMEWORK_INVALID message into `path: message` problems. */
function toProblems(message: string): CatalogProblem[] {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'invalid catalog:');
  return lines.map((line) => {
    const m = /^(\/\S*|\(top level\)): (.*)$/.exec(line);
    return m?.[1] !== undefined && m[2] !== undefined ? { path: m[1], message: m[2] } : { path: '(file)', message: line };
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
