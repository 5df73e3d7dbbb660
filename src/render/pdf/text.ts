/**
 * Text helpers of the PDF layout: making untrusted strings printable and
 * wrapping long monospaced tokens cheaply.
 */
import { fontPaths, type Coverage } from './fonts.js';

export type Doc = PDFKit.PDFDocument;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when `text` is printable ASCII only. */
export function printableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text);
}

/**
 * Makes text printable: each C0/C1 control character and DEL is written as
 * `\xNN` (instead of an empty box or, for ESC sequences in CI logs, nothing);
 * a character the font has no glyph for (CJK in DejaVu, many emoji) as
 * `<U+XXXX>`, never as an empty box. Tabs expand to the next 8-column stop,
 * as a terminal shows them. Newlines are kept only where the field may have
 * several lines. Unpaired surrogates (broken UTF-16) become U+FFFD.
 */
export function visible(text: string, keepNewlines = false, covers?: Coverage): string {
  // Printable ASCII (most of a report) is shown as it is: every font covers it.
  if (printableAscii(text)) return text;
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
    else if (covers !== undefined && code > 0x7e && !covers(code)) shown = `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
    out += shown;
    column += shown.length;
  }
  return out;
}

/** True when `text` has characters that `visible` would escape (the reader is told so). */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(text);
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

const monoWidths = new WeakMap<Doc, Map<number, number>>();

/** Advance width of one DejaVu Sans Mono character at `size`; measured once per size. */
export function monoCharWidth(doc: Doc, size: number): number {
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
