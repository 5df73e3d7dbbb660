/**
 * The certificate and key that sign report.pdf, read from PEM files or a
 * PKCS#12 file. Checked up front, so that a wrong file stops the run with
 * PDF_SIGNING_INVALID naming it, before anything is written: the key must be
 * RSA or ECDSA P-256/P-384, the first certificate must be the key's, and it
 * must be valid at the run's clock. The renderer receives the loaded identity
 * (src/render/pdf-signing/identity.ts) and reads no file itself.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as pkijs from 'pkijs';
import type { SealConfig } from '../config/schema.js';
import { AuditpackError, describeThrown } from '../errors.js';
import type { PdfSigningIdentity } from '../render/pdf-signing/identity.js';
import { signingAlgorithm, toArrayBuffer, useNodeCrypto } from '../util/certificate.js';

export type { PdfSigningIdentity };

export type PdfSigningSource = { kind: 'pem'; certificate: string; key: string; passphrase?: string } | { kind: 'pkcs12'; file: string; passphrase?: string };

const PKCS8_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/**
 * The identity the config names (`seal.pdfCertificate` + `seal.pdfKey`, or
 * `seal.pdfPkcs12`), paths relative to the config's folder; none when the
 * config names none. The passphrase unlocks a PKCS#12 file or an encrypted
 * PEM key; the CLI takes it from the environment.
 */
export async function pdfSigningFromConfig(seal: SealConfig, baseDir: string, clock: string, passphrase?: string): Promise<PdfSigningIdentity | undefined> {
  const secret = passphrase === undefined ? {} : { passphrase };
  if (seal.pdfPkcs12 !== undefined) return loadPdfSigningIdentity({ kind: 'pkcs12', file: resolve(baseDir, seal.pdfPkcs12), ...secret }, clock);
  if (seal.pdfCertificate === undefined || seal.pdfKey === undefined) return undefined;
  return loadPdfSigningIdentity({ kind: 'pem', certificate: resolve(baseDir, seal.pdfCertificate), key: resolve(baseDir, seal.pdfKey), ...secret }, clock);
}

export async function loadPdfSigningIdentity(source: PdfSigningSource, clock: string): Promise<PdfSigningIdentity> {
  const file = source.kind === 'pem' ? source.key : source.file;
  const bytes = await readOrFail(file);
  let privateKey: KeyObject;
  let certificates: Buffer[];
  if (source.kind === 'pem') {
    privateKey = attempt(file, 'cannot read the PDF signing key', () =>
      createPrivateKey(source.passphrase === undefined ? bytes : { key: bytes, passphrase: source.passphrase }),
    );
    const pem = (await readOrFail(source.certificate)).toString('utf8');
    certificates = attempt(source.certificate, 'cannot read the PDF signing certificate', () => pemCertificates(pem));
  } else {
    ({ privateKey, certificates } = await readPkcs12(file, bytes, source.passphrase ?? ''));
  }
  return checkIdentity(source.kind === 'pem' ? source.certificate : file, privateKey, certificates, clock);
}

function checkIdentity(file: string, privateKey: KeyObject, certificates: Buffer[], clock: string): PdfSigningIdentity {
  attempt(file, 'the PDF signing key', () => signingAlgorithm(privateKey));
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  const mine = spki(createPublicKey(privateKey));
  const index = certificates.findIndex((der) => spki(new X509Certificate(der).publicKey).equals(mine));
  if (index < 0) fail(file, 'no certificate matches the PDF signing key');
  const ordered = [certificates[index]!, ...certificates.filter((_, i) => i !== index)];
  const leaf = new X509Certificate(ordered[0]!);
  const at = new Date(clock).getTime();
  if (at < Date.parse(leaf.validFrom) || at > Date.parse(leaf.validTo)) {
    fail(file, `the certificate "${leaf.subject.replace(/\n/g, ', ')}" is valid from ${leaf.validFrom} to ${leaf.validTo}, not at the run's clock ${clock}`);
  }
  return { privateKey, certificates: ordered, subject: leaf.subject.replace(/\n/g, ', ') };
}

function pemCertificates(pem: string): Buffer[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new Error('no PEM "CERTIFICATE" block');
  return blocks.map((m) => Buffer.from(new X509Certificate(m[0]).raw));
}

/** PKCS#12 as OpenSSL 3 writes it by default (PBES2, AES, HMAC-SHA-256). */
async function readPkcs12(file: string, bytes: Buffer, passphrase: string): Promise<{ privateKey: KeyObject; certificates: Buffer[] }> {
  useNodeCrypto();
  const password = toArrayBuffer(Buffer.from(passphrase, 'utf8'));
  try {
    const pfx = pkijs.PFX.fromBER(toArrayBuffer(bytes));
    await pfx.parseInternalValues({ password, checkIntegrity: true });
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error('no authenticated safe');
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password })) });
    const keys: KeyObject[] = [];
    const certificates: Buffer[] = [];
    // pkijs types the parsed safe as `any`: after parseInternalValues it holds one SafeContents per ContentInfo.
    const parsedSafe = safe.parsedValue as { safeContents?: { value: pkijs.SafeContents }[] } | undefined;
    for (const contents of parsedSafe?.safeContents ?? []) {
      for (const bag of contents.value.safeBags) {
        if (bag.bagId === PKCS8_SHROUDED_KEY_BAG) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
          // Public in pkijs's JavaScript, protected only in its typings.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password });
          keys.push(pkcs8Key(shrouded.parsedValue));
        } else if (bag.bagId === KEY_BAG) {
          keys.push(pkcs8Key(bag.bagValue as pkijs.PrivateKeyInfo));
        } else if (bag.bagId === CERT_BAG) {
          const parsed: unknown = (bag.bagValue as pkijs.CertBag).parsedValue;
          if (parsed instanceof pkijs.Certificate) certificates.push(Buffer.from(parsed.toSchema(true).toBER(false)));
        }
      }
    }
    if (keys.length !== 1) throw new Error(`it holds ${keys.length} private keys, expected one`);
    return { privateKey: keys[0]!, certificates };
  } catch (thrown) {
    if (thrown instanceof AuditpackError) throw thrown;
    const reason = describeThrown(thrown);
    const hint = /contentEncryptionAlgorithm|Unknown .*Algorithm/i.test(reason)
      ? ' (legacy PKCS#12 encryption such as RC2 or 3DES: re-export it with OpenSSL 3 defaults, or use PEM files)'
      : /Integrity/i.test(reason)
        ? ' (wrong passphrase?)'
        : '';
    return fail(file, `cannot read the PKCS#12 file: ${reason}${hint}`, thrown);
  }
}

function pkcs8Key(info: pkijs.PrivateKeyInfo | undefined): KeyObject {
  if (!info) throw new Error('an empty key bag');
  return createPrivateKey({ key: Buffer.from(info.toSchema().toBER(false)), format: 'der', type: 'pkcs8' });
}

async function readOrFail(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (thrown) {
    return fail(file, `cannot read: ${describeThrown(thrown)}`, thrown);
  }
}

function attempt<T>(file: string, what: string, action: () => T): T {
  try {
    return action();
  } catch (thrown) {
    return fail(file, `${what}: ${describeThrown(thrown)}`, thrown);
  }
}

function fail(file: string, reason: string, cause?: unknown): never {
  throw new AuditpackError('PDF_SIGNING_INVALID', reason, { file, ...(cause === undefined ? {} : { cause }) });
}
