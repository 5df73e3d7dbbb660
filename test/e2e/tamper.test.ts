import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkTree } from '../../src/bundle/walk.js';
import { keyFingerprint } from '../../src/seal/keys.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from '../../src/seal/manifest.js';
import { buildManifest, serialiseManifest } from '../../src/util/manifest.js';
import { publicKeyPem, signManifest } from '../../src/seal/sign.js';
import { verifyBundle, type SealAnchor } from '../../src/bundle/verify.js';
import { GOLDEN_CLOCK, ROOT, auditpack } from './cli.js';

const SEAL_KEY = createPrivateKey(await readFile(`${ROOT}samples/akko/keys/DEMO-ONLY-report-signing.key`));
const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
const pinned: SealAnchor = { kind: 'key', key: createPublicKey(SEAL_KEY) };
let work: string;
let out: string;

/** Runs the CLI with every network entry point of Node made to throw. */
function offline(...args: string[]) {
  return spawnSync(process.execPath, ['--require', join(work, 'no-network.cjs'), `${ROOT}bin/auditpack.js`, ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-tamper-'));
  await cp(`${ROOT}samples/akko`, join(work, 'estate'), { recursive: true });
  for (const run of ['one', 'two']) {
    const r = auditpack('report', '--config', join(work, 'estate/auditpack.yaml'), '--out', join(work, run, 'bundle'), '--clock', GOLDEN_CLOCK, '--archive');
    expect(r.status, r.stderr).toBe(1);
  }
  // From here on, only the bundle exists: no estate to read the evidence from.
  await rm(join(work, 'estate'), { recursive: true });
  await writeFile(
    join(work, 'no-network.cjs'),
    "const net = require('node:net'); const dns = require('node:dns');\n" +
      "const refuse = () => { throw new Error('network used'); };\n" +
      'net.Socket.prototype.connect = refuse; dns.lookup = refuse; globalThis.fetch = refuse;\n',
  );
  out = join(work, 'one', 'bundle');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Rebuilds manifest.json over the folder as it now is and seals it with `key`, as a forger would. */
async function reseal(dir: string, key: KeyObject): Promise<void> {
  await writeFile(join(dir, SEAL_KEY_FILE), publicKeyPem(key));
  const files = new Map<string, Uint8Array>();
  for (const e of await walkTree(dir))
    if (e.type === 'file' && e.path !== MANIFEST_FILE && e.path !== SEAL_FILE) files.set(e.path, await readFile(join(dir, e.path)));
  const manifest = serialiseManifest(buildManifest(files, GOLDEN_CLOCK));
  await writeFile(join(dir, MANIFEST_FILE), manifest);
  await writeFile(join(dir, SEAL_FILE), await signManifest(manifest, key, { organisation: 'forger', period: '2026-Q2', files: files.size }));
}

async function copyOfBundle(name: string): Promise<string> {
  const dir = join(work, name);
  await cp(out, dir, { recursive: true });
  return dir;
}

describe('the sample bundle, from the bundle alone', () => {
  it('verify --deep reproduces every finding of the sample report offline, with no network', () => {
    const r = offline('verify', out, '--key', PUB, '--deep');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("every finding re-verified from the bundle's evidence matches report.json");
  }, 120_000);

  it('verify --deep names a finding that report.json states differently, even when re-sealed with the right key', async () => {
    const dir = await copyOfBundle('deep-forged');
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const finding = report.findings.find((f: { id: string }) => f.id === 'signature.verified:notebook-full');
    finding.status = 'pass';
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    await reseal(dir, SEAL_KEY);
    expect(auditpack('verify', dir, '--key', PUB).status).toBe(0);
    const deep = offline('verify', dir, '--key', PUB, '--deep');
    expect(deep.status).toBe(1);
    expect(deep.stderr).toContain('finding signature.verified:notebook-full: the report says pass');
    expect(deep.stderr).toContain('[FINDING_MISMATCH]');
  }, 120_000);

  it('the same inputs, clock and Ed25519 key give a byte-identical archive', async () => {
    const one = await readFile(join(work, 'one', 'bundle.tar.gz'));
    expect(one.equals(await readFile(join(work, 'two', 'bundle.tar.gz')))).toBe(true);
    expect(auditpack('verify', join(work, 'one', 'bundle.tar.gz'), '--key', PUB).status).toBe(0);
  }, 120_000);
});

describe('the tamper suite: every change to the sample bundle is found, naming the file', () => {
  it('finds one flipped byte in every single file of the bundle (100%)', async () => {
    const flip = (bytes: Buffer) => {
      const changed = Buffer.from(bytes);
      const at = Math.floor(changed.length / 2);
      changed[at] = changed[at]! ^ 0x01;
      return changed;
    };
    const files = (await walkTree(out)).filter((e) => e.type === 'file').map((e) => e.path);
    expect(files.length).toBeGreaterThan(150);
    // The seal files alone, each on its own: a change there stops the check early.
    for (const path of [MANIFEST_FILE, SEAL_FILE]) {
      const original = await readFile(join(out, path));
      await writeFile(join(out, path), flip(original));
      const verdict = await verifyBundle(out, { anchor: pinned });
      await writeFile(join(out, path), original);
      expect(verdict.status, path).toBe('failed');
      expect(
        verdict.problems.map((p) => p.file),
        path,
      ).toContain(path);
    }
    // Every other file at once, in a copy: each must be named (the checks of two files never depend on each other).
    const dir = await copyOfBundle('flipped');
    const listed = files.filter((f) => f !== MANIFEST_FILE && f !== SEAL_FILE);
    for (const path of listed) await writeFile(join(dir, path), flip(await readFile(join(dir, path))));
    const verdict = await verifyBundle(dir, { anchor: pinned });
    const named = new Set(verdict.problems.map((p) => p.file));
    expect(listed.filter((f) => !named.has(f))).toEqual([]);
    expect(verdict.problems.every((p) => p.code === 'SEAL_MISMATCH' && p.reason === 'content differs from the sealed SHA-256')).toBe(true);
    expect((await verifyBundle(out, { anchor: pinned })).status).toBe('intact');
  }, 180_000);

  it('finds an added file, link, FIFO and folder, and a removed file', async () => {
    const dir = await copyOfBundle('added');
    await writeFile(join(dir, 'evidence/added.json'), '{}');
    await symlink('/etc/hostname', join(dir, 'evidence/link.json'));
    execFileSync('mkfifo', [join(dir, 'evidence/pipe')]);
    await mkdir(join(dir, 'trust/extra'));
    await rm(join(dir, 'inventory.csv'));
    const r = auditpack('verify', dir, '--key', PUB);
    expect(r.status).toBe(1);
    for (const file of ['evidence/added.json', 'evidence/link.json', 'evidence/pipe', 'trust/extra', 'inventory.csv'])
      expect(r.stderr).toContain(`${dir}/${file}:`);
  }, 120_000);

  it('refuses a ../ path in the manifest before reading anything', async () => {
    const dir = await copyOfBundle('climb');
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    manifest.files.push({ path: '../../../../etc/hostname', sha256: '0'.repeat(64), size: 1 });
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
    const r = auditpack('verify', dir, '--key', PUB);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${dir}/manifest.json: lists "../../../../etc/hostname", which climbs out with ..`);
  }, 120_000);

  it('fails a bundle edited and re-sealed with another key: pinned, and unpinned while report.json names the real key', async () => {
    const dir = await copyOfBundle('resealed');
    await writeFile(join(dir, 'report.pdf'), 'a forged report');
    const forger = generateKeyPairSync('ed25519').privateKey;
    await reseal(dir, forger);
    const pinnedRun = auditpack('verify', dir, '--key', PUB);
    expect(pinnedRun.status).toBe(1);
    expect(pinnedRun.stderr).toContain(`${dir}/manifest.sigstore.json:`);
    const unpinned = auditpack('verify', dir);
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toContain(`${dir}/report.json: the report was made for seal key ${keyFingerprint(SEAL_KEY)}`);
  }, 120_000);

  it("never calls a bundle re-sealed with another key intact unpinned: exit 4, printing the forger's fingerprint", async () => {
    const dir = await copyOfBundle('resealed-fully');
    const forger = generateKeyPairSync('ed25519').privateKey;
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    report.seal.keyFingerprint = keyFingerprint(forger);
    await writeFile(join(dir, 'report.json'), JSON.stringify(report));
    await reseal(dir, forger);
    const unpinned = auditpack('verify', dir);
    expect(unpinned.status).toBe(4);
    expect(unpinned.stdout).not.toContain('intact');
    expect(unpinned.stderr).toContain(`--key-fingerprint ${keyFingerprint(forger)}`);
    expect(auditpack('verify', dir, '--key-fingerprint', keyFingerprint(SEAL_KEY)).status).toBe(1);
  }, 120_000);

  it('finds a truncated archive and a flipped byte in the archive, naming it', async () => {
    const archive = await readFile(join(work, 'one', 'bundle.tar.gz'));
    await writeFile(join(work, 'cut.tar.gz'), archive.subarray(0, Math.floor(archive.length * 0.7)));
    const cut = auditpack('verify', join(work, 'cut.tar.gz'), '--key', PUB);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/cut\.tar\.gz: .*truncated/);
    const flipped = Buffer.from(archive);
    flipped[Math.floor(flipped.length / 2)] = flipped[Math.floor(flipped.length / 2)]! ^ 0x01;
    await writeFile(join(work, 'flipped.tar.gz'), flipped);
    const bad = auditpack('verify', join(work, 'flipped.tar.gz'), '--key', PUB);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('flipped.tar.gz');
  }, 120_000);
});
