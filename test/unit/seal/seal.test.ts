import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBundleFiles } from '../../../src/bundle/write.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE, buildManifest, serialiseManifest } from '../../../src/seal/manifest.js';
import { publicKeyPem, signManifest } from '../../../src/seal/sign.js';
import { verifyBundle } from '../../../src/seal/verify-bundle.js';

const { privateKey } = generateKeyPairSync('ed25519');
let dir: string;

async function sealFolder(files: Record<string, string>, key = privateKey): Promise<void> {
  const map = new Map<string, Uint8Array>(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
  map.set(SEAL_KEY_FILE, publicKeyPem(key));
  const manifest = serialiseManifest(buildManifest(map, '2026-07-01T00:00:00.000Z'));
  map.set(MANIFEST_FILE, manifest);
  map.set(SEAL_FILE, signManifest(manifest, key, { organisation: 'o', period: '2026-Q2', files: 3 }));
  await writeBundleFiles(dir, map);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-seal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seal and verify', () => {
  it('verifies an untouched bundle', async () => {
    await sealFolder({ 'report.json': '{}', 'evidence/a/b.json': 'x' });
    const verdict = await verifyBundle(dir);
    expect(verdict).toMatchObject({ ok: true, files: 3, keySource: 'bundle' });
  });

  it('names the file whose single byte changed', async () => {
    await sealFolder({ 'report.json': '{"a":1}', 'evidence/a/b.json': 'x' });
    const path = join(dir, 'report.json');
    const bytes = await readFile(path);
    bytes[5] = bytes[5]! ^ 1;
    await writeFile(path, bytes);
    const verdict = await verifyBundle(dir);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([{ code: 'SEAL_MISMATCH', file: 'report.json', reason: 'content differs from the sealed SHA-256' }]);
  });

  it('fails when a file is removed or added', async () => {
    await sealFolder({ 'report.json': '{}', 'evidence/a/b.json': 'x' });
    await rm(join(dir, 'evidence/a/b.json'));
    await writeFile(join(dir, 'extra.txt'), 'added');
    const files = (await verifyBundle(dir)).problems.map((p) => p.file).sort();
    expect(files).toEqual(['evidence/a/b.json', 'extra.txt']);
  });

  it('fails when the manifest is edited, even consistently with a file', async () => {
    await sealFolder({ 'report.json': '{}' });
    const manifest = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    await writeFile(join(dir, MANIFEST_FILE), manifest.replace('"version": 1', '"version": 1 '));
    expect((await verifyBundle(dir)).problems.map((p) => p.file)).toContain(MANIFEST_FILE);
  });

  it('fails when the seal signature is tampered with', async () => {
    await sealFolder({ 'report.json': '{}' });
    const seal = JSON.parse(await readFile(join(dir, SEAL_FILE), 'utf8'));
    const sig = Buffer.from(seal.dsseEnvelope.signatures[0].sig, 'base64');
    sig[10] = sig[10]! ^ 1;
    seal.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    await writeFile(join(dir, SEAL_FILE), JSON.stringify(seal));
    expect((await verifyBundle(dir)).problems[0]).toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE });
  });

  it('fails against a pinned key that did not sign it', async () => {
    await sealFolder({ 'report.json': '{}' });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect((await verifyBundle(dir, other)).problems[0]?.code).toBe('SEAL_SIGNATURE_INVALID');
  });

  it('works with an ECDSA P-256 seal key too', async () => {
    await sealFolder({ 'report.json': '{}' }, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expect((await verifyBundle(dir)).ok).toBe(true);
  });

  it('reports a folder that is not a bundle', async () => {
    expect((await verifyBundle(dir)).problems[0]).toMatchObject({ code: 'SEAL_MISSING', file: MANIFEST_FILE });
  });

  it('writes the same manifest bytes for the same files in any order', () => {
    const a = new Map<string, Uint8Array>([['b', Buffer.from('2')], ['a', Buffer.from('1')]]);
    const b = new Map<string, Uint8Array>([['a', Buffer.from('1')], ['b', Buffer.from('2')]]);
    expect(serialiseManifest(buildManifest(a, 't')).equals(serialiseManifest(buildManifest(b, 't')))).toBe(true);
  });
});
