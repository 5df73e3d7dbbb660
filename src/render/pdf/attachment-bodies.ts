/**
 * What the PDF writes for each attached file: its size, the MD5 PDF requires
 * of an embedded file, and its stream's body (deflated when the document is
 * compressed). Reading, hashing and deflating are most of what attaching
 * costs (at 1,000 images about 2.5 s for 444 files, report.json 38 MB of
 * them), and the PDF's layout before them keeps the main thread busy for as
 * long while the other core has nothing to do. So when the files add up to
 * THREAD_BYTES or more, a worker thread prepares them, in embedding order,
 * from the moment the render starts: the layout and the attachments' work run
 * side by side. The thread writes each body into a scratch file (the
 * render's own: beside the bundle being written, or in the system's
 * temporary folder), where it waits until the layout is done and is then
 * copied into the PDF a piece at a time: the bodies never wait in memory
 * (at 5,000 images the deflated inventory.csv, report.json and report.html
 * are 55 MB; they grow with the estate). Smaller sets are prepared here, in
 * memory, when they are embedded: a thread would cost more than it saves.
 * Either way, the same bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { AuditpackError, describeThrown } from '../../errors.js';
import { WorkerPool } from '../../util/worker-pool.js';
import type { PdfAttachment } from './attachments.js';

export interface AttachmentBody {
  /** The file's size in bytes. */
  size: number;
  /** Its MD5, hex: the embedded file's /CheckSum. */
  md5: string;
  /** The stream's length in bytes: the file, deflated when the document is compressed. */
  length: number;
  /**
   * The stream's bytes, in order, each piece a buffer of its own that the
   * caller may keep or free (the PDF's output frees a large one once written).
   */
  pieces(): Iterable<Buffer>;
}

/** From this many bytes of attached files on, a worker thread prepares them. */
export const THREAD_BYTES = 8 * 1024 * 1024;
/** How many bytes of in-memory attachments may wait, copied, in the thread's queue by default (at least one attachment). */
export const COPIED_AHEAD_BYTES = 64 * 1024 * 1024;
/** The pieces a body is read back from its scratch file in. */
const READ_PIECE = 1024 * 1024;

export interface AttachmentBodies {
  /** The body of the `index`-th attachment; each is taken once, in order. */
  take(index: number): Promise<AttachmentBody>;
  /** Ends the thread and removes its scratch file, if there are (also when the render failed half-way). */
  close(): Promise<void>;
}

export function attachmentSize(a: PdfAttachment): number {
  return a.content instanceof Uint8Array ? a.content.byteLength : a.content.size;
}

export interface PrepareOptions {
  /** From how many bytes of files on a thread prepares them (THREAD_BYTES). */
  threadBytes?: number;
  /** How many bytes of in-memory attachments may wait, copied, in the thread's queue (COPIED_AHEAD_BYTES; at least one attachment). */
  copiedAheadBytes?: number;
  /**
   * The thread's scratch file: a path of the render's own, created (it must
   * not exist, mode 0600) and removed by `close`. Without it, a folder of
   * its own in the system's temporary folder.
   */
  scratch?: string;
}

/** Starts preparing the attachments' bodies, in the order given (the order they are embedded in). */
export function prepareBodies(attachments: readonly PdfAttachment[], compress: boolean, options: PrepareOptions = {}): AttachmentBodies {
  const total = attachments.reduce((sum, a) => sum + attachmentSize(a), 0);
  if (attachments.length === 0 || total < (options.threadBytes ?? THREAD_BYTES)) {
    return {
      // Within the promise: a file that cannot be read rejects it, as in the thread, instead of throwing here.
      take: (index) =>
        new Promise((resolve) => {
          const a = attachments[index];
          if (a === undefined) throw new Error(`no attachment ${index}`);
          resolve(attachmentBody(a.content instanceof Uint8Array ? a.content : stagedBytes(a.name, a.content), compress));
        }),
      close: () => Promise.resolve(),
    };
  }
  return new ThreadBodies(attachments, compress, ScratchFile.create(options.scratch), options.copiedAheadBytes ?? COPIED_AHEAD_BYTES);
}

/**
 * A staged file's bytes, when they are still the ones the staging recorded:
 * the PDF is sealed as it is written, so an attachment changed in the
 * staging folder since (by another process) would be sealed in it unseen.
 */
function stagedBytes(name: string, staged: { file: string; sha256: string }): Buffer {
  const bytes = readFileSync(staged.file);
  if (createHash('sha256').update(bytes).digest('hex') !== staged.sha256) throw changedSinceStaged(name, staged.file);
  return bytes;
}

