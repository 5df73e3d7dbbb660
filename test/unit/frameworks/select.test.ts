import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { profileTypes, selectCatalogs } from '../../../src/frameworks/select.js';

const base = {
  organisation: 'o',
  period: '2026-Q2',
  zone: 'UTC',
  images: [],
  trust: { keys: [] },
  evidence: { images: '{image}' },
  sbom: { minLicenceCoverage: 0.8, minPurlCoverage: 0.8 },
  outputs: [],
  seal: {},
} as unknown as Config;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditpack-select-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('selectCatalogs', () => {
  it('takes the frameworks named in the config', async () => {
    expect((await selectCatalogs({ ...base, frameworks: ['nis2'] }, dir)).map((c) => c.id)).toEqual(['nis2']);
  });

  it('selects the catalogs that bind the entity profile', async () => {
    const ids = (await selectCatalogs({ ...base, entity: { financialEntity: true, hdsHost: true } }, dir)).map((c) => c.id);
    expect(ids).toContain('dora');
    expect(ids).toContain('hds');
    expect(ids).not.toContain('nis2');
  });

  it('rejects an unknown framework id', async () => {
    await expect(selectCatalogs({ ...base, frameworks: ['sox'] }, dir)).rejects.toThrow(/unknown framework 'sox'/);
  });

  it('adds a custom catalog file and refuses one that reuses a built-in id', async () => {
    const custom = (id: string) =>
      `id: ${id}\ntitle: T\nversion: "1"\nsource: https://example.invalid\napplicability: all\nappliesTo: [any]\ncontrols:\n  - id: c-1\n    citation: Internal policy, §1\n    title: T\n    paraphrase: P\n    source: https://example.invalid\n    support: [{ check: signature.verified, strength: partial, reasoning: R }]\n    notCovered: [x]\n`;
    await writeFile(join(dir, 'mine.yaml'), custom('internal'));
    await writeFile(join(dir, 'clash.yaml'), custom('dora'));
    expect((await selectCatalogs({ ...base, catalogs: ['mine.yaml'] }, dir)).map((c) => c.id)).toEqual(['internal']);
    await expect(selectCatalogs({ ...base, catalogs: ['clash.yaml'] }, dir)).rejects.toThrow(/already taken/);
  });
});

describe('profileTypes', () => {
  it('lists the profile in a fixed order', () => {
    expect(profileTypes({ hdsHost: true, nis2: 'important', financialEntity: true })).toEqual(['financial-entity', 'nis2-important', 'hds-host']);
    expect(profileTypes(undefined)).toEqual([]);
  });
});
