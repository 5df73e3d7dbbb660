/**
 * Lays the report document (src/render/content) out on A4 pages: a bookmark
 * per section (and per heading marked for it), a named destination for every
 * anchor so that links work, headings kept with what follows them, tables
 * that repeat their header, and the page on which each section starts, for
 * the printed table of contents.
 */
import { plainText, type Block, type Rich, type Section, type Span } from '../content/blocks.js';
import { CONTENTS_CHILDREN } from './contents.js';
import { joinContent } from './document.js';
import { fontPaths } from './fonts.js';
import { Grid } from './grid.js';
import { drawLine, lineHeight, setFill, singleLineHeight, toLines, type Line } from './rich.js';
import { COLOUR, SIZE, paragraphColour, paragraphSize } from './style.js';
import { asArtifact, structureRoot, tagged } from './tags.js';
import { contentWidth, ensureSpace, type Doc } from './text.js';

export interface ContentsEntry {
  title: string;
  anchor: string;
  page: number;
  level: 1 | 2;
}

export class PdfLayout {
  readonly entries: ContentsEntry[] = [];
  private readonly doc: Doc;
  private readonly anchors: ReadonlySet<string>;
  private readonly cutNote: string;
  private outline: PDFKit.PDFOutline;

  constructor(doc: Doc, anchors: ReadonlySet<string>, cutNote: string) {
    this.doc = doc;
    this.anchors = anchors;
    this.cutNote = cutNote;
    this.outline = doc.outline;
  }

