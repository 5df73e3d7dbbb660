import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBundleFile, hashOpenFile, readBundleFile } from '../../../src/bundle/read.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('hashing a bundle file', () => {
  it('hashes every byte of files smaller than, as large as and larger than its buffer, and an empty one', async () => {
    for (const size of [0, 1, 100, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 2 * 1024 * 1024 + 3]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 997) bytes[i] = i % 251;
      await writeFile(join(dir, 'f'), bytes);
      expect(await hashBundleFile(dir, 'f'), `${size} bytes`).toBe(sha256(bytes));
    }
  });

  it('reads a file to its end when it is larger than the size it was said to have (it grew after its stat)', async () => {
    const bytes = Buffer.from('a file that grew after it was stat’ed, and more besides');
    await writeFile(join(dir, 'grew'), bytes);
    const handle = await open(join(dir, 'grew'), 'r');
    try {
      expect(await hashOpenFile(handle, 3)).toEqual({ sha256: sha256(bytes), size: bytes.length });
    } finally {
      await handle.close();
    }
  });

  it('hashes only what it read: the same file gives the same digest whatever the buffer held before', async () => {
    await writeFile(join(dir, 'small'), 'abc');
    const digests = new Set<string>();
    for (let i = 0; i < 20; i++) {
      // Fill the shared pool unsafe allocations come from with other bytes between two hashes.
      Buffer.allocUnsafe(16).fill(i);
      digests.add(await hashBundleFile(dir, 'small'));
    }
    expect([...digests]).toEqual([sha256(Buffer.from('abc'))]);
  });
});

describe('a folder swapped for a link after the walk', () => {
  /*
   * Whoever can write a bundle while it is verified can keep the sealed bytes
   * aside, change the bundle, and swap a folder of it for a link to the copy
   * between the walk (which saw a folder) and the hashing. The walk cannot
   * see it; the file opened must be the one inside the folder.
   */
  it.runIf(existsSync('/proc/self/fd'))('refuses to hash or read a file reached through it, naming where it led', async () => {
    await mkdir(join(dir, 'kept-aside'));
    await writeFile(join(dir, 'kept-aside/x.json'), 'the sealed bytes');
    const bundle = join(dir, 'bundle');
    await mkdir(join(bundle, 'evidence'), { recursive: true });
    await symlink(join(dir, 'kept-aside'), join(bundle, 'evidence/app'));
    const aside = join(await realpath(dir), 'kept-aside/x.json');
    expect(await hashBundleFile(bundle, 'evidence/app/x.json')).toBe(
      `was reached through a folder replaced by a link since the bundle was walked (it led to ${aside}): not read`,
    );
    const tree = new Map([['evidence/app/x.json', { path: 'evidence/app/x.json', type: 'file' as const, size: 16 }]]);
    expect(await readBundleFile(bundle, 'evidence/app/x.json', tree)).toMatch(/replaced by a link since the bundle was walked/);
  });

  it('reads a file of a bundle reached through a link to the bundle folder itself', async () => {
    await mkdir(join(dir, 'real/evidence'), { recursive: true });
    await writeFile(join(dir, 'real/evidence/x.json'), 'abc');
    await symlink(join(dir, 'real'), join(dir, 'alias'));
    expect(await hashBundleFile(join(dir, 'alias'), 'evidence/x.json')).toBe(sha256(Buffer.from('abc')));
  });
});
