import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPopulation } from '../../../src/collect/population.js';
import { populationSection } from '../../../src/engine/population-section.js';
import { pod, podList } from '../../helpers/pods.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const APP = { name: 'app', ref: 'harbor.example/team/app:1.2', digest: d('a') };
const DB = { name: 'db', ref: 'harbor.example/team/db:16', digest: d('b') };
const WORKER = { name: 'worker', ref: 'harbor.example/team/worker:3', digest: d('e') };

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'auditpack-population-section-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function sectionOf(pods: Record<string, unknown>[], images = [APP, DB, WORKER]) {
  await writeFile(join(base, 'pods.json'), podList(pods));
  const { population } = await collectPopulation(base, { kubernetes: 'pods.json' }, images);
  return populationSection(population, images);
}

describe('the population section: every running digest accounted for', () => {
  it('marks a configured digest covered, an unnamed one uncovered and another digest of a configured repository as differing', async () => {
    const section = await sectionOf([
      pod({ namespace: 'prod', name: 'app-1', containers: [{ name: 'app', image: APP.ref, digest: APP.digest }] }),
      pod({ namespace: 'prod', name: 'db-1', containers: [{ name: 'db', image: 'harbor.example/team/db:17', digest: d('c') }] }),
      pod({ namespace: 'kube-system', name: 'dns', containers: [{ name: 'coredns', image: 'coredns/coredns:1.11', digest: d('f') }] }),
    ]);
    const byStatus = Object.fromEntries(section.images.map((i) => [i.digest, i.status]));
    expect(byStatus).toEqual({ [APP.digest]: 'covered', [d('c')]: 'digest-differs', [d('f')]: 'uncovered' });
    expect(section.images.find((i) => i.digest === d('c'))?.configuredAs).toEqual([{ name: 'db', digest: DB.digest }]);
    expect(section.counts).toMatchObject({ images: 3, covered: 1, uncovered: 1, digestDiffers: 1, containers: 3, unresolved: 0 });
  });

  it('names every configured image found nowhere running, never dropping it', async () => {
    const section = await sectionOf([pod({ name: 'app-1', containers: [{ name: 'app', image: APP.ref, digest: APP.digest }] })]);
    expect(section.configuredNotRunning).toEqual(['db', 'worker']);
    expect(section.counts.configuredNotRunning).toBe(2);
  });

  it('labels each source as unsigned operator evidence with its bundle path and digest', async () => {
    const section = await sectionOf([pod({ name: 'app-1', containers: [{ name: 'app', image: APP.ref, digest: APP.digest }] })]);
    expect(section.sources).toEqual([
      expect.objectContaining({
        kind: 'kubernetes',
        source: 'pods.json',
        signed: false,
        pods: 1,
        containers: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(section.sources[0]?.path).toMatch(/pods\.json$/);
    expect(section.complete).toBe(true);
  });

  it('keeps an export that could not be read as a failed source, so the population is not complete', async () => {
    const images = [APP];
    const { population } = await collectPopulation(base, { kubernetes: 'missing.json' }, images);
    const section = populationSection(population, images);
    expect(section.complete).toBe(false);
    expect(section.sources[0]).toMatchObject({ source: 'missing.json', failure: { code: expect.any(String) } });
    expect(section.sources[0]).not.toHaveProperty('sha256');
    expect(section.configuredNotRunning).toEqual(['app']);
  });

  it('lists containers without a digest as unresolved with where they run and why', async () => {
    const section = await sectionOf([
      pod({ namespace: 'prod', name: 'pending', phase: 'Pending', containers: [{ name: 'app', image: 'harbor.example/team/app:1.3', imageID: null }] }),
    ]);
    expect(section.counts.unresolved).toBe(1);
    expect(section.unresolved).toEqual([
      expect.objectContaining({
        namespace: 'prod',
        pod: 'pending',
        container: 'app',
        kind: 'container',
        image: 'harbor.example/team/app:1.3',
        reason: expect.stringContaining('not been pulled'),
      }),
    ]);
  });

  it('bounds the places listed per image while counting every container', async () => {
    const pods = Array.from({ length: 60 }, (_, n) =>
      pod({ name: `app-${String(n).padStart(2, '0')}`, containers: [{ name: 'app', image: APP.ref, digest: APP.digest }] }),
    );
    const section = await sectionOf(pods);
    const app = section.images.find((i) => i.digest === APP.digest);
    expect(app?.containers).toBe(60);
    expect(app?.runsIn.length).toBe(50);
    expect(app?.runsIn[0]).toEqual({ namespace: 'default', pod: 'app-00', container: 'app', kind: 'container' });
  });
});
