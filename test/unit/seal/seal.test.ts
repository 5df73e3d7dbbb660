import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../../src/seal/keys.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from '../../../src/seal/manifest.js';
import { buildManifest, serialiseManifest } from '../../../src/util/manifest.js';
import { SEAL_PREDICATE_TYPE } from '../../../src/seal/sign.js';
import { verifyBundle, type SealAnchor } from '../../../src/bundle/verify.js';
import { dsseBundle, makeTestSigstore } from '../../helpers/bundles.js';
import { makeKeyPair, sha256 } from '../../helpers/estate.js';
import { sealFolder, sealKey } from '../../helpers/seal.js';

const pinned: SealAnchor = { kind: 'key', key: createPublicKey(sealKey) };
const byFingerprint: SealAnchor = { kind: 'key-fingerprint', sha256: keyFingerprint(sealKey) };
let work: string;
let dir: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-seal-'));
  dir = join(work, 'bundle');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const problemFiles = async (anchor: SealAnchor = pinned) => (await verifyBundle(dir, { anchor })).problems.map((p) => p.file).sort();

describe('a seal is intact only against an anchor the verifier chose', () => {
  it('is intact against the pinned key and against its fingerprint', async () => {
    await sealFolder(dir, { 'report.json': '{}', 'evidence/a/b.json': 'x' });
    expect(await verifyBundle(dir, { anchor: pinned })).toMatchObject({ status: 'intact', ok: true, files: 3, anchor: 'key' });
    expect(await verifyBundle(dir, { anchor: byFingerprint })).toMatchObject({ status: 'intact', ok: true, anchor: 'key-fingerprint' });
  });

  it('without an anchor is never ok: "unpinned", with the fingerprint it found', async () => {
    await sealFolder(dir, { 'report.json': '{}' });
    const verdict = await verifyBundle(dir, { anchor: { kind: 'none' } });
    expect(verdict).toMatchObject({ status: 'unpinned', ok: false, problems: [] });
    expect(verdict.signer).toMatchObject({ kind: 'key', fingerprint: keyFingerprint(sealKey), algorithm: 'Ed25519' });
  });

  it('fails a bundle re-sealed with another key, pinned by key or by fingerprint, naming the seal', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    await sealFolder(dir, { 'report.json': '{}' }, other);
    expect((await verifyBundle(dir, { anchor: pinned })).problems[0]).toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE });
    expect((await verifyBundle(dir, { anchor: byFingerprint })).problems[0]).toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: SEAL_KEY_FILE });
    const unpinned = await verifyBundle(dir, { anchor: { kind: 'none' } });
    expect(unpinned.status).toBe('unpinned');
    expect(unpinned.signer).toMatchObject({ fingerprint: keyFingerprint(other) });
  });

  it('says when the key given is not the one the bundle names (the usual cause: --key of another bundle), and only then', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    await sealFolder(dir, { 'report.json': '{}' }, other);
    const [wrongKey] = (await verifyBundle(dir, { anchor: pinned })).problems;
    expect(wrongKey?.reason).toContain(
      `the key given has SHA-256 ${keyFingerprint(sealKey)}, the bundle names a seal key with SHA-256 ${keyFingerprint(other)}`,
    );
    // The right key, a signature altered: no talk of another key.
    await sealFolder(dir, { 'report.json': '{}' });
    const seal = JSON.parse(await readFile(join(dir, SEAL_FILE), 'utf8')) as { dsseEnvelope: { signatures: { sig: string }[] } };
    const sig = Buffer.from(seal.dsseEnvelope.signatures[0]!.sig, 'base64');
    sig[3] = sig[3]! ^ 1;
    seal.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    await writeFile(join(dir, SEAL_FILE), JSON.stringify(seal));
    const [altered] = (await verifyBundle(dir, { anchor: pinned })).problems;
    expect(altered).toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE });
    expect(altered?.reason).not.toContain('key given');
  });

  it('fails, even unpinned, a re-seal whose report.json still names the original seal key', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    await sealFolder(dir, { 'report.json': JSON.stringify({ seal: { keyFingerprint: keyFingerprint(sealKey), algorithm: 'Ed25519' } }) }, other);
    const verdict = await verifyBundle(dir, { anchor: { kind: 'none' } });
    expect(verdict.status).toBe('failed');
    expect(verdict.problems[0]).toMatchObject({ code: 'SEAL_MISMATCH', file: 'report.json' });
  });

  it('works with an ECDSA P-256 seal key too', async () => {
    const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await sealFolder(dir, { 'report.json': '{}' }, ecdsa);
    expect((await verifyBundle(dir, { anchor: { kind: 'key', key: createPublicKey(ecdsa) } })).status).toBe('intact');
  });

  it("says the sealing time is the signer's claim when the seal has no timestamp", async () => {
    await sealFolder(dir, { 'report.json': '{}' });
    expect(await verifyBundle(dir, { anchor: pinned })).toMatchObject({ timestamp: 'absent', sealedAt: { at: '2026-07-01T08:00:00.000Z', by: 'signer' } });
  });
});

