import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, Signer } from '@signpdf/utils';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { renderPdf, writePdf } from '../../../src/render/pdf.js';
import { THREAD_BYTES } from '../../../src/render/pdf/attachment-bodies.js';
import type { PdfAttachment } from '../../../src/render/pdf/attachments.js';
import { collect } from '../../../src/render/pdf/document.js';
import { CadesSigner } from '../../../src/render/pdf-signing/cades-signer.js';
import type { PdfSigningIdentity } from '../../../src/render/pdf-signing/identity.js';
import { BufferPdfBytes, FilePdfBytes, indexOf, PIECE } from '../../../src/render/pdf-signing/pdf-bytes.js';
import { addSignaturePlaceholder } from '../../../src/render/pdf-signing/placeholder.js';
import { signPdf } from '../../../src/render/pdf-signing/sign.js';
import { selfSignedCertificate } from '../../../src/util/certificate.js';
import { makeReport } from '../../fixtures/report.js';

/*
 * report.pdf is signed in place, in memory or in its bundle file, instead of
 * by @signpdf/signpdf (which copies the whole PDF three times). These tests
 * hold it to the library's bytes, the file to the in-memory result, and the
 * signer to the one signature dictionary pdfkit wrote.
 */
let dir: string;
let signing: PdfSigningIdentity;
const report = makeReport();
const PLACEHOLDER = `/ByteRange [0 /${DEFAULT_BYTE_RANGE_PLACEHOLDER} /${DEFAULT_BYTE_RANGE_PLACEHOLDER} /${DEFAULT_BYTE_RANGE_PLACEHOLDER}]`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-sign-in-place-'));
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const pem = await selfSignedCertificate({
    privateKey,
    commonName: 'Example Bank report signer',
    organisation: 'Example Bank',
    country: 'FR',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
  });
  signing = { privateKey, certificates: [Buffer.from(new X509Certificate(pem).raw)], subject: 'CN=Example Bank report signer' };
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A small pdfkit document with the signature placeholder, unsigned, and where its signature dictionary begins. */
async function unsignedPdf(text = 'Quarterly audit pack'): Promise<{ bytes: Buffer; signatureAt: number }> {
  const doc = new PDFDocument({ pdfVersion: '1.7', info: { CreationDate: new Date('2026-07-01T08:00:00Z') } });
  let signatureAt = -1;
  const bytes = await collect(doc, () => {
    doc.text(text);
    signatureAt = addSignaturePlaceholder(doc, {
      signingTime: new Date('2026-07-01T08:00:00Z'),
      reason: 'test',
      name: 'signer',
      location: 'Paris',
      contactInfo: '',
      signatureLength: 8192,
    });
  });
  return { bytes, signatureAt };
}

/** @signpdf's own signing, with the same CMS (RSA signatures are deterministic). */
class SameCms extends Signer {
  override async sign(bytes: Buffer): Promise<Buffer> {
    const cms = new CadesSigner(signing);
    return cms.signDigest(createHash(cms.digestAlgorithm).update(bytes).digest());
  }
}

function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.error) throw new Error(`pdfsig is not installed (apt-get install -y poppler-utils): ${r.error.message}`);
  return r.stdout;
}

async function renderError(run: () => Promise<unknown>): Promise<AuditpackError> {
  const thrown: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(AuditpackError);
  return thrown as AuditpackError;
}

