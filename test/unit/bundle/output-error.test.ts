import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asOutputError } from '../../../src/bundle/output-error.js';
import { writeStagedFile } from '../../../src/bundle/staging.js';
import { AuditpackError } from '../../../src/errors.js';

const systemError = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: refused, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-output-error-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the file system refusing to write the output is named, never an internal error', () => {
  it('an error about the output folder, a folder above it, or a sibling of it (lock, staging, archive) is OUTPUT_INVALID naming the path', () => {
    for (const path of [
      '/srv/out/q2',
      '/srv',
      '/srv/out',
      '/srv/out/.q2.auditpack-lock',
      '/srv/out/.q2.auditpack-tmp-x/evidence/a.json',
      '/srv/out/q2.tar.gz',
    ]) {
      const converted = asOutputError(systemError('ENOSPC', 'write', path), '/srv/out/q2');
      expect(converted, path).toBeInstanceOf(AuditpackError);
      expect(converted).toMatchObject({ code: 'OUTPUT_INVALID', file: path, message: `the output cannot be written here: ENOSPC: refused, write '${path}'` });
    }
  });

  it('leaves alone an error about anything else, one without a path, and a typed error', () => {
    const elsewhere = systemError('EACCES', 'open', '/etc/auditpack/key.pem');
    expect(asOutputError(elsewhere, '/srv/out/q2')).toBe(elsewhere);
    const noPath = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    expect(asOutputError(noPath, '/srv/out/q2')).toBe(noPath);
    const typed = new AuditpackError('OUTPUT_LOCKED', 'held');
    expect(asOutputError(typed, '/srv/out/q2')).toBe(typed);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(asOutputError(bug, '/srv/out/q2')).toBe(bug);
  });

  it("a staged file that cannot be written (a worker thread's write, whose error names no path) names the file", async () => {
    await writeFile(join(work, 'evidence'), 'a file where a folder must be');
    await expect(writeStagedFile(work, 'evidence/app/signature.jsonl', Buffer.from('x'))).rejects.toMatchObject({
      code: 'OUTPUT_INVALID',
      file: join(work, 'evidence/app/signature.jsonl'),
      message: expect.stringMatching(/^the output cannot be written here: (ENOTDIR|EEXIST)/),
    });
  });
});
