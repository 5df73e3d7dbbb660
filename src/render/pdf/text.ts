/**
 * Text helpers shared by the PDF sections: making untrusted strings
 * printable, wrapping long tokens cheaply, and the few block shapes the
 * report uses (headings, paragraphs, status lines, quoted evidence).
 */
import { fontPaths } from './fonts.js';
import { COLOUR, SIZE, type Label } from './style.js';
import { tagged } from './tags.js';

export type Doc = PDFKit.PDFDocument;

/**
 * Makes control characters visible instead of letting them render as empty
 * boxes (or, for ESC sequences in CI logs, vanish): each C0/C1 control and
 * DEL is written as `\xNN` (DejaVu has no "control picture" glyphs). Tabs
 * expand to the next 8-column stop, as a terminal shows them. Newlines are
 * kept only where the field may have several lines. Unpaired surrogates
 * (broken UTF-16) become U+FFFD.
 */
export function visible(text: string, keepNewlines = false): string {
  let out = '';
  let column = 0;
  for (const char of keepNewlines ? text.replace(/\r\n/g, '\n') : text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n' && keepNewlines) {
      out += char;
      column = 0;
      continue;
    }
    let shown = char;
    if (char === '\t') shown = ' '.repeat(8 - (column % 8));
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) shown = `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) shown = '\ufffd';
    out += shown;
    column += shown.length;
  }
  return out;
}

/** True when `text` has characters that `visible` would escape (the reader is told so). */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(text);
}

/** `sha256:` and the first 12 hex digits: enough to tell images apart in a table. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  const head = (hex ?? '').slice(0, 12);
  const prefix = algorithm ? `${algorithm}:` : '';
  return (hex ?? '').length > 12 ? `${prefix}${head}…` : digest;
}

/** 1234567 → "1,234,567". Not `toLocaleString`: the output must not depend on the machine's locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 image", "3 images". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

const monoWidths = new WeakMap<Doc, Map<number, number>>();

/** Advance width of one DejaVu Sans Mono character at `size`; measured once per size. */
function monoCharWidth(doc: Doc, size: number): number {
  let bySize = monoWidths.get(doc);
  if (!bySize) monoWidths.set(doc, (bySize = new Map<number, number>()));
  let width = bySize.get(size);
  if (width === undefined) {
    const { regular, mono } = fontPaths();
    width = doc.font(mono).fontSize(size).widthOfString('0');
    doc.font(regular);
    bySize.set(size, width);
  }
  return width;
}

/**
 * Wraps monospaced text (digests, quoted log lines, commands) ourselves, the
 * way a terminal does: at spaces, and inside a token that is longer than a
 * line. Each resulting line fits, so pdfkit never has to wrap it.
 *
 * pdfkit would wrap it too, but breaks an over-long token character by
 * character, re-shaping the prefix with fontkit at every step (with a digest
 * in every table row, that was half of the render time), and it breaks at
 * `-` and `/` as well, which makes quoted log lines ragged. In a monospaced
 * font the break points are plain arithmetic.
 */
export function wrapMono(doc: Doc, text: string, width: number, size: number): string {
  const perLine = Math.max(2, Math.floor((width - 0.5) / monoCharWidth(doc, size)));
  if (!text.includes('\n') && Array.from(text).length <= perLine) return text;
  // One character short of a line: pdfkit counts the line break that ends a
  // line as one of its characters, and a full line would wrap again.
  const capacity = perLine - 1;
  return text
    .split('\n')
    .flatMap((line) => wrapMonoLine(line, capacity))
    .join('\n');
}

function wrapMonoLine(line: string, capacity: number): string[] {
  const lines: string[] = [];
  let current: string[] = [];
  let started = false;
  for (const word of line.split(' ')) {
    const chars = Array.from(word);
    // A word that fits goes on this line; one longer than a line starts here
    // too and is cut at the line's end, as a terminal does.
    const tooLong = chars.length > capacity;
    if (started && (current.length + 1 + chars.length <= capacity || (tooLong && current.length + 2 <= capacity))) {
      current.push(' ', ...chars);
    } else {
      if (started) lines.push(current.join(''));
      current = chars;
    }
    started = true;
    while (current.length > capacity) {
      lines.push(current.slice(0, capacity).join(''));
      current = current.slice(capacity);
    }
  }
  lines.push(current.join(''));
  return lines;
}

/** Starts a new page unless `height` points still fit on this one (keeps a heading with what follows). */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

/** A top-level section: its own page, a bookmark in the outline, a heading. Returns the bookmark for children. */
export function startSection(doc: Doc, title: string, options: { newPage: boolean }): PDFKit.PDFOutline {
  // Page breaks first: a bookmark points at the page that is current when it is added.
  if (options.newPage) doc.addPage();
  else ensureSpace(doc, 120);
  const bookmark = doc.outline.addItem(title);
  heading(doc, title, SIZE.h1);
  return bookmark;
}

export function heading(doc: Doc, text: string, size: number = SIZE.h2): void {
  ensureSpace(doc, size * 4);
  const x = doc.page.margins.left;
  doc.moveDown(0.4);
  doc.font(fontPaths().bold).fontSize(size).fillColor(COLOUR.text);
  doc.text(visible(text), x, undefined, { width: contentWidth(doc), ...tagged(doc, size >= SIZE.h1 ? 'H1' : 'H2') });
  doc.moveDown(0.3);
}

export interface ParagraphOptions {
  size?: number;
  colour?: string;
  bold?: boolean;
  indent?: number;
}

export function paragraph(doc: Doc, text: string, options: ParagraphOptions = {}): void {
  const indent = options.indent ?? 0;
  doc.font(options.bold ? fontPaths().bold : fontPaths().regular);
  doc.fontSize(options.size ?? SIZE.body).fillColor(options.colour ?? COLOUR.text);
  doc.text(visible(text, true), doc.page.margins.left + indent, undefined, { width: contentWidth(doc) - indent, ...tagged(doc, 'P') });
}

/** A status in bold colour, then plain text on the same line: "FAIL  Image signature verifies …". */
export function statusLine(doc: Doc, label: Label, rest: string, options: { size?: number; indent?: number } = {}): void {
  const size = options.size ?? SIZE.body;
  const indent = options.indent ?? 0;
  const { regular, bold } = fontPaths();
  ensureSpace(doc, size * 3);
  doc.font(bold).fontSize(size).fillColor(label.colour);
  doc.text(label.text, doc.page.margins.left + indent, undefined, { width: contentWidth(doc) - indent, continued: true, ...tagged(doc, 'P') });
  doc
    .font(regular)
    .fillColor(COLOUR.text)
    .text(`  ${visible(rest)}`);
}

/** Indented list: plain paragraphs behind a bullet, so wrapping and page breaks work as for any text. */
export function bullets(doc: Doc, items: readonly string[], options: { size?: number; indent?: number } = {}): void {
  const indent = options.indent ?? 0;
  for (const item of items) {
    paragraph(doc, `•  ${item}`, { size: options.size ?? SIZE.body, indent: indent + 8 });
  }
}

/**
 * One line in the monospaced font on a grey band: a line quoted verbatim
 * from evidence (so that it reads as a quotation, not as auditpack's own
 * words), or a command to type. Kept on one page when it fits, so that the
 * band can be drawn before the text.
 */
export function monoBlock(doc: Doc, line: string, indent: number): void {
  const { regular, mono } = fontPaths();
  const x = doc.page.margins.left + indent;
  const width = contentWidth(doc) - indent;
  const pad = 3;
  doc.font(mono).fontSize(SIZE.small);
  const text = wrapMono(doc, visible(line), width - 2 * pad, SIZE.small);
  const height = doc.heightOfString(text, { width: width - 2 * pad }) + 2 * pad;
  if (height < doc.page.maxY() - doc.page.margins.top) ensureSpace(doc, height);
  const top = doc.y;
  if (top + height <= doc.page.maxY()) {
    doc.save().rect(x, top, width, height).fill(COLOUR.quoteFill).restore();
  }
  doc.fillColor(COLOUR.text).text(text, x + pad, top + pad, { width: width - 2 * pad, ...tagged(doc, 'Code') });
  doc.y += pad;
  doc.font(regular);
}
