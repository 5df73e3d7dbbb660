/**
 * The PDF audit report: a PDF/A-3b file with embedded DejaVu fonts, an
 * outline (bookmarks) per section, and a running header and footer.
 *
 * Reads only the `Report`. Same report in, same bytes out: the creation date
 * is the run's clock, nothing reads the wall clock, the locale or the time
 * zone, and pdfkit derives the file ID from the Info dictionary.
 *
 * Sections follow the order an auditor reads in, one file each under
 * `./pdf/`: title page and executive summary; the check of the
 * organisation's own citations (it changes which clauses to read); images;
 * failed findings, then the waivers some of them carry; the quality and
 * inventory of the attested SBOMs (with the clauses a poor one weakens);
 * frameworks and controls, then the check × framework crosswalk; the
 * manual statements, apart from the verified evidence; trust material, evidence inventory,
 * input problems, and last how to verify the bundle.
 *
 * Optionally the PDF carries the bundle's files as PDF/A-3 attachments and
 * is signed with an X.509 certificate (PAdES B-B, `ETSI.CAdES.detached`),
 * the signature covering every byte but its own, attachments included.
 */
import { AuditpackError } from '../errors.js';
import type { Report } from '../report/model.js';
import { collect, createDocument } from './pdf/document.js';
import { beginStructure, endStructure } from './pdf/tags.js';
import { attachFiles, type PdfAttachment } from './pdf/attachments.js';
import type { PdfSigningIdentity } from './pdf-signing/identity.js';
import { reserveSignature, signPdf } from './pdf-signing/sign.js';
import { writeClaims } from './pdf/claims.js';
import { writeCrosswalk } from './pdf/crosswalk.js';
import { writeEvidence } from './pdf/evidence.js';
import { writeFindings } from './pdf/findings.js';
import { writeFrameworks } from './pdf/frameworks.js';
import { stampHeadersAndFooters } from './pdf/furniture.js';
import { writeImages } from './pdf/images.js';
import { writeManualEvidence } from './pdf/manual-evidence.js';
import { writeProblems } from './pdf/problems.js';
import { writeSboms } from './pdf/sboms.js';
import { writeExecutiveSummary } from './pdf/summary.js';
import { writeTitlePage } from './pdf/title-page.js';
import { writeTrust } from './pdf/trust.js';
import { writeVerifyPage } from './pdf/verify-page.js';
import { writeWaivers } from './pdf/waivers.js';

export interface RenderPdfOptions {
  /** Files to embed (PDF/A-3 associated files). */
  attachments?: readonly PdfAttachment[];
  /** Certificate and key to sign the PDF with; unsigned without. */
  signing?: PdfSigningIdentity;
}

export async function renderPdf(report: Report, options: RenderPdfOptions = {}): Promise<Buffer> {
  let unsigned: Buffer;
  try {
    const doc = createDocument(report);
    unsigned = await collect(doc, () => {
      beginStructure(doc);
      writeTitlePage(doc, report);
      writeExecutiveSummary(doc, report);
      writeClaims(doc, report);
      writeImages(doc, report);
      writeFindings(doc, report);
      writeWaivers(doc, report);
      writeSboms(doc, report);
      writeFrameworks(doc, report);
      writeCrosswalk(doc, report);
      writeManualEvidence(doc, report);
      writeTrust(doc, report);
      writeEvidence(doc, report);
      writeProblems(doc, report);
      writeVerifyPage(doc, report);
      endStructure(doc);
      stampHeadersAndFooters(doc, report);
      attachFiles(doc, options.attachments ?? [], new Date(report.run.generatedAt));
      if (options.signing) reserveSignature(doc, report, options.signing);
    });
  } catch (error) {
    if (error instanceof AuditpackError) throw error;
    throw new AuditpackError('RENDER_FAILED', `the PDF report could not be rendered: ${String(error)}`, { cause: error });
  }
  return options.signing ? await signPdf(unsigned, options.signing, new Date(report.run.generatedAt)) : unsigned;
}
