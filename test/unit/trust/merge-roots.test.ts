import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrust } from '../../../src/trust/load.js';

let dir: string;
function rootWithLog(url: string): string {
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2026-01-01T00:00:00Z' } },
        logId: { keyId: createHash('sha256').update(spki).digest('base64') },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-roots-'));
  await writeFile(join(dir, 'public.json'), rootWithLog('https://rekor.public.invalid'));
  await writeFile(join(dir, 'private.json'), rootWithLog('https://rekor.private.invalid'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('several trusted roots', () => {
  it('are merged, keeping every log and every file', async () => {
    const { trustedRoot } = await loadTrust(dir, [], ['public.json', 'private.json']);
    expect(trustedRoot?.root.tlogs.map((t) => t.baseUrl)).toEqual(['https://rekor.public.invalid', 'https://rekor.private.invalid']);
    expect(trustedRoot?.files.map((f) => f.source)).toEqual(['public.json', 'private.json']);
    expect(trustedRoot?.sha256).not.toBe(trustedRoot?.files[0]?.sha256);
  });

  it('a single root stays exactly that file', async () => {
    const { trustedRoot } = await loadTrust(dir, [], 'public.json');
    expect(trustedRoot?.sha256).toBe(trustedRoot?.files[0]?.sha256);
  });
});
