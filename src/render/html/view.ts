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
    cover: viewSection(document.cover),
    contents: document.sections.filter((s) => s.inContents).map((s) => ({ anchor: s.id, title: s.title, appendix: s.appendix === true })),
    sections: document.sections.map(viewSection),
  };
}

function viewSection(section: Section) {
  return { id: section.id, title: section.title, newPage: section.newPage, appendix: section.appendix === true, blocks: section.blocks.map(viewBlock) };
}

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
  h3: false,
  anchor: null,
};

function viewBlock(block: Block): Record<string, unknown> & { type: Block['type'] } {
  return { ...KINDS, ...blockFields(block) };
}

function blockFields(block: Block): Record<string, unknown> & { type: Block['type'] } {
  switch (block.type) {
    case 'heading':
      return { ...block, anchor: block.anchor ?? null, h3: block.level === 3 };
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
      return { ...block, isQuote: true };
    case 'command':
      return { ...block, isCommand: true };
    case 'details':
      return { ...block, isDetails: true, anchor: block.anchor ?? null, blocks: block.blocks.map<ViewBlock>(viewBlock) };
    case 'signoff':
      return { ...block, isSignoff: true };
  }
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
