/**
 * What the PDF writes for each attached file: its size, the MD5 PDF requires
 * of an embedded file, and its stream's body (deflated when the document is
 * compressed). Reading, hashing and deflating are most of what attaching
 * costs (at 1,000 images about 2.5 s for 444 files, report.json 38 MB of
 * them), and the PDF's layout before them keeps the main thread busy for as
 * long while the other core has nothing to do. So when the files add up to
 * THREAD_BYTES or more, a worker thread prepares them, in embedding order,
 * from the moment the render starts: the layout and the attachments' work run
 * side by side, and the main thread's heap never holds the files themselves,
 * only their deflated copies, handed over without a copy. Smaller sets are
 * prepared here, when they are embedded: a thread would cost more than it
 * saves. Either way, the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { WorkerPool } from '../../util/worker-pool.js';
import type { PdfAttachment } from './attachments.js';

export interface AttachmentBody {
  /** The file's size in bytes. */
  size: number;
  /** Its MD5, hex: the embedded file's /CheckSum. */
  md5: string;
  /** The stream's bytes: the file, deflated when the document is compressed. */
  body: Uint8Array;
}

/** From this many bytes of attached files on, a worker thread prepares them. */
export const THREAD_BYTES = 8 * 1024 * 1024;
/** How many bytes of files the thread may have read ahead of embedding (at least one file): bounds what waits in memory. */
const AHEAD_BYTES = 256 * 1024 * 1024;

export interface AttachmentBodies {
  /** The body of the `index`-th attachment; each is taken once, in order. */
  take(index: number): Promise<AttachmentBody>;
  /**
   * Says a taken body has been embedded (pdfkit has copied it): a body the
   * thread made is freed now, not at the next garbage collection; a body
   * prepared here may be the caller's own bytes and is left alone.
   */
  release(body: AttachmentBody): void;
  /** Ends the thread, if there is one (also when the render failed half-way). */
  close(): Promise<void>;
}

export function attachmentSize(a: PdfAttachment): number {
  return a.content instanceof Uint8Array ? a.content.byteLength : a.content.size;
}

/** Starts preparing the attachments' bodies, in the order given (the order they are embedded in). */
export function prepareBodies(attachments: readonly PdfAttachment[], compress: boolean, threadBytes = THREAD_BYTES): AttachmentBodies {
  const total = attachments.reduce((sum, a) => sum + attachmentSize(a), 0);
  if (attachments.length === 0 || total < threadBytes) {
    return {
      // Within the promise: a file that cannot be read rejects it, as in the thread, instead of throwing here.
      take: (index) =>
        new Promise((resolve) => {
          const a = attachments[index];
          if (a === undefined) throw new Error(`no attachment ${index}`);
          resolve(attachmentBody(a.content instanceof Uint8Array ? a.content : readFileSync(a.content.file), compress));
        }),
      release: () => undefined,
      close: () => Promise.resolve(),
    };
  }
  return new ThreadBodies(attachments, compress);
}

/** What the worker thread (BODY_WORKER) computes, here for files prepared on the main thread. */
export function attachmentBody(bytes: Uint8Array, compress: boolean): AttachmentBody {
  return { size: bytes.byteLength, md5: createHash('md5').update(bytes).digest('hex'), body: compress ? deflateSync(bytes) : bytes };
}

interface BodyTask {
  name: string;
  file?: string;
  bytes?: Uint8Array;
  compress: boolean;
}

/**
 * The thread: Node's own modules only, so it starts in a few milliseconds and
 * runs the same from dist/ and from the sources the tests import. It computes
 * what `attachmentBody` computes (a unit test compares the two) and hands the
 * deflated bytes over (transferred, not copied) when they own their memory.
 * A file to deflate is read a megabyte at a time into one buffer it keeps,
 * each piece MD5-hashed and fed to a deflate stream, whose output is byte for
 * byte the one-shot deflate's (zlib's output does not depend on how its input
 * is cut): what the thread holds is the file's deflated copy, never the file,
 * however large (report.json and inventory.csv grow with the estate). A file
 * stored as is, uncompressed, is read whole into its own buffer, which is
 * what is handed over. Tasks are done one after the other, in the order they
 * came. A file it cannot read fails the render, naming the file.
 */
