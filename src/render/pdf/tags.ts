/**
 * The PDF's logical structure (a tagged PDF), as far as pdfkit builds one:
 * a Document element holding, in reading order, a heading (H1/H2) or
 * paragraph (P) element per block of text and a Table (TR, TH/TD) per table.
 * Running headers and footers are marked as pagination artifacts, rules and
 * cell fills as layout artifacts, so screen readers and text extraction skip
 * them. pdfkit builds no link or list structure, hence PDF/A-3b (not -3a,
 * which demands complete tagging).
 */
import type { Doc } from './text.js';

type StructType = 'H1' | 'H2' | 'H3' | 'P' | 'Code' | 'LI';

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

/** The Document element, for tables and the table of contents to hang their own elements under. */
export function structureRoot(doc: Doc): PDFKit.PDFStructureElement | undefined {
  return roots.get(doc);
}

/** Draws page furniture (header, footer, page number) or decoration (rules, fills) as an artifact. */
export function asArtifact(doc: Doc, draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

/** Closes the Document element; called once, after the last content. */
export function endStructure(doc: Doc): void {
  roots.get(doc)?.end();
}