function changedSinceStaged(name: string, file: string): AuditpackError {
  return new AuditpackError('RENDER_FAILED', `the PDF could not attach ${name}: ${CHANGED_SINCE_STAGED}`, { file });
}

/** Why a staged file is not attached (the thread says the same). */
const CHANGED_SINCE_STAGED = 'its bytes changed in the staging folder since they were written there (another SHA-256 than recorded)';

/** What the worker thread (BODY_WORKER) computes, here in memory for files prepared on the main thread. */
export function attachmentBody(bytes: Uint8Array, compress: boolean): AttachmentBody {
  // A copy when stored as is: the caller's bytes stay the caller's (the PDF's output may free what it is given).
  const body = compress ? deflateSync(bytes) : Buffer.from(bytes);
  return { size: bytes.byteLength, md5: createHash('md5').update(bytes).digest('hex'), length: body.length, pieces: () => [body] };
}

interface BodyTask {
  name: string;
  file?: string;
  /** The staged file's SHA-256 as recorded: the thread refuses other bytes. */
  sha256?: string;
  bytes?: Uint8Array;
  compress: boolean;
}

/** Where the thread wrote a body in the scratch file, with the file's size and MD5. */
interface StoredBody {
  size: number;
  md5: string;
  offset: number;
  length: number;
}

/**
 * The thread: Node's own modules only, so it starts in a few milliseconds and
 * runs the same from dist/ and from the sources the tests import. It computes
 * what `attachmentBody` computes (a unit test compares the two) and appends
 * each body to the scratch file (the descriptor it is started with, opened by
 * the main thread), replying where it is. A file is read a megabyte at a time
 * into one buffer it keeps, each piece MD5-hashed and fed to a deflate
 * stream, whose output is byte for byte the one-shot deflate's (zlib's output
 * does not depend on how its input is cut) and is written out as it comes:
 * the thread holds a piece of the file and zlib's window, never a file or its
 * deflated copy, however large (report.json and inventory.csv grow with the
 * estate). A file stored as is, uncompressed, is copied piece by piece. Tasks
 * are done one after the other, in the order they came. A file it cannot
 * read, or a scratch file it cannot write, fails the render, naming the file.
 */
const BODY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync, writeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { createDeflate, deflateSync } = require('node:zlib');
const PIECE = 1 << 20;
const piece = Buffer.allocUnsafe(PIECE);
const scratch = workerData.fd;
let end = 0;
function store(bytes) {
  let done = 0;
  while (done < bytes.length) done += writeSync(scratch, bytes, done, bytes.length - done, end + done);
  end += bytes.length;
}
async function deflated(next, sha256) {
  const md5 = createHash('md5');
  const deflate = createDeflate();
  deflate.on('data', (chunk) => store(chunk));
  const ended = new Promise((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let size = 0;
  for (let view = next(); view.length > 0; view = next()) {
    md5.update(view);
    sha256.update(view);
    size += view.length;
    // The write's callback comes once zlib has consumed the piece: only then is the buffer read into again.
    await new Promise((resolve, reject) => deflate.write(view, (error) => (error ? reject(error) : resolve())));
  }
  deflate.end();
  await ended;
  return { size, md5: md5.digest('hex') };
}
function copied(next, sha256) {
  const md5 = createHash('md5');
  let size = 0;
  for (let view = next(); view.length > 0; view = next()) {
    md5.update(view);
    sha256.update(view);
    size += view.length;
    store(view);
  }
  return { size, md5: md5.digest('hex') };
}
async function prepare(task) {
  const offset = end;
  let facts;
  if (task.file === undefined) {
    const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
    if (task.compress) store(deflateSync(bytes));
    else store(bytes);
    facts = { size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') };
  } else {
    const fd = openSync(task.file, 'r');
    const sha256 = createHash('sha256');
    try {
      const next = () => piece.subarray(0, readSync(fd, piece, 0, PIECE, null));
      facts = task.compress ? await deflated(next, sha256) : copied(next, sha256);
    } finally {
      closeSync(fd);
    }
    if (sha256.digest('hex') !== task.sha256) throw new Error(${JSON.stringify(CHANGED_SINCE_STAGED)});
  }
  return { ...facts, offset, length: end - offset };
}
async function answer({ id, task }) {
  try {
    parentPort.postMessage({ id, ok: true, value: await prepare(task) });
  } catch (thrown) {
    const reason = thrown && thrown.code ? thrown.code : thrown && thrown.message ? thrown.message : String(thrown);
    const reading = thrown && thrown.syscall !== 'write';
    parentPort.postMessage({
      id,
      ok: false,
      error: reading
        ? { code: 'RENDER_FAILED', message: 'the PDF could not attach ' + task.name + ': ' + reason, file: task.file }
        : { code: 'RENDER_FAILED', message: 'the PDF could not attach ' + task.name + ': writing its scratch file ' + workerData.path + ': ' + reason, file: workerData.path },
    });
  }
}
let queue = Promise.resolve();
parentPort.on('message', (message) => {
  queue = queue.then(() => answer(message));
});
`;

function inMemory(a: PdfAttachment | undefined): number {
  return a !== undefined && a.content instanceof Uint8Array ? a.content.byteLength : 0;
}

/** The thread's scratch file: created here, written by the thread, read back here, removed at the end. */
class ScratchFile {
  private constructor(
    readonly path: string,
    readonly fd: number,
    private readonly folder: string | undefined,
  ) {}

  static create(path: string | undefined): ScratchFile {
    const folder = path === undefined ? mkdtempSync(join(tmpdir(), 'auditpack-pdf-')) : undefined;
    const file = path ?? join(folder ?? '', 'attachments');
    try {
      return new ScratchFile(file, openSync(file, 'wx+', 0o600), folder);
    } catch (thrown) {
      if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
      throw new AuditpackError('RENDER_FAILED', `the PDF's attachments need a scratch file, and ${file} could not be created: ${describeThrown(thrown)}`, {
        file,
        cause: thrown,
      });
    }
  }

  /** The bytes at [offset, offset + length), a new buffer per piece. */
  *read(offset: number, length: number): Generator<Buffer> {
    for (let done = 0; done < length;) {
      const piece = Buffer.allocUnsafe(Math.min(READ_PIECE, length - done));
      for (let filled = 0; filled < piece.length;) {
        const read = readSync(this.fd, piece, filled, piece.length - filled, offset + done + filled);
        if (read === 0) throw new AuditpackError('RENDER_FAILED', `the PDF's scratch file ${this.path} ended early`, { file: this.path });
        filled += read;
      }
      done += piece.length;
      yield piece;
    }
  }

  remove(): void {
    closeSync(this.fd);
    rmSync(this.folder ?? this.path, { recursive: true, force: true });
  }
}

