import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { populationCovered } from '../../../src/checks/population-covered.js';
import { collectPopulation } from '../../../src/collect/population.js';
import type { PopulationConfig } from '../../../src/config/schema.js';
import { populationSection } from '../../../src/engine/population-section.js';
import { sha256Hex } from '../../../src/util/manifest.js';
import { context } from '../../helpers/estate.js';
import { listingText, published } from '../../helpers/listings.js';
import { pod, podList } from '../../helpers/pods.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const APP = { name: 'app', ref: 'harbor.example/team/app:1.2', digest: d('a') };
const DB = { name: 'db', ref: 'harbor.example/team/db:16', digest: d('b') };

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'auditpack-population-registry-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});
const write = (name: string, text: string) => writeFile(join(base, name), text);
const collect = (config: PopulationConfig, images = [APP, DB]) => collectPopulation(base, config, images);

describe('population.registry: what a registry publishes', () => {
  it('makes every listed digest part of the population, matched by digest like what runs: an unnamed one is a gap', async () => {
    const text = listingText({ 'team/app': [published('1.2', d('a'))], 'team/db': [published('16', d('f'))], 'team/new': [published('1.0', d('c'))] });
    await write('registry-listing.json', text);
    const { population, evidence, problems } = await collect({ registry: 'registry-listing.json' });
    expect(problems).toEqual([]);
    expect(evidence).toEqual([{ sha256: sha256Hex(Buffer.from(text)), kind: 'registry-listing', source: 'registry-listing.json', bytes: Buffer.from(text) }]);
    expect(population.sources).toEqual([
      {
        kind: 'registry',
        source: 'registry-listing.json',
        sha256: sha256Hex(Buffer.from(text)),
        pods: 0,
        containers: 0,
        repositories: 3,
        tags: 3,
        collectedAt: '2026-06-28T09:00:00.000Z',
      },
    ]);
    expect(population.images.map((i) => [i.subject, i.configured, i.containers.length, i.tags.map((t) => t.reference), i.sameRepository])).toEqual([
      ['app', true, 0, ['harbor.example/team/app:1.2'], []],
      ['db-ffffffffffff', false, 0, ['harbor.example/team/db:16'], [{ name: 'db', digest: d('b') }]],
      ['new-cccccccccccc', false, 0, ['harbor.example/team/new:1.0'], []],
    ]);
    expect(population.uncovered.map((u) => u.ref)).toEqual([`harbor.example/team/db@${d('f')}`, `harbor.example/team/new@${d('c')}`]);
    expect(population.complete).toBe(true);
  });

  it('joins a digest that runs and is published into one image, with its containers and its tags', async () => {
    await write('registry-listing.json', listingText({ 'team/app': [published('1.2', d('a'))] }));
    await write('pods.json', podList([pod({ namespace: 'prod', name: 'app-1', containers: [{ name: 'app', image: APP.ref, digest: d('a') }] })]));
    const { population } = await collect({ kubernetes: 'pods.json', registry: 'registry-listing.json' }, [APP]);
    expect(population.images).toHaveLength(1);
    expect(population.images[0]).toMatchObject({ subject: 'app', images: [APP.ref], containers: [{ pod: 'app-1' }], tags: [{ tag: '1.2' }] });
  });

  it('reports an unresolved tag as IMAGE_PUBLISHED_DIGEST_UNKNOWN naming the listing, and an incomplete listing as not read whole', async () => {
    await write(
      'registry-listing.json',
      listingText(
        { 'team/app': [{ tag: '1.2', problem: { code: 'COLLECT_SERVER_ERROR', reason: 'the registry answered 503' } }] },
        { problems: [{ code: 'COLLECT_AUTH_FAILED', where: 'catalog', reason: 'catalog refused' }] },
      ),
    );
    const { population, problems } = await collect({ registry: 'registry-listing.json' }, [APP]);
    expect(problems).toEqual([
      {
        code: 'IMAGE_PUBLISHED_DIGEST_UNKNOWN',
        file: 'registry-listing.json',
        reason: 'registry listing: not complete (COLLECT_AUTH_FAILED: catalog refused): what the registry publishes beyond the tags it lists is unknown',
      },
      {
        code: 'IMAGE_PUBLISHED_DIGEST_UNKNOWN',
        file: 'registry-listing.json',
        reason:
          'harbor.example/team/app:1.2 was not resolved when the listing was collected (COLLECT_SERVER_ERROR: the registry answered 503), so what it publishes is unknown',
        subject: 'app',
      },
    ]);
    expect(population.complete).toBe(false);
    expect(populationSection(population, [APP]).unresolvedTags).toEqual([
      {
        reference: 'harbor.example/team/app:1.2',
        repository: 'harbor.example/team/app',
        tag: '1.2',
        code: 'COLLECT_SERVER_ERROR',
        reason: 'the registry answered 503',
        source: 'registry-listing.json',
      },
    ]);
  });

  it('reports a kubectl export given as a listing as malformed, naming the file', async () => {
    await write('pods.json', podList([]));
    const { population, problems } = await collect({ registry: 'pods.json' });
    expect(problems).toEqual([{ code: 'EVIDENCE_MALFORMED', file: 'pods.json', reason: expect.stringMatching(/^registry listing: not a registry listing/) }]);
    expect(population.complete).toBe(false);
  });
});

