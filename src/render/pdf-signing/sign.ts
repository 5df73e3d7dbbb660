/**
 * Signing report.pdf: reserve the signature field while the document is
 * drawn (addSignaturePlaceholder), then, once pdfkit has written every byte,
 * let @signpdf/signpdf compute the byte ranges and insert the CMS signature.
 * The signature covers the whole file except its own /Contents, attachments
 * included: pdfsig reports "Total document signed".
 */
import { SignPdf } from '@signpdf/signpdf';
import { AuditpackError, describeThrown } from '../../errors.js';
import type { Report } from '../../report/model.js';
import type { Doc } from '../pdf/text.js';
import { CadesSigner } from './cades-signer.js';
import type { PdfSigningIdentity } from './identity.js';
import { addSignaturePlaceholder } from './placeholder.js';

/** Room for the CMS: the certificates plus the signature and attributes (≤ 1 KiB for RSA-4096), with margin. */
export function signatureLength(identity: PdfSigningIdentity): number {
  const certificates = identity.certificates.reduce((n, der) => n + der.length, 0);
  return Math.max(8192, certificates + 4096);
}

export function reserveSignature(doc: Doc, report: Report, identity: PdfSigningIdentity): void {
  addSignaturePlaceholder(doc, {
    signingTime: new Date(report.run.generatedAt),
    reason: `auditpack report for ${report.run.organisation}, ${report.run.period.label}`,
    name: identity.subject,
    location: report.run.organisation,
    contactInfo: '',
    signatureLength: signatureLength(identity),
  });
}

export async function signPdf(unsigned: Buffer, identity: PdfSigningIdentity, signingTime: Date): Promise<Buffer> {
  try {
    return await new SignPdf().sign(unsigned, new CadesSigner(identity), signingTime);
  } catch (thrown) {
    throw new AuditpackError('RENDER_FAILED', `report.pdf could not be signed: ${describeThrown(thrown)}`, { cause: thrown });
  }
}
