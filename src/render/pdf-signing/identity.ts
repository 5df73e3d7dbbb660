import type { KeyObject } from 'node:crypto';

/**
 * The certificate and key that sign report.pdf, already loaded and checked
 * (src/seal/pdf-identity.ts reads them from the files the config names): the
 * renderer signs with it and reads no file.
 */
export interface PdfSigningIdentity {
  privateKey: KeyObject;
  /** DER certificates, the signer's first, then any chain to include in the signature. */
  certificates: Buffer[];
  /** The signer's subject, for messages. */
  subject: string;
}
