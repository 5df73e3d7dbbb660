import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepVerify } from '../../../src/verify-deep.js';

/*
 * `verify --deep` reads the bundle again after its seal was verified: whoever
 * can write the folder could swap report.json in between, and the findings
 * would then be re-derived from, and compared with, files nobody verified.
 */
let dir: string;
const report = `${JSON.stringify({ reportFormat: 'auditpack-report', run: { configSha256: '00'.repeat(32) }, evidence: [] })}\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-deep-'));
  await writeFile(join(dir, 'report.json'), report);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deepVerify and the verified manifest', () => {
  it('stops at a report.json that is not the one the seal verified, verifying nothing again', async () => {
    const other = sha256(report.replace('auditpack-report', 'another-report'));
    expect(await deepVerify(dir, (path) => (path === 'report.json' ? other : undefined))).toEqual([
      { code: 'SEAL_MISMATCH', file: 'report.json', reason: 'changed since the bundle was verified: not verified again' },
    ]);
    expect(await deepVerify(dir, () => undefined)).toMatchObject([{ code: 'SEAL_MISMATCH' }]);
  });

  it('goes on with the verified report.json (here to the configuration it names, which this folder lacks)', async () => {
    const problems = await deepVerify(dir, (path) => (path === 'report.json' ? sha256(report) : undefined));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'FINDING_MISMATCH',
      reason: expect.stringMatching(/no file in config\/ has the configuration SHA-256/) as unknown,
    });
  });
});
