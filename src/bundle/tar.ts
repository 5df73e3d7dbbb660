import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip, createGzip, gzipSync } from 'node:zlib';
import { unsafePathReason } from '../util/manifest.js';

const BLOCK = 512;
/** gzip's OS byte: "Unix", whatever platform wrote the archive, so the bytes are the same everywhere. */
const GZIP_OS_UNIX = 3;

/**
 * A deterministic `.tar.gz` of a bundle: POSIX ustar entries for regular
 * files only, sorted by path, mode 0644, uid/gid 0 with no user or group
 * names, every mtime the run's clock, a pax header only for a path too long
 * for ustar, and a gzip header without timestamp or file name. Same files
 * and clock, same bytes.
 */
export function tarGz(files: Map<string, Uint8Array>, options: { prefix: string; mtime: Date }): Buffer {
  const blocks: Buffer[] = [];
  for (const path of tarOrder([...files.keys()], options.prefix)) blocks.push(...tarEntry(path, Buffer.from(files.get(path) ?? new Uint8Array()), options));
  blocks.push(Buffer.alloc(2 * BLOCK));
  const gz = gzipSync(Buffer.concat(blocks), { level: constants.Z_BEST_COMPRESSION });
  gz[9] = GZIP_OS_UNIX;
  return gz;
}

/**
 * The same archive as `tarGz`, byte for byte, written to `out` one file at
 * a time (`read` gives each file's bytes when its turn comes): a bundle of
 * thousands of evidence files is never all in memory. Deflate's output does
 * not depend on how its input is split.
 */
export async function writeTarGz(
  out: string,
  paths: readonly string[],
  read: (path: string) => Promise<Uint8Array>,
  options: { prefix: string; mtime: Date },
): Promise<void> {
  const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
  let first = true;
  const osByte = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first && chunk.length > 9) chunk[9] = GZIP_OS_UNIX;
      first = false;
      done(null, chunk);
    },
  });
  const written = pipeline(gzip, osByte, createWriteStream(out, { flags: 'wx', mode: 0o644 }));
  const put = (block: Buffer) => (gzip.write(block) ? Promise.resolve() : once(gzip, 'drain').then(() => undefined));
  try {
    for (const path of tarOrder(paths, options.prefix)) for (const block of tarEntry(path, Buffer.from(await read(path)), options)) await put(block);
    gzip.end(Buffer.alloc(2 * BLOCK));
  } catch (thrown) {
    gzip.destroy(thrown instanceof Error ? thrown : new Error(String(thrown)));
  }
  await written;
}

/** Bundle paths in archive order: by their name in the archive, as bytes. */
function tarOrder(paths: readonly string[], prefix: string): string[] {
  return paths
    .map((path) => ({ path, name: Buffer.from(`${prefix}/${path}`) }))
    .sort((a, b) => Buffer.compare(a.name, b.name))
    .map((e) => e.path);
}

/** One file's blocks: a pax header when its name does not fit ustar, the ustar header, the data padded. */
function tarEntry(path: string, bytes: Buffer, options: { prefix: string; mtime: Date }): Buffer[] {
  const mtime = Math.floor(options.mtime.getTime() / 1000);
  const name = `${options.prefix}/${path}`;
  const blocks: Buffer[] = [];
  const fitted = fitUstarName(name);
  if (fitted === undefined) {
    const record = paxRecord('path', name);
    blocks.push(header({ name: 'PaxHeader', prefix: '', size: record.length, mtime, type: 'x' }), padded(record));
  }
  blocks.push(header({ ...(fitted ?? { name: name.slice(0, 99), prefix: '' }), size: bytes.length, mtime, type: '0' }), padded(bytes));
  return blocks;
}

function header(h: { name: string; prefix: string; size: number; mtime: number; type: string }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.type === '5' ? 0o755 : 0o644);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, h.mtime);
  b.write(h.type, 156, 1, 'ascii');
  b.write('ustar\u000000', 257, 8, 'ascii');
  octal(b, 329, 8, 0);
  octal(b, 337, 8, 0);
  b.write(h.prefix, 345, 155, 'utf8');
  b.fill(0x20, 148, 156);
  const sum = b.reduce((acc, byte) => acc + byte, 0);
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return b;
}