describe('every change to the folder is found and named', () => {
  it('names the file whose single byte changed', async () => {
    await sealFolder(dir, { 'report.json': '{"a":1}', 'evidence/a/b.json': 'x' });
    const bytes = await readFile(join(dir, 'report.json'));
    bytes[5] = bytes[5]! ^ 1;
    await writeFile(join(dir, 'report.json'), bytes);
    expect((await verifyBundle(dir, { anchor: pinned })).problems).toEqual([
      { code: 'SEAL_MISMATCH', file: 'report.json', reason: 'content differs from the sealed SHA-256' },
    ]);
  });

  it('checks every file of a many-file bundle, read several at once, and lists what changed in the manifest order', async () => {
    const files: Record<string, string | Buffer> = { 'report.json': '{}' };
    // Sizes around the read buffer's: empty, small, exactly a megabyte, over it.
    const sizes = [0, 1, 4095, 4096, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 7];
    for (let i = 0; i < 60; i++) files[`evidence/f${String(i).padStart(2, '0')}.bin`] = Buffer.alloc(sizes[i % sizes.length] ?? 0, i);
    await sealFolder(dir, files);
    expect((await verifyBundle(dir, { anchor: pinned })).problems).toEqual([]);
    // The last byte of a large file and of a small one, the first byte of another: a file read only in part would pass.
    const changed = ['evidence/f07.bin', 'evidence/f33.bin', 'evidence/f50.bin'];
    for (const path of changed) {
      const bytes = await readFile(join(dir, path));
      const at = path === 'evidence/f50.bin' ? 0 : bytes.length - 1;
      bytes[at] = bytes[at]! ^ 0xff;
      await writeFile(join(dir, path), bytes);
    }
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as { files: { path: string }[] };
    const order = manifest.files.map((f) => f.path).filter((p) => changed.includes(p));
    expect((await verifyBundle(dir, { anchor: pinned })).problems).toEqual(
      order.map((file) => ({ code: 'SEAL_MISMATCH', file, reason: 'content differs from the sealed SHA-256' })),
    );
  });

  it('finds a removed file, and an added file, folder and symbolic link', async () => {
    await sealFolder(dir, { 'report.json': '{}', 'evidence/a/b.json': 'x' });
    await rm(join(dir, 'evidence/a/b.json'));
    await writeFile(join(dir, 'extra.txt'), 'added');
    await mkdir(join(dir, 'evidence/empty'));
    await symlink('/etc/hostname', join(dir, 'evidence/link.json'));
    expect(await problemFiles()).toEqual(['evidence/a/b.json', 'evidence/empty', 'evidence/link.json', 'extra.txt']);
  });

  it('finds an added FIFO, and a FIFO or a link in place of a listed file, without hanging or following', async () => {
    await sealFolder(dir, { 'report.json': '{}', 'a.json': 'x', 'b.json': 'y' });
    execFileSync('mkfifo', [join(dir, 'added.fifo')]);
    await rm(join(dir, 'a.json'));
    execFileSync('mkfifo', [join(dir, 'a.json')]);
    await rm(join(dir, 'b.json'));
    await writeFile(join(work, 'outside.json'), 'y');
    await symlink(join(work, 'outside.json'), join(dir, 'b.json'));
    const verdict = await verifyBundle(dir, { anchor: pinned });
    expect(verdict.problems.map((p) => [p.file, p.reason])).toEqual([
      ['a.json', 'is a FIFO, not the sealed file'],
      ['b.json', 'is a symbolic link, not the sealed file'],
      ['added.fifo', 'a FIFO not in the sealed manifest (added after sealing)'],
    ]);
  });

  it('refuses a manifest path that climbs out or is absolute, before reading any file', async () => {
    for (const path of ['../outside.fifo', '/etc/hostname', 'a/../../outside.fifo', 'a//b']) {
      await rm(dir, { recursive: true, force: true });
      await sealFolder(dir, { 'report.json': '{}' });
      execFileSync('mkfifo', [join(work, 'outside.fifo')]);
      const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
      manifest.files.push({ path, sha256: '0'.repeat(64), size: 1 });
      await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      const verdict = await verifyBundle(dir, { anchor: pinned });
      expect(verdict.problems, path).toHaveLength(1);
      expect(verdict.problems[0], path).toMatchObject({ code: 'SEAL_MISMATCH', file: MANIFEST_FILE });
      expect(verdict.problems[0]?.reason, path).toContain(JSON.stringify(path));
      await rm(join(work, 'outside.fifo'));
    }
  });

  it('fails when the manifest is edited, even consistently with a file', async () => {
    await sealFolder(dir, { 'report.json': '{}' });
    const manifest = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    await writeFile(join(dir, MANIFEST_FILE), manifest.replace('"version": 1', '"version": 1 '));
    expect(await problemFiles()).toContain(MANIFEST_FILE);
  });

  it('fails when the seal signature is tampered with', async () => {
    await sealFolder(dir, { 'report.json': '{}' });
    const seal = JSON.parse(await readFile(join(dir, SEAL_FILE), 'utf8'));
    const sig = Buffer.from(seal.dsseEnvelope.signatures[0].sig, 'base64');
    sig[10] = sig[10]! ^ 1;
    seal.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    await writeFile(join(dir, SEAL_FILE), JSON.stringify(seal));
    expect((await verifyBundle(dir, { anchor: pinned })).problems[0]).toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: SEAL_FILE });
  });

  it('reports a folder that is not a bundle, and a path with nothing at it', async () => {
    await mkdir(dir);
    expect((await verifyBundle(dir, { anchor: pinned })).problems[0]).toMatchObject({ code: 'SEAL_MISSING', file: MANIFEST_FILE });
    expect((await verifyBundle(join(work, 'nothing'), { anchor: pinned })).status).toBe('failed');
  });

  it('writes the same manifest bytes for the same files in any order', () => {
    const a = new Map<string, Uint8Array>([
      ['b', Buffer.from('2')],
      ['a', Buffer.from('1')],
    ]);
    const b = new Map<string, Uint8Array>([
      ['a', Buffer.from('1')],
      ['b', Buffer.from('2')],
    ]);
    expect(serialiseManifest(buildManifest(a, 't')).equals(serialiseManifest(buildManifest(b, 't')))).toBe(true);
  });
});