describe('population filters: what is in scope', () => {
  const cluster = podList([
    pod({ namespace: 'prod', name: 'app-1', containers: [{ name: 'app', image: APP.ref, digest: d('a') }] }),
    pod({ namespace: 'kube-system', name: 'coredns', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', digest: d('c') }] }),
    pod({
      namespace: 'kube-system',
      name: 'pending',
      phase: 'Pending',
      containers: [{ name: 'proxy', image: 'registry.k8s.io/kube-proxy:v1.30', imageID: null }],
    }),
    pod({ namespace: 'dev-alice', name: 'tool', containers: [{ name: 'tool', image: 'docker.io/library/busybox:1.36', digest: d('e') }] }),
  ]);

  it('leaves out excluded namespaces, counting and listing each container with its rule, never dropping it silently', async () => {
    await write('pods.json', cluster);
    const { population, problems } = await collect({ kubernetes: 'pods.json', excludeNamespaces: ['kube-system', 'dev-*'] }, [APP]);
    expect(population.images.map((i) => i.subject)).toEqual(['app']);
    expect(population.uncovered).toEqual([]);
    // The pending kube-system container is left out too: no problem for what is out of scope.
    expect(problems).toEqual([]);
    expect(population.excluded.map((e) => [e.rule, e.container?.namespace, e.container?.pod, e.digest])).toEqual([
      ['population.excludeNamespaces: dev-*', 'dev-alice', 'tool', d('e')],
      ['population.excludeNamespaces: kube-system', 'kube-system', 'coredns', d('c')],
      ['population.excludeNamespaces: kube-system', 'kube-system', 'pending', undefined],
    ]);
    const section = populationSection(population, [APP]);
    expect(section.counts).toMatchObject({ containers: 4, images: 1, excluded: 3 });
    expect(section.exclusions).toEqual({
      filters: { excludeNamespaces: ['kube-system', 'dev-*'] },
      byRule: [
        { rule: 'population.excludeNamespaces: dev-*', containers: 1, tags: 0 },
        { rule: 'population.excludeNamespaces: kube-system', containers: 2, tags: 0 },
      ],
      entries: [
        expect.objectContaining({
          image: 'docker.io/library/busybox:1.36',
          place: { namespace: 'dev-alice', pod: 'tool', container: 'tool', kind: 'container' },
        }),
        expect.objectContaining({ digest: d('c'), source: 'pods.json' }),
        expect.objectContaining({ image: 'registry.k8s.io/kube-proxy:v1.30' }),
      ],
    });
  });

  it('keeps only included namespaces when namespaces is set, naming the rule for the others', async () => {
    await write('pods.json', cluster);
    const { population } = await collect({ kubernetes: 'pods.json', namespaces: ['prod'] }, [APP]);
    expect(population.images.map((i) => i.subject)).toEqual(['app']);
    expect(new Set(population.excluded.map((e) => e.rule))).toEqual(new Set(['outside population.namespaces']));
    expect(population.excluded).toHaveLength(3);
  });

  it('filters registry tags and containers by repository, host first (* within a component, ** across)', async () => {
    await write('pods.json', cluster);
    await write('registry-listing.json', listingText({ 'team/app': [published('1.2', d('a'))], 'team/sandbox/x': [published('1', d('9'))] }));
    const { population } = await collect(
      {
        kubernetes: 'pods.json',
        registry: 'registry-listing.json',
        repositories: ['harbor.example/**', 'docker.io/library/*'],
        excludeRepositories: ['harbor.example/team/sandbox/**'],
      },
      [APP],
    );
    expect(population.images.map((i) => i.subject)).toEqual(['app', 'busybox-eeeeeeeeeeee']);
    expect(population.excluded.map((e) => [e.rule, e.image])).toEqual([
      ['outside population.repositories', 'registry.k8s.io/coredns/coredns:v1.11.1'],
      ['outside population.repositories', 'registry.k8s.io/kube-proxy:v1.30'],
      ['population.excludeRepositories: harbor.example/team/sandbox/**', 'harbor.example/team/sandbox/x:1'],
    ]);
    expect(populationSection(population, [APP]).exclusions?.byRule).toEqual([
      { rule: 'outside population.repositories', containers: 2, tags: 0 },
      { rule: 'population.excludeRepositories: harbor.example/team/sandbox/**', containers: 0, tags: 1 },
    ]);
  });

  it('says so when a configured image is found only where the filters leave out: not a silent "not running"', async () => {
    await write('pods.json', cluster);
    const { population } = await collect({ kubernetes: 'pods.json', excludeNamespaces: ['prod'] }, [APP]);
    const outcome = await populationCovered.run({ ...context({ trust: { keys: [] }, image: APP }), population });
    expect(outcome).toMatchObject({
      status: 'not-applicable',
      message: `${d('a')} is not found running in pods.json (the population's filters leave out 1 place where it is found: population.excludeNamespaces: prod): it is judged on its evidence as configured`,
    });
  });

  it('without filters, excludes nothing and the section has no exclusions', async () => {
    await write('pods.json', cluster);
    const { population } = await collect({ kubernetes: 'pods.json' }, [APP]);
    expect(population.excluded).toEqual([]);
    expect(population.filters).toBeUndefined();
    expect(populationSection(population, [APP]).exclusions).toBeUndefined();
    expect(populationSection(population, [APP]).counts.excluded).toBeUndefined();
  });
});
