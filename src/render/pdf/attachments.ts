/**
 * Files embedded in report.pdf (PDF/A-3 associated files), so that the PDF
 * alone carries the evidence it reports on. Each is an /EmbeddedFile with a
 * MIME subtype, an /AFRelationship and fixed dates (the run's clock), listed
 * in the catalog's /AF array and in the attachments panel; `pdfdetach -list`
 * shows them. Names are bundle paths, so the attachments manifest and the
 * report's evidence paths name them the same way.
 *
 * Which files: `attachedFiles` below. Memory: an attachment's bytes are taken
 * once, when it is embedded, and pdfkit writes them out compressed at once,
 * so a file staged on disk (read by the `bytes` getter) is in memory only
 * while it is embedded; what the PDF holds is their compressed copies.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Report } from '../../report/model.js';
import { faultAndEstateEvidence } from '../content/scale.js';
import { AUTO_ATTACHMENTS_LIMIT, type PdfAttachments } from '../formats.js';
import type { Doc } from './text.js';

export type AfRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface PdfAttachment {
  /** Bundle path, e.g. `evidence/cockpit/signature.jsonl`. */
  name: string;
  /** Read once, when the file is embedded: may be a getter that reads a staged file. */
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

/**
 * Embeds every attachment, in name order; the dates are the run's clock so
 * the bytes never depend on when the run happened. `written`, called after
 * each, takes what pdfkit wrote (the file compressed) out of its stream.
 */
export function attachFiles(doc: Doc, attachments: readonly PdfAttachment[], clock: Date, written: () => void = () => {}): void {
  const sorted = [...attachments].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of sorted) {
    embedFile(doc as unknown as PdfkitInternals, a, clock);
    written();
  }
}

/** The parts of pdfkit 0.20's document that its own `file()` writes through. */
interface PdfkitInternals {
  ref(data: object): { end(bytes?: Uint8Array): void };
  addNamedEmbeddedFile(name: string, ref: object): void;
  compress: boolean;
  _root: { data: { AF?: object[] } };
}

/**
 * What pdfkit's `doc.file()` writes, object for object and key for key (the
 * same bytes), with two differences: the file is deflated before pdfkit sees
 * it, and the /CheckSum (the MD5 PDF requires of an embedded file) is
 * computed by Node's crypto. pdfkit computes it in
 * JavaScript, about 26 MB/s here, which was most of the time a large
 * estate's attachments took (report.json alone is 38 MB at 1,000 images).
 * The bytes are taken once (a staged file's getter reads it) and not copied.
 */
function embedFile(doc: PdfkitInternals, a: PdfAttachment, clock: Date): void {
  const bytes = a.bytes;
  // Deflated here, as pdfkit would (zlib's defaults), and handed over with its /Filter: pdfkit then
  // neither copies the whole file once more nor deflates it itself. Length and Filter in pdfkit's order.
  const body = doc.compress ? deflateSync(bytes) : bytes;
  // A String object is written as a PDF string, a primitive string as a PDF name.
  const file = doc.ref({
    Type: 'EmbeddedFile',
    Params: { CreationDate: clock, ModDate: clock, CheckSum: new String(createHash('md5').update(bytes).digest('hex')), Size: bytes.byteLength },
    Subtype: pdfName(mimeType(a.name)),
    ...(doc.compress ? { Length: 0, Filter: 'FlateDecode' } : {}),
  });
  file.end(body);
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
