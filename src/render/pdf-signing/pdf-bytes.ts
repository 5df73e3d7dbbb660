/**
 * The bytes of a PDF being signed, in memory or in a file: the signature is
 * written into the document where pdfkit left room for it, so a large
 * estate's PDF (tens of megabytes with its attachments) is never copied
 * whole, nor held whole in memory when it is written to the bundle.
 */
import { fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs';

export interface PdfBytes {
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer at the end). */
  read(position: number, length: number): Buffer;
  /** Hands the bytes in [start, end) to `each` in pieces of at most PIECE bytes, each valid only during its call (a file reuses one buffer). */
  visit(start: number, end: number, each: (piece: Buffer) => void): void;
  /** Overwrites bytes in place; never changes the size. */
  overwrite(position: number, bytes: Buffer): void;
  /** Drops the bytes from `size` on. */
  truncate(size: number): void;
}

/** A PDF in memory; `bytes()` gives the result. */
export class BufferPdfBytes implements PdfBytes {
  #buffer: Buffer;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  get size(): number {
    return this.#buffer.length;
  }

  read(position: number, length: number): Buffer {
    return this.#buffer.subarray(position, position + length);
  }

  visit(start: number, end: number, each: (piece: Buffer) => void): void {
    for (let at = start; at < end; at += PIECE) each(this.#buffer.subarray(at, Math.min(end, at + PIECE)));
  }

  overwrite(position: number, bytes: Buffer): void {
    if (position < 0 || position + bytes.length > this.#buffer.length) throw new RangeError('overwrite outside the PDF');
    bytes.copy(this.#buffer, position);
  }

  truncate(size: number): void {
    this.#buffer = this.#buffer.subarray(0, size);
  }

  bytes(): Buffer {
    return this.#buffer;
  }
}

/** A PDF in an open file (read and write). */
export class FilePdfBytes implements PdfBytes {
  #size: number;

  constructor(private readonly fd: number) {
    this.#size = fstatSync(fd).size;
  }

  get size(): number {
    return this.#size;
  }

  read(position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.#size - position)));
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(this.fd, buffer, done, buffer.length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  }

  visit(start: number, end: number, each: (piece: Buffer) => void): void {
    // One buffer for every piece: hashing a large PDF leaves no megabytes of garbage behind.
    const scratch = Buffer.allocUnsafe(Math.min(PIECE, Math.max(0, end - start)));
    for (let at = start; at < end;) {
      const n = readSync(this.fd, scratch, 0, Math.min(scratch.length, end - at), at);
      if (n === 0) break;
      each(scratch.subarray(0, n));
      at += n;
    }
  }

  overwrite(position: number, bytes: Buffer): void {
    if (position < 0 || position + bytes.length > this.#size) throw new RangeError('overwrite outside the PDF');
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
  }

  truncate(size: number): void {
    ftruncateSync(this.fd, size);
    this.#size = size;
  }
}

/** Pieces read at a time when searching or hashing a PDF: bounded memory whatever its size. */
export const PIECE = 1024 * 1024;

/** The first position of `pattern` at or after `from`, or -1; searched piece by piece (patterns are short). */
export function indexOf(pdf: PdfBytes, pattern: string, from: number): number {
  const needle = Buffer.from(pattern, 'latin1');
  for (let start = Math.max(0, from); start < pdf.size; start += PIECE) {
    // Each piece overlaps the next by the pattern's length less one, so a match across the cut is found.
    const piece = pdf.read(start, PIECE + needle.length - 1);
    const at = piece.indexOf(needle);
    if (at >= 0) return start + at;
  }
  return -1;
}
