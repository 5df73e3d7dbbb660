/**
 * The PDF audit report: a PDF/A-3b file with embedded DejaVu fonts, tagged,
 * with bookmarks, internal links, a printed table of contents, "Page N of M"
 * and, optionally, the bundle's files as attachments and an X.509 signature
 * (PAdES B-B, `ETSI.CAdES.detached`) covering every byte but its own.
 *
 * Reads only the `Report`. Its content and words come from the report
 * document (src/render/content), the same the HTML lays out, in the reader's
 * language. Same report and locale in, same bytes out: the creation date is
 * the run's clock, nothing reads the wall clock or the machine's locale or
 * time zone, and pdfkit derives the file ID from the Info dictionary.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { AuditpackError } from '../errors.js';
import { DEFAULT_LOCALE, type Locale } from '../report/i18n.js';
import type { Report } from '../report/model.js';
import { definedAnchors, type ReportDocument, type Section } from './content/blocks.js';
import { buildDocument } from './content/document.js';
import { compactPdf } from './content/scale.js';
import { prepareBodies } from './pdf/attachment-bodies.js';
import { attachFiles, compresses, sortByName, type PdfAttachment } from './pdf/attachments.js';
import { contentsHeight, countEntries, writeContents } from './pdf/contents.js';
import { createDocument, emit, type PdfHead } from './pdf/document.js';
import { stampHeadersAndFooters } from './pdf/furniture.js';
import { PdfLayout } from './pdf/layout.js';
import { beginStructure, endStructure, structureRoot } from './pdf/tags.js';
import type { PdfSigningIdentity } from './pdf-signing/identity.js';
import { BufferPdfBytes, FilePdfBytes } from './pdf-signing/pdf-bytes.js';
import { reserveSignature, signPdf } from './pdf-signing/sign.js';

export interface RenderPdfOptions {
  /** The reader's language (default English). */
  locale?: Locale;
  /** Files to embed (PDF/A-3 associated files). */
  attachments?: readonly PdfAttachment[];
  /** Certificate and key to sign the PDF with; unsigned without. */
  signing?: PdfSigningIdentity;
  /**
   * A file path of the render's own, outside the bundle (it must not exist):
   * for a large set of attachments, their prepared bodies wait there, not in
   * memory, until they are embedded; removed when the render ends. Without
   * it, a folder of its own in the system's temporary folder.
   */
  scratch?: string;
}

