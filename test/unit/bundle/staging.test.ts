import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSyncProgram } from '../../../src/bundle/file-system-sync.js';
import { BundleStaging, writeStagedFile } from '../../../src/bundle/staging.js';
import { AuditpackError } from '../../../src/errors.js';
import { sha256Hex } from '../../../src/util/manifest.js';

let work: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-staging-'));
  out = join(work, 'bundle');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const bytes = (text: string) => Buffer.from(text, 'utf8');
const hidden = async () => (await readdir(work)).filter((n) => n.startsWith('.bundle.auditpack-tmp-'));

describe('the staged bundle: written file by file, committed whole', () => {
  it('writes each file as it is added, keeps only its entry, and puts the folder in place on commit', async () => {
    const staging = await BundleStaging.open(out);
    await staging.add('evidence/a/sig.json', bytes('{"a":1}'), 'evidence/a/sig.json');
    await staging.addStreamed('inventory.csv', async (write) => {
      await write('image,name\r\n');
      await write('a,left-pad\r\n');
    });
    expect(await readFile(join(staging.dir, 'evidence/a/sig.json'), 'utf8')).toBe('{"a":1}');
    expect(existsSync(out)).toBe(false);
    expect(staging.list()).toEqual([
      { path: 'evidence/a/sig.json', sha256: sha256Hex(bytes('{"a":1}')), size: 7 },
      { path: 'inventory.csv', sha256: sha256Hex(bytes('image,name\r\na,left-pad\r\n')), size: 24 },
    ]);
    expect(staging.read('inventory.csv').toString()).toBe('image,name\r\na,left-pad\r\n');
    await staging.commit();
    expect(await readFile(join(out, 'inventory.csv'), 'utf8')).toBe('image,name\r\na,left-pad\r\n');
    expect(await hidden()).toEqual([]);
  });

  it('takes the same bytes twice as one file, and stops on two different inputs at one path, naming both', async () => {
    const staging = await BundleStaging.open(out);
    await staging.add('evidence/x.json', bytes('one'), 'x.json');
    await staging.add('evidence/x.json', bytes('one'), 'again/x.json');
    expect(staging.list()).toHaveLength(1);
    const thrown = await staging.add('evidence/x.json', bytes('two'), 'other/x.json').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(AuditpackError);
    expect((thrown as AuditpackError).message).toBe(`'x.json' and 'other/x.json' would both be kept in the bundle as evidence/x.json; rename one of them`);
    expect(await readFile(join(staging.dir, 'evidence/x.json'), 'utf8')).toBe('one');
  });

  it('records files worker threads wrote, and finds a clash between two of them whichever wrote first', async () => {
    const staging = await BundleStaging.open(out);
    // Two workers write one path (two images sharing a folder): the second finds the file there and leaves it.
    const first = await writeStagedFile(staging.dir, 'evidence/shared/f.json', bytes('from b'));
    const second = await writeStagedFile(staging.dir, 'evidence/shared/f.json', bytes('from a'));
    expect(await readFile(join(staging.dir, 'evidence/shared/f.json'), 'utf8')).toBe('from b');
    // The main thread records them in image order: image a's file first.
    staging.record(second, 'a/f.json');
    expect(() => staging.record(first, 'b/f.json')).toThrow(/'a\/f.json' and 'b\/f.json' would both be kept/);
  });

  it('leaves nothing behind when discarded, and never replaces a folder that is not a bundle', async () => {
    const dropped = await BundleStaging.open(out);
    await dropped.add('report.json', bytes('{}'));
    await dropped.discard();
    expect(await hidden()).toEqual([]);

    await mkdir(out);
    await writeFile(join(out, 'notes.txt'), 'mine');
    const staging = await BundleStaging.open(out);
    await staging.add('report.json', bytes('{}'));
    const thrown = await staging.commit().catch((e: unknown) => e);
    expect((thrown as AuditpackError).code).toBe('OUTPUT_INVALID');
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await hidden()).toEqual([]);
    expect(existsSync(dirname(staging.dir))).toBe(true);
  });

  it.each([
    ['synced at once (the whole file system)', findSyncProgram() ?? null],
    ['synced file by file', null],
  ])('syncs the files written so far, %s, commits those written after too, and fails the commit when one could not be synced', async (_how, program) => {
    const staging = await BundleStaging.open(out, program);
    expect(staging.syncsAtOnce).toBe(program !== null);
    await staging.add('evidence/a/sig.json', bytes('{"a":1}'));
    staging.syncWritten();
    await staging.add('report.json', bytes('{}'));
    await staging.commit();
    expect(await readFile(join(out, 'evidence/a/sig.json'), 'utf8')).toBe('{"a":1}');
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{}');

    // A file gone before it is synced ahead: the commit fails closed, nothing is put in place.
    const broken = await BundleStaging.open(join(work, 'other'), program);
    await broken.add('evidence/b/sig.json', bytes('{"b":1}'));
    await rm(join(broken.dir, 'evidence/b/sig.json'));
    broken.syncWritten();
    await expect(broken.commit()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(work, 'other'))).toBe(false);
    expect(existsSync(broken.dir)).toBe(false);
  });

  it('syncs ahead batch by batch, a file named twice or written before it is recorded included, and fails the commit when any batch could not be synced', async () => {
    const staging = await BundleStaging.open(out);
    await staging.add('evidence/a/sig.json', bytes('{"a":1}'));
    await staging.add('evidence/b/sig.json', bytes('{"b":1}'));
    staging.syncAhead(['evidence/a/sig.json']);
    staging.syncAhead(['evidence/a/sig.json', 'evidence/b/sig.json']);
    // A worker thread's file: on disk first, recorded later (as the CI exports are, after the images).
    const ci = await writeStagedFile(staging.dir, 'evidence/ci/run.json', bytes('{"run":1}'));
    staging.syncAhead([ci.path]);
    staging.record(ci, 'ci/run.json');
    await staging.add('report.json', bytes('{}'));
    staging.syncWritten();
    await staging.commit();
    expect(await readFile(join(out, 'evidence/b/sig.json'), 'utf8')).toBe('{"b":1}');
    expect(await readFile(join(out, 'evidence/ci/run.json'), 'utf8')).toBe('{"run":1}');
    expect(staging.list().map((e) => e.path)).toContain('evidence/ci/run.json');
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{}');

    // The first batch fails, a later one succeeds: the commit still fails closed and puts nothing in place.
    const broken = await BundleStaging.open(join(work, 'other'));
    await broken.add('evidence/x/sig.json', bytes('{"x":1}'));
    await broken.add('evidence/y/sig.json', bytes('{"y":1}'));
    await rm(join(broken.dir, 'evidence/x/sig.json'));
    broken.syncAhead(['evidence/x/sig.json']);
    broken.syncAhead(['evidence/y/sig.json']);
    await expect(broken.commit()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(work, 'other'))).toBe(false);
    expect(existsSync(broken.dir)).toBe(false);
  });
});

