/**
 * The signature field, added to the pdfkit document before it is ended: a
 * /Sig dictionary whose /Contents is a zero-filled placeholder that
 * the signer (sign.ts) later fills with the CMS signature, and an invisible
 * widget annotation in the AcroForm.
 *
 * Adapted from @signpdf/placeholder-pdfkit 3.3.0 (Apache-2.0; its README
 * invites copying) rather than depended on: that package declares a peer
 * dependency on pdfkit 0.11 that breaks `npm install` next to pdfkit 0.20,
 * and its widget lacks the Print flag PDF/A requires on every annotation
 * (reference/libs-formats.md §3.2 pitfall 5). A zero-sized widget needs no
 * appearance stream in PDF/A-2/3.
 */
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { Doc } from '../pdf/text.js';

export interface PlaceholderOptions {
  /** The signing time (the run's clock): the signature dictionary's /M. */
  signingTime: Date;
  reason: string;
  name: string;
  location: string;
  contactInfo: string;
  /** Bytes reserved for the CMS signature. */
  signatureLength: number;
}

/** ISO 32000-1 Table 165: annotation flag 3, Print. */
const PRINT_FLAG = 4;

/** The AcroForm dictionary pdfkit writes into the catalog. */
interface AcroFormData {
  Type?: string;
  SigFlags?: number;
  Fields: unknown[];
  DR?: unknown;
}

/** pdfkit internals the placeholder needs (the catalog and the AcroForm); not in @types/pdfkit. */
interface DocInternals {
  _acroform?: unknown;
  _root: { data: { AcroForm: { data: AcroFormData } } };
  initForm(): void;
}

/** Returns the byte offset in the file at which the signature dictionary is written (the signer looks for its placeholder there). */
export function addSignaturePlaceholder(doc: Doc, options: PlaceholderOptions): number {
  const internals = doc as unknown as DocInternals;
  const signature = doc.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
    Contents: Buffer.alloc(options.signatureLength),
    Reason: new String(options.reason),
    M: options.signingTime,
    ContactInfo: new String(options.contactInfo),
    Name: new String(options.name),
    Location: new String(options.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'auditpack' } },
  });
  if (!internals._acroform) internals.initForm();
  const form = internals._root.data.AcroForm;
  // Replaces pdfkit's form dictionary: no NeedAppearances (PDF/A forbids it being true).
  form.data = { Type: 'AcroForm', SigFlags: SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY, Fields: form.data.Fields, DR: form.data.DR };
  const widget = doc.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    F: PRINT_FLAG,
    Rect: [0, 0, 0, 0],
    V: signature,
    T: new String(`Signature${form.data.Fields.length + 1}`),
    P: doc.page.dictionary,
  });
  // @types/pdfkit leaves the page's annotation list untyped: it holds references like `widget`.
  (doc.page.annotations as unknown[]).push(widget);
  form.data.Fields.push(widget);
  // @types/pdfkit wants a chunk; these dictionaries have no stream. Ending a reference writes it, recording its offset in the file.
  (signature as unknown as { end(): void }).end();
  (widget as unknown as { end(): void }).end();
  return (signature as unknown as { offset: number }).offset;
}
