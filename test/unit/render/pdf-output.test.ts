import { randomBytes } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { collect, emit } from '../../../src/render/pdf/document.js';

/*
 * collect/emit take pdfkit's output from its `_write` instead of its stream.
 * The file must be exactly what pdfkit's own stream gives, whatever mix of
 * short lines, long lines and large binary chunks it writes, in order.
 */
const CLOCK = new Date('2026-07-01T08:00:00Z');

function draw(doc: PDFKit.PDFDocument, large: Buffer): void {
  doc.text('Quarterly audit pack, first page');
  // A stream object larger than half a piece (handed on as it is) between short writes, and one smaller.
  doc.ref({ Type: 'EmbeddedFile' }).end(large);
  doc.ref({ Type: 'EmbeddedFile' }).end(large.subarray(0, 1000));
  doc.addPage();
  // A line longer than a piece.
  doc.ref({ Note: new String('x'.repeat(70_000)) }).end(Buffer.alloc(0));
  for (let i = 0; i < 2000; i++) doc.text(`line ${i} é ü`, 50, 60 + (i % 60) * 10, { lineBreak: false });
}

function pdfkitOwnStream(large: Buffer): Promise<Buffer> {
  const doc = new PDFDocument({ info: { CreationDate: CLOCK }, compress: false });
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(parts))));
  draw(doc, large);
  doc.end();
  return ended;
}

describe('collect', () => {
  it("gives exactly the bytes pdfkit's own stream gives, large chunks and long lines included", async () => {
    const large = randomBytes(200_000);
    const expected = await pdfkitOwnStream(large);
    const doc = new PDFDocument({ info: { CreationDate: CLOCK }, compress: false });
    const bytes = await collect(doc, () => draw(doc, large));
    expect(bytes.length).toBe(expected.length);
    expect(bytes.equals(expected)).toBe(true);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
    expect(bytes.includes(large)).toBe(true);
  });

  it('gives the same bytes to a transient sink, which frees what it was handed once written', async () => {
    const large = randomBytes(200_000);
    const expected = await pdfkitOwnStream(large);
    const doc = new PDFDocument({ info: { CreationDate: CLOCK }, compress: false });
    const copies: Buffer[] = [];
    let freed = 0;
    const sink = (part: Buffer): void => {
      copies.push(Buffer.from(part));
      // A part of a piece emit reuses, or a chunk it frees once this returns: only its bytes, copied, may be kept.
      queueMicrotask(() => (freed += (part.buffer as ArrayBuffer).detached ? 1 : 0));
    };
    await emit(doc, sink, () => draw(doc, large), true);
    expect(Buffer.concat(copies).equals(expected)).toBe(true);
    expect(freed).toBeGreaterThan(0);
  });

  it('rejects rather than give an incomplete file when bytes come through the stream around _write', async () => {
    const doc = new PDFDocument({ info: { CreationDate: CLOCK } });
    const draw = (): void => {
      doc.text('page');
      doc.push(Buffer.from('bytes pdfkit pushed itself'));
    };
    await expect(collect(doc, draw)).rejects.toThrow(/around its _write/);
  });

  it('rejects, naming the cause, when the bytes cannot be written', async () => {
    const doc = new PDFDocument({ info: { CreationDate: CLOCK } });
    let writes = 0;
    const failing = (): void => {
      if (++writes > 1) throw new Error('ENOSPC: no space left on device');
    };
    await expect(emit(doc, failing, () => draw(doc, randomBytes(100_000)))).rejects.toThrow(/ENOSPC/);
  });
});
