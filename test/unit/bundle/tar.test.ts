import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractBundleArchive, writeArchive } from '../../../src/bundle/archive.js';
import { tarGz, writeTarGz } from '../../../src/bundle/tar.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-tar-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const longPath = `evidence/${'deep-folder-name/'.repeat(12)}signature.jsonl`;
const files = new Map<string, Uint8Array>([
  ['report.json', Buffer.from('{}')],
  ['manifest.json', Buffer.from('{"manifestFormat":"auditpack-manifest"}')],
  ['evidence/a.json', Buffer.alloc(1000, 7)],
  [longPath, Buffer.from('long')],
]);
const mtime = new Date('2026-07-01T08:00:00Z');

/** One raw ustar header block, for archives the writer would never make. */
function rawEntry(name: string, type: string, body = Buffer.alloc(0), linkname = ''): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100);
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  b.write('00000000000\0', 136);
  b.write(type, 156);
  b.write(linkname, 157, 100);
  b.write('ustar\u000000', 257);
  b.fill(0x20, 148, 156);
  const sum = b.reduce((a, x) => a + x, 0);
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([b, body, pad]);
}

async function archiveOf(...entries: Buffer[]): Promise<string> {
  const path = join(work, 'a.tar.gz');
  await writeFile(path, gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)])));
  return path;
}

describe('the bundle archive', () => {
  it('is deterministic: same files and clock, same bytes; no gzip timestamp; uid/gid 0; sorted entries', () => {
    const a = tarGz(files, { prefix: 'b', mtime });
    const reversed = new Map([...files.entries()].reverse());
    expect(tarGz(reversed, { prefix: 'b', mtime }).equals(a)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0);
    const listing = execFileSync('tar', ['-tvzf', '-', '--numeric-owner'], { input: a, encoding: 'utf8' }).trim().split('\n');
    expect(listing.map((l) => l.split(/\s+/).at(-1))).toEqual(['b/evidence/a.json', `b/${longPath}`, 'b/manifest.json', 'b/report.json']);
    for (const line of listing) expect(line).toMatch(/^-rw-r--r-- 0\/0 .* 2026-07-01 08:00 /);
  });

  it("is written file by file to the same bytes as in one piece, over data larger than deflate's buffers", async () => {
    // Random-ish data so deflate cannot squeeze it into one small block.
    const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const more = new Map([...files, ['evidence/big.bin', big] as const]);
    const streamed = join(work, 'streamed.tar.gz');
    const reads: string[] = [];
    await writeTarGz(
      streamed,
      [...more.keys()],
      (path) => {
        reads.push(path);
        return Promise.resolve(more.get(path) ?? new Uint8Array());
      },
      { prefix: 'b', mtime },
    );
    expect((await readFile(streamed)).equals(tarGz(more, { prefix: 'b', mtime }))).toBe(true);
    expect(reads).toHaveLength(more.size);
  });

  it('writes the archive of a bundle folder as tarGz would, replacing the previous archive only when complete', async () => {
    const folder = join(work, 'bundle');
    for (const [path, bytes] of files) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), bytes);
    }
    const archive = join(work, 'bundle.tar.gz');
    await writeFile(archive, 'old');
    await writeArchive(archive, folder, [...files.keys()], mtime.toISOString());
    expect((await readFile(archive)).equals(tarGz(files, { prefix: 'bundle', mtime }))).toBe(true);
    const missing = await writeArchive(archive, folder, ['no-such-file'], mtime.toISOString()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    expect((await readFile(archive)).equals(tarGz(files, { prefix: 'bundle', mtime }))).toBe(true);
    expect((await readdir(work)).filter((n) => n.includes('auditpack-tmp'))).toEqual([]);
  });

  it('round-trips through GNU tar and through the reader, long paths included', async () => {
    const archive = join(work, 'b.tar.gz');
    await writeFile(archive, tarGz(files, { prefix: 'b', mtime }));
    execFileSync('tar', ['-xzf', archive, '-C', work]);
    expect(await readFile(join(work, 'b', longPath), 'utf8')).toBe('long');
    const extracted = await extractBundleArchive(archive);
    expect(extracted.ok).toBe(true);
    if (!extracted.ok) return;
    expect((await readFile(join(extracted.root, 'evidence/a.json'))).equals(Buffer.alloc(1000, 7))).toBe(true);
    expect(await readFile(join(extracted.root, longPath), 'utf8')).toBe('long');
    await extracted.cleanup();
  });

  it('refuses links, devices, FIFOs, absolute and .. paths, duplicates and bad checksums, naming the entry', async () => {
    const cases: [Buffer[], RegExp][] = [
      [[rawEntry('b/manifest.json', '2', Buffer.alloc(0), '/etc/passwd')], /b\/manifest.json/],
      [[rawEntry('b/x', '1', Buffer.alloc(0), 'b/y')], /hard link/],
      [[rawEntry('b/fifo', '6')], /FIFO/],
      [[rawEntry('b/dev', '3')], /character device/],
      [[rawEntry('/etc/cron.d/x', '0', Buffer.from('x'))], /absolute/],
      [[rawEntry('b/../../x', '0', Buffer.from('x'))], /climbs out/],
      [[rawEntry('b/a', '0', Buffer.from('1')), rawEntry('b/a', '0', Buffer.from('2'))], /listed twice/],
    ];
    for (const [entries, reason] of cases) {
      const result = await extractBundleArchive(await archiveOf(...entries));
      expect(result.ok, String(reason)).toBe(false);
      if (!result.ok) expect(`${result.file}: ${result.reason}`, String(reason)).toMatch(reason);
    }
    const corrupt = rawEntry('b/a', '0', Buffer.from('1'));
    corrupt[0] = 'c'.charCodeAt(0);
    const bad = await extractBundleArchive(await archiveOf(corrupt));
    expect(bad.ok === false && bad.reason).toMatch(/checksum/);
  });

  it('says a truncated archive is truncated, at any cut', async () => {
    const whole = tarGz(files, { prefix: 'b', mtime });
    for (const cut of [10, Math.floor(whole.length / 2), whole.length - 5]) {
      const path = join(work, `cut-${cut}.tar.gz`);
      await writeFile(path, whole.subarray(0, cut));
      const result = await extractBundleArchive(path);
      expect(result.ok, String(cut)).toBe(false);
      if (!result.ok) expect(result.reason, String(cut)).toMatch(/truncated|not a readable/);
    }
    // A tar stream cut before its end marker, inside a well-formed gzip.
    const tar = gunzipSync(whole);
    await writeFile(join(work, 'short.tar.gz'), gzipSync(tar.subarray(0, 1024)));
    const short = await extractBundleArchive(join(work, 'short.tar.gz'));
    expect(short.ok === false && short.reason).toMatch(/truncated/);
  });
});
