/**
 * The PDF's logical structure (a tagged PDF), as far as pdfkit builds one:
 * a Document element holding, in reading order, a heading (H1/H2) or
 * paragraph (P) element per block of text and a Table (TR, TH/TD) per table.
 * Running headers and footers are marked as pagination artifacts, so screen
 * readers and text extraction skip them. Graphics (rules, cell fills) are not
 * tagged; pdfkit offers no figure or list structure for them. Hence PDF/A-3b
 * (not -3a, which demands complete tagging).
 */
import type { Doc } from './text.js';

type StructType = 'H1' | 'H2' | 'P' | 'Code';

const roots = new WeakMap<Doc, PDFKit.PDFStructureElement>();

/** Opens the Document element; called once, before anything is drawn. */
export function beginStructure(doc: Doc): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  roots.set(doc, root);
}

/** `doc.text()` options that make the text one structure element of `type` under the Document. */
export function tagged(doc: Doc, type: StructType): { structParent?: PDFKit.PDFStructureElement; structType?: StructType } {
  const root = roots.get(doc);
  return root ? { structParent: root, structType: type } : {};
}

/** `doc.table()` options that make the table a Table element under the Document. */
export function taggedTable(doc: Doc): { structParent?: PDFKit.PDFStructureElement } {
  const root = roots.get(doc);
  return root ? { structParent: root } : {};
}

/** Draws page furniture (header, footer, page number) as a pagination artifact. */
export function asArtifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact', { type: 'Pagination' });
  draw();
  doc.endMarkedContent();
}

/** Closes the Document element; called once, after the last content. */
export function endStructure(doc: Doc): void {
  roots.get(doc)?.end();
}
