import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBundleFile, hashOpenFile } from '../../../src/bundle/read.js';

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
