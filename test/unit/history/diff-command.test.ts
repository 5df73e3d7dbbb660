import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { parsePeriod } from '../../../src/config/period.js';
import { verifyBundle } from '../../../src/bundle/verify.js';
import { assertSealedWith, readComparedBundle } from '../../../src/history/bundle.js';
import { loadPreviousBundle } from '../../../src/history/previous.js';
import type { Report } from '../../../src/report/model.js';
import { keyFingerprint } from '../../../src/seal/keys.js';
import { publicKeyPem } from '../../../src/seal/sign.js';
import { csvRows, INVENTORY_COLUMNS } from '../../../src/sbom/inventory.js';
import { sealFolder } from '../../helpers/seal.js';
import { finding, goldenReport, nextQuarter } from './fixtures.js';

const auditor = generateKeyPairSync('ed25519').privateKey;
const rotated = generateKeyPairSync('ed25519').privateKey;
const attacker = generateKeyPairSync('ed25519').privateKey;
let dir: string;
const keyFile = (name: string) => join(dir, `${name}.pub`);

function fakeIo(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), progress: () => {} };
}

/**
 * Writes a sealed bundle folder holding `report` (and an inventory), as
 * `auditpack report` seals one: the report names the key that seals it.
 */
async function sealedBundle(name: string, report: Report | object, key: KeyObject = auditor, inventory?: string[][]): Promise<string> {
  const out = join(dir, name);
  const named = 'reportFormat' in report ? { ...report, seal: { keyFingerprint: keyFingerprint(key), algorithm: 'Ed25519' } } : report;
  const files: Record<string, string> = { 'report.json': `${JSON.stringify(named, null, 2)}\n` };
  if (inventory) files['inventory.csv'] = csvRows([[...INVENTORY_COLUMNS], ...inventory]);
  await sealFolder(out, files, key);
  return out;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const row = (image: string, name: string, version: string) => [image, 'pypi', '', name, version, 'library', `pkg:pypi/${name}@${version}`, 'MIT', '', '1'];
let q2: string;
let q3: string;
let q3Worse: Report;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-diff-'));
  for (const [name, key] of [
    ['auditor', auditor],
    ['rotated', rotated],
    ['attacker', attacker],
  ] as const)
    await writeFile(keyFile(name), publicKeyPem(key));
  q2 = await sealedBundle('q2', goldenReport(), auditor, [row('dbt', 'dbt-core', '1.8.0')]);
  q3Worse = nextQuarter();
  finding(q3Worse, 'signature.verified:cockpit').status = 'fail';
  q3 = await sealedBundle('q3', q3Worse, auditor, [row('dbt', 'dbt-core', '1.9.1')]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const diff = async (...args: string[]) => {
  const io = fakeIo();
  const code = await main(['diff', ...args], io);
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n') };
};

describe('auditpack diff', () => {
  it('compares two sealed bundles with the pinned key and exits 1 on a regression', async () => {
    const r = await diff(q2, q3, '--key', keyFile('auditor'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^bundles: .*q2 \(seal intact, 3 files, seal key SHA-256 [0-9a-f]{64}\)/);
    expect(r.out).toContain('! cockpit  signature.verified  pass → fail');
    expect(r.out).toContain('~ pkg:pypi/dbt-core 1.8.0 → 1.9.1');
  });

  it('exits 0 when nothing got worse, and follows --fail-on', async () => {
    expect((await diff(q2, q2, '--key', keyFile('auditor'))).code).toBe(0);
    expect((await diff(q2, q3, '--key', keyFile('auditor'), '--fail-on', 'never')).code).toBe(0);
    const fixedOnly = nextQuarter();
    finding(fixedOnly, 'signature.verified:notebook-full').status = 'pass';
    const better = await sealedBundle('better', fixedOnly);
    expect((await diff(q2, better, '--key', keyFile('auditor'))).code).toBe(0);
    expect((await diff(q2, better, '--key', keyFile('auditor'), '--fail-on', 'change')).code).toBe(1);
  });

  it('prints JSON with the seal verdicts, and a self-contained HTML page', async () => {
    const json = JSON.parse((await diff(q2, q3, '--key', keyFile('auditor'), '--format', 'json')).out) as {
      bundles: { old: { seal: string } };
      diff: { regression: boolean; findings: { newFailures: { id: string }[] } };
    };
    expect(json.bundles.old.seal).toMatch(/^intact/);
    expect(json.diff.regression).toBe(true);
    expect(json.diff.findings.newFailures.map((f) => f.id)).toEqual(['signature.verified:cockpit']);
    const html = (await diff(q2, q3, '--key', keyFile('auditor'), '--format', 'html')).out;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('New failures (1)');
  });

  it('accepts each bundle sealed with one of several pinned keys (key rotation)', async () => {
    const q3Rotated = await sealedBundle('q3-rotated', q3Worse, rotated);
    expect((await diff(q2, q3Rotated, '--key', keyFile('auditor'))).code).toBe(2);
    expect((await diff(q2, q3Rotated, '--key', keyFile('auditor'), '--key', keyFile('rotated'))).code).toBe(1);
  });

  it('refuses a bundle whose report was edited and re-sealed with another key, comparing nothing', async () => {
    const forged = structuredClone(q3Worse);
    finding(forged, 'signature.verified:cockpit').status = 'pass';
    const resealed = await sealedBundle('resealed', forged, attacker);
    const r = await diff(q2, resealed, '--key', keyFile('auditor'));
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/resealed: the new bundle's seal does not verify with the pinned key, so it is not used: .*\[SEAL_SIGNATURE_INVALID\]/);
  });

  it('refuses a bundle whose report.json changed after sealing, naming the file', async () => {
    const tampered = await sealedBundle('tampered', q3Worse);
    const path = join(tampered, 'report.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"fail"', '"pass"'));
    const r = await diff(q2, tampered, '--key', keyFile('auditor'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/report\.json: content differs from the sealed SHA-256 \[SEAL_MISMATCH\]/);
  });

  it('needs a pinned key, or an explicit --unverified that it warns about', async () => {
    const none = await diff(q2, q3);
    expect(none.code).toBe(2);
    expect(none.err).toContain('[SEAL_MISSING]');
    const unchecked = await diff(q2, q3, '--unverified');
    expect(unchecked.code).toBe(1);
    expect(unchecked.err).toContain('the seals were NOT checked');
    expect(unchecked.out).toContain('seal not checked (--unverified)');
    expect((await diff(q2, q3, '--unverified', '--key', keyFile('auditor'))).code).toBe(2);
  });

  it('refuses a sealed folder that holds no auditpack report', async () => {
    const other = await sealedBundle('other', { hello: 'world' });
    const r = await diff(q2, other, '--key', keyFile('auditor'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/other\/report\.json: not an auditpack report: reportFormat is not auditpack-report \[REPORT_UNREADABLE\]/);
  });
});

describe('what is read after the seal is verified', () => {
  const pinned = () => [createPublicKey(publicKeyPem(auditor))];

  it('the verdict gives the signed SHA-256 of the files asked for, when intact only', async () => {
    const bundle = await sealedBundle('digests', goldenReport(), auditor, [row('dbt', 'dbt-core', '1.8.0')]);
    const verdict = await assertSealedWith(bundle, pinned(), 'old');
    expect(verdict.digests).toEqual({
      'report.json': sha256(await readFile(join(bundle, 'report.json'))),
      'inventory.csv': sha256(await readFile(join(bundle, 'inventory.csv'))),
    });
    const unpinned = await verifyBundle(bundle, { anchor: { kind: 'none' }, digestsOf: ['report.json'] });
    expect(unpinned.digests).toBeUndefined();
    await writeFile(join(bundle, 'inventory.csv'), 'changed');
    const failed = await verifyBundle(bundle, { anchor: { kind: 'key', key: createPublicKey(publicKeyPem(auditor)) }, digestsOf: ['report.json'] });
    expect(failed.status).toBe('failed');
    expect(failed.digests).toBeUndefined();
  });

  it('refuses a report.json swapped in after the verification (another bundle’s, signed by the same key), comparing nothing', async () => {
    const bundle = await sealedBundle('swapped', q3Worse);
    const verdict = await assertSealedWith(bundle, pinned(), 'new');
    // Between the verification and the reading, whoever can write the folder puts back the Q2 bundle's signed manifest and report.
    for (const file of ['report.json', 'manifest.json', 'manifest.sigstore.json']) await writeFile(join(bundle, file), await readFile(join(q2, file)));
    await expect(readComparedBundle(bundle, bundle, verdict.digests)).rejects.toMatchObject({
      code: 'SEAL_MISMATCH',
      file: join(bundle, 'report.json'),
      message: "report.json changed since the bundle's seal was verified: not used",
    });
    // Unverified (`diff --unverified`), the folder is read as it is.
    expect((await readComparedBundle(bundle)).report.run.period.label).toBe('2026-Q2');
  });

  it('reads only the inventory the verified manifest lists: one added since is ignored, one listed and gone since stops the comparison', async () => {
    const without = await sealedBundle('no-inventory', q3Worse);
    const verdict = await assertSealedWith(without, pinned(), 'new');
    await writeFile(join(without, 'inventory.csv'), csvRows([[...INVENTORY_COLUMNS], row('dbt', 'dbt-core', '0.0.1')]));
    expect((await readComparedBundle(without, without, verdict.digests)).inventory).toBeUndefined();

    const listed = await sealedBundle('inventory-gone', q3Worse, auditor, [row('dbt', 'dbt-core', '1.9.1')]);
    const listedVerdict = await assertSealedWith(listed, pinned(), 'new');
    await rm(join(listed, 'inventory.csv'));
    await expect(readComparedBundle(listed, listed, listedVerdict.digests)).rejects.toMatchObject({
      code: 'SEAL_MISMATCH',
      file: join(listed, 'inventory.csv'),
    });
  });
});

describe('report --previous: loading the previous bundle', () => {
  const q3Period = parsePeriod('2026-Q3', 'UTC');

  it('loads a bundle sealed with the pinned key, for an earlier period', async () => {
    const previous = await loadPreviousBundle({ dir: q2, key: keyFile('auditor') }, q3Period);
    expect(previous.report.run.period.label).toBe('2026-Q2');
    expect(previous.inventory?.get('dbt')?.packages.get('pkg:pypi/dbt-core')).toEqual(['1.8.0']);
  });

  it('refuses one sealed with another key, and one that is not of an earlier period', async () => {
    await expect(loadPreviousBundle({ dir: q2, key: keyFile('attacker') }, q3Period)).rejects.toMatchObject({ code: 'SEAL_SIGNATURE_INVALID', file: q2 });
    await expect(loadPreviousBundle({ dir: q3, key: keyFile('auditor') }, q3Period)).rejects.toThrow(
      /previous bundle is for 2026-Q3, which does not start before 2026-Q3/,
    );
    await expect(loadPreviousBundle({ dir: q2, key: join(dir, 'missing.pub') }, q3Period)).rejects.toMatchObject({ code: 'TRUST_INVALID' });
  });
});
