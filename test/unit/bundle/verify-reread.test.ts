import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReportNamesSigner } from '../../../src/bundle/verify.js';
import { walkTree } from '../../../src/bundle/walk.js';

/*
 * verifyBundle reads report.json again, after hashing every file, to check
 * that it names the key that sealed the bundle. Whoever can write the bundle
 * while it is verified could change it in between: it must still be the
 * sealed file.
 */
let dir: string;
const report = JSON.stringify({ seal: { keyFingerprint: 'aa'.repeat(32) } });
const signer = { kind: 'key' as const, fingerprint: 'aa'.repeat(32), algorithm: 'Ed25519' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-verify-reread-'));
  await writeFile(join(dir, 'report.json'), report);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report.json read again during verification', () => {
  it('is a mismatch when it is not the sealed file any more', async () => {
    const tree = new Map((await walkTree(dir)).map((e) => [e.path, e]));
    expect(await checkReportNamesSigner(dir, tree, signer, sha256('{"the": "sealed report"}'))).toEqual([
      { code: 'SEAL_MISMATCH', file: 'report.json', reason: 'changed while the bundle was verified' },
    ]);
  });

  it('is checked for the signer when it is the sealed file', async () => {
    const tree = new Map((await walkTree(dir)).map((e) => [e.path, e]));
    expect(await checkReportNamesSigner(dir, tree, signer, sha256(report))).toEqual([]);
    expect(await checkReportNamesSigner(dir, tree, { kind: 'key', fingerprint: 'bb'.repeat(32), algorithm: 'Ed25519' }, sha256(report))).toMatchObject([
      { code: 'SEAL_MISMATCH', reason: expect.stringContaining('re-sealed by someone else') as unknown },
    ]);
  });
});
