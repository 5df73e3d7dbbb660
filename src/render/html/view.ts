/**
 * The view the templates lay out: the report document (the same the PDF lays
 * out) with each block tagged by its kind, table column widths as
 * percentages, the table of contents, and the words the print stylesheet
 * needs. No markup is built here.
 */
import type { Block, Column, ReportDocument, Section } from '../content/blocks.js';
import { definedAnchors } from '../content/blocks.js';

export function buildView<Styles>(document: ReportDocument, styles: Styles, generator: string) {
  const anchors = definedAnchors(document);
  anchors.add('contents');
  return {
    styles,
    anchors,
    generator,
    lang: document.lang,
    title: document.title,
    runningHeader: document.runningHeader,
    pageWords: pageWords(document),
    contentsTitle: document.contentsTitle,
    cover: viewSection(document.cover, 1),
    contents: document.sections.filter((s) => s.inContents).map((s) => ({ anchor: s.id, title: s.title, appendix: s.appendix === true })),
  };
}

/** `level`: the HTML heading level of the section's title (h1 for page 1, h2 for the others); its headings come below it. */
export function viewSection(section: Section, level: 1 | 2) {
  return {
    id: section.id,
    title: section.title,
    newPage: section.newPage,
    appendix: section.appendix === true,
    blocks: section.blocks.map((b) => viewBlock(b, headingLevels(section, level))),
  };
}

/** The tags of the section's level-2 and level-3 headings: one and two below its title, or both one below when it has no level-2 heading. */
function headingLevels(section: Section, level: 1 | 2): HeadingTags {
  const hasLevel2 = section.blocks.some((b) => (b.type === 'heading' && b.level === 2) || (b.type === 'details' && b.heading === 2));
  return { 2: `h${level + 1}`, 3: `h${level + (hasLevel2 ? 2 : 1)}` };
}

type HeadingTags = Readonly<Record<2 | 3, string>>;

type ViewBlock = ReturnType<typeof viewBlock>;

/** Every flag the block partial tests, false unless the block's kind sets it (the templates are compiled strict). */
const KINDS = {
  isParagraph: false,
  isList: false,
  isTable: false,
  isFacts: false,
  isQuote: false,
  isCommand: false,
  isDetails: false,
  isSignoff: false,
  isHeading: false,
  tag: null,
  anchor: null,
};

function viewBlock(block: Block, tags: HeadingTags): Record<string, unknown> & { type: Block['type'] } {
  return { ...KINDS, ...blockFields(block, tags) };
}

function blockFields(block: Block, tags: HeadingTags): Record<string, unknown> & { type: Block['type'] } {
  switch (block.type) {
    case 'heading':
      return { ...block, isHeading: true, anchor: block.anchor ?? null, tag: tags[block.level] };
    case 'paragraph':
      return { ...block, isParagraph: true, style: block.style ?? 'normal', anchor: block.anchor ?? null };
    case 'list':
      return { ...block, isList: true, style: block.style ?? 'normal' };
    case 'table':
      return {
        ...block,
        isTable: true,
        caption: block.caption ?? null,
        small: block.small === true,
        columns: columns(block.columns),
        rows: block.rows.map((r) => ({ anchor: r.anchor ?? null, cells: r.cells })),
      };
    case 'facts':
      return { ...block, isFacts: true, small: block.small === true, rows: block.rows.map(([label, value]) => ({ label, value })) };
    case 'quote':
      // As the document says beside them: control characters as \xNN, bidirectional overrides named.
      return { ...block, isQuote: true, lines: block.lines.map(quotedLine) };
    case 'command':
      return { ...block, isCommand: true };
    case 'details':
      return {
        ...block,
        isDetails: true,
        fold: block.fold === true,
        anchor: block.anchor ?? null,
        tag: block.heading === undefined ? null : tags[block.heading],
        blocks: block.blocks.map<ViewBlock>((b) => viewBlock(b, tags)),
      };
    case 'signoff':
      return { ...block, isSignoff: true };
  }
}

/** A line quoted from evidence: control characters as \xNN (the PDF's notation), bidirectional controls as <U+XXXX>. */
function quotedLine(line: string): string {
  return line
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}

/** Column widths as percentages of the table, from the PDF's shares, so that both lay out alike. */
function columns(list: readonly Column[]) {
  const total = list.reduce((sum, c) => sum + c.share, 0);
  return list.map((c) => ({ header: c.header, width: Math.round((1000 * c.share) / total) / 10, numeric: c.numeric === true, mono: c.mono === true }));
}

/**
 * "Page {page} of {pages}" split around its two numbers, for the print
 * stylesheet's counters: CSS strings, so quotes and backslashes are escaped.
 */
function pageWords(document: ReportDocument) {
  const [before = '', middle = '', after = ''] = document.pageLabel(1, 2).split(/1|2/);
  const css = (text: string) => `"${text.replace(/["\\<]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `).replace(/[\u0000-\u001f]/g, ' ')}"`;
  return { before: css(before), middle: css(middle), after: css(after) };
}
