/**
 * The printed table of contents, on the page reserved after page 1: filled
 * once every section is laid out and its page known. Each entry links to its
 * section; the page numbers are those of the footer ("Page N of M").
 */
import type { ReportDocument } from '../content/blocks.js';
import type { ContentsEntry } from './layout.js';
import { drawLine, setFill, singleLineHeight, toLines } from './rich.js';
import { COLOUR, SIZE } from './style.js';
import { fontPaths } from './fonts.js';
import { contentWidth, type Doc } from './text.js';

/** Sub-entries a section may put in the printed contents; a section with more lists none (its bookmarks still do). */
export const CONTENTS_CHILDREN = 8;

/** How many entries the contents will have: each section listed, with its bookmarked headings when it has few. */
export function countEntries(document: ReportDocument): number {
  return document.sections
    .filter((s) => s.inContents)
    .reduce((n, s) => {
      const children = s.blocks.filter(
        (b) => (b.type === 'heading' || (b.type === 'details' && b.heading !== undefined)) && b.bookmark === true && b.anchor !== undefined,
      ).length;
      return n + 1 + (children <= CONTENTS_CHILDREN ? children : 0);
    }, 0);
}

/** The height the contents take on their page: the title, then one line per entry. */
export function contentsHeight(doc: Doc, entries: number): number {
  return singleLineHeight(doc, SIZE.h1) * 1.6 + entries * entryStep(doc) + SIZE.body;
}

function entryStep(doc: Doc): number {
  return singleLineHeight(doc, SIZE.body) * 1.45;
}

/** Entries that fit in the room reserved; a longer list drops sub-entries first. */
export function fitEntries(entries: readonly ContentsEntry[], room: number, lineHeight: number): ContentsEntry[] {
  const capacity = Math.floor(room / lineHeight);
  if (entries.length <= capacity) return [...entries];
  const top = entries.filter((e) => e.level === 1);
  return top.slice(0, capacity);
}

export function writeContents(
  doc: Doc,
  page: number,
  height: number,
  title: string,
  entries: readonly ContentsEntry[],
  anchors: ReadonlySet<string>,
  parent: PDFKit.PDFStructureElement | undefined,
): void {
  doc.switchToPage(page);
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  let y = doc.page.margins.top;
  const tag = (type: string) => (parent ? { structParent: parent, structType: type } : {});
  drawLine(doc, toLines(doc, title, { bold: true }, anchors, SIZE.h1, width)[0] ?? [], left, y, width, SIZE.h1, tag('H1'));
  y += singleLineHeight(doc, SIZE.h1) * 1.6;
  const size = SIZE.body;
  const step = entryStep(doc);
  for (const entry of fitEntries(entries, doc.page.margins.top + height - y, step)) {
    const indent = entry.level === 1 ? 0 : 14;
    const number = String(entry.page + 1);
    const font = entry.level === 1 ? fontPaths().bold : fontPaths().regular;
    const text = fitOneLine(doc, entry.title, font, size, width - indent - 48);
    const line = toLines(doc, [{ text, link: entry.anchor, bold: entry.level === 1 }], {}, anchors, size, width - indent - 40)[0] ?? [];
    drawLine(
      doc,
      line.map((run) => ({ ...run, colour: COLOUR.text })),
      left + indent,
      y,
      width - indent - 40,
      size,
      tag('P'),
    );
    doc.font(font).fontSize(size);
    setFill(doc, COLOUR.text);
    doc.text(number, left + width - 40, y, { width: 40, align: 'right', lineBreak: false, goTo: entry.anchor, ...tag('P') });
    y += step;
  }
  parent?.end();
}

/** Shortens `text` with "…" until it fits one line of `width`. */
export function fitOneLine(doc: Doc, text: string, font: string, size: number, width: number): string {
  doc.font(font).fontSize(size);
  if (doc.widthOfString(text) <= width) return text;
  const chars = Array.from(text);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${chars.slice(0, mid).join('')}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return `${chars.slice(0, low).join('')}…`;
}
