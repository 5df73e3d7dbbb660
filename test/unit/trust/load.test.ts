import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKeyValidAt, loadTrust, loadTrustedKey, loadTrustedRoot } from '../../../src/trust/load.js';

let dir: string;
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const tlog = (validFor: object) => ({
  baseUrl: 'https://rekor.test.invalid',
  hashAlgorithm: 'SHA2_256',
  publicKey: { rawBytes: spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
  logId: { keyId: createHash('sha256').update(spki).digest('base64') },
});
const root = (validFor: object) =>
  JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [tlog(validFor)],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-trust-'));
  await writeFile(join(dir, 'k.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(dir, 'bad.pub'), '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
  await writeFile(join(dir, 'root.json'), root({ start: '2026-01-01T00:00:00Z' }));
  await writeFile(join(dir, 'no-start.json'), root({}));
  await writeFile(join(dir, 'not-json.json'), '{');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trust material from files', () => {
  it('loads a PEM key with its SPKI fingerprint, algorithm and validity window', async () => {
    const key = await loadTrustedKey(dir, { id: 'k', path: 'k.pub', validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-12-31T23:59:59Z' });
    expect(key.fingerprint).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(key.algorithm).toBe('ECDSA P-256');
    expect(isKeyValidAt(key, new Date('2026-06-01T00:00:00Z'))).toBe(true);
    expect(isKeyValidAt(key, new Date('2025-12-31T23:59:59Z'))).toBe(false);
    expect(isKeyValidAt(key, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('names the file of a key that is missing or not a key', async () => {
    await expect(loadTrustedKey(dir, { id: 'x', path: 'missing.pub' })).rejects.toMatchObject({ code: 'TRUST_INVALID', file: 'missing.pub' });
    await expect(loadTrustedKey(dir, { id: 'x', path: 'bad.pub' })).rejects.toMatchObject({ code: 'TRUST_INVALID', file: 'bad.pub' });
  });

  it('loads a trusted root and records its SHA-256', async () => {
    const loaded = await loadTrustedRoot(dir, 'root.json');
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.root.tlogs).toHaveLength(1);
  });

  it('rejects a trusted root whose log key has no validity start (sigstore-js would trust it forever)', async () => {
    await expect(loadTrustedRoot(dir, 'no-start.json')).rejects.toMatchObject({
      code: 'TRUST_INVALID',
      message: expect.stringMatching(/\/tlogs\/0\/publicKey\/validFor: must have required property 'start'/),
    });
  });

  it.each([
    ['an empty object', '{}'],
    ['another JSON document (a Sigstore bundle)', JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {} })],
    ['a JSON array', '[]'],
    [
      'a root that trusts nothing',
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        tlogs: [],
        certificateAuthorities: [],
        ctlogs: [],
        timestampAuthorities: [],
      }),
    ],
    ['a log whose key is not base64', root({ start: '2026-01-01T00:00:00Z' }).replace(/"rawBytes":"[^"]+"/, '"rawBytes":"not base64!"')],
  ])('rejects %s (TRUST_INVALID, naming the file): it is not a dev.sigstore.trustedroot', async (_what, content) => {
    await writeFile(join(dir, 'shape.json'), content);
    await expect(loadTrustedRoot(dir, 'shape.json')).rejects.toMatchObject({
      code: 'TRUST_INVALID',
      file: 'shape.json',
      message: expect.stringMatching(/^not a Sigstore trusted root/),
    });
  });

  it('loads a root whose unset optional fields are written as null (proto3 JSON, as sigstore-conformance writes them)', async () => {
    const withNulls = JSON.parse(root({ start: '2026-01-01T00:00:00Z', end: null })) as { tlogs: Record<string, unknown>[] };
    Object.assign(withNulls.tlogs[0]!, { checkpointKeyId: null, operator: null });
    await writeFile(join(dir, 'nulls.json'), JSON.stringify(withNulls));
    expect((await loadTrustedRoot(dir, 'nulls.json')).root.tlogs).toHaveLength(1);
  });

  it('rejects a trusted root that is not JSON', async () => {
    await expect(loadTrustedRoot(dir, 'not-json.json')).rejects.toMatchObject({ code: 'TRUST_INVALID', file: 'not-json.json' });
  });

  it('loads keys without a root when none is configured', async () => {
    const trust = await loadTrust(dir, [{ id: 'k', path: 'k.pub' }], undefined);
    expect(trust.trustedRoot).toBeUndefined();
    expect(trust.keys).toHaveLength(1);
  });
});
