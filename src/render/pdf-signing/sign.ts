/**
 * Signing report.pdf: reserve the signature field while the document is
 * drawn (addSignaturePlaceholder), then, once pdfkit has written every byte,
 * fill in the byte ranges and the CMS signature where the placeholder left
 * room for them. The signature covers the whole file except its own
 * /Contents, attachments included: pdfsig reports "Total document signed".
 *
 * The steps and their checks are @signpdf/signpdf 3.3.0's `SignPdf.sign`
 * (a unit test compares the bytes with it), done in place on the PDF's bytes,
 * in memory or in the bundle's file: the library takes and returns one
 * Buffer and copies it whole three times, ~100 MB at the peak of a
 * 1,000-image report whose PDF carries the other reports.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER } from '@signpdf/utils';
import { AuditpackError, describeThrown } from '../../errors.js';
import type { Report } from '../../report/model.js';
import type { Doc } from '../pdf/text.js';
import { CadesSigner } from './cades-signer.js';
import type { PdfSigningIdentity } from './identity.js';
import { indexOf, type PdfBytes } from './pdf-bytes.js';
import { addSignaturePlaceholder } from './placeholder.js';

/** Room for the CMS: the certificates plus the signature and attributes (≤ 1 KiB for RSA-4096), with margin. */
export function signatureLength(identity: PdfSigningIdentity): number {
  const certificates = identity.certificates.reduce((n, der) => n + der.length, 0);
  return Math.max(8192, certificates + 4096);
}

/** Adds the signature field; returns where in the file its signature dictionary begins. */
export function reserveSignature(doc: Doc, report: Pick<Report, 'run'>, identity: PdfSigningIdentity): number {
  return addSignaturePlaceholder(doc, {
    signingTime: new Date(report.run.generatedAt),
    reason: `auditpack report for ${report.run.organisation}, ${report.run.period.label}`,
    name: identity.subject,
    location: report.run.organisation,
    contactInfo: '',
    signatureLength: signatureLength(identity),
  });
}

/**
 * Signs the PDF in place (its size may shrink by its trailing newline, as
 * @signpdf's result does). `signatureAt`: where the signature dictionary
 * begins, as `reserveSignature` returned it.
 */
export async function signPdf(pdf: PdfBytes, identity: PdfSigningIdentity, signatureAt: number): Promise<void> {
  try {
    await signInPlace(pdf, new CadesSigner(identity), signatureAt);
  } catch (thrown) {
    if (thrown instanceof AuditpackError) throw thrown;
    throw new AuditpackError('RENDER_FAILED', `report.pdf could not be signed: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

function failed(reason: string): AuditpackError {
  return new AuditpackError('RENDER_FAILED', `report.pdf could not be signed: ${reason}`);
}

async function signInPlace(pdf: PdfBytes, signer: CadesSigner, signatureAt: number): Promise<void> {
  pdf.truncate(withoutTrailingNewline(pdf));
  const placeholder = findByteRangePlaceholder(pdf, signatureAt);
  const byteRangeEnd = placeholder.position + placeholder.text.length;
  const contentsTag = indexOf(pdf, '/Contents ', byteRangeEnd);
  const contentsStart = contentsTag < 0 ? -1 : indexOf(pdf, '<', contentsTag);
  const contentsEnd = contentsStart < 0 ? -1 : indexOf(pdf, '>', contentsStart);
  if (contentsEnd < 0) throw failed('the signature dictionary has no /Contents placeholder');
  const withBrackets = contentsEnd + 1 - contentsStart;
  const room = withBrackets - 2;
  const afterContents = contentsStart + withBrackets;
  const byteRange = `/ByteRange [${[0, contentsStart, afterContents, pdf.size - afterContents].join(' ')}]`;
  if (byteRange.length > placeholder.text.length) throw failed('the byte ranges do not fit their placeholder');
  pdf.overwrite(placeholder.position, Buffer.from(byteRange.padEnd(placeholder.text.length, ' '), 'latin1'));

  const hash = createHash(signer.digestAlgorithm);
  pdf.visit(0, contentsStart, (piece) => hash.update(piece));
  pdf.visit(afterContents, pdf.size, (piece) => hash.update(piece));
  const signature = await signer.signDigest(hash.digest());
  if (signature.length * 2 > room) throw failed(`the signature (${signature.length * 2} hex digits) exceeds its placeholder (${room})`);
  pdf.overwrite(contentsStart, Buffer.from(`<${signature.toString('hex').padEnd(room, '0')}>`, 'latin1'));
}

/** The size without one trailing LF, then one CR; the file must then end with an EOF line. */
function withoutTrailingNewline(pdf: PdfBytes): number {
  let size = pdf.size;
  if (size > 0 && pdf.read(size - 1, 1).toString('latin1') === '\n') size -= 1;
  if (size > 0 && pdf.read(size - 1, 1).toString('latin1') === '\r') size -= 1;
  const lastLine = size < 6 ? '' : pdf.read(size - 6, 6).toString('latin1');
  if (lastLine !== '\n%%EOF' && lastLine !== '\r%%EOF') throw failed('a PDF file must end with an EOF line');
  return size;
}

/** Longest `[...]` read after the /ByteRange: the placeholder is ~40 characters. */
const MAX_RANGE_TEXT = 256;

/**
 * The `/ByteRange [0 /********** /********** /**********]` of the signature
 * dictionary, which pdfkit wrote at `from`. Only that object is looked at:
 * the attachments before it are evidence files, and one carrying placeholder
 * text (a stored deflate block keeps it literal) must neither be signed
 * around nor stop the signing.
 */
function findByteRangePlaceholder(pdf: PdfBytes, from: number): { position: number; text: string } {
  const name = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  const position = indexOf(pdf, '/ByteRange', from);
  const rangeStart = position < 0 ? -1 : indexOf(pdf, '[', position);
  const rangeEnd = rangeStart < 0 ? -1 : indexOf(pdf, ']', rangeStart);
  if (rangeEnd >= 0 && rangeEnd - rangeStart <= MAX_RANGE_TEXT) {
    const range = pdf
      .read(rangeStart + 1, rangeEnd - rangeStart - 1)
      .toString('latin1')
      .split(' ')
      .filter((c) => c !== '');
    if (range.length === 4 && range[0] === '0' && range[1] === name && range[2] === name && range[3] === name) {
      return { position, text: pdf.read(position, rangeEnd + 1 - position).toString('latin1') };
    }
  }
  throw failed('its signature dictionary has no /ByteRange placeholder');
}
