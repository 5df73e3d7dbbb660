/**
 * Makes a PDF signing key and its self-signed certificate, until
 * `auditpack keygen --certificate` does the same through the same library
 * function (src/util/certificate.ts, generatePdfSigner).
 *
 *   npm run pdf-certificate -- --out keys --cn "Example Bank compliance reports" [--org "Example Bank"] [--country FR] [--days 730]
 *
 * Writes <out>/pdf-signing.key (RSA-3072, PKCS#8 PEM, mode 0600) and
 * <out>/pdf-signing.crt; refuses to overwrite either. Point the config's
 * seal.pdfKey and seal.pdfCertificate at them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePdfSigner } from '../src/util/certificate.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    cn: { type: 'string' },
    org: { type: 'string' },
    country: { type: 'string' },
    days: { type: 'string', default: '730' },
  },
});
if (!values.out || !values.cn) {
  console.error('usage: npm run pdf-certificate -- --out DIR --cn "COMMON NAME" [--org ORG] [--country CC] [--days N]');
  process.exit(2);
}
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1) {
  console.error(`--days must be a positive whole number, not ${values.days}`);
  process.exit(2);
}
const keyFile = join(values.out, 'pdf-signing.key');
const certFile = join(values.out, 'pdf-signing.crt');
for (const file of [keyFile, certFile]) {
  if (existsSync(file)) {
    console.error(`${file} already exists; not overwritten`);
    process.exit(2);
  }
}
const signer = await generatePdfSigner({
  commonName: values.cn,
  ...(values.org ? { organisation: values.org } : {}),
  ...(values.country ? { country: values.country } : {}),
  notBefore: new Date(),
  days,
});
mkdirSync(values.out, { recursive: true });
writeFileSync(keyFile, signer.keyPem, { mode: 0o600 });
writeFileSync(certFile, signer.certificatePem);
console.log(`wrote ${keyFile} and ${certFile} (self-signed, valid ${days} days)`);
