import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOutsideLinks, notNamedIn, scanOutsideLinks } from '../../../src/collect/links.js';

let work: string;
let base: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-links-'));
  base = join(work, 'config');
  await mkdir(join(base, 'ci/logs/7'), { recursive: true });
  await mkdir(join(work, 'outside'));
  await writeFile(join(work, 'outside/shadow'), 'secret');
  await writeFile(join(base, 'ci/logs/7/1.json'), '[]');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('scanOutsideLinks: every link out of the configuration folder, never followed', () => {
  it('names links to outside files and folders, in name order, and passes links that stay inside', async () => {
    await symlink(join(work, 'outside/shadow'), join(base, 'ci/logs/7/2.json'));
    await symlink(join(work, 'outside'), join(base, 'ci/b-folder'));
    await symlink(join(base, 'ci/logs/7/1.json'), join(base, 'ci/a-inside.json'));
    const found = await scanOutsideLinks(base, 'ci');
    expect(found.map((p) => [p.code, p.file])).toEqual([
      ['EVIDENCE_LINK_OUTSIDE', 'ci/b-folder'],
      ['EVIDENCE_LINK_OUTSIDE', 'ci/logs/7/2.json'],
    ]);
  });

  it('names the scanned folder itself when it is a link leading outside, and nothing under it', async () => {
    await symlink(join(work, 'outside'), join(base, 'linked-ci'));
    expect((await scanOutsideLinks(base, 'linked-ci')).map((p) => p.file)).toEqual(['linked-ci']);
  });

  it('lists folders nine deep at most (a link there is still found, one deeper is not)', async () => {
    const deep = (levels: number) => join(base, 'ci', ...Array.from({ length: levels }, (_, i) => `d${i}`));
    await mkdir(deep(9), { recursive: true });
    await symlink(join(work, 'outside/shadow'), join(deep(7), 'at-depth-8'));
    await symlink(join(work, 'outside/shadow'), join(deep(8), 'at-depth-9'));
    await symlink(join(work, 'outside/shadow'), join(deep(9), 'at-depth-10'));
    const files = (await scanOutsideLinks(base, 'ci')).map((p) => p.file.split('/').at(-1));
    expect(files).toEqual(['at-depth-8', 'at-depth-9']);
  });

  it('finds nothing in a folder that is missing or outside the configuration folder, and never rejects', async () => {
    await expect(scanOutsideLinks(base, 'no-such-folder')).resolves.toEqual([]);
    await expect(scanOutsideLinks(base, '../outside')).resolves.toEqual([]);
  });

  it('leaves out links a problem already names (findOutsideLinks = scan, then notNamedIn)', async () => {
    await symlink(join(work, 'outside/shadow'), join(base, 'ci/logs/7/2.json'));
    await symlink(join(work, 'outside/shadow'), join(base, 'ci/logs/7/3.json'));
    const known = [{ code: 'EVIDENCE_LINK_OUTSIDE' as const, file: 'ci/logs/7/2.json', reason: 'already said' }];
    expect((await findOutsideLinks(base, 'ci', known)).map((p) => p.file)).toEqual(['ci/logs/7/3.json']);
    expect(notNamedIn(await scanOutsideLinks(base, 'ci'), known).map((p) => p.file)).toEqual(['ci/logs/7/3.json']);
  });
});
