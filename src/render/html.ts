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
import { buildDocument } from './content/document.js';
import { HELPERS } from './html/helpers.js';
import { buildView } from './html/view.js';

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
  const templatesDir = options.templatesDir ?? DEFAULT_TEMPLATES_DIR;
  try {
    const hb = createHandlebars(templatesDir);
    const template = hb.compile(readText(templatesDir, MAIN_TEMPLATE), COMPILE_OPTIONS);
    const document = buildDocument(report, options.locale ?? DEFAULT_LOCALE);
    return template(buildView(document, readStylesheet(hb, templatesDir), `${report.generator.name} ${report.generator.version}`));
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
