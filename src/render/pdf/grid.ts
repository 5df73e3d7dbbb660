/**
 * Tables that stream row by row over many pages, drawn directly: every cell
 * is rich text (a status word in its colour, a link, a digest in the
 * monospaced font beside plain words), which pdfkit's own table cannot do.
 *
 * Each row is measured line by line before it is drawn: if it does not fit,
 * a page is added and the header row repeated. A cell too tall for a page is
 * cut with a visible note (the full text is in report.json). The table is
 * tagged as Table, TR, TH/TD elements under the document's structure.
 */
import type { Rich } from '../content/blocks.js';
import { joinContent } from './document.js';
import { fontPaths } from './fonts.js';
import { drawLine, lineHeight, setFill, singleLineHeight, toLines, type Line, type RunStyle } from './rich.js';
import { COLOUR } from './style.js';
import { asArtifact } from './tags.js';
import { contentWidth, type Doc } from './text.js';

export interface GridColumn {
  header: string;
  share: number;
  mono?: boolean;
  bold?: boolean;
}

export interface GridOptions {
  size: number;
  header: boolean;
  borders: boolean;
  /** Link targets the document defines. */
  anchors: ReadonlySet<string>;
  /** The structure element the table is tagged under. */
  parent: PDFKit.PDFStructureElement | undefined;
  /** The least height of a row (a sign-off line to write on). */
  minRowHeight?: number;
}

const PAD = { x: 2.5, y: 1.6 } as const;
/** A row may use at most this share of a page; longer cells are cut. */
const MAX_ROW_SHARE = 0.85;

interface PreparedCell {
  lines: Line[];
  heights: number[];
}

export class Grid {
  private readonly doc: Doc;
  private readonly columns: readonly GridColumn[];
  private readonly options: GridOptions;
  private readonly widths: number[];
  private readonly struct: PDFKit.PDFStructureElement | undefined;
  private readonly cutNote: string;

  constructor(doc: Doc, columns: readonly GridColumn[], options: GridOptions, cutNote: string) {
    this.doc = doc;
    this.columns = columns;
    this.options = options;
    this.cutNote = cutNote;
    const total = columns.reduce((sum, c) => sum + c.share, 0);
    this.widths = columns.map((c) => (contentWidth(doc) * c.share) / total);
    if (options.parent) {
      this.struct = doc.struct('Table');
      options.parent.add(this.struct);
    }
    if (options.header) {
      // Keep the header with at least a line or two of the first row.
      const header = this.prepareHeader();
      if (doc.y + this.height(header, true) * 3 > doc.page.maxY()) doc.addPage();
      this.draw(header, true);
    }
  }

  /** Adds a row; `destination` makes its top a named destination (a link target). */
  row(cells: readonly Rich[], destination?: string): void {
    const prepared = this.prepare(cells);
    let height = this.height(prepared);
    const limit = (this.doc.page.maxY() - this.doc.page.margins.top) * MAX_ROW_SHARE;
    if (height > limit) height = this.cut(prepared, limit);
    if (this.doc.y + height > this.doc.page.maxY()) {
      this.doc.addPage();
      if (this.options.header) this.draw(this.prepareHeader(), true);
    }
    if (destination !== undefined) this.doc.addNamedDestination(destination, 'XYZ', this.doc.page.margins.left, this.doc.y, null);
    this.draw(prepared, false);
    joinContent(this.doc);
  }

  end(): void {
    this.struct?.end();
    this.doc.x = this.doc.page.margins.left;
    this.doc.y += this.options.size * 0.6;
  }

  private prepareHeader(): PreparedCell[] {
    return this.columns.map((c, i) => this.prepareCell(c.header, { bold: true }, i));
  }

  private prepare(cells: readonly Rich[]): PreparedCell[] {
    return this.columns.map((c, i) => this.prepareCell(cells[i] ?? '', { ...(c.mono ? { mono: true } : {}), ...(c.bold ? { bold: true } : {}) }, i));
  }

  private prepareCell(rich: Rich, style: RunStyle, column: number): PreparedCell {
    const width = this.textWidth(column);
    const lines = toLines(this.doc, rich, style, this.options.anchors, this.options.size, width);
    return { lines, heights: lines.map((line) => lineHeight(this.doc, line, this.options.size, width)) };
  }

  private textWidth(column: number): number {
    return (this.widths[column] ?? 0) - 2 * PAD.x;
  }

