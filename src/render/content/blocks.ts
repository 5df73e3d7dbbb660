/**
 * The report as a document, in the reader's language, before layout: sections
 * of blocks (headings, paragraphs, lists, tables, quoted evidence lines). The
 * PDF (pdfkit) and the HTML (handlebars) renderers lay out this same document,
 * so the two formats say the same things in the same order and words; only
 * the layout differs (pages and bookmarks, or one scrolling page).
 *
 * Everything here is plain text: renderers escape it. Links point at anchors
 * the document defines (a section, a heading or a table row); a renderer
 * shows a link to an anchor the document does not define as plain text.
 * Web links (`url`) are http or https addresses our catalogs cite, checked
 * again by each renderer.
 */

/** The colour a status word is printed in. Colour only repeats what the words say. */
export type Tone = 'good' | 'partial' | 'bad' | 'neutral';

export interface Span {
  text: string;
  /** An anchor of this document. */
  link?: string;
  /** A file of the bundle (relative path): a link in the HTML, plain text in the PDF (which carries it as an attachment). */
  file?: string;
  /** A web address (http or https only, see web-links.ts): a link in the HTML and a link annotation in the PDF; anything else stays text. */
  url?: string;
  mono?: boolean;
  bold?: boolean;
  muted?: boolean;
  tone?: Tone;
  /** The full value when `text` is shortened (a digest): shown on hover and copied in the HTML. */
  full?: string;
}

/** Text: plain, or a run of spans on one line (strings between them are plain). */
export type Rich = string | readonly (string | Span)[];

export interface Column {
  header: string;
  /** Relative width in the PDF (points on A4 when they add up to 495). */
  share: number;
  mono?: boolean;
  /** Numbers: right-aligned in the HTML. */
  numeric?: boolean;
}

export interface Row {
  /** Makes the row a link target. */
  anchor?: string;
  cells: readonly Rich[];
}

export type ParagraphStyle = 'normal' | 'small' | 'muted' | 'strong' | 'warn' | 'bad';

export type Block =
  | { type: 'heading'; text: Rich; level: 2 | 3; anchor?: string; /** Also an entry of the PDF outline under its section. */ bookmark?: boolean }
  | { type: 'paragraph'; content: Rich; style?: ParagraphStyle; /** Makes the paragraph a link target. */ anchor?: string }
  | { type: 'list'; items: readonly Rich[]; style?: ParagraphStyle }
  | { type: 'table'; columns: readonly Column[]; rows: readonly Row[]; caption?: string; small?: boolean }
  | { type: 'facts'; rows: readonly (readonly [string, Rich])[]; small?: boolean }
  /** Lines quoted verbatim from evidence, shown as a quotation in a monospaced font. */
  | { type: 'quote'; lines: readonly string[] }
  /** A command to type. */
  | { type: 'command'; text: string }
  /**
   * A group the HTML may fold away (closed unless `open`); the PDF prints it
   * in full. With `heading`, the summary is a heading of that level (in the
   * PDF too, with its bookmark when `bookmark`), the anchor its target.
   * `fold`: a long table folded for the HTML only, its summary ("Show all N
   * rows") an action that paper has not: the PDF leaves it out.
   */
  | { type: 'details'; summary: Rich; blocks: readonly Block[]; open: boolean; anchor?: string; heading?: 2 | 3; bookmark?: boolean; fold?: boolean }
  /** The sign-off grid: one row per role, with blanks for name, signature and date. */
  | { type: 'signoff'; roles: readonly string[]; columns: readonly string[] };

export interface Section {
  /** Anchor of the section (also its HTML id and PDF destination). */
  id: string;
  title: string;
  /** Starts on a new page in the PDF (and in the HTML's print). */
  newPage: boolean;
  /** Listed in the printed table of contents. */
  inContents: boolean;
  appendix?: boolean;
  blocks: readonly Block[];
}

export interface ReportDocument {
  lang: string;
  /** The document title, for metadata and the HTML <title>. */
  title: string;
  /** The line repeated at the top of each page. */
  runningHeader: string;
  /** "Page {page} of {pages}" in the reader's language: a function, since the renderer knows the numbers. */
  pageLabel: (page: number, pages: number) => string;
  contentsTitle: string;
  /** Said where a table cell too tall for a page is cut. */
  cutNote: string;
  /** The PDF's metadata subject. */
  subject: string;
  /** Page 1: everything before the table of contents. */
  cover: Section;
  sections: readonly Section[];
}

/** The text of a Rich value, without its styling. */
export function plainText(rich: Rich): string {
  return typeof rich === 'string' ? rich : rich.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}

/** Every anchor the document defines: sections, headings, rows, details. */
export function definedAnchors(doc: ReportDocument): Set<string> {
  const anchors = new Set<string>();
  for (const section of [doc.cover, ...doc.sections]) {
    anchors.add(section.id);
    collectAnchors(section.blocks, anchors);
  }
  return anchors;
}

function collectAnchors(blocks: readonly Block[], anchors: Set<string>): void {
  for (const block of blocks) {
    if ((block.type === 'heading' || block.type === 'details' || block.type === 'paragraph') && block.anchor !== undefined) anchors.add(block.anchor);
    if (block.type === 'table') for (const row of block.rows) if (row.anchor !== undefined) anchors.add(row.anchor);
    if (block.type === 'details') collectAnchors(block.blocks, anchors);
  }
}