describe('a keyless seal (cosign attest-blob with a Fulcio certificate)', () => {
  const IDENTITY = 'https://ci.example/org/release.yml@refs/heads/main';
  const ISSUER = 'https://token.ci.example';
  const sigstore = makeTestSigstore();

  async function keylessBundle(): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'report.json'), '{}');
    const manifest = serialiseManifest(buildManifest(new Map([['report.json', Buffer.from('{}')]]), '2026-07-01T08:00:00.000Z'));
    await writeFile(join(dir, MANIFEST_FILE), manifest);
    const signer = makeKeyPair();
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: MANIFEST_FILE, digest: { sha256: sha256(manifest) } }],
      predicateType: SEAL_PREDICATE_TYPE,
      predicate: {},
    };
    const seal = dsseBundle(Buffer.from(JSON.stringify(statement)), { signer, certificate: sigstore.leaf(signer, IDENTITY, ISSUER), rekor: sigstore.rekor });
    await writeFile(join(dir, SEAL_FILE), JSON.stringify(seal));
  }

  it("is intact against the identity and issuer, checked with the verifier's trusted root", async () => {
    await keylessBundle();
    const verdict = await verifyBundle(dir, { anchor: { kind: 'identity', identity: IDENTITY, issuer: ISSUER }, trustedRoot: sigstore.root });
    expect(verdict).toMatchObject({ status: 'intact', keyless: true, signer: { kind: 'certificate', identity: IDENTITY, issuer: ISSUER } });
  });

  it('fails against another identity or issuer, or a pinned key', async () => {
    await keylessBundle();
    for (const anchor of [
      { kind: 'identity', identity: 'https://ci.example/other.yml', issuer: ISSUER },
      { kind: 'identity', identity: IDENTITY, issuer: 'https://evil.example' },
      pinned,
    ] as SealAnchor[]) {
      const verdict = await verifyBundle(dir, { anchor, trustedRoot: sigstore.root });
      expect(verdict.status, JSON.stringify(anchor.kind)).toBe('failed');
      expect(verdict.problems[0]?.file).toBe(SEAL_FILE);
    }
  });

  it('without an anchor, is not verified (never intact), its files still checked', async () => {
    await keylessBundle();
    expect(await verifyBundle(dir, { anchor: { kind: 'none' } })).toMatchObject({ status: 'unpinned', ok: false, keyless: true, problems: [] });
    await writeFile(join(dir, 'report.json'), '{"x":1}');
    expect((await verifyBundle(dir, { anchor: { kind: 'none' } })).problems.map((p) => p.file)).toEqual(['report.json']);
  });
});
