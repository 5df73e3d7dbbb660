/**
 * The pdfkit document itself: PDF/A-3b options, metadata, and collecting
 * the output into one Buffer.
 */
import PDFDocument from 'pdfkit';
import { AuditpackError } from '../../errors.js';
import type { Report } from '../../report/model.js';
import type { ReportDocument } from '../content/blocks.js';
import { fontPaths } from './fonts.js';
import type { Doc } from './text.js';

/** Page margins leave room for the running header and footer. */
const MARGINS = { top: 56, bottom: 56, left: 50, right: 50 };

export const PDFA_LEVEL = 'PDF/A-3b';

/** What the PDF reads of the report besides its document: who made it, when, for whom and which period. */
export type PdfHead = Pick<Report, 'generator' | 'run'>;

export function createDocument(report: PdfHead, document: ReportDocument): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    pdfVersion: '1.7',
    // PDF/A-3 (not -1/-2): only -3 allows attachments of any type (the raw evidence).
    subset: PDFA_LEVEL,
    // pdfkit caches the shaped layout of every distinct word per font and
    // never empties the cache; digests and purls are all distinct, so on a
    // large report it only grows. `false` bounds memory but renders about 4×
    // slower (pdfkit shapes each word several times per text call). Keeping
    // the cache and bounding its size gives both (boundLayoutCache).
    fontLayoutCache: true,
    // Pages stay open so that "Page N of M" and the contents can be written once M is known (their bodies do not: endPageBodies).
    bufferPages: true,
    // The default font would otherwise be Helvetica: a standard font that is
    // never embedded, which PDF/A forbids.
    font: fontPaths().regular,
    lang: document.lang,
    // A structure tree (src/render/pdf/tags.ts) and the title, not the file name, in the reader's title bar.
    tagged: true,
    displayTitle: true,
    info: documentInfo(report, document),
  });
  boundLayoutCache(doc);
  endPageBodies(doc);
  releaseStructParents(doc);
  return doc;
}

/**
 * Words kept laid out per font: a report's repeated words are shaped once; the
 * cache starts again past this many. Each cached word holds its glyphs and a
 * position object per glyph: at 12,000 words the caches were ~50 MB of the
 * live heap at the end of a 1,000-image layout (185 MB -> 138 MB at 4,000),
 * for the same render time (bench:render, 3.52 vs 3.51 s CPU).
 */
export const LAYOUT_CACHE_WORDS = 4_000;
/** Pages between two counts of the cached words (counting a cache of thousands of words on every page cost 4 % of the render). */
export const LAYOUT_CACHE_CHECK_PAGES = 8;
/**
 * Words longer than this many characters (pdfkit's words end with their
 * space) leave the cache at each count: a digest, a path, a reference,
 * almost never met again, and the heaviest entries (a position object per
 * glyph). Measured on a 1,000-image report: the cached glyphs at most
 * 103,000 instead of 365,000, for 7.6 % more words shaped (about 50 ms).
 */
export const LAYOUT_CACHE_LONGEST_WORD = 16;

/**
 * Bounds pdfkit's per-font layout caches: every LAYOUT_CACHE_CHECK_PAGES
 * pages, the words longer than LAYOUT_CACHE_LONGEST_WORD leave them, and a
 * font whose cache still holds more than LAYOUT_CACHE_WORDS words starts
 * an empty one, so that memory stays bounded (measured: a 2000-page report
 * reached 1.45 GB with an unbounded cache) while a word met again is not
 * shaped again (emptying the caches every 16 pages instead re-shaped a third
 * of a 1,000-image report's words).
 * `_fontFamilies` and `layoutCache` are pdfkit internals: a unit test fails
 * if an upgrade moves them, rather than memory silently growing again.
 */
export function boundLayoutCache(doc: Doc): void {
  const internals = doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> };
  let pages = 0;
  doc.on('pageAdded', () => {
    if (++pages % LAYOUT_CACHE_CHECK_PAGES !== 0) return;
    for (const font of Object.values(internals._fontFamilies ?? {})) {
      if (font.layoutCache === undefined) continue;
      forgetLongWords(font.layoutCache as Record<string, unknown>);
      if (moreKeysThan(font.layoutCache, LAYOUT_CACHE_WORDS)) font.layoutCache = Object.create(null) as object;
    }
  });
}

