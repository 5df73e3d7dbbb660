import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncThread } from '../../../src/bundle/sync-thread.js';

let work: string;
let syncer: SyncThread;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-sync-'));
  syncer = new SyncThread();
});
afterEach(async () => {
  await syncer.close();
  await rm(work, { recursive: true, force: true });
});

async function files(...names: string[]): Promise<string[]> {
  const paths = names.map((name) => join(work, name));
  for (const path of paths) await writeFile(path, path);
  return paths;
}

describe('SyncThread', () => {
  it('syncs every file of every batch, batches given before the first is done included', async () => {
    const [a, b, c] = await files('a', 'b', 'c');
    await expect(Promise.all([syncer.sync([a ?? '', b ?? '']), syncer.sync([c ?? '']), syncer.sync([])])).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('fails a batch with the error fs gives for its first file that cannot be synced, naming it, and only that batch', async () => {
    const [a, c] = await files('a', 'c');
    const missing = join(work, 'missing');
    const failed = syncer.sync([a ?? '', missing, c ?? '']);
    const next = syncer.sync([c ?? '']);
    await expect(failed).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open', path: missing });
    await expect(failed).rejects.toThrow(/no such file or directory/);
    await expect(next).resolves.toBeUndefined();
  });

  it('starts a thread again after close, and close without a thread is harmless', async () => {
    await new SyncThread().close();
    const [a] = await files('a');
    await syncer.sync([a ?? '']);
    await syncer.close();
    await expect(syncer.sync([join(work, 'gone')])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('checks each file is still there at the size written, failing with the first that is not, and only that batch', async () => {
    const [a, b] = await files('a', 'b');
    const size = (path: string | undefined) => Buffer.byteLength(path ?? '');
    await expect(
      syncer.checkPresent([
        { path: a ?? '', size: size(a) },
        { path: b ?? '', size: size(b) },
      ]),
    ).resolves.toBeUndefined();
    const missing = join(work, 'missing');
    const gone = syncer.checkPresent([
      { path: a ?? '', size: size(a) },
      { path: missing, size: 1 },
    ]);
    const grown = syncer.checkPresent([{ path: b ?? '', size: size(b) - 1 }]);
    const folder = syncer.checkPresent([{ path: work, size: 4096 }]);
    const next = syncer.checkPresent([{ path: a ?? '', size: size(a) }]);
    await expect(gone).rejects.toMatchObject({ code: 'ENOENT', syscall: 'lstat', path: missing });
    await expect(grown).rejects.toMatchObject({ code: 'ECHANGED', path: b });
    await expect(grown).rejects.toThrow(/changed in the staging folder before the commit/);
    await expect(folder).rejects.toMatchObject({ code: 'ECHANGED', path: work });
    await expect(next).resolves.toBeUndefined();
  });
});
