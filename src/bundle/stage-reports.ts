import { outputFileName, type OutputFormat, type PdfAttachments } from '../render/formats.js';
import { htmlPieces } from '../render/html.js';
import { jsonChunks } from '../render/json.js';
import { guarded, pdfOptions, renderOutputs } from '../render/outputs.js';
import { preparePdf, writePreparedPdf, type PreparedPdf } from '../render/pdf.js';
import type { PdfSigningIdentity } from '../render/pdf-signing/identity.js';
import type { Locale } from '../report/i18n.js';
import type { Report } from '../report/model.js';
import { stagedFiles } from './assemble.js';
import type { BundleStaging } from './staging.js';

export interface StageReportsOptions {
  formats: readonly OutputFormat[];
  locale: Locale;
  pdfAttachments: PdfAttachments;
  pdfSigning?: PdfSigningIdentity;
  progress: (message: string) => void;
}

/** Text is handed to the file in pieces of about this many characters. */
const TEXT_PIECE = 64 * 1024;

/**
 * Renders the requested reports but the PDF into the staged bundle, one at a
 * time, each written as soon as it is rendered: report.json and report.html
 * piece by piece (never one string: they grow with the estate). Each starts
 * syncing to disk at once (`syncAhead`), while the next ones render:
 * otherwise the commit waits for them after the PDF (at 5,000 images
 * report.json alone is 190 MB).
 *
 * Returns the PDF, when asked for, prepared (its document built, every file
 * staged so far listed to attach), for `stagePdf` to lay out once the caller
 * has let go of the model: nothing of the model is held by it.
 */
export async function stageReports(staging: BundleStaging, report: Report, options: StageReportsOptions): Promise<PreparedPdf | undefined> {
  const { formats, progress } = options;
  for (const format of formats) {
    if (format === 'pdf') continue;
    if (format === 'json' || format === 'html') {
      progress(`render ${format}`);
      const pieces = format === 'json' ? jsonChunks(report) : htmlPieces(report, { locale: options.locale });
      await staging.addStreamed(outputFileName(format), (write) => writeJoined(pieces, write));
      staging.syncAhead([outputFileName(format)]);
      continue;
    }
    await stageRendered(staging, report, format, options);
  }
  if (!formats.includes('pdf')) return undefined;
  progress('render pdf');
  const pdf = pdfOptions({
    report,
    bundleFiles: stagedFiles(staging),
    locale: options.locale,
    pdfAttachments: options.pdfAttachments,
    ...(options.pdfSigning ? { pdfSigning: options.pdfSigning } : {}),
  });
  // Its attachments' bodies wait beside the staging folder (never in it: the bundle holds only what its manifest
  // lists), as the inventory's rows do; a killed run's scratch file goes with its staging folder (recoverInterruptedRun).
  return preparePdf(report, { ...pdf, scratch: `${staging.dir}.pdf-attachments` });
}

/** Lays the PDF out, written and signed in its bundle file: never whole in memory (it carries the other reports). */
export async function stagePdf(staging: BundleStaging, pdf: PreparedPdf): Promise<void> {
  await staging.addWritten(outputFileName('pdf'), (file) => guarded('pdf', () => writePreparedPdf(pdf, file)));
}

/**
 * A report rendered whole (OSCAL) and written, in a function of its own so
 * that its bytes are freed once written, not held while the PDF renders.
 */
async function stageRendered(staging: BundleStaging, report: Report, format: OutputFormat, options: StageReportsOptions): Promise<void> {
  const rendered = await renderOutputs({ report, formats: [format], bundleFiles: new Map(), progress: options.progress, locale: options.locale });
  for (const [path, bytes] of rendered) await staging.add(path, bytes);
  staging.syncAhead([...rendered.keys()]);
}

/** Writes small pieces of text joined into larger ones: one write per piece would cost more than the text. */
async function writeJoined(pieces: Iterable<string>, write: (text: string) => Promise<void>): Promise<void> {
  let pending: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    pending.push(piece);
    length += piece.length;
    if (length >= TEXT_PIECE) {
      await write(pending.join(''));
      pending = [];
      length = 0;
    }
  }
  await write(pending.join(''));
}
