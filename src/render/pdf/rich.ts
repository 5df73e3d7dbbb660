/**
 * Rich text in the PDF: a `Rich` value becomes lines (split at newlines) of
 * runs, each run one font, colour and optional internal or web link. A line is
 * measured before it is drawn (so that tables and page breaks know their
 * height) and drawn at the height measured, so a measure that errs, errs on
 * the side of space, never of overlap.
 */
import type { Rich, Span } from '../content/blocks.js';
import { fontCoverage, fontPaths } from './fonts.js';
import { webUrl } from '../content/web-links.js';
import { COLOUR, toneColour } from './style.js';
import { visible, wrapMono, type Doc } from './text.js';
import { splitLine } from './wrap.js';

export interface Run {
  text: string;
  font: string;
  colour: string;
  link?: string;
  /** A web address (checked by webUrl): a URI link annotation. */
  url?: string;
}

export type Line = Run[];

export interface RunStyle {
  bold?: boolean;
  mono?: boolean;
  colour?: string;
}

/** Upper bound of a DejaVu glyph advance, in em: a line shorter than width / (size × this) never wraps. */
const MAX_ADVANCE_EM = 1.05;

/**
 * Splits `rich` into lines of runs. `anchors` are the link targets the
 * document defines: a link to anything else is drawn as plain text. A line
 * that is one monospaced run is pre-wrapped like a terminal (see `wrapMono`).
 */
export function toLines(doc: Doc, rich: Rich, style: RunStyle, anchors: ReadonlySet<string>, size: number, width: number): Line[] {
  const parts: readonly (string | Span)[] = typeof rich === 'string' ? [rich] : rich;
  const lines: Line[] = [[]];
  for (const part of parts) {
    const span: Span = typeof part === 'string' ? { text: part } : part;
    const font =
      span.mono === true || (style.mono === true && span.bold !== true)
        ? fontPaths().mono
        : span.bold === true || style.bold === true
          ? fontPaths().bold
          : fontPaths().regular;
    const url = span.url === undefined ? undefined : webUrl(span.url);
    const colour =
      span.tone !== undefined
        ? toneColour(span.tone)
        : span.muted === true
          ? COLOUR.muted
          : (span.link !== undefined && anchors.has(span.link)) || url !== undefined
            ? COLOUR.link
            : (style.colour ?? COLOUR.text);
    const link = span.link !== undefined && anchors.has(span.link) ? span.link : undefined;
    const pieces = span.text.split('\n');
    pieces.forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece === '') return;
      const text = visible(piece, false, fontCoverage(doc, font));
      const line = lines.at(-1);
      const last = line?.at(-1);
      // A run in the style of the one before continues it: one text call instead of two.
      if (last !== undefined && last.font === font && last.colour === colour && last.link === link && last.url === url) last.text += text;
      else line?.push({ text, font, colour, ...(link === undefined ? {} : { link }), ...(url === undefined ? {} : { url }) });
    });
  }
  return lines
    .flatMap((line) => {
      const only = line[0];
      if (line.length !== 1 || only === undefined || only.font !== fontPaths().mono) return [line];
      return wrapMono(doc, only.text, width, size)
        .split('\n')
        .map((text) => [{ ...only, text }]);
    })
    .flatMap((line) => fitted(doc, line, size, width));
}

/**
 * How a line is laid out in a width: on one line (each run's width known),
 * split into lines that each fit (wrap.ts), or, when a word is wider than
 * the width, left to pdfkit's line wrapper with the height it will take.
 */
interface Fit {
  widths?: number[];
  split?: Line[];
  height?: number;
}

/** Fits of lines already met, by size, width and runs: table rows repeat the same lines (a check's code, a status). */
const fits = new WeakMap<Doc, Map<string, Fit>>();
/** Distinct lines remembered per document; the cache starts again past this (a large report's lines are mostly distinct). */
const FITS_KEPT = 20_000;
/** Width of each run of a line known to fit on one line: `lineHeight` and `drawLine` need not measure it again. */
const runWidths = new WeakMap<Line, number[]>();

/** `line` as lines that each fit `width` when it can be split so; as it is otherwise. Measured once per distinct line. */
function fitted(doc: Doc, line: Line, size: number, width: number): Line[] {
  const fit = fitOf(doc, line, size, width);
  if (fit?.split) return fit.split;
  if (fit?.widths) runWidths.set(line, fit.widths);
  return [line];
}

/** How `line` fits `width`; undefined when it is short enough to surely fit. */
function fitOf(doc: Doc, line: Line, size: number, width: number): Fit | undefined {
  let chars = 0;
  for (const run of line) chars += run.text.length;
  // A UTF-16 length bounds the characters from above: a line short enough by it surely fits.
  if (chars * size * MAX_ADVANCE_EM <= width) return undefined;
  let known = fits.get(doc);
  if (known === undefined || known.size >= FITS_KEPT) fits.set(doc, (known = new Map<string, Fit>()));
  const key = `${size} ${width} ${line.map((r) => `${fontCode(r.font)}${r.text}`).join('\u0000')}`;
  let fit = known.get(key);
  if (fit === undefined) {
    fit = fitLine(doc, line, size, width);
    known.set(key, fit);
  }
  return fit;
}

