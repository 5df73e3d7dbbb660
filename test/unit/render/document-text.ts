/**
 * The report document (src/render/content) as plain text, the way a reader
 * sees it whatever the renderer: one line per heading, paragraph, list item,
 * table row (cells joined by " | ") and quoted line. Tests of what the report
 * says read this; tests of the PDF and the HTML check how it is laid out.
 */
import { plainText, type Block, type ReportDocument, type Rich, type Section } from '../../../src/render/content/blocks.js';

export function blockLines(block: Block): string[] {
  switch (block.type) {
    case 'heading':
      return [plainText(block.text)];
    case 'paragraph':
      return [plainText(block.content)];
    case 'list':
      return block.items.map((item) => `• ${plainText(item)}`);
    case 'table':
      return [
        ...(block.caption === undefined ? [] : [block.caption]),
        block.columns.map((c) => c.header).join(' | '),
        ...block.rows.map((row) => row.cells.map((cell) => plainText(cell)).join(' | ')),
      ];
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${plainText(value)}`);
    case 'quote':
      return [...block.lines];
    case 'command':
      return [`$ ${block.text}`];
    case 'details':
      return [plainText(block.summary), ...block.blocks.flatMap(blockLines)];
    case 'signoff':
      return [block.columns.join(' | '), ...block.roles];
  }
}

/** The section's title and every line of it. */
export function sectionText(section: Section): string {
  return [section.title, ...section.blocks.flatMap(blockLines)].join('\n');
}

/** The whole document in reading order. */
export function documentText(doc: ReportDocument): string {
  return [doc.cover, ...doc.sections].map(sectionText).join('\n');
}

export function sectionById(doc: ReportDocument, id: string): Section {
  const found = [doc.cover, ...doc.sections].find((s) => s.id === id);
  if (found === undefined) throw new Error(`the document has no section ${id}: ${doc.sections.map((s) => s.id).join(', ')}`);
  return found;
}

/** Every link target (span.link) the document uses. */
export function linkTargets(doc: ReportDocument): string[] {
  const targets: string[] = [];
  const fromRich = (rich: Rich) => {
    if (typeof rich !== 'string') for (const part of rich) if (typeof part !== 'string' && part.link !== undefined) targets.push(part.link);
  };
  const visit = (block: Block) => {
    switch (block.type) {
      case 'heading':
        return fromRich(block.text);
      case 'paragraph':
        return fromRich(block.content);
      case 'list':
        return block.items.forEach(fromRich);
      case 'table':
        return block.rows.forEach((row) => row.cells.forEach(fromRich));
      case 'facts':
        return block.rows.forEach(([, value]) => fromRich(value));
      case 'details':
        fromRich(block.summary);
        return block.blocks.forEach(visit);
      default:
        return;
    }
  };
  for (const section of [doc.cover, ...doc.sections]) section.blocks.forEach(visit);
  return targets;
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return needle === '' ? 0 : text.split(needle).length - 1;
}

/** Every piece of text the section shows on its own (title, paragraph, list item, cell, fact label and value), in order. */
export function sectionFragments(section: Section): string[] {
  const fromBlock = (block: Block): string[] => {
    switch (block.type) {
      case 'heading':
        return [plainText(block.text)];
      case 'paragraph':
        return [plainText(block.content)];
      case 'list':
        return block.items.map((item) => plainText(item));
      case 'table':
        return [
          ...(block.caption === undefined ? [] : [block.caption]),
          ...block.columns.map((c) => c.header),
          ...block.rows.flatMap((row) => row.cells.map((cell) => plainText(cell))),
        ];
      case 'facts':
        return block.rows.flatMap(([label, value]) => [label, plainText(value)]);
      case 'quote':
        return [...block.lines];
      case 'command':
        return [block.text];
      case 'details':
        return [plainText(block.summary), ...block.blocks.flatMap(fromBlock)];
      case 'signoff':
        return [...block.columns, ...block.roles];
    }
  };
  return [section.title, ...section.blocks.flatMap(fromBlock)].filter((text) => text.trim() !== '');
}