function octal(b: Buffer, offset: number, length: number, value: number): void {
  b.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

/** ustar's name (100 bytes) and prefix (155 bytes), split at a `/`, or undefined when the path needs pax. */
function fitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && rest !== '' && Buffer.byteLength(rest) <= 100) return { name: rest, prefix };
  }
  return undefined;
}

/** One pax extended-header record: "<length> <key>=<value>\n", the length counting its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}

function padded(bytes: Buffer): Buffer {
  const rest = bytes.length % BLOCK;
  return rest === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(BLOCK - rest)]);
}

export interface TarLimits {
  maxEntries: number;
  maxEntrySize: number;
  maxTotalSize: number;
}

/** Receives the entries of an archive; a file's data arrives in chunks, in order. */
export interface TarHandler {
  folder(path: string): Promise<void>;
  file(path: string, size: number): Promise<{ write(chunk: Buffer): Promise<void>; end(): Promise<void> }>;
}

/** A refused or broken archive: the reason, and the entry it is about when there is one. */
export class TarError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'TarError';
  }
}

const REFUSED_TYPES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  K: 'a long link name',
};

/**
 * Reads a `.tar.gz` as a stream, trusting nothing in it: only regular files
 * and folders are accepted (links, devices and FIFOs are refused), every
 * path must be relative without `..`, and entry count, entry size and total
 * size are bounded. A truncated archive is an error, not a shorter bundle.
 */
export async function readTarGz(archive: string, limits: TarLimits, handler: TarHandler): Promise<void> {
  const parser = new TarParser(limits, handler);
  // What the parser itself threw, and when it is done: pipeline may settle first, with an
  // AbortError of its own (Node 20 does), while the parser still writes an entry.
  let consumed: Promise<void> = Promise.resolve();
  let refused: TarError | undefined;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) await parser.push(chunk);
  };
  await pipeline(createReadStream(archive), createGunzip(), (source: AsyncIterable<Buffer>) => {
    consumed = consume(source).catch((thrown: unknown) => {
      if (thrown instanceof TarError) refused = thrown;
      throw thrown;
    });
    return consumed;
  }).catch(async (thrown: unknown) => {
    await consumed.catch(() => undefined);
    if (refused !== undefined) throw refused;
    if (thrown instanceof TarError) throw thrown;
    const code = (thrown as { code?: unknown }).code;
    const truncated = code === 'Z_BUF_ERROR' || /unexpected end/i.test(String((thrown as Error).message));
    throw new TarError(truncated ? 'truncated: the compressed data ends early' : `not a readable .tar.gz (${(thrown as Error).message})`, parser.current);
  });
  if (!parser.ended) throw new TarError('truncated: no end-of-archive marker', parser.current);
}

class TarParser {
  ended = false;
  current: string | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private entries = 0;
  private total = 0;
  private zeros = 0;
  private data:
    { remaining: number; pad: number; sink?: { write(chunk: Buffer): Promise<void>; end(): Promise<void> }; meta?: Buffer[]; metaType?: string } | undefined;
  private overrides: { path?: string; size?: number } = {};

