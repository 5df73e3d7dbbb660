/**
 * Tables that stream row by row over many pages, on top of `doc.table()`.
 *
 * What this adds to pdfkit's table: the header row repeats on every page
 * (pdfkit 0.20 has no option for it), monospaced columns are pre-wrapped
 * (see `wrapMono`), and a cell too tall for a page is cut with a visible
 * note instead of pdfkit's console warning and silent clamp.
 *
 * Page breaks: before each row we decide whether it fits. A cheap upper
 * bound on the row height settles it for most rows; only rows near the
 * bottom of a page are measured exactly. If a row does not fit, the pdfkit
 * table is ended, a page added and a new table started with the header.
 */
import { fontPaths } from './fonts.js';
import { COLOUR, SIZE } from './style.js';
import { contentWidth, visible, wrapMono, type Doc } from './text.js';
import { taggedTable } from './tags.js';

export interface Column {
  header: string;
  /** Relative width: columns share the content width in proportion (sections give points on A4). */
  share: number;
  mono?: boolean;
  bold?: boolean;
}

export type Cell = string | { text: string; colour?: string; bold?: boolean; mono?: boolean };

export interface TableOptions {
  /** Print the header row (on the first page and after every break). Default true. */
  header?: boolean;
  /** Draw cell borders. Default true. */
  borders?: boolean;
  size?: number;
}

const PAD = { top: 2, bottom: 2, left: 3, right: 3 } as const;
/** Points kept free at the page bottom: our measure and pdfkit's may differ by rounding. */
const SLACK = 2;
/** A row may use at most this share of a page; longer cells are cut. */
const MAX_ROW_SHARE = 0.85;
/** Upper bound of a DejaVu Sans glyph advance, in em (the widest Latin glyphs are ~1.0 em). */
const MAX_ADVANCE_EM = 1.05;

interface Prepared {
  text: string;
  font: string;
  colour: string;
}

export class StreamingTable {
  private readonly doc: Doc;
  private readonly columns: readonly Column[];
  private readonly widths: number[];
  private readonly size: number;
  private readonly header: boolean;
  private readonly borders: boolean;
  private table: PDFKit.Mixins.PDFTableObject;

  constructor(doc: Doc, columns: readonly Column[], options: TableOptions = {}) {
    this.doc = doc;
    this.columns = columns;
    this.size = options.size ?? SIZE.table;
    this.header = options.header ?? true;
    this.borders = options.borders ?? true;
    const total = columns.reduce((sum, c) => sum + c.share, 0);
    this.widths = columns.map((c) => (contentWidth(doc) * c.share) / total);
    if (this.header)
      this.fitOrBreak(
        this.prepare(
          columns.map((c) => c.header),
          true,
        ),
        true,
      );
    this.table = this.begin();
  }

  row(cells: readonly Cell[]): this {
    const prepared = this.prepare(cells, false);
    if (this.fitOrBreak(prepared, false)) {
      this.table.end();
      this.doc.addPage();
      this.table = this.begin();
    }
    this.table.row(prepared.map((p) => ({ text: p.text, font: { src: p.font }, textColor: p.colour })));
    return this;
  }

  end(): void {
    this.table.end();
    this.doc.font(fontPaths().regular).fillColor(COLOUR.text);
    this.doc.x = this.doc.page.margins.left;
    this.doc.moveDown(0.5);
  }

  /** A new pdfkit table at the current position, with the header row if wanted. */
  private begin(): PDFKit.Mixins.PDFTableObject {
    const doc = this.doc;
    doc.font(fontPaths().regular).fontSize(this.size);
    const table = doc.table({
      position: { x: doc.page.margins.left, y: doc.y },
      ...taggedTable(doc),
      columnStyles: this.widths,
      defaultStyle: {
        border: this.borders ? 0.5 : 0,
        borderColor: COLOUR.rule,
        padding: { ...PAD },
      },
    });
    if (this.header) {
      const cells = this.prepare(
        this.columns.map((c) => c.header),
        true,
      );
      table.row(cells.map((p) => ({ text: p.text, font: { src: p.font }, backgroundColor: COLOUR.headerFill })));
    }
    return table;
  }