function forgetLongWords(cache: Record<string, unknown>): void {
  for (const word in cache) {
    if (word.length > LAYOUT_CACHE_LONGEST_WORD) delete cache[word];
  }
}

function moreKeysThan(object: object, limit: number): boolean {
  let count = 0;
  for (const key in object) {
    if (Object.hasOwn(object, key) && ++count > limit) return true;
  }
  return false;
}

/**
 * pdfkit keeps each buffered page's content as one small array per operator
 * (thousands per page, each with its own buffer) until the document ends: on
 * a 1,000-image report that was most of the render's memory, and most of what
 * the garbage collector copied from young to old space. `joinContent` joins
 * the operators drawn since it last ran (the layout calls it after each table
 * row and paragraph).
 *
 * Once the layout leaves a page, what it drew there (the body) is final, but
 * pages stay buffered until the end for "Page N of M" and the table of
 * contents: joined, the bodies of the 1,000-image report's 177 pages still
 * held 13 MB at the end of its layout (about 75 kB a page). So the body is
 * deflated and written to the output when the layout leaves its page, and
 * the page's content becomes two streams, the body and what is drawn there
 * later (running header, page number, contents). A page's content array is
 * read as the concatenation of its streams (ISO 32000-1, 7.8.2), and the
 * operators are the same, in the same order, as in one stream. (A body is
 * never empty, pdfkit opens every page with its transform; an empty one
 * would be left as it is, since a stream object needs bytes.) `content`,
 * `content.buffer` and `dictionary.data` are pdfkit internals: a unit test
 * fails if an upgrade moves them, rather than memory silently growing again.
 */
export function endPageBodies(doc: Doc): void {
  onPageLeft(doc, (page) => {
    const body = page.content;
    if (body.buffer.length === 0) return;
    body.end();
    const rest = doc.ref({});
    page.dictionary.data.Contents = [body, rest];
    page.content = rest as unknown as PageInternals['content'];
  });
}

/**
 * A tagged PDF's parent tree maps each page's marked content, and each link,
 * to its structure element; pdfkit writes it last, and until then it holds
 * the elements' references, each with its dictionary, whose /P leads to the
 * parent's. pdfkit writes an element out as soon as it and its children have
 * ended, but through the parent tree the whole structure tree stayed in
 * memory to the end: at 5,000 images 61 MB of the 315 MB live at the end of
 * the layout, about 75 kB a page. The tree needs no more of a reference than
 * its "N 0 R". So once the layout leaves a page, its entries, and the links'
 * made since the last page was left, become references that carry only their
 * number: an element written is then freed with its dictionary, and one not
 * yet ended still holds its own reference, written when it ends. Same bytes.
 * `_root`, `StructTreeRoot`, `ParentTree._items`, `ParentTreeNextKey` and
 * `StructParents` are pdfkit internals: a unit test fails if an upgrade moves
 * them, rather than memory silently growing again.
 */
export function releaseStructParents(doc: Doc): void {
  let linksFrom = 0;
  onPageLeft(doc, (page) => {
    const root = (doc as unknown as DocumentInternals)._root.data.StructTreeRoot;
    if (root === undefined) return;
    const items = root.data.ParentTree._items;
    const number = numberOnly(page.dictionary);
    const key = page.dictionary.data.StructParents;
    const marks = key === undefined ? undefined : items[key];
    if (Array.isArray(marks)) for (const [i, entry] of marks.entries()) marks[i] = number(entry);
    // A link's entry is one reference, a page's an array (of its marks, by MCID).
    const next = root.data.ParentTreeNextKey;
    for (let k = linksFrom; k < next; k++) {
      const entry = items[k];
      if (entry !== undefined && !Array.isArray(entry)) items[k] = number(entry);
    }
    linksFrom = next;
  });
}

