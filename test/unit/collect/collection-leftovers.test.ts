import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareCollectionDir, recordHeader, RECORD_FILE } from '../../../src/collect/remote/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-leftovers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = async (path: string, text = 'x') => {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
};

describe('a collection stopped at once leaves nothing behind for the next one', () => {
  it('removes files and folders being written, puts back a folder moved aside whose replacement did not land, keeps the rest', async () => {
    await put(RECORD_FILE, JSON.stringify(recordHeader('registry', '2026-07-01T08:00:00.000Z')));
    await put('.listing.json.0123abcd.partial', '{"cut');
    await put('evidence/.cockpit.89abcdef.partial/index.json');
    // Killed between moving trino's earlier folder aside and moving the new one in.
    await put('evidence/.trino.0badf00d.old/index.json', 'earlier trino');
    // Killed after the new aden landed, before the earlier one was removed.
    await put('evidence/aden/index.json', 'new aden');
    await put('evidence/.aden.00c0ffee.old/index.json', 'earlier aden');
    await put('evidence/cockpit/index.json', 'cockpit');
    await put('evidence/.keep-me', 'not a leftover');
    expect(await prepareCollectionDir(dir, 'registry')).toMatchObject({ source: 'registry' });
    expect((await readdir(dir)).sort()).toEqual(['collection.json', 'evidence']);
    expect((await readdir(join(dir, 'evidence'))).sort()).toEqual(['.keep-me', 'aden', 'cockpit', 'trino']);
    expect(await readFile(join(dir, 'evidence/trino/index.json'), 'utf8')).toBe('earlier trino');
    expect(await readFile(join(dir, 'evidence/aden/index.json'), 'utf8')).toBe('new aden');
  });
});