const BODY_WORKER = `
const { parentPort } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { createDeflate, deflateSync } = require('node:zlib');
const PIECE = 1 << 20;
const piece = Buffer.allocUnsafe(PIECE);
function readWhole(fd) {
  let bytes = Buffer.allocUnsafe(fstatSync(fd).size + 1);
  let length = 0;
  for (;;) {
    if (length === bytes.length) {
      const bigger = Buffer.allocUnsafe(2 * bytes.length);
      bytes.copy(bigger, 0, 0, length);
      bytes = bigger;
    }
    const read = readSync(fd, bytes, length, bytes.length - length, null);
    if (read === 0) return bytes.subarray(0, length);
    length += read;
  }
}
async function deflatePieces(fd) {
  const md5 = createHash('md5');
  const deflate = createDeflate();
  const out = [];
  deflate.on('data', (chunk) => out.push(chunk));
  const ended = new Promise((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let size = 0;
  for (;;) {
    const read = readSync(fd, piece, 0, PIECE, null);
    if (read === 0) break;
    const view = piece.subarray(0, read);
    md5.update(view);
    size += read;
    // The write's callback comes once zlib has consumed the piece: only then is the buffer read into again.
    await new Promise((resolve, reject) => deflate.write(view, (error) => (error ? reject(error) : resolve())));
  }
  deflate.end();
  await ended;
  return { size, md5: md5.digest('hex'), body: Buffer.concat(out) };
}
async function prepare(task) {
  if (task.file === undefined) {
    const bytes = task.bytes;
    return { size: bytes.byteLength, md5: createHash('md5').update(bytes).digest('hex'), body: task.compress ? deflateSync(bytes) : Buffer.from(bytes) };
  }
  const fd = openSync(task.file, 'r');
  try {
    if (task.compress) return await deflatePieces(fd);
    const bytes = readWhole(fd);
    return { size: bytes.byteLength, md5: createHash('md5').update(bytes).digest('hex'), body: bytes };
  } finally {
    closeSync(fd);
  }
}
async function answer({ id, task }) {
  let value;
  try {
    value = await prepare(task);
  } catch (thrown) {
    const reason = thrown && thrown.code ? thrown.code : String(thrown);
    parentPort.postMessage({ id, ok: false, error: { code: 'RENDER_FAILED', message: 'the PDF could not attach ' + task.name + ': ' + reason, file: task.file } });
    return;
  }
  const body = value.body;
  const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  parentPort.postMessage({ id, ok: true, value }, owned ? [body.buffer] : []);
}
let queue = Promise.resolve();
parentPort.on('message', (message) => {
  queue = queue.then(() => answer(message));
});
`;

class ThreadBodies implements AttachmentBodies {
  // One thread: the main thread, laying the document out, has the other core.
  private readonly pool = new WorkerPool<BodyTask, AttachmentBody>({ source: BODY_WORKER }, 1, undefined, Number.MAX_SAFE_INTEGER);
  private readonly pending = new Map<number, Promise<AttachmentBody>>();
  private submitted = 0;
  private ahead = 0;

  constructor(
    private readonly attachments: readonly PdfAttachment[],
    private readonly compress: boolean,
  ) {
    this.submit();
  }

  async take(index: number): Promise<AttachmentBody> {
    const body = this.pending.get(index);
    if (body === undefined) throw new Error(`attachment ${index} was not submitted or was already taken`);
    this.pending.delete(index);
    const a = this.attachments[index];
    this.ahead -= a === undefined ? 0 : attachmentSize(a);
    this.submit();
    return await body;
  }

  release(body: AttachmentBody): void {
    // The thread's bytes arrived for this class alone (transferred or cloned): nothing else holds them.
    const memory = body.body.buffer;
    if (memory instanceof ArrayBuffer && !memory.detached) memory.transfer(0);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** Hands the thread the next files while what it has been given and not yet taken stays within AHEAD_BYTES. */
  private submit(): void {
    for (let a = this.attachments[this.submitted]; a !== undefined; a = this.attachments[this.submitted]) {
      const size = attachmentSize(a);
      if (this.ahead > 0 && this.ahead + size > AHEAD_BYTES) return;
      const task: BodyTask =
        a.content instanceof Uint8Array
          ? { name: a.name, bytes: a.content, compress: this.compress }
          : { name: a.name, file: a.content.file, compress: this.compress };
      const body = this.pool.run(task).then(asBuffer);
      body.catch(() => undefined); // taken in order; a later failure must not go unhandled meanwhile
      this.pending.set(this.submitted++, body);
      this.ahead += size;
    }
  }
}

/** A thread's bytes arrive as a Uint8Array; the rest of the PDF code works with Buffers (same memory, no copy). */
function asBuffer(body: AttachmentBody): AttachmentBody {
  return { ...body, body: Buffer.from(body.body.buffer, body.body.byteOffset, body.body.byteLength) };
}
