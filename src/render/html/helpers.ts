/**
 * Handlebars helpers: besides the templates, the only code that emits markup.
 * Every piece of report data is escaped with `escapeExpression` before it is
 * wrapped in a `SafeString`; class names come from fixed tables here, never
 * from the report.
 */
import Handlebars from 'handlebars';
import type { Rich, Span } from '../content/blocks.js';
import { webUrl } from '../content/web-links.js';

const { escapeExpression, SafeString } = Handlebars;

/** Formatting helpers, registered by name; the templates may use no others. */
export const HELPERS = {
  /** Rich text: spans as links, code, emphasis and status colours; links only to anchors the document defines. */
  rich: (value: unknown, options: unknown) => richHtml(requireRich(value), anchorsOf(options)),
} as const;

function requireRich(value: unknown): Rich {
  if (typeof value === 'string' || Array.isArray(value)) return value as Rich;
  throw new Error(`helper 'rich' expects text or a list of spans, got ${typeof value}`);
}

/** The anchors the document defines, from the root of the template's data (see view.ts). */
function anchorsOf(options: unknown): ReadonlySet<string> {
  const root = (options as { data?: { root?: { anchors?: unknown } } } | undefined)?.data?.root?.anchors;
  if (!(root instanceof Set)) throw new Error("helper 'rich' needs the document's anchors at the template's root");
  return root as ReadonlySet<string>;
}

const TONES = new Set(['good', 'partial', 'bad', 'neutral']);

export function richHtml(rich: Rich, anchors: ReadonlySet<string>): Handlebars.SafeString {
  const parts = typeof rich === 'string' ? [rich] : rich;
  return new SafeString(parts.map((part) => (typeof part === 'string' ? text(part) : spanHtml(part, anchors))).join(''));
}

/**
 * Escaped text, its newlines as line breaks, and a break opportunity after
 * each `/`, so that a long reference or path wraps between its segments,
 * never inside a word; control and bidirectional-override characters are
 * made visible, since they could hide or reorder text.
 */
function text(value: string): string {
  return escapeExpression(visibleText(value)).replace(/\//g, '/<wbr>').replace(/\n/g, '<br>');
}

export function visibleText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => String.fromCodePoint(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}

function spanHtml(span: Span, anchors: ReadonlySet<string>): string {
  let html = span.full !== undefined ? digestHtml(span.text, span.full) : span.mono === true ? `<code>${text(span.text)}</code>` : text(span.text);
  const classes = [...(span.tone !== undefined && TONES.has(span.tone) ? [`tone-${span.tone}`] : []), ...(span.muted === true ? ['muted'] : [])];
  if (span.bold === true) html = `<strong>${html}</strong>`;
  if (classes.length > 0) html = `<span class="${classes.join(' ')}">${html}</span>`;
  if (span.link !== undefined && anchors.has(span.link)) return `<a href="#${escapeExpression(span.link)}">${html}</a>`;
  const web = span.url === undefined ? undefined : webUrl(span.url);
  if (web !== undefined) return `<a href="${escapeExpression(web)}" rel="noopener noreferrer">${html}</a>`;
  if (span.file !== undefined && isPlainRelativePath(span.file)) return `<a href="${escapeExpression(span.file)}">${html}</a>`;
  return html;
}

/**
 * A shortened digest that holds the full value: shown short, the rest hidden
 * in the line but there to select and copy, and the whole on hover.
 */
function digestHtml(short: string, full: string): string {
  const head = short.endsWith('…') ? short.slice(0, -1) : short;
  const rest = full.startsWith(head) ? full.slice(head.length) : '';
  return `<code class="digest" title="${escapeExpression(full)}">${escapeExpression(head)}<span class="rest">${escapeExpression(rest)}</span></code>`;
}

/**
 * A file of the bundle, linked relative to the report (at the bundle's root)
 * only when it is a plain relative path: segments of letters, digits and
 * `._~+-`, no `.` or `..`, no scheme, no leading `/`; otherwise text.
 */
function isPlainRelativePath(path: string): boolean {
  return path.split('/').every((segment) => /^[A-Za-z0-9._~+-]+$/.test(segment) && segment !== '.' && segment !== '..');
}
