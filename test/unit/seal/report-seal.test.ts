import { createPublicKey, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../../src/run-report.js';
import { verifyBundle } from '../../../src/bundle/verify.js';
import { loadTrustedRoot } from '../../../src/trust/load.js';
import { ROOT } from '../../e2e/cli.js';
import { sampleCopy } from '../../helpers/sample-copy.js';
import { startTestTsa, type TestTsa } from '../../helpers/tsa.js';

let work: string;
let tsa: TestTsa;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-report-seal-'));
  tsa = await startTestTsa();
});
afterAll(async () => {
  await tsa.close();
  await rm(work, { recursive: true, force: true });
});

describe('auditpack report with seal.timestampUrl', () => {
  it('dates the seal at the configured TSA, names it in the report, and the bundle verifies against its root', async () => {
    const configPath = await sampleCopy(join(work, 'estate'), (config) => {
      config.seal.timestampUrl = tsa.url;
    });
    const out = join(work, 'out');
    const run = await runReport({ configPath, outDir: out, clock: '2026-07-01T08:00:00.000Z' });
    const key = createPrivateKey(await readFile(`${ROOT}samples/akko/keys/DEMO-ONLY-report-signing.key`));
    expect(run.outcome.seal).toMatchObject({ algorithm: 'Ed25519', timestampAuthority: tsa.url });
    expect(tsa.answered()).toBe(1);
    await writeFile(join(work, 'tsa.json'), JSON.stringify(tsa.trustedRoot));
    const verdict = await verifyBundle(out, { anchor: { kind: 'key', key: createPublicKey(key) }, trustedRoot: await loadTrustedRoot(work, 'tsa.json') });
    expect(verdict).toMatchObject({ status: 'intact', timestamp: 'verified', sealedAt: { by: 'timestamp-authority' } });
  });

  it('fails the run, writing nothing, when the TSA cannot be reached', async () => {
    const gone = await startTestTsa();
    await gone.close();
    const configPath = await sampleCopy(join(work, 'estate2'), (config) => {
      config.seal.timestampUrl = gone.url;
    });
    await expect(runReport({ configPath, outDir: join(work, 'out2'), clock: '2026-07-01T08:00:00.000Z' })).rejects.toMatchObject({ code: 'TIMESTAMP_INVALID' });
    await expect(readFile(join(work, 'out2', 'manifest.json'))).rejects.toThrow();
  });
});