class ThreadBodies implements AttachmentBodies {
  private readonly pool: WorkerPool<BodyTask, StoredBody>;
  private readonly pending = new Map<number, Promise<StoredBody>>();
  private submitted = 0;
  /** Bytes of in-memory attachments handed to the thread and not yet taken: each is a copy in the thread's queue. */
  private copied = 0;

  constructor(
    private readonly attachments: readonly PdfAttachment[],
    private readonly compress: boolean,
    private readonly scratch: ScratchFile,
    private readonly copiedAhead: number,
  ) {
    // One thread: the main thread, laying the document out, has the other core.
    this.pool = new WorkerPool({ source: BODY_WORKER }, 1, { fd: scratch.fd, path: scratch.path }, Number.MAX_SAFE_INTEGER);
    this.submit();
  }

  async take(index: number): Promise<AttachmentBody> {
    const body = this.pending.get(index);
    if (body === undefined) throw new Error(`attachment ${index} was not submitted or was already taken`);
    this.pending.delete(index);
    this.copied -= inMemory(this.attachments[index]);
    this.submit();
    const { size, md5, offset, length } = await body;
    return { size, md5, length, pieces: () => this.scratch.read(offset, length) };
  }

  /**
   * Hands the thread the next attachments: a staged file at once (it is
   * named, not copied, and its body waits on disk), bytes in memory while
   * the copies handed over and not yet taken stay within `copiedAhead` (at
   * least one).
   */
  private submit(): void {
    for (let a = this.attachments[this.submitted]; a !== undefined; a = this.attachments[this.submitted]) {
      const bytes = inMemory(a);
      if (this.copied > 0 && this.copied + bytes > this.copiedAhead) return;
      const task: BodyTask =
        a.content instanceof Uint8Array
          ? { name: a.name, bytes: a.content, compress: this.compress }
          : { name: a.name, file: a.content.file, sha256: a.content.sha256, compress: this.compress };
      const body = this.pool.run(task);
      body.catch(() => undefined); // taken in order; a later failure must not go unhandled meanwhile
      this.pending.set(this.submitted++, body);
      this.copied += bytes;
    }
  }

  async close(): Promise<void> {
    try {
      await this.pool.close();
    } finally {
      this.scratch.remove();
    }
  }
}
