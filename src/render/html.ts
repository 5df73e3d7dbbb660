/**
 * The HTML renderer: one self-contained, deterministic file an auditor can
 * open offline, read without JavaScript and print.
 *
 * Input is a `Report` only. Its content and words come from the report
 * document (src/render/content), the same the PDF lays out, in the reader's
 * language; `html/view.ts` tags its blocks for the handlebars templates in
 * `templates/`, which only lay it out. Markup is built in two places only:
 * the templates, where every `{{ }}` escapes, and `html/helpers.ts`, which
 * escapes every piece of data with `escapeExpression` before wrapping it in
 * a `SafeString`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { AuditpackError, describeThrown } from '../errors.js';
import { DEFAULT_LOCALE, type Locale } from '../report/i18n.js';
import type { Report } from '../report/model.js';
import type { Section } from './content/blocks.js';
import { buildDocument } from './content/document.js';
import { HELPERS } from './html/helpers.js';
import { buildView, viewSection } from './html/view.js';

export interface RenderHtmlOptions {
  /** The reader's language (default English). */
  locale?: Locale;
  /** Folder with `report.html.hbs`, `report.css` and `partials/`. Defaults to the package's `templates/`. */
  templatesDir?: string;
}

type Hbs = typeof Handlebars;
type CompileOptions = NonNullable<Parameters<Hbs['compile']>[1]>;

// Resolved from this module so it works from both src/render and dist/render.
const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const MAIN_TEMPLATE = 'report.html.hbs';
const STYLESHEET = 'report.css';
const PARTIALS_DIR = 'partials';
const TEMPLATE_EXTENSION = '.hbs';

/** Renders the report as one HTML document. Same report, same bytes. */
export function renderHtml(report: Report, options: RenderHtmlOptions = {}): string {
  return [...htmlPieces(report, options)].join('');
}

/**
 * The same document as `renderHtml`, in pieces: what comes before the
 * sections, then each section rendered when the next piece is asked for, then
 * what follows them. A large report's HTML is never one string (at 5,000
 * images 26 MB, twice that as a JavaScript string with any character past
 * Latin-1, and as much again as bytes), and each section of the document is
 * let go once rendered.
 */
export function* htmlPieces(report: Report, options: RenderHtmlOptions = {}): Generator<string> {
  const { frame, sections, render } = rendering(report, options);
  yield frame.before;
  for (let section = sections.shift(); section !== undefined; section = sections.shift()) {
    const next = section;
    yield rendered(() => render(next));
  }
  yield frame.after;
}

/**
 * Stands for the sections in the rendered frame. No report text can hold it:
 * every piece of data is escaped (`<` as `&lt;`), and what goes in unescaped
 * is our own (the stylesheet, checked, and the page words' CSS strings).
 */
const SECTIONS_SLOT = '<auditpack-sections/>';

function rendering(report: Report, options: RenderHtmlOptions) {
  return rendered(() => {
    const templatesDir = options.templatesDir ?? DEFAULT_TEMPLATES_DIR;
    const hb = createHandlebars(templatesDir);
    const main = hb.compile(readText(templatesDir, MAIN_TEMPLATE), COMPILE_OPTIONS);
    const section = hb.compile('{{> section}}', COMPILE_OPTIONS);
    const document = buildDocument(report, options.locale ?? DEFAULT_LOCALE);
    const view = buildView(document, readStylesheet(hb, templatesDir), `${report.generator.name} ${report.generator.version}`);
    // The main template laid out once around one stand-in section, its partial the slot: the text either side of it.
    const [before, after, ...more] = main({ ...view, sections: [{}] }, { partials: { section: () => SECTIONS_SLOT } }).split(SECTIONS_SLOT);
    if (before === undefined || after === undefined || more.length > 0)
      throw new Error(`${MAIN_TEMPLATE} must lay the sections out once, with the partial 'section'`);
    // Each section in the main template's data, where the helpers find the document's anchors.
    const render = (s: Section) => section(viewSection(s, 2), { data: { root: view } });
    return { frame: { before, after }, sections: [...document.sections], render };
  });
}

/** Runs a step of the renderer; what it throws becomes RENDER_FAILED. */
function rendered<T>(step: () => T): T {
  try {
    return step();
  } catch (thrown) {
    throw new AuditpackError('RENDER_FAILED', `HTML report: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

/**
 * Compiles every template (the main one and each partial) with the renderer's
 * options, so a syntax error or an unknown helper fails a test, not a run.
 * Returns the file names checked, relative to the templates folder.
 */
export function compileAllTemplates(templatesDir: string = DEFAULT_TEMPLATES_DIR): string[] {
  const files = [MAIN_TEMPLATE, ...listPartials(templatesDir).map((name) => join(PARTIALS_DIR, name))];
  for (const file of files) {
    try {
      Handlebars.precompile(readText(templatesDir, file), COMPILE_OPTIONS);
    } catch (thrown) {
      throw new AuditpackError('RENDER_FAILED', `template ${file}: ${describeThrown(thrown)}`, { cause: thrown });
    }
  }
  return files;
}

// `strict` makes a missing field throw; `knownHelpersOnly` makes a misspelt
// helper a compile error. Neither covers helper arguments (handlebars passes
// `undefined`), which is why every helper checks its own. `preventIndent`
// stops handlebars from indenting every line a partial outputs, which would
// alter the verbatim log lines inside <pre>.
const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  preventIndent: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
};

function createHandlebars(templatesDir: string): Hbs {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) hb.registerHelper(name, helper);
  for (const file of listPartials(templatesDir)) {
    const source = readText(templatesDir, join(PARTIALS_DIR, file));
    hb.registerPartial(file.slice(0, -TEMPLATE_EXTENSION.length), hb.compile(source, COMPILE_OPTIONS));
  }
  return hb;
}

/** Partial file names, sorted so registration never depends on directory order. */
function listPartials(templatesDir: string): string[] {
  return readdirSync(join(templatesDir, PARTIALS_DIR))
    .filter((name) => name.endsWith(TEMPLATE_EXTENSION))
    .sort();
}

function readText(templatesDir: string, file: string): string {
  return readFileSync(join(templatesDir, file), 'utf8');
}

/**
 * The stylesheet is our own asset, not report data, so it goes in unescaped
 * (escaping would break `>` selectors). It must still not be able to close the
 * `<style>` element or fetch anything: the report stays self-contained.
 */
function readStylesheet(hb: Hbs, templatesDir: string): Handlebars.SafeString {
  const css = readText(templatesDir, STYLESHEET);
  if (/<\/style|@import|url\s*\(/i.test(css)) {
    throw new Error(`${STYLESHEET} must not contain </style>, @import or url(): the report is self-contained`);
  }
  return new hb.SafeString(css);
}
