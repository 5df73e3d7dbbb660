/**
 * Files embedded in report.pdf (PDF/A-3 associated files), so that the PDF
 * alone carries the evidence it reports on. Each is an /EmbeddedFile with a
 * MIME subtype, an /AFRelationship and fixed dates (the run's clock), listed
 * in the catalog's /AF array and in the attachments panel; `pdfdetach -list`
 * shows them. Names are bundle paths, so the attachments manifest and the
 * report's evidence paths name them the same way.
 */
import type { Doc } from './text.js';

export type AfRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface PdfAttachment {
  /** Bundle path, e.g. `evidence/cockpit/signature.jsonl`. */
  name: string;
  bytes: Uint8Array;
  relationship: AfRelationship;
  description: string;
}

const MIME_TYPES: Record<string, string> = {
  json: 'application/json',
  jsonl: 'application/jsonl',
  html: 'text/html',
  csv: 'text/csv',
  md: 'text/markdown',
  txt: 'text/plain',
  log: 'text/plain',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pem: 'application/x-pem-file',
  pub: 'application/x-pem-file',
  crt: 'application/x-pem-file',
  pdf: 'application/pdf',
};

export function mimeType(name: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

/** Embeds every attachment, in name order; the dates are the run's clock so the bytes never depend on when the run happened. */
export function attachFiles(doc: Doc, attachments: readonly PdfAttachment[], clock: Date): void {
  const sorted = [...attachments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of sorted) {
    // @types/pdfkit 0.17 lacks `relationship` (pdfkit writes it as /AFRelationship).
    const options = {
      name: a.name,
      type: mimeType(a.name),
      description: a.description,
      relationship: a.relationship,
      creationDate: clock,
      modifiedDate: clock,
    } as PDFKit.Mixins.PDFAttachmentOptions;
    doc.file(Buffer.from(a.bytes), options);
  }
}