/** The PDF in memory (tests, the library API, small reports). */
export async function renderPdf(report: Report, options: RenderPdfOptions = {}): Promise<Buffer> {
  const prepared = preparePdf(report, options);
  const parts: Buffer[] = [];
  const signatureAt = await drawPdf(prepared, (part) => parts.push(part));
  const pdf = new BufferPdfBytes(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
  if (options.signing) await signPdf(pdf, options.signing, signatureAt);
  return pdf.bytes();
}

/**
 * The PDF written to `file` (created; it must not exist) as pdfkit produces
 * it, and signed there: the same bytes as `renderPdf`, never whole in memory.
 * On failure the file is removed.
 */
export async function writePdf(report: Report, file: string, options: RenderPdfOptions = {}): Promise<void> {
  await writePreparedPdf(preparePdf(report, options), file);
}

/**
 * A PDF ready to be laid out: its document built from the report, and what
 * else it reads of the report (`PdfHead`), nothing more. It lets the caller
 * let go of the report model before the layout, the longest part of a large
 * report's render: at 5,000 images the model is 86 MB of the heap, and
 * nothing the layout does reads it. Laid out once: the layout empties it.
 */
export interface PreparedPdf {
  readonly head: PdfHead;
  readonly layout: DocumentForLayout;
  readonly options: RenderPdfOptions;
}

export function preparePdf(report: Report, options: RenderPdfOptions = {}): PreparedPdf {
  try {
    // A large estate's PDF is compact (content/scale.ts); what it attaches, it can say it carries.
    const attached = new Set((options.attachments ?? []).map((a) => a.name));
    const built = buildDocument(report, options.locale ?? DEFAULT_LOCALE, { compact: compactPdf(report), attached });
    return { head: { generator: report.generator, run: report.run }, layout: forLayout(built), options };
  } catch (error) {
    throw renderFailed(error);
  }
}

const LAID_OUT = new WeakSet<PreparedPdf>();

/** `writePdf` of a prepared PDF. */
export async function writePreparedPdf(prepared: PreparedPdf, file: string): Promise<void> {
  const { signing } = prepared.options;
  const fd = openSync(file, 'wx+', 0o644);
  let written = false;
  try {
    const signatureAt = await drawPdf(prepared, (part) => writeAll(fd, part), true);
    if (signing) await signPdf(new FilePdfBytes(fd), signing, signatureAt);
    written = true;
  } finally {
    closeSync(fd);
    // No half-written PDF is left where a whole one is expected.
    if (!written) rmSync(file, { force: true });
  }
}

/**
 * The document as the layout takes it: its frame (cover, titles, running
 * header, page labels; what is read after the layout), its sections as a
 * queue the layout empties, and what is read from the sections before the
 * layout (the anchors they define, the contents' entries). The sections are
 * most of the document (at 5,000 images 33 MB of the live heap at the end of
 * the layout) and the layout's own memory grows as it goes: each is freed
 * once laid out, which the frame, holding none of them, allows.
 */
interface DocumentForLayout {
  document: ReportDocument;
  sections: Section[];
  anchors: Set<string>;
  contentsEntries: number;
}

function forLayout(document: ReportDocument): DocumentForLayout {
  return {
    document: { ...document, sections: [] },
    sections: [...document.sections],
    anchors: definedAnchors(document),
    contentsEntries: countEntries(document),
  };
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Lays the PDF out and hands its bytes to `write` (`transient`: done with each
 * part when it returns, see `emit`); returns where its signature dictionary
 * begins (-1 unsigned).
 */
async function drawPdf(prepared: PreparedPdf, write: (part: Buffer) => void, transient = false): Promise<number> {
  // Its sections leave it as they are laid out: a second layout would be a PDF without them.
  if (LAID_OUT.has(prepared)) throw new AuditpackError('INTERNAL', 'a prepared PDF is laid out once; prepare it again');
  LAID_OUT.add(prepared);
  const { head, options } = prepared;
  const { document, sections, anchors, contentsEntries } = prepared.layout;
  let signatureAt = -1;
  try {
    anchors.add('contents');
    const doc = createDocument(head, document);
    const attachments = sortByName(options.attachments ?? []);
    // Started before the layout: for a large set, a thread reads and deflates the files while the pages are laid out.
    const bodies = prepareBodies(attachments, compresses(doc), options.scratch === undefined ? {} : { scratch: options.scratch });
    await emit(
      doc,
      write,
      async () => {
        beginStructure(doc);
        const layout = new PdfLayout(doc, anchors, document.cutNote);
        layout.section(document.cover, { cover: true });
        // Page 2 opens with the table of contents, written once the sections' pages are known; the sections follow below it.
        doc.addPage();
        const contentsPage = layout.page();
        const contentsHeightReserved = contentsHeight(doc, contentsEntries);
        doc.y = doc.page.margins.top + contentsHeightReserved;
        doc.addNamedDestination('contents', 'XYZ', doc.page.margins.left, doc.page.margins.top, null);
        doc.outline.addItem(document.contentsTitle);
        const contents = doc.struct('TOC');
        structureRoot(doc)?.add(contents);
        // Each section let go once laid out: nothing after the layout reads it.
        for (let section = sections.shift(); section !== undefined; section = sections.shift()) layout.section(section);
        writeContents(doc, contentsPage, contentsHeightReserved, document.contentsTitle, layout.entries, anchors, contents);
        endStructure(doc);
        stampHeadersAndFooters(doc, document);
        await attachFiles(doc, attachments, bodies, new Date(head.run.generatedAt));
        if (options.signing) signatureAt = reserveSignature(doc, head, options.signing);
      },
      transient,
    ).finally(() => bodies.close());
  } catch (error) {
    throw renderFailed(error);
  }
  return signatureAt;
}

function renderFailed(error: unknown): AuditpackError {
  if (error instanceof AuditpackError) return error;
  return new AuditpackError('RENDER_FAILED', `the PDF report could not be rendered: ${String(error)}`, { cause: error });
}
