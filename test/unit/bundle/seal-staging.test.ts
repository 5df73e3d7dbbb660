import { createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealStaging } from '../../../src/bundle/seal-staging.js';
import { BundleStaging } from '../../../src/bundle/staging.js';
import { verifyBundle } from '../../../src/bundle/verify.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE } from '../../../src/seal/manifest.js';
import { sealBundle } from '../../../src/seal/seal-bundle.js';
import { entryOf, manifestOf, manifestText, serialiseManifest, type ManifestEntry } from '../../../src/util/manifest.js';
import { CLOCK, sealKey } from '../../helpers/seal.js';

/*
 * The seal of a report run writes manifest.json piece by piece and signs it
 * by its SHA-256 (bundle/seal-staging.ts): the bytes must be exactly those
 * of the in-memory seal every other path and every verifier knows.
 */

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-seal-staging-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const entry = (path: string, i: number): ManifestEntry => ({ path, sha256: i.toString(16).padStart(64, '0'), size: i * 1000 });
const sorted = (entries: ManifestEntry[]) => [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

describe('the manifest written piece by piece', () => {
  it('is byte for byte serialiseManifest’s text, with no files, one, and paths JSON must escape', () => {
    const odd = ['evidence/a "quoted".json', 'evidence/back\\slash/x', 'evidence/é/ünïcode ✓.json', 'evidence/tab\there', 'z'];
    for (const files of [[], [entry('report.json', 1)], sorted(odd.map(entry))]) {
      expect([...manifestText(files, CLOCK)].join('')).toBe(serialiseManifest(manifestOf(files, CLOCK)).toString('utf8'));
    }
  });

  it('comes in pieces of bounded size for a bundle of 65,000 files, which join into the same text', () => {
    const files = sorted(Array.from({ length: 65_000 }, (_, i) => entry(`evidence/image-${i}/attestation.jsonl`, i)));
    const pieces = [...manifestText(files, CLOCK)];
    expect(pieces.length).toBeGreaterThan(100);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(70 * 1024);
    expect(pieces.join('')).toBe(serialiseManifest(manifestOf(files, CLOCK)).toString('utf8'));
  });
});

describe('the seal of a staged bundle', () => {
  const files = { 'report.json': '{"a":1}\n', 'evidence/b/sig.json': 'sig', 'evidence/a/att.jsonl': 'att', 'inventory.csv': 'x\r\n' };
  const spec = { key: sealKey, predicate: { organisation: 'o', period: '2026-Q2' } };

  async function staged(seal: boolean): Promise<Map<string, Buffer>> {
    const staging = await BundleStaging.open(join(work, seal ? 'sealed' : 'unsealed'));
    for (const [path, content] of Object.entries(files)) await staging.add(path, Buffer.from(content));
    await sealStaging(staging, CLOCK, seal ? spec : undefined);
    await staging.commit();
    const dir = join(work, seal ? 'sealed' : 'unsealed');
    const written = new Map<string, Buffer>();
    for (const path of [...Object.keys(files), MANIFEST_FILE, SEAL_KEY_FILE, SEAL_FILE]) {
      if ((await readdir(dir, { recursive: true })).includes(path)) written.set(path, await readFile(join(dir, path)));
    }
    return written;
  }

  it('writes the same manifest.json, manifest.pub and seal as the in-memory seal (an Ed25519 signature is deterministic)', async () => {
    const inMemory = await sealBundle(new Map(Object.entries(files).map(([p, c]) => [p, Buffer.from(c)])), CLOCK, spec);
    const written = await staged(true);
    expect([...written.keys()].sort()).toEqual([...inMemory.keys()].sort());
    for (const [path, bytes] of inMemory) expect(written.get(path)?.equals(Buffer.from(bytes)), path).toBe(true);
    expect(await verifyBundle(join(work, 'sealed'), { anchor: { kind: 'key', key: createPublicKey(sealKey) } })).toMatchObject({
      status: 'intact',
      files: Object.keys(files).length + 1,
    });
  });

  it('without a key writes the manifest over every file and no seal', async () => {
    const written = await staged(false);
    expect(written.has(SEAL_FILE)).toBe(false);
    expect(written.has(SEAL_KEY_FILE)).toBe(false);
    const listed = Object.entries(files).map(([p, c]) => entryOf(p, Buffer.from(c)));
    expect(written.get(MANIFEST_FILE)?.toString('utf8')).toBe(serialiseManifest(manifestOf(listed, CLOCK)).toString('utf8'));
  });
});
