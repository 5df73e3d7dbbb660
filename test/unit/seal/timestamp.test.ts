import { createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { MANIFEST_FILE, SEAL_FILE } from '../../../src/seal/manifest.js';
import { rfc3161Timestamper } from '../../../src/seal/timestamp.js';
import { verifyBundle } from '../../../src/bundle/verify.js';
import { loadTrustedRoot, type LoadedTrustedRoot } from '../../../src/trust/load.js';
import { verifySigstoreBundle } from '../../../src/verify/bundle.js';
import { sealFolder, sealKey } from '../../helpers/seal.js';
import { startTestTsa, type TestTsa } from '../../helpers/tsa.js';

const anchor = { kind: 'key', key: createPublicKey(sealKey) } as const;
let work: string;
let tsa: TestTsa;
let tsaRoot: LoadedTrustedRoot;
let otherRoot: LoadedTrustedRoot;
let dir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-tsa-'));
  tsa = await startTestTsa({ time: () => new Date('2026-07-01T08:00:05Z') });
  const other = await startTestTsa();
  await writeFile(join(work, 'tsa-root.json'), JSON.stringify(tsa.trustedRoot));
  await writeFile(join(work, 'other-root.json'), JSON.stringify(other.trustedRoot));
  await other.close();
  tsaRoot = await loadTrustedRoot(work, 'tsa-root.json');
  otherRoot = await loadTrustedRoot(work, 'other-root.json');
  dir = join(work, 'bundle');
  await sealFolder(dir, { 'report.json': '{}' }, sealKey, rfc3161Timestamper(tsa.url));
});
afterAll(async () => {
  await tsa.close();
  await rm(work, { recursive: true, force: true });
});

describe('a seal dated by an RFC 3161 timestamp authority (seal.timestampUrl)', () => {
  it('asks the TSA once and keeps its answer in the seal', async () => {
    expect(tsa.answered()).toBe(1);
    const seal = JSON.parse(await readFile(join(dir, SEAL_FILE), 'utf8'));
    expect(seal.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
  });

  it("verifies against a trusted root naming the TSA: the sealing time is the TSA's, not the signer's", async () => {
    const verdict = await verifyBundle(dir, { anchor, trustedRoot: tsaRoot });
    expect(verdict).toMatchObject({ status: 'intact', timestamp: 'verified', sealedAt: { at: '2026-07-01T08:00:05.000Z', by: 'timestamp-authority' } });
  });

  it("without a trusted root, sets the timestamp aside and says the time is the signer's claim", async () => {
    const verdict = await verifyBundle(dir, { anchor });
    expect(verdict).toMatchObject({ status: 'intact', timestamp: 'not-checked', sealedAt: { by: 'signer' } });
  });

  it('fails against a trusted root naming another TSA', async () => {
    const verdict = await verifyBundle(dir, { anchor, trustedRoot: otherRoot });
    expect(verdict.status).toBe('failed');
    expect(verdict.problems[0]).toMatchObject({ code: 'TIMESTAMP_INVALID', file: SEAL_FILE });
  });

  it("is a standard Sigstore bundle: verify-bundle's code checks signature and timestamp without a log entry", async () => {
    const verdict = verifySigstoreBundle({
      bundle: await readFile(join(dir, SEAL_FILE)),
      artifact: { kind: 'bytes', bytes: await readFile(join(dir, MANIFEST_FILE)) },
      policy: { kind: 'key', publicKey: createPublicKey(sealKey) },
      trustedRoot: tsaRoot,
      requireTlog: false,
      requireTimestamp: true,
    });
    expect(verdict.status).toBe('valid');
    expect(verdict.status === 'valid' && verdict.facts.timestampAuthorityTimes).toEqual(['2026-07-01T08:00:05.000Z']);
  });
});

describe('a TSA answer is checked before it is kept', () => {
  const timestampOf = async (fault: 'wrong-nonce' | 'rejected' | 'garbage') => {
    const bad = await startTestTsa({ fault });
    try {
      return await rfc3161Timestamper(bad.url)(Buffer.from('signature bytes')).catch((e: unknown) => e);
    } finally {
      await bad.close();
    }
  };

  it.each([
    ['wrong-nonce', /nonce/],
    ['rejected', /not granted/],
    ['garbage', /not a usable RFC 3161 answer/],
  ] as const)('refuses a %s answer with TIMESTAMP_INVALID', async (fault, message) => {
    const thrown = await timestampOf(fault);
    expect(thrown).toBeInstanceOf(AuditpackError);
    expect((thrown as AuditpackError).code).toBe('TIMESTAMP_INVALID');
    expect((thrown as AuditpackError).message).toMatch(message);
  });

  it('says so when the TSA cannot be reached', async () => {
    const gone = await startTestTsa();
    await gone.close();
    const thrown = await rfc3161Timestamper(gone.url)(Buffer.from('x')).catch((e: unknown) => e);
    expect((thrown as AuditpackError).code).toBe('TIMESTAMP_INVALID');
    expect((thrown as AuditpackError).message).toMatch(/cannot be reached/);
  });
});