/** Calls `left` with the page the layout has just left, each time it adds the next one. */
function onPageLeft(doc: Doc, left: (page: PageInternals) => void): void {
  // pdfkit opens the first page itself, before this is called.
  let current = doc.page as unknown as PageInternals;
  doc.on('pageAdded', () => {
    const page = current;
    current = doc.page as unknown as PageInternals;
    left(page);
  });
}

/** `entry` as a reference with its number alone when it is one of pdfkit's references (whose class `sample` is), else as it is. */
function numberOnly(sample: object): (entry: unknown) => unknown {
  const reference = Object.getPrototypeOf(sample) as object;
  return (entry) => {
    if (typeof entry !== 'object' || entry === null || Object.getPrototypeOf(entry) !== reference) return entry;
    const { id, gen } = entry as { id: number; gen: number };
    // The same class, so pdfkit writes it as it writes any reference: "id gen R".
    return Object.assign(Object.create(reference) as object, { id, gen });
  };
}

interface DocumentInternals {
  _root: { data: { StructTreeRoot?: { data: { ParentTree: { _items: Record<number, unknown> }; ParentTreeNextKey: number } } } };
}

interface PageInternals {
  content: { buffer: Uint8Array[]; end(): void };
  dictionary: { data: { Contents: unknown; StructParents?: number } };
}

/** Operators joined at a time: fewer would copy the same bytes again and again, more leave small arrays for the garbage collector. */
const JOIN_OPERATORS = 256;
/** How many of a page content's first arrays are already joined ones. */
const joined = new WeakMap<object, number>();

/** Joins the current page's operators drawn since the last join, once there are JOIN_OPERATORS of them. */
export function joinContent(doc: Doc): void {
  const content = (doc.page as unknown as Partial<PageInternals>).content;
  const buffer = content?.buffer;
  if (content === undefined || buffer === undefined) return;
  const done = joined.get(content) ?? 0;
  if (buffer.length - done < JOIN_OPERATORS) return;
  buffer.splice(done, buffer.length - done, Buffer.concat(buffer.slice(done)));
  joined.set(content, done + 1);
}

/**
 * The Info dictionary. pdfkit copies Title, Author, Subject and Creator into
 * the XMP packet without XML-escaping them, so `&`, `<` and `>` would make the
 * XMP malformed (and the file not PDF/A). They are replaced by look-alike
 * characters here, for both Info and XMP: PDF/A wants the two to agree.
 * ModDate is left out on purpose: pdfkit writes no XMP twin for it.
 */
export function documentInfo(report: PdfHead, document: ReportDocument): PDFKit.DocumentInfo {
  return {
    Title: metadataText(document.title),
    Author: metadataText(report.run.organisation),
    // The same words as the last appendix: the end instant is excluded.
    Subject: metadataText(document.subject),
    Creator: metadataText(`auditpack ${report.generator.version}`),
    Producer: 'auditpack',
    // The run's clock, not the wall clock: same report, same bytes (the file
    // ID is a hash of this dictionary).
    CreationDate: creationDate(report.run.generatedAt),
    // The Info key poppler (pdfinfo's "PDF subtype") and Acrobat read the
    // PDF/A level from; pdfkit writes the XMP pdfaid twin from `subset`.
    GTS_PDFA1Version: PDFA_LEVEL,
  } as PDFKit.DocumentInfo;
}

function creationDate(generatedAt: string): Date {
  const date = new Date(generatedAt);
  if (Number.isNaN(date.getTime())) {
    throw new AuditpackError('RENDER_FAILED', `run.generatedAt '${generatedAt}' is not an ISO 8601 instant`);
  }
  return date;
}

/** Safe inside XML text and in a PDF string: no markup characters, no controls. */
export function metadataText(text: string): string {
  return text
    .replace(/&/g, '＆')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\ud800-\udfff]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : '\ufffd'));
}

function isPaired(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const prev = s.charCodeAt(i - 1);
  return prev >= 0xd800 && prev <= 0xdbff;
}

