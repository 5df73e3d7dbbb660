/**
 * Files embedded in report.pdf (PDF/A-3 associated files), so that the PDF
 * alone carries the evidence it reports on. Each is an /EmbeddedFile with a
 * MIME subtype, an /AFRelationship and fixed dates (the run's clock), listed
 * in the catalog's /AF array and in the attachments panel; `pdfdetach -list`
 * shows them. Names are bundle paths, so the attachments manifest and the
 * report's evidence paths name them the same way.
 *
 * Which files: `attachedFiles` below. Memory: a staged file is named by its
 * place on disk and read only to be embedded (attachment-bodies.ts, which
 * reads and deflates them, in a worker thread into a scratch file for a large
 * set); its body is copied into the PDF a piece at a time.
 */
import type { Report } from '../../report/model.js';
import { faultAndEstateEvidence } from '../content/scale.js';
import { AUTO_ATTACHMENTS_LIMIT, type PdfAttachments } from '../formats.js';
import type { AttachmentBodies, AttachmentBody } from './attachment-bodies.js';
import type { Doc } from './text.js';

export type AfRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface PdfAttachment {
  /** Bundle path, e.g. `evidence/cockpit/signature.jsonl`. */
  name: string;
  /**
   * The file's bytes, or where a staged bundle file is on disk, its size and
   * the SHA-256 the staging recorded (read only to be embedded, and refused
   * should its bytes not be those any more).
   */
  content: Uint8Array | { file: string; size: number; sha256: string };
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

/**
 * Embeds the attachments in the order given (`sortByName`), each with the
 * body `bodies` prepared for it; the dates are the run's clock so the bytes
 * never depend on when the run happened.
 */
export async function attachFiles(doc: Doc, attachments: readonly PdfAttachment[], bodies: AttachmentBodies, clock: Date): Promise<void> {
  for (const [index, a] of attachments.entries()) {
    embedFile(doc as unknown as PdfkitInternals, a, await bodies.take(index), clock);
  }
}

/** The attachments in name order (byte order of the names): the order they are prepared and embedded in. */
export function sortByName(attachments: readonly PdfAttachment[]): PdfAttachment[] {
  return [...attachments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether pdfkit compresses the document's streams (its `compress` option): attachment bodies are deflated to match. */
export function compresses(doc: Doc): boolean {
  return (doc as unknown as PdfkitInternals).compress;
}

/** The parts of pdfkit 0.20's document that its own `file()` writes through. */
interface PdfkitInternals {
  ref(data: object): { data: { Length?: number }; end(bytes?: Uint8Array): void };
  /** Writes a line (string) or bytes to the output: what a reference's `finalize` writes through. */
  _write: (data: string | Uint8Array) => void;
  addNamedEmbeddedFile(name: string, ref: object): void;
  compress: boolean;
  _root: { data: { AF?: object[] } };
}

/**
 * What pdfkit's `doc.file()` writes, object for object and key for key (the
 * same bytes), with three differences: the file comes deflated (pdfkit then
 * does not deflate it itself), its /CheckSum (the MD5 PDF requires of an
 * embedded file) is computed by Node's crypto (pdfkit computes it in
 * JavaScript, about 26 MB/s here, which was most of the time a large estate's
 * attachments took), and the stream's body is written a piece at a time
 * (`endStreamed`), never whole in memory.
 */
function embedFile(doc: PdfkitInternals, a: PdfAttachment, prepared: AttachmentBody, clock: Date): void {
  // A String object is written as a PDF string, a primitive string as a PDF name. Length and Filter in pdfkit's order.
  const file = doc.ref({
    Type: 'EmbeddedFile',
    Params: { CreationDate: clock, ModDate: clock, CheckSum: new String(prepared.md5), Size: prepared.size },
    Subtype: pdfName(mimeType(a.name)),
    ...(doc.compress ? { Length: 0, Filter: 'FlateDecode' } : {}),
  });
  endStreamed(doc, file, prepared);
  const spec = doc.ref({
    Type: 'Filespec',
    AFRelationship: a.relationship,
    F: new String(a.name),
    EF: { F: file },
    UF: new String(a.name),
    ...(a.description === '' ? {} : { Desc: new String(a.description) }),
  });
  spec.end();
  doc.addNamedEmbeddedFile(a.name, spec);
  (doc._root.data.AF ??= []).push(spec);
}

/**
 * Ends a stream object with `body` as its stream, written a piece at a time:
 * pdfkit's own `finalize` writes the object (its number, its dictionary with
 * /Length, `endobj`, its offset for the cross-reference table) for an empty
 * buffer, which writes no stream; the stream goes in just before `endobj`,
 * between the lines pdfkit writes around a buffer it holds (`stream`, then a
 * newline and `endstream`). The same bytes as `end(body)`, which would join
 * the pieces into one copy of the whole body first (a unit test compares).
 */
function endStreamed(doc: PdfkitInternals, ref: ReturnType<PdfkitInternals['ref']>, body: AttachmentBody): void {
  ref.data.Length = body.length;
  const write = doc._write;
  doc._write = (data) => {
    if (data === 'endobj') {
      write.call(doc, 'stream');
      for (const piece of body.pieces()) write.call(doc, piece);
      write.call(doc, '\nendstream');
    }
    write.call(doc, data);
  };
  try {
    ref.end();
  } finally {
    doc._write = write;
  }
}

/** A PDF name's characters, escaped as pdfkit escapes them (`/` in a MIME type becomes #2F). */
function pdfName(name: string): string {
  return name.replace(/[^\x21-\x7e]|[#%()/<>[\]{}]/g, (c) => (c.charCodeAt(0) > 0x7f ? c : `#${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`));
}

/**
 * The bundle files report.pdf carries in `mode` (see PDF_ATTACHMENTS): `all`,
 * every one; `report`, all but the evidence files (the trust material stays;
 * report.json, attached, pins the evidence by SHA-256); `auto`, every one
 * while they add up to at most AUTO_ATTACHMENTS_LIMIT bytes, else `report`
 * and the evidence files a large estate's PDF lists (the files the faults
 * rest on and the estate's own: content/scale.ts), when they fit in that
 * limit: what a reader of the faults opens. Only sizes are read, never
 * bytes, so staged files stay on disk.
 */
export function attachedFiles<F extends { readonly length: number }>(report: Report, files: ReadonlyMap<string, F>, mode: PdfAttachments): Map<string, F> {
  const total = [...files.values()].reduce((sum, file) => sum + file.length, 0);
  if (mode === 'all' || (mode === 'auto' && total <= AUTO_ATTACHMENTS_LIMIT)) return new Map(files);
  const evidence = report.evidence.filter((e) => e.kind !== 'public-key' && e.kind !== 'trusted-root');
  const needed = new Set(faultAndEstateEvidence(report).map((e) => e.path));
  const neededBytes = [...needed].reduce((sum, path) => sum + (files.get(path)?.length ?? 0), 0);
  const kept = mode === 'auto' && neededBytes <= AUTO_ATTACHMENTS_LIMIT ? needed : new Set<string>();
  const left = new Set(evidence.map((e) => e.path).filter((path) => !kept.has(path)));
  return new Map([...files].filter(([name]) => !left.has(name)));
}