function fontCode(font: string): string {
  const { bold, mono } = fontPaths();
  return font === mono ? 'm' : font === bold ? 'b' : 'r';
}

function fitLine(doc: Doc, line: Line, size: number, width: number): Fit {
  const widths = line.map((run) => doc.font(run.font).fontSize(size).widthOfString(run.text));
  if (widths.reduce((a, b) => a + b, 0) <= width) return { widths };
  const split = splitLine(doc, line, size, width);
  if (split) {
    for (const part of split) runWidths.set(part.runs, part.widths);
    return { split: split.map((part) => part.runs) };
  }
  const font = line.some((r) => r.font === fontPaths().mono)
    ? fontPaths().mono
    : line.some((r) => r.font === fontPaths().bold)
      ? fontPaths().bold
      : fontPaths().regular;
  doc.font(font).fontSize(size);
  return { height: doc.heightOfString(line.map((r) => r.text).join(''), { width }) };
}

/**
 * The height a line from `toLines` takes at `size` in `width`: one line when
 * it fits (it was split so when it could be), otherwise the height pdfkit's
 * wrapper gives it, measured whole in its widest font, which can only
 * overestimate.
 */
export function lineHeight(doc: Doc, line: Line, size: number, width: number): number {
  const one = singleLineHeight(doc, size);
  if (line.length === 0 || runWidths.has(line)) return one;
  const fit = fitOf(doc, line, size, width);
  if (fit === undefined) return one;
  if (fit.widths) runWidths.set(line, fit.widths);
  // A line that was not split by toLines (a cell's last line, shortened) takes as many lines as its parts.
  return Math.max(one, fit.height ?? one * (fit.split?.length ?? 1));
}

const lineHeights = new WeakMap<Doc, Map<number, number>>();

/** The height of one line of text at `size` (the same for the three DejaVu fonts). */
export function singleLineHeight(doc: Doc, size: number): number {
  let bySize = lineHeights.get(doc);
  if (!bySize) lineHeights.set(doc, (bySize = new Map<number, number>()));
  let height = bySize.get(size);
  if (height === undefined) {
    doc.font(fontPaths().regular).fontSize(size);
    height = doc.currentLineHeight(true);
    bySize.set(size, height);
  }
  return height;
}

/**
 * Draws `line` from (x, y) in `width`, its runs continuing one another;
 * `tag` gives the first run the structure element options (the line is one
 * marked-content sequence). Returns nothing: the caller moves on by the
 * measured height.
 *
 * `oneLine`: the caller measured that the line fits `width` (lineHeight gave
 * one line). The runs are then drawn one after another without pdfkit's line
 * wrapper, which would measure every word again: in a table of a thousand
 * rows, that was most of the render time.
 */
export function drawLine(doc: Doc, line: Line, x: number, y: number, width: number, size: number, tag: object = {}, oneLine = false): void {
  if (line.length === 0) return;
  if (oneLine) {
    const widths = runWidths.get(line);
    line.forEach((run, i) => {
      doc.font(run.font).fontSize(size);
      setFill(doc, run.colour);
      // The first run opens the line's marked-content sequence; the others fall within it, as with pdfkit's `continued`.
      // A width measured already spares pdfkit measuring the run again before drawing it.
      const measured = widths?.[i];
      const options = {
        lineBreak: false,
        lineGap: 0,
        ...(measured === undefined ? {} : { textWidth: measured }),
        ...runLinks(run),
        ...(i === 0 ? tag : {}),
      };
      if (i === 0) doc.text(run.text, x, y, options);
      else doc.text(run.text, options);
    });
    return;
  }
  line.forEach((run, i) => {
    doc.font(run.font).fontSize(size);
    setFill(doc, run.colour);
    const options = { width, continued: i < line.length - 1, lineGap: 0, ...runLinks(run), ...(i === 0 ? tag : {}) };
    if (i === 0) doc.text(run.text, x, y, options);
    else doc.text(run.text, options);
  });
}

/** The fill colour last set on each document's page: setting it again to the same colour would only add operators. */
const fills = new WeakMap<Doc, { page: unknown; colour: string }>();

/**
 * Sets the fill colour of what is drawn next, unless it already is that
 * colour on this page. Text of the layout sets its colour only through
 * here; fills inside save/restore (table headers, quote bands) leave the
 * colour as it was. A new page starts black, so the colour is set again.
 */
export function setFill(doc: Doc, colour: string): void {
  const last = fills.get(doc);
  if (last !== undefined && last.page === doc.page && last.colour === colour) return;
  doc.fillColor(colour);
  fills.set(doc, { page: doc.page, colour });
}

/** pdfkit's link options of a run: an internal destination, or a web address. */
function runLinks(run: Run): { goTo?: string; link?: string } {
  return { ...(run.link === undefined ? {} : { goTo: run.link }), ...(run.url === undefined ? {} : { link: run.url }) };
}
