import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarGz } from '../../../src/bundle/tar.js';
import { writeBundleAtomically } from '../../../src/bundle/output.js';
import { DEFAULT_OUT, bundlePathFor, hasPlaceholders, organisationSlug, refuseAnotherPeriod, samePeriod } from '../../../src/bundle/period-name.js';
import { parsePeriod } from '../../../src/config/period.js';
import { sealBundle } from '../../../src/seal/seal-bundle.js';
import { CLOCK, sealFolder, sealKey } from '../../helpers/seal.js';

let work: string;
let out: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-period-name-'));
  out = join(work, 'bundle');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const Q2 = parsePeriod('2026-Q2', 'UTC');
const Q1 = parsePeriod('2026-Q1', 'UTC');
const reportJson = (label: string, start: string, end: string) => JSON.stringify({ run: { period: { label, start, end, zone: 'UTC' } } });
const Q2_REPORT = reportJson('2026-Q2', '2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z');

/** A sealed bundle whose seal states `period` (the helper's seal says 2026-Q2). */
async function sealWithPeriod(dir: string, period: string, files: Record<string, string>): Promise<Map<string, Uint8Array>> {
  const bundle = new Map(Object.entries(files).map(([path, content]) => [path, Buffer.from(content)]));
  const sealed = await sealBundle(bundle, CLOCK, { key: sealKey, predicate: { organisation: 'o', period } });
  await writeBundleAtomically(dir, sealed);
  return sealed;
}

const refusal = async (promise: Promise<unknown>) => {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toMatchObject({ code: 'OUTPUT_OTHER_PERIOD' });
  return (thrown as Error).message;
};

describe('bundles are named by period', () => {
  it('slugs the organisation: lower case, accents dropped, one dash between words, never empty', () => {
    expect(organisationSlug('AKKO (sample estate)')).toBe('akko-sample-estate');
    expect(organisationSlug('Société Générale — Hébergement/HDS')).toBe('societe-generale-hebergement-hds');
    expect(organisationSlug('../../etc')).toBe('etc');
    expect(organisationSlug('株式会社')).toBe('株式会社');
    expect(organisationSlug('***')).toBe('auditpack');
    expect(organisationSlug('x'.repeat(100))).toHaveLength(64);
  });

  it('fills {organisation} and {period} into --out, and refuses an unknown placeholder', () => {
    expect(DEFAULT_OUT).toBe('out/{organisation}-{period}');
    expect(bundlePathFor(DEFAULT_OUT, 'AKKO (sample estate)', '2026-Q2')).toBe('out/akko-sample-estate-2026-Q2');
    expect(bundlePathFor('/srv/audit/{period}/{organisation}', 'Akko', '2026-04-01..2026-06-30')).toBe('/srv/audit/2026-04-01..2026-06-30/akko');
    expect(hasPlaceholders('out/akko-2026-Q2')).toBe(false);
    expect(hasPlaceholders(DEFAULT_OUT)).toBe(true);
    expect(() => bundlePathFor('out/{org}-{period}', 'Akko', '2026-Q2')).toThrow(/unknown placeholder \{org\}/);
  });

  it('counts a range naming the same days as a quarter as the same period, and nothing else', () => {
    expect(samePeriod({ label: '2026-Q2' }, Q2)).toBe(true);
    expect(samePeriod({ label: '2026-04-01..2026-06-30', start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' }, Q2)).toBe(true);
    expect(samePeriod({ label: '2026-04-01..2026-06-29', start: '2026-04-01T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' }, Q2)).toBe(false);
    expect(samePeriod({ label: '2026-Q1' }, Q2)).toBe(false);
    // The same days drawn in another zone are other instants: another period.
    expect(samePeriod({ start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' }, parsePeriod('2026-Q2', 'Europe/Paris'))).toBe(false);
  });
});

describe('a sealed bundle of another period is never replaced', () => {
  it('lets the same period through, and refuses another, naming both and leaving the folder untouched', async () => {
    await sealFolder(out, { 'report.json': Q2_REPORT });
    const before = await readFile(join(out, 'manifest.sigstore.json'));
    await expect(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q2)).resolves.toBeUndefined();
    const message = await refusal(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q1));
    expect(message).toMatch(/sealed bundle of 2026-Q2, not of 2026-Q1/);
    expect(message).toMatch(/out\/\{organisation\}-\{period\}/);
    expect((await readFile(join(out, 'manifest.sigstore.json'))).equals(before)).toBe(true);
  });

  it('reads the period from report.json when the seal states none, and refuses a bundle that states none at all', async () => {
    await sealWithPeriod(out, '', { 'report.json': Q2_REPORT });
    await expect(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q2)).resolves.toBeUndefined();
    expect(await refusal(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q1))).toMatch(/of 2026-Q2, not of 2026-Q1/);
    await rm(out, { recursive: true });
    await sealWithPeriod(out, '', { 'report.html': '<p>no json</p>' });
    expect(await refusal(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q2))).toMatch(/period cannot be read/);
  });

  it("takes the seal's label with report.json's instants: a bundle of a range over the quarter's days is the quarter's", async () => {
    await sealWithPeriod(out, '2026-04-01..2026-06-30', {
      'report.json': reportJson('2026-04-01..2026-06-30', '2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'),
    });
    await expect(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q2)).resolves.toBeUndefined();
    await expect(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q1)).rejects.toMatchObject({ code: 'OUTPUT_OTHER_PERIOD' });
  });

  it("keeps the seal's word when report.json contradicts it: a bundle sealed as 2026-Q1 is not replaced by Q2, whatever its report says", async () => {
    await sealWithPeriod(out, '2026-Q1', { 'report.json': Q2_REPORT });
    expect(await refusal(refuseAnotherPeriod({ dir: out, state: 'bundle' }, Q2))).toMatch(/sealed bundle of 2026-Q1, not of 2026-Q2/);
  });

  it('does not look into absent or empty folders (they are written as before)', async () => {
    await expect(refuseAnotherPeriod({ dir: out, state: 'absent' }, Q1)).resolves.toBeUndefined();
    await mkdir(out);
    await expect(refuseAnotherPeriod({ dir: out, state: 'empty' }, Q1)).resolves.toBeUndefined();
  });

  it('refuses an existing archive of another period even when its folder is gone, and lets one of the same period through', async () => {
    const sealed = await sealWithPeriod(out, '2026-Q2', { 'report.json': Q2_REPORT });
    await rm(out, { recursive: true });
    const archive = `${out}.tar.gz`;
    await writeFile(archive, tarGz(sealed, { prefix: 'bundle', mtime: new Date(CLOCK) }));
    expect(await refusal(refuseAnotherPeriod({ dir: out, state: 'absent', archive }, Q1))).toMatch(/output archive is the sealed bundle of 2026-Q2/);
    await expect(refuseAnotherPeriod({ dir: out, state: 'absent', archive }, Q2)).resolves.toBeUndefined();
    await expect(refuseAnotherPeriod({ dir: out, state: 'absent', archive: join(work, 'none.tar.gz') }, Q1)).resolves.toBeUndefined();
    expect(await readdir(work)).toEqual(['bundle.tar.gz']);
  });
});