  /** The current page's index (0-based). */
  page(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  section(section: Section, options: { cover?: boolean } = {}): void {
    const doc = this.doc;
    if (section.newPage) doc.addPage();
    else if (!options.cover) ensureSpace(doc, 90);
    this.destination(section.id);
    this.outline = doc.outline.addItem(section.title);
    const start = this.entries.length;
    if (section.inContents) this.entries.push({ title: section.title, anchor: section.id, page: this.page(), level: 1 });
    this.heading(section.title, options.cover ? SIZE.title : SIZE.h1, 'H1');
    doc.moveDown(0.2);
    const children: ContentsEntry[] = [];
    for (const block of section.blocks) this.block(block, children);
    if (section.inContents && children.length <= CONTENTS_CHILDREN) this.entries.splice(start + 1, 0, ...children);
    this.outline = doc.outline;
  }

  private block(block: Block, children: ContentsEntry[]): void {
    const doc = this.doc;
    switch (block.type) {
      case 'heading': {
        const size = block.level === 2 ? SIZE.h2 : SIZE.h3;
        ensureSpace(doc, size * 5);
        if (block.anchor !== undefined) this.destination(block.anchor);
        if (block.bookmark === true) {
          const title = plainText(block.text);
          this.outline.addItem(title);
          if (block.anchor !== undefined) children.push({ title, anchor: block.anchor, page: this.page(), level: 2 });
        }
        doc.moveDown(block.level === 2 ? 0.5 : 0.3);
        this.richHeading(block.text, size, block.level === 2 ? 'H2' : 'H3');
        return;
      }
      case 'paragraph':
        if (block.anchor !== undefined) {
          ensureSpace(doc, singleLineHeight(doc, paragraphSize(block.style)) * 2);
          this.destination(block.anchor);
        }
        this.paragraph(block.content, paragraphSize(block.style), paragraphColour(block.style), block.style === 'strong' || block.style === 'bad');
        doc.moveDown(0.25);
        return;
      case 'list':
        for (const item of block.items) this.paragraph(['•  ', ...asParts(item)], paragraphSize(block.style), paragraphColour(block.style), false, 8);
        doc.moveDown(0.25);
        return;
      case 'table': {
        if (block.caption !== undefined) {
          ensureSpace(doc, singleLineHeight(doc, SIZE.small) * 4);
          this.paragraph(block.caption, SIZE.small, COLOUR.muted, true);
        }
        const grid = this.grid(
          block.columns.map((c) => ({ header: c.header, share: c.share, ...(c.mono ? { mono: true } : {}) })),
          block.small ? SIZE.table : SIZE.small,
          true,
          true,
        );
        for (const row of block.rows) grid.row(row.cells, row.anchor !== undefined ? row.anchor : undefined);
        grid.end();
        return;
      }
      case 'facts': {
        const grid = this.grid(
          [
            { header: '', share: 110, bold: true },
            { header: '', share: 385 },
          ],
          block.small ? SIZE.small : SIZE.body,
          false,
          false,
        );
        for (const [label, value] of block.rows) grid.row([label, value]);
        grid.end();
        return;
      }
      case 'quote':
        for (const line of block.lines) this.band(line);
        doc.moveDown(0.3);
        return;
      case 'command':
        this.band(block.text);
        doc.moveDown(0.2);
        return;
      case 'details':
        if (block.heading !== undefined) {
          const heading: Block = { type: 'heading', level: block.heading, text: block.summary, ...(block.bookmark === true ? { bookmark: true } : {}) };
          this.block(block.anchor === undefined ? heading : { ...heading, anchor: block.anchor }, children);
        } else {
          if (block.anchor !== undefined) this.destination(block.anchor);
          if (block.fold !== true) this.paragraph(block.summary, SIZE.body, COLOUR.text, true);
        }
        for (const inner of block.blocks) this.block(inner, children);
        return;
      case 'signoff': {
        const grid = this.grid(
          block.columns.map((header, i) => ({ header, share: i === 0 ? 90 : i === 2 ? 80 : 162 })),
          SIZE.body,
          true,
          true,
          42,
        );
        for (const role of block.roles) grid.row([[{ text: role, bold: true }]]);
        grid.end();
        return;
      }
    }
  }

  private grid(columns: ConstructorParameters<typeof Grid>[1], size: number, header: boolean, borders: boolean, minRowHeight?: number): Grid {
    return new Grid(
      this.doc,
      columns,
      { size, header, borders, anchors: this.anchors, parent: structureRoot(this.doc), ...(minRowHeight === undefined ? {} : { minRowHeight }) },
      this.cutNote,
    );
  }

  /** A named destination at the current position; pages of anchors are remembered for the contents. */
  private destination(name: string): void {
    this.doc.addNamedDestination(name, 'XYZ', this.doc.page.margins.left, this.doc.y, null);
  }

  private heading(text: string, size: number, type: 'H1' | 'H2' | 'H3'): void {
    ensureSpace(this.doc, size * 4);
    this.richHeading(text, size, type);
  }

  private richHeading(text: Rich, size: number, type: 'H1' | 'H2' | 'H3'): void {
    this.write(toLines(this.doc, text, { bold: true }, this.anchors, size, contentWidth(this.doc)), size, 0, type);
    this.doc.moveDown(0.15);
  }

  paragraph(text: Rich, size: number, colour: string, bold: boolean, indent = 0): void {
    const width = contentWidth(this.doc) - indent;
    this.write(toLines(this.doc, text, { colour, bold }, this.anchors, size, width), size, indent, 'P');
  }

  /**
   * Draws lines one after another, each flowing where the last ended; pdfkit
   * wraps a line too long for the width and continues a paragraph on the
   * next page itself (a line that fits is drawn without its line wrapper).
   * Only a line that would start with no room for two lines moves to a new page.
   */
  private write(lines: readonly Line[], size: number, indent: number, type: 'H1' | 'H2' | 'H3' | 'P'): void {
    const doc = this.doc;
    const width = contentWidth(doc) - indent;
    const one = singleLineHeight(doc, size);
    lines.forEach((line) => {
      if (doc.y + one * 2 > doc.page.maxY()) doc.addPage();
      if (line.length === 0) {
        doc.y += one;
        return;
      }
      const fits = lineHeight(doc, line, size, width) <= one;
      drawLine(doc, line, doc.page.margins.left + indent, doc.y, width, size, tagged(doc, type), fits);
      if (fits) doc.y += one;
    });
    doc.x = doc.page.margins.left;
    doc.font(fontPaths().regular);
    setFill(doc, COLOUR.text);
    joinContent(doc);
  }

  /** One line quoted verbatim from evidence, or a command: monospaced, on a grey band. */
  private band(text: string): void {
    const doc = this.doc;
    const pad = 2.5;
    const width = contentWidth(doc) - 2 * pad;
    const lines = toLines(doc, [{ text, mono: true }], {}, this.anchors, SIZE.small, width);
    const heights = lines.map((l) => lineHeight(doc, l, SIZE.small, width));
    const height = heights.reduce((a, b) => a + b, 0) + 2 * pad;
    ensureSpace(doc, Math.min(height, doc.page.maxY() - doc.page.margins.top));
    const left = doc.page.margins.left;
    const top = doc.y;
    if (top + height <= doc.page.maxY()) asArtifact(doc, () => doc.save().rect(left, top, contentWidth(doc), height).fill(COLOUR.quoteFill).restore());
    let y = top + pad;
    lines.forEach((line, i) => {
      if (y + (heights[i] ?? 0) > doc.page.maxY()) {
        doc.addPage();
        y = doc.y;
      }
      drawLine(doc, line, left + pad, y, width, SIZE.small, tagged(doc, 'Code'), (heights[i] ?? 0) <= singleLineHeight(doc, SIZE.small));
      y += heights[i] ?? 0;
    });
    doc.x = left;
    doc.y = y + pad + 1;
  }
}

function asParts(rich: Rich): (string | Span)[] {
  return typeof rich === 'string' ? [rich] : [...rich];
}