  private height(cells: readonly PreparedCell[], header = false): number {
    const text = Math.max(...cells.map((c) => c.heights.reduce((a, b) => a + b, 0)));
    return Math.max(text + 2 * PAD.y, header ? 0 : (this.options.minRowHeight ?? 0));
  }

  /** Drops the last lines of the tallest cells until the row fits, saying so in the cell. */
  private cut(cells: PreparedCell[], limit: number): number {
    cells.forEach((cell, column) => {
      let total = cell.heights.reduce((a, b) => a + b, 0) + 2 * PAD.y;
      if (total <= limit) return;
      const note = this.prepareCell(this.cutNote, { colour: COLOUR.muted }, column);
      const noteHeight = note.heights.reduce((a, b) => a + b, 0);
      while (cell.lines.length > 1 && total + noteHeight > limit) {
        cell.lines.pop();
        total -= cell.heights.pop() ?? 0;
      }
      if (total + noteHeight > limit) this.shortenLastLine(cell, total, limit - noteHeight, this.textWidth(column));
      cell.lines.push(...note.lines);
      cell.heights.push(...note.heights);
    });
    return this.height(cells);
  }

  /** Cuts the text of a cell's one remaining line, too tall on its own, until the cell fits `room`. */
  private shortenLastLine(cell: PreparedCell, total: number, room: number, width: number): void {
    const last = cell.lines.length - 1;
    const line = cell.lines[last];
    const height = cell.heights[last] ?? 0;
    if (line === undefined) return;
    const above = total - height;
    const length = line.reduce((n, run) => n + run.text.length, 0);
    let keep = Math.floor((length * Math.max(room - above, 0)) / Math.max(height, 1));
    let shortened = truncateLine(line, keep);
    let shortenedHeight = lineHeight(this.doc, shortened, this.options.size, width);
    while (keep > 0 && above + shortenedHeight > room) {
      keep = Math.floor(keep * 0.8);
      shortened = truncateLine(line, keep);
      shortenedHeight = lineHeight(this.doc, shortened, this.options.size, width);
    }
    cell.lines[last] = shortened;
    cell.heights[last] = shortenedHeight;
  }

  private draw(cells: readonly PreparedCell[], header: boolean): void {
    const doc = this.doc;
    const top = doc.y;
    const height = this.height(cells, header);
    const left = doc.page.margins.left;
    if (header) asArtifact(doc, () => doc.save().rect(left, top, contentWidth(doc), height).fill(COLOUR.headerFill).restore());
    const row = this.struct ? doc.struct('TR') : undefined;
    if (row) this.struct?.add(row);
    let x = left;
    const one = singleLineHeight(doc, this.options.size);
    const type = header ? 'TH' : 'TD';
    cells.forEach((cell, i) => {
      // A cell of one line is one TD holding its text; a cell of several lines, a TD holding a P per line.
      const single = cell.lines.filter((line) => line.length > 0).length === 1;
      const element = row && !single ? doc.struct(type) : undefined;
      if (element) row?.add(element);
      let y = top + PAD.y;
      cell.lines.forEach((line, n) => {
        const height = cell.heights[n] ?? 0;
        const tag = element ? { structParent: element, structType: 'P' } : row ? { structParent: row, structType: type } : {};
        drawLine(doc, line, x + PAD.x, y, this.textWidth(i), this.options.size, tag, height <= one);
        y += cell.heights[n] ?? 0;
      });
      element?.end();
      x += this.widths[i] ?? 0;
    });
    row?.end();
    if (this.options.borders) this.rules(top, height);
    doc.font(fontPaths().regular);
    setFill(doc, COLOUR.text);
    doc.x = left;
    doc.y = top + height;
  }

  private rules(top: number, height: number): void {
    const doc = this.doc;
    const left = doc.page.margins.left;
    const right = left + contentWidth(doc);
    asArtifact(doc, () => {
      doc.save().lineWidth(0.4).strokeColor(COLOUR.rule);
      doc
        .moveTo(left, top)
        .lineTo(right, top)
        .moveTo(left, top + height)
        .lineTo(right, top + height);
      let x = left;
      for (const width of [0, ...this.widths]) {
        x += width;
        doc.moveTo(x, top).lineTo(x, top + height);
      }
      doc.stroke().restore();
    });
  }
}

/** The first `chars` characters of a line, its runs kept. */
function truncateLine(line: Line, chars: number): Line {
  const out: Line = [];
  let left = chars;
  for (const run of line) {
    if (left <= 0) break;
    out.push(run.text.length <= left ? run : { ...run, text: run.text.slice(0, left) });
    left -= run.text.length;
  }
  return out;
}