describe('signing in place', () => {
  it('gives exactly the bytes @signpdf/signpdf 3.3.0 gives for the same PDF and signature', async () => {
    const { bytes, signatureAt } = await unsignedPdf();
    const expected = await new SignPdf().sign(Buffer.from(bytes), new SameCms());
    const pdf = new BufferPdfBytes(Buffer.from(bytes));
    await signPdf(pdf, signing, signatureAt);
    expect(pdf.bytes().length).toBe(expected.length);
    expect(pdf.bytes().equals(expected)).toBe(true);
  });

  it('gives the same bytes in a file as in memory', async () => {
    const { bytes, signatureAt } = await unsignedPdf();
    const inMemory = new BufferPdfBytes(Buffer.from(bytes));
    await signPdf(inMemory, signing, signatureAt);
    const file = path.join(dir, 'in-file.pdf');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r+');
    try {
      await signPdf(new FilePdfBytes(fd), signing, signatureAt);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file).equals(inMemory.bytes())).toBe(true);
    expect(pdfsig(file)).toContain('Signature is Valid');
  });

  it('looks for the placeholder only in the signature dictionary: one elsewhere in the file is neither signed around nor in the way', async () => {
    // An attached file can carry the placeholder text literally (deflate stores incompressible data as it is).
    const { bytes, signatureAt } = await unsignedPdf(`before ${PLACEHOLDER} after`);
    const decoy = Buffer.concat([Buffer.from(`${PLACEHOLDER}\n`), bytes]);
    const pdf = new BufferPdfBytes(decoy);
    await signPdf(pdf, signing, signatureAt + PLACEHOLDER.length + 1);
    const signed = pdf.bytes();
    expect(signed.subarray(0, PLACEHOLDER.length).toString('latin1')).toBe(PLACEHOLDER);
    expect(signed.indexOf(PLACEHOLDER, PLACEHOLDER.length)).toBe(-1);
    expect(signed.toString('latin1')).toMatch(/\/ByteRange \[0 \d+ \d+ \d+ *\]/);
  });

  it('fails closed with RENDER_FAILED when the signature dictionary is not where it was written', async () => {
    const { bytes, signatureAt } = await unsignedPdf();
    const past = bytes.indexOf('/ByteRange', signatureAt) + 1;
    expect(past).toBeGreaterThan(signatureAt);
    const error = await renderError(() => signPdf(new BufferPdfBytes(Buffer.from(bytes)), signing, past));
    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toMatch(/no \/ByteRange placeholder/);
  });

  it('fails closed with RENDER_FAILED on a file that does not end with an EOF line', async () => {
    const { bytes, signatureAt } = await unsignedPdf();
    const truncated = bytes.subarray(0, bytes.length - 8);
    const error = await renderError(() => signPdf(new BufferPdfBytes(Buffer.from(truncated)), signing, signatureAt));
    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toMatch(/EOF line/);
  });
});

