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
 */
import { AuditpackError } from '../errors.js';
import type { Report } from '../report/model.js';
import { collect, createDocument } from './pdf/document.js';
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

export async function renderPdf(report: Report): Promise<Buffer> {
  try {
    const doc = createDocument(report);
    return await collect(doc, () => {
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
      stampHeadersAndFooters(doc, report);
    });
  } catch (error) {
    if (error instanceof AuditpackError) throw error;
    throw new AuditpackError('RENDER_FAILED', `the PDF report could not be rendered: ${String(error)}`, { cause: error });
  }
}