/** A stand-in for `sync`: writes its arguments to `log`, then exits with `code`. */
async function fakeSync(code: number): Promise<{ program: string; log: string }> {
  const program = join(work, `fake-sync-${code}`);
  const log = join(work, `fake-sync-${code}.log`);
  await writeFile(program, `#!/bin/sh\necho "$@" >> '${log}'\nexit ${code}\n`);
  await chmod(program, 0o755);
  return { program, log };
}

describe('the staged bundle synced at once: one sync of the whole file system, then each file checked', () => {
  it('runs the program once, with -f and the staging folder, for every file written so far', async () => {
    const { program, log } = await fakeSync(0);
    const staging = await BundleStaging.open(out, program);
    await staging.add('evidence/a/sig.json', bytes('{"a":1}'));
    await staging.add('evidence/b/sig.json', bytes('{"b":1}'));
    staging.syncWritten();
    staging.syncWritten(); // nothing new: no second run
    await staging.commit();
    expect(await readFile(log, 'utf8')).toBe(`-f ${staging.dir}\n`);
    expect(await readFile(join(out, 'evidence/b/sig.json'), 'utf8')).toBe('{"b":1}');
  });

  it('fails the commit when a file changed size or vanished after it was written, though the sync succeeded', async () => {
    const { program } = await fakeSync(0);
    const grown = await BundleStaging.open(out, program);
    await grown.add('evidence/a/sig.json', bytes('{"a":1}'));
    await appendFile(join(grown.dir, 'evidence/a/sig.json'), ' ');
    grown.syncWritten();
    await expect(grown.commit()).rejects.toMatchObject({ code: 'ECHANGED', path: join(grown.dir, 'evidence/a/sig.json') });
    expect(existsSync(out)).toBe(false);

    const emptied = await BundleStaging.open(out, program);
    await emptied.add('evidence/a/sig.json', bytes('{"a":1}'));
    await rm(join(emptied.dir, 'evidence/a/sig.json'));
    emptied.syncWritten();
    await expect(emptied.commit()).rejects.toMatchObject({ code: 'ENOENT', syscall: 'lstat' });
    expect(existsSync(out)).toBe(false);
    expect(await hidden()).toEqual([]);
  });

  it.each([
    ['fails', async () => (await fakeSync(1)).program],
    ['cannot start', () => Promise.resolve(join(work, 'no-such-sync'))],
  ])('syncs each file on its own when the program %s, failing closed as before', async (_how, programOf) => {
    const program = await programOf();
    const staging = await BundleStaging.open(out, program);
    await staging.add('evidence/a/sig.json', bytes('{"a":1}'));
    staging.syncWritten();
    await staging.commit();
    expect(await readFile(join(out, 'evidence/a/sig.json'), 'utf8')).toBe('{"a":1}');

    // The fsync of a vanished file fails (syscall open: the file-by-file path, not the check's lstat).
    const broken = await BundleStaging.open(join(work, 'other'), program);
    await broken.add('evidence/b/sig.json', bytes('{"b":1}'));
    await rm(join(broken.dir, 'evidence/b/sig.json'));
    broken.syncWritten();
    await expect(broken.commit()).rejects.toMatchObject({ code: 'ENOENT', syscall: 'open' });
    expect(existsSync(join(work, 'other'))).toBe(false);
  });
});