/** Renders into `draw`, then resolves with the whole file (see `emit`). */
export async function collect(doc: Doc, draw: () => void | Promise<void>): Promise<Buffer> {
  const parts: Buffer[] = [];
  await emit(doc, (part) => parts.push(part), draw);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** pdfkit's one output path: every byte of the file goes through `_write`, which counts the offsets of the cross-reference table. */
interface OutputInternals {
  _write(data: string | Uint8Array): void;
  _offset: number;
}

/**
 * Renders into `draw` (which may wait, for the attachments a thread
 * prepares, before the document ends), handing the file to `write` in
 * order, and resolves once the document has ended.
 *
 * pdfkit writes one small chunk per line of every object, each a new
 * Uint8Array converted character by character, and pushes it into its
 * readable stream, whose reader joins them again: on a large report that was
 * millions of small buffers for the garbage collector, and each attachment
 * (tens of megabytes) copied into the join. Its `_write` is replaced here:
 * lines are written into pieces of PIECE bytes handed on when full, a large
 * chunk (an attachment, a font) is handed on as it is, and no byte goes
 * through the stream, which only says when the document has ended. The bytes
 * are pdfkit's own (latin1 is its character-by-character low byte).
 *
 * `transient`: `write` is done with each part when it returns (it writes to
 * a file). Then one piece is reused, and a large chunk's memory is freed as
 * soon as it is written (ArrayBuffer `transfer(0)`) instead of waiting for a
 * garbage collection: at 1,000 images the PDF's attachments and pages left
 * about 45 MB of such chunks behind, below V8's own trigger for collecting
 * them. pdfkit 0.20 writes binary data only from a reference's `finalize`,
 * a buffer it made itself (joined, then deflated) and drops right after; a
 * unit test renders through a transient sink and compares the bytes.
 */
export function emit(doc: Doc, write: (part: Buffer) => void, draw: () => void | Promise<void>, transient = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const output = new JoinedOutput(write, transient);
    // pdfkit wrote the file's header through its stream when the document was created.
    let written: Buffer | null;
    while ((written = doc.read() as Buffer | null) !== null) output.bytes(written);
    const internals = doc as unknown as OutputInternals;
    internals._write = (data) => {
      internals._offset += typeof data === 'string' ? output.line(data) : output.bytes(data);
    };
    doc.on('end', () => {
      try {
        output.flush();
        resolve();
      } catch (thrown) {
        reject(thrown);
      }
    });
    doc.on('error', reject);
    // Nothing but the end comes through the stream now; bytes that did (a pdfkit that writes around `_write`) would be missing from the file.
    doc.on('data', () => reject(new Error('pdfkit wrote bytes around its _write: the PDF would be incomplete')));
    doc.resume();
    const drawn = async () => {
      await draw();
      doc.end();
    };
    drawn().catch(reject);
  });
}

/** Bytes joined into pieces: a piece is handed on when the next write does not fit (and reused only for a transient sink). */
const PIECE = 64 * 1024;

class JoinedOutput {
  #piece = Buffer.allocUnsafe(PIECE);
  #used = 0;

  constructor(
    private readonly write: (part: Buffer) => void,
    private readonly transient: boolean,
  ) {}

  /** A line of text and its newline, as pdfkit's `_write` encodes it; returns its length in bytes. */
  line(text: string): number {
    const length = text.length + 1;
    if (length > PIECE - this.#used) this.flush();
    if (length > PIECE) {
      this.write(Buffer.from(`${text}\n`, 'latin1'));
      return length;
    }
    this.#used += this.#piece.write(text, this.#used, 'latin1');
    this.#piece[this.#used++] = 0x0a;
    return length;
  }

  bytes(data: Uint8Array): number {
    const length = data.length;
    if (length >= PIECE / 2) {
      this.flush();
      this.write(Buffer.from(data.buffer, data.byteOffset, data.length));
      if (this.transient && data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) data.buffer.transfer(0);
      return length;
    }
    if (length > PIECE - this.#used) this.flush();
    this.#piece.set(data, this.#used);
    this.#used += length;
    return length;
  }

  flush(): void {
    if (this.#used === 0) return;
    const full = this.#piece.subarray(0, this.#used);
    if (!this.transient) this.#piece = Buffer.allocUnsafe(PIECE);
    this.#used = 0;
    this.write(full);
  }
}
