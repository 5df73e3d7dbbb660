import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { renderPdf } from '../../../src/render/pdf.js';
import { loadPdfSigningIdentity, type PdfSigningIdentity, type PdfSigningSource } from '../../../src/seal/pdf-identity.js';
import { generatePdfSigner, selfSignedCertificate } from '../../../src/util/certificate.js';
import { makeReport } from '../../fixtures/report.js';

/*
 * The signed PDF is checked with the tools an auditor has: poppler's pdfsig
 * (signature, signed ranges) and qpdf --check. PKCS#12 files are made with
 * the openssl command line, as a user would export one.
 */
let dir: string;
const report = makeReport();
const CLOCK = report.run.generatedAt;
const VALID = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };

function run(tool: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.error) throw new Error(`${tool} is not installed (apt-get install -y poppler-utils qpdf openssl): ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writePem(name: string, key: KeyObject, certificate: string): { certificate: string; key: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(certFile, certificate);
  return { certificate: certFile, key: keyFile };
}

async function identity(source: PdfSigningSource, clock = CLOCK): Promise<PdfSigningIdentity> {
  return loadPdfSigningIdentity(source, clock);
}

async function signed(name: string, signing: PdfSigningIdentity): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await renderPdf(report, { signing });
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

let rsa: { certificate: string; key: string };
let rsaKey: KeyObject;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-pdfsig-'));
  rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  rsa = writePem(
    'rsa',
    rsaKey,
    await selfSignedCertificate({ privateKey: rsaKey, commonName: 'Example Bank report signer', organisation: 'Example Bank', country: 'FR', ...VALID }),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a PDF signed with a PEM certificate and RSA key', () => {
  it("is valid for pdfsig, signed as a whole, ETSI.CAdES.detached, at the run's clock", async () => {
    const { file } = await signed('rsa', await identity({ kind: 'pem', ...rsa }));
    const r = run('pdfsig', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(r.stdout).toContain('Total document signed');
    expect(r.stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(r.stdout).toContain('Signer Certificate Common Name: Example Bank report signer');
    expect(r.stdout).toContain('Signing Time: Jul 01 2026 08:00:00');
    expect(run('qpdf', '--check', file).status).toBe(0);
  });

  it('gives the same bytes when signed twice with the same key and clock', async () => {
    const signing = await identity({ kind: 'pem', ...rsa });
    const [a, b] = [await renderPdf(report, { signing }), await renderPdf(structuredClone(report), { signing })];
    expect(a.equals(b)).toBe(true);
  });

  it('fails pdfsig after one byte of the signed content changes', async () => {
    const { bytes } = await signed('rsa-tamper', await identity({ kind: 'pem', ...rsa }));
    const at = bytes.indexOf('Example Bank');
    const changed = Buffer.from(bytes);
    changed[at] = 'X'.charCodeAt(0);
    const file = path.join(dir, 'tampered.pdf');
    writeFileSync(file, changed);
    const r = run('pdfsig', file);
    expect(r.stdout).not.toContain('Signature is Valid');
    expect(r.stdout).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('gives its widget the Print flag PDF/A needs and no NeedAppearances', async () => {
    const { bytes } = await signed('rsa-widget', await identity({ kind: 'pem', ...rsa }));
    const text = bytes.toString('latin1');
    expect(text).toMatch(/\/Subtype \/Widget\s*\/FT \/Sig\s*\/F 4\s*\/Rect \[0 0 0 0\]/);
    expect(text).not.toContain('/NeedAppearances true');
  });
});

describe('other keys and containers', () => {
  it('signs with an ECDSA P-256 PEM key (valid, though not byte-identical between runs)', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pem = writePem('ec', key, await selfSignedCertificate({ privateKey: key, commonName: 'EC signer', ...VALID }));
    const r = run('pdfsig', (await signed('ec', await identity({ kind: 'pem', ...pem }))).file);
    expect(r.stdout).toContain('Signature is Valid');
    expect(r.stdout).toContain('Total document signed');
  });

  it('reads a PKCS#12 file as OpenSSL 3 exports it, with its passphrase', async () => {
    const p12 = path.join(dir, 'rsa.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', rsa.key, '-in', rsa.certificate, '-out', p12, '-passout', 'pass:s3cret']);
    const signing = await identity({ kind: 'pkcs12', file: p12, passphrase: 's3cret' });
    expect(signing.subject).toContain('Example Bank report signer');
    expect(run('pdfsig', (await signed('p12', signing)).file).stdout).toContain('Signature is Valid');
    await expect(identity({ kind: 'pkcs12', file: p12, passphrase: 'wrong' })).rejects.toMatchObject({
      code: 'PDF_SIGNING_INVALID',
      file: p12,
      message: expect.stringContaining('wrong passphrase'),
    });
  });

  it('puts the signer first when the certificate file lists a chain in another order', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ca = await selfSignedCertificate({ privateKey: other, commonName: 'Some CA', ...VALID });
    const chain = path.join(dir, 'chain.crt');
    writeFileSync(chain, ca + readFileSync(rsa.certificate, 'utf8'));
    const signing = await identity({ kind: 'pem', certificate: chain, key: rsa.key });
    expect(new X509Certificate(signing.certificates[0]!).subject).toContain('Example Bank report signer');
    expect(signing.certificates).toHaveLength(2);
  });
});

describe('a PDF signing identity that cannot be used stops the run with PDF_SIGNING_INVALID, naming the file', () => {
  const expectInvalid = async (source: PdfSigningSource, file: string, reason: RegExp, clock = CLOCK) => {
    const error = await identity(source, clock).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AuditpackError);
    expect(error).toMatchObject({ code: 'PDF_SIGNING_INVALID', file });
    expect((error as Error).message).toMatch(reason);
  };

  it('a key that does not match the certificate', async () => {
    const stranger = path.join(dir, 'stranger.key');
    writeFileSync(stranger, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expectInvalid({ kind: 'pem', certificate: rsa.certificate, key: stranger }, rsa.certificate, /no certificate matches/);
  });

  it("a certificate not valid at the run's clock", async () => {
    await expectInvalid({ kind: 'pem', ...rsa }, rsa.certificate, /not at the run's clock 2028-01-01/, '2028-01-01T00:00:00.000Z');
  });

  it('an Ed25519 key, which PDF readers do not accept', async () => {
    const ed = generateKeyPairSync('ed25519').privateKey;
    const certFile = path.join(dir, 'ed.crt');
    writeFileSync(certFile, readFileSync(rsa.certificate));
    const keyFile = path.join(dir, 'ed.key');
    writeFileSync(keyFile, ed.export({ type: 'pkcs8', format: 'pem' }));
    await expectInvalid({ kind: 'pem', certificate: certFile, key: keyFile }, certFile, /use RSA or ECDSA/);
  });

  it('a missing file, a file that is not a certificate, a legacy PKCS#12', async () => {
    const missing = path.join(dir, 'nope.key');
    await expectInvalid({ kind: 'pem', certificate: rsa.certificate, key: missing }, missing, /cannot read/);
    await expectInvalid({ kind: 'pem', certificate: rsa.key, key: rsa.key }, rsa.key, /no PEM "CERTIFICATE" block/);
    const legacy = path.join(dir, 'legacy.p12');
    const r = spawnSync('openssl', ['pkcs12', '-export', '-legacy', '-inkey', rsa.key, '-in', rsa.certificate, '-out', legacy, '-passout', 'pass:x']);
    if (r.status === 0) await expectInvalid({ kind: 'pkcs12', file: legacy, passphrase: 'x' }, legacy, /legacy PKCS#12/);
    else expect(r.stderr.toString()).toMatch(/legacy|unsupported/i);
  });
});

describe('selfSignedCertificate', () => {
  it('makes a certificate for the key, self-verifying, with the names, validity and document-signing key usage given', async () => {
    const pem = await selfSignedCertificate({ privateKey: rsaKey, commonName: 'A & <B>', organisation: 'Org', country: 'FR', ...VALID });
    const cert = new X509Certificate(pem);
    expect(cert.subject.split('\n')).toEqual(['C=FR', 'O=Org', 'CN=A & \\<B\\>']); // RFC 4514 escapes < and >
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkPrivateKey(rsaKey)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(cert.ca).toBe(false);
    const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'keyUsage'], { input: pem, encoding: 'utf8' });
    expect(text).toContain('Digital Signature, Non Repudiation');
  });

  it('is the same bytes for the same RSA key, names and validity', async () => {
    const request = { privateKey: rsaKey, commonName: 'same', ...VALID };
    expect(await selfSignedCertificate(request)).toBe(await selfSignedCertificate(request));
    expect(await selfSignedCertificate({ ...request, commonName: 'other' })).not.toBe(await selfSignedCertificate(request));
  });

  it('generatePdfSigner (keygen --certificate) makes an RSA-3072 key and a certificate for it that signs a valid PDF', async () => {
    const made = await generatePdfSigner({ commonName: 'Made', notBefore: new Date('2026-06-01T00:00:00Z'), days: 365 });
    const cert = new X509Certificate(made.certificatePem);
    expect(new Date(cert.validTo).toISOString()).toBe('2027-06-01T00:00:00.000Z');
    const pem = path.join(dir, 'made');
    writeFileSync(`${pem}.key`, made.keyPem);
    writeFileSync(`${pem}.crt`, made.certificatePem);
    const signing = await identity({ kind: 'pem', certificate: `${pem}.crt`, key: `${pem}.key` });
    expect(signing.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(run('pdfsig', (await signed('made', signing)).file).stdout).toContain('Signature is Valid');
  });
});