/** A staged file's SHA-256, as the staging records it. */
const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('writePdf', () => {
  /** An attachment larger than two pieces, so that hashing and searching cross piece boundaries. */
  function attachments(): PdfAttachment[] {
    const large = path.join(dir, 'large.bin');
    if (!existsSync(large)) writeFileSync(large, randomBytes(2 * PIECE + 12345));
    return [
      {
        name: 'evidence/large.bin',
        content: { file: large, size: 2 * PIECE + 12345, sha256: sha256Of(large) },
        relationship: 'Source',
        description: 'Evidence file',
      },
      { name: 'evidence/small.json', content: Buffer.from('{"a":1}'), relationship: 'Source', description: 'Evidence file' },
    ];
  }

  it('writes, signed, the same bytes renderPdf returns', async () => {
    const options = { signing, attachments: attachments() };
    const file = path.join(dir, 'written.pdf');
    await writePdf(report, file, options);
    const inMemory = await renderPdf(report, options);
    expect(readFileSync(file).equals(inMemory)).toBe(true);
    const verdict = pdfsig(file);
    expect(verdict).toContain('Signature is Valid');
    expect(verdict).toContain('Total document signed');
  });

  it('signs a PDF whose attached evidence carries the placeholder text, and the evidence stays intact', async () => {
    // Incompressible bytes around it: deflate stores the block, so the text is in the PDF as it is.
    const hostile = Buffer.concat([randomBytes(70_000), Buffer.from(PLACEHOLDER), randomBytes(70_000)]);
    const options = {
      signing,
      attachments: [{ name: 'evidence/hostile.bin', content: hostile, relationship: 'Source' as const, description: 'Evidence file' }],
    };
    const file = path.join(dir, 'hostile.pdf');
    await writePdf(report, file, options);
    expect(readFileSync(file).includes(PLACEHOLDER)).toBe(true);
    expect(pdfsig(file)).toContain('Signature is Valid');
    const saved = path.join(dir, 'hostile-extracted.bin');
    const r = spawnSync('pdfdetach', ['-savefile', 'evidence/hostile.bin', '-o', saved, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(saved).equals(hostile)).toBe(true);
  });

  it('writes the bytes renderPdf returns when a worker thread prepares the attachments (and each is freed once embedded)', async () => {
    // Over THREAD_BYTES of incompressible files: the attachment thread's bodies are released after embedding.
    const big = path.join(dir, 'big.bin');
    writeFileSync(big, randomBytes(THREAD_BYTES + 1));
    const many: PdfAttachment[] = [
      ...attachments(),
      { name: 'evidence/big.bin', content: { file: big, size: THREAD_BYTES + 1, sha256: sha256Of(big) }, relationship: 'Source', description: 'Evidence file' },
    ];
    const file = path.join(dir, 'threaded.pdf');
    await writePdf(report, file, { signing, attachments: many });
    expect(readFileSync(file).equals(await renderPdf(report, { signing, attachments: many }))).toBe(true);
    expect(pdfsig(file)).toContain('Signature is Valid');
  });

  it('writes the unsigned PDF renderPdf returns when there is no signing identity', async () => {
    const file = path.join(dir, 'unsigned.pdf');
    await writePdf(report, file, { attachments: attachments() });
    expect(readFileSync(file).equals(await renderPdf(report, { attachments: attachments() }))).toBe(true);
  });

  it('never replaces a file already there', async () => {
    const file = path.join(dir, 'taken.pdf');
    writeFileSync(file, 'not mine');
    await expect(writePdf(report, file, { signing })).rejects.toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('not mine');
  });

  it('leaves no half-written file when the PDF cannot be finished', async () => {
    const file = path.join(dir, 'half.pdf');
    const missing: PdfAttachment = {
      name: 'evidence/gone.json',
      content: { file: path.join(dir, 'gone.json'), size: 10, sha256: '00'.repeat(32) },
      relationship: 'Source',
      description: 'x',
    };
    const error = await renderError(() => writePdf(report, file, { signing, attachments: [missing] }));
    expect(error.code).toBe('RENDER_FAILED');
    expect(existsSync(file)).toBe(false);
  });
});

describe('PdfBytes', () => {
  const text = Buffer.alloc(2 * PIECE + 100, 0x20);
  // A pattern cut in two by the first piece boundary, and one right at the end.
  text.write('/Contents <', PIECE - 5, 'latin1');
  text.write('%%EOF', text.length - 5, 'latin1');

  it('finds a pattern cut by a piece boundary, in memory and in a file', () => {
    const file = path.join(dir, 'pieces.bin');
    writeFileSync(file, text);
    const fd = openSync(file, 'r');
    try {
      for (const bytes of [new BufferPdfBytes(text), new FilePdfBytes(fd)]) {
        expect(indexOf(bytes, '/Contents <', 0)).toBe(PIECE - 5);
        expect(indexOf(bytes, '/Contents <', PIECE - 4)).toBe(-1);
        expect(indexOf(bytes, '%%EOF', PIECE)).toBe(text.length - 5);
        const hash = createHash('sha256');
        bytes.visit(7, bytes.size - 3, (piece) => hash.update(piece));
        expect(hash.digest('hex')).toBe(
          createHash('sha256')
            .update(text.subarray(7, text.length - 3))
            .digest('hex'),
        );
      }
    } finally {
      closeSync(fd);
    }
  });
});