  private prepare(cells: readonly Cell[], isHeader: boolean): Prepared[] {
    const { regular, bold, mono } = fontPaths();
    return this.columns.map((column, i) => {
      const cell = cells[i] ?? '';
      const raw = typeof cell === 'string' ? cell : cell.text;
      const colour = typeof cell === 'string' ? COLOUR.text : (cell.colour ?? COLOUR.text);
      const isBold = isHeader || column.bold === true || (typeof cell !== 'string' && cell.bold === true);
      const useMono = !isHeader && (column.mono === true || (typeof cell !== 'string' && cell.mono === true));
      const text = visible(raw, true);
      const width = this.textWidth(i);
      return {
        text: useMono ? wrapMono(this.doc, text, width, this.size) : text,
        font: useMono ? mono : isBold ? bold : regular,
        colour,
      };
    });
  }

  private textWidth(column: number): number {
    return (this.widths[column] ?? 0) - PAD.left - PAD.right;
  }

  /**
   * True when the row must go to a new page. Also cuts cells that would
   * make the row taller than a page (mutates `cells`). For the header
   * (`keepWithNext`) it asks for three times the header's height, so that a
   * header is not left alone at the bottom of a page; it then starts the
   * new page itself, since no pdfkit table exists yet to end.
   */
  private fitOrBreak(cells: Prepared[], keepWithNext: boolean): boolean {
    const doc = this.doc;
    const room = doc.page.maxY() - doc.y - SLACK;
    const wanted = keepWithNext ? 3 : 1;
    if (this.upperBound(cells) * wanted < room) return false;
    let height = this.measure(cells);
    const limit = (doc.page.maxY() - doc.page.margins.top) * MAX_ROW_SHARE;
    if (height > limit) height = this.cut(cells, limit);
    const needed = keepWithNext ? height * 3 : height;
    if (needed < room) return false;
    if (keepWithNext) doc.addPage();
    return true;
  }

  /** Height the row cannot exceed: every character at the widest advance, wrapping wasting up to half a line. */
  private upperBound(cells: readonly Prepared[]): number {
    const lineHeight = this.size * 1.25;
    let lines = 1;
    cells.forEach((cell, i) => {
      const perLine = Math.max(1, this.textWidth(i) / (this.size * MAX_ADVANCE_EM));
      let count = 0;
      for (const line of cell.text.split('\n')) count += Math.ceil((2 * Math.max(1, line.length)) / perLine) + 1;
      lines = Math.max(lines, count);
    });
    return lines * lineHeight + PAD.top + PAD.bottom;
  }

  private measure(cells: readonly Prepared[]): number {
    const doc = this.doc;
    let height = 0;
    cells.forEach((cell, i) => {
      doc.font(cell.font).fontSize(this.size);
      height = Math.max(height, doc.heightOfString(cell.text || ' ', { width: this.textWidth(i) }));
    });
    doc.font(fontPaths().regular).fontSize(this.size);
    return height + PAD.top + PAD.bottom;
  }

  /** Shortens the tallest cells until the row fits `limit`; says so in the cell. */
  private cut(cells: Prepared[], limit: number): number {
    let height = this.measure(cells);
    for (let round = 0; round < 8 && height > limit; round++) {
      const ratio = limit / height;
      for (const cell of cells) {
        const chars = Array.from(cell.text);
        const keep = Math.floor(chars.length * ratio * 0.9);
        if (keep >= chars.length || chars.length < 200) continue;
        cell.text = `${chars.slice(0, keep).join('')}\n[… ${chars.length - keep} more characters cut here; the full text is in report.json]`;
      }
      height = this.measure(cells);
    }
    return height;
  }
}

/** Two columns, label in bold, no header: for facts like period, generator, key ids. */
export function keyValueTable(doc: Doc, rows: ReadonlyArray<readonly [string, Cell]>, size: number = SIZE.body): void {
  // Points on A4: the value column holds a 64-hex SHA-256 on one line at body size.
  const table = new StreamingTable(
    doc,
    [
      { header: '', share: 130, bold: true },
      { header: '', share: 365 },
    ],
    {
      header: false,
      borders: false,
      size,
    },
  );
  for (const [label, value] of rows) table.row([label, value]);
  table.end();
}