  constructor(
    private readonly limits: TarLimits,
    private readonly handler: TarHandler,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.ended) return;
      if (this.data !== undefined) {
        if (!(await this.takeData())) return;
        continue;
      }
      if (this.pending.length < BLOCK) return;
      const block = this.pending.subarray(0, BLOCK);
      this.pending = this.pending.subarray(BLOCK);
      await this.header(block);
    }
  }

  /** Feeds pending bytes to the current entry; false when more input is needed. */
  private async takeData(): Promise<boolean> {
    const d = this.data;
    if (d === undefined) return true;
    if (d.remaining > 0) {
      const n = Math.min(d.remaining, this.pending.length);
      if (n === 0) return false;
      const part = this.pending.subarray(0, n);
      this.pending = this.pending.subarray(n);
      d.remaining -= n;
      if (d.sink) await d.sink.write(Buffer.from(part));
      if (d.meta) d.meta.push(Buffer.from(part));
      if (d.remaining > 0) return false;
    }
    if (this.pending.length < d.pad) return false;
    this.pending = this.pending.subarray(d.pad);
    this.data = undefined;
    if (d.sink) await d.sink.end();
    if (d.meta) this.applyMeta(d.metaType ?? '', Buffer.concat(d.meta));
    return true;
  }

  private async header(block: Buffer): Promise<void> {
    if (block.every((byte) => byte === 0)) {
      if (++this.zeros === 2) this.ended = true;
      return;
    }
    this.zeros = 0;
    checkChecksum(block);
    const type = String.fromCharCode(block[156] ?? 0);
    const ustar = block.subarray(257, 262).toString('ascii') === 'ustar';
    const name = cString(block.subarray(0, 100));
    const prefix = ustar ? cString(block.subarray(345, 500)) : '';
    const ownSize = parseOctal(block.subarray(124, 136), name);
    if (type === 'x' || type === 'g' || type === 'L') {
      if (ownSize > 64 * 1024) throw new TarError(`an extended header of ${ownSize} bytes`, name);
      this.data = { remaining: ownSize, pad: padding(ownSize), meta: [], metaType: type };
      return;
    }
    const path = this.overrides.path ?? (prefix === '' ? name : `${prefix}/${name}`);
    const size = this.overrides.size ?? ownSize;
    const pad = padding(size);
    this.overrides = {};
    this.current = path;
    if (++this.entries > this.limits.maxEntries) throw new TarError(`more than ${this.limits.maxEntries} entries`, path);
    const refused = REFUSED_TYPES[type];
    if (refused !== undefined) throw new TarError(`is ${refused}: a bundle holds only files and folders`, path);
    if (type === '5') {
      const folder = path.replace(/\/+$/, '');
      checkPath(folder);
      await this.handler.folder(folder);
      this.data = { remaining: size, pad };
      return;
    }
    if (type !== '0' && type !== '\u0000') throw new TarError(`has entry type ${JSON.stringify(type)}: a bundle holds only files and folders`, path);
    checkPath(path);
    if (size > this.limits.maxEntrySize) throw new TarError(`is ${size} bytes, over the ${this.limits.maxEntrySize}-byte limit for one file`, path);
    this.total += size;
    if (this.total > this.limits.maxTotalSize) throw new TarError(`the archive holds more than ${this.limits.maxTotalSize} bytes`, path);
    this.data = { remaining: size, pad, sink: await this.handler.file(path, size) };
  }

  private applyMeta(type: string, bytes: Buffer): void {
    if (type === 'L') {
      this.overrides.path = cString(bytes);
      return;
    }
    if (type !== 'x') return;
    for (const [key, value] of parsePax(bytes)) {
      if (key === 'path') this.overrides.path = value;
      if (key === 'size') {
        if (!/^\d{1,15}$/.test(value)) throw new TarError(`a pax size ${JSON.stringify(value)} that is not a number`);
        this.overrides.size = Number(value);
      }
    }
  }
}

function checkPath(path: string): void {
  const unsafe = unsafePathReason(path);
  if (unsafe !== undefined) throw new TarError(`the entry's path ${unsafe}`, path);
}

function checkChecksum(block: Buffer): void {
  const stored = parseInt(cString(block.subarray(148, 156)).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored !== sum) throw new TarError('a tar header with a wrong checksum (corrupted or not a tar archive)');
}

function parseOctal(field: Buffer, path: string): number {
  if (((field[0] ?? 0) & 0x80) !== 0) throw new TarError('a base-256 size (over 8 GiB)', path);
  const text = cString(field).trim();
  const value = text === '' ? 0 : parseInt(text, 8);
  if (!Number.isSafeInteger(value) || value < 0 || !/^[0-7]*$/.test(text)) throw new TarError(`an invalid size field ${JSON.stringify(text)}`, path);
  return value;
}

/** pax records, each "<length> <key>=<value>\n" with the length in bytes counting itself. */
function parsePax(bytes: Buffer): [string, string][] {
  const out: [string, string][] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const space = bytes.indexOf(0x20, pos);
    const length = space < 0 ? NaN : Number(bytes.subarray(pos, space).toString('ascii'));
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > bytes.length) throw new TarError('a malformed pax extended header');
    const record = bytes.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.push([record.slice(0, eq), record.slice(eq + 1)]);
    pos += length;
  }
  return out;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}
