import { describe, expect, it } from 'vitest';
import { populationCovered } from '../../../src/checks/population-covered.js';
import type { PopulationSource } from '../../../src/collect/population-model.js';
import { readKubernetesPods } from '../../../src/collect/population-kubernetes.js';
import { matchPopulation } from '../../../src/collect/population-match.js';
import { readRegistryListing } from '../../../src/collect/population-registry.js';
import type { ListedTag } from '../../../src/collect/registry/listing.js';
import type { ImageConfig } from '../../../src/config/schema.js';
import { context, makeKeyPair, trustedKey } from '../../helpers/estate.js';
import { listingText, published } from '../../helpers/listings.js';
import { pod, podList, type PodSpec } from '../../helpers/pods.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const APP: ImageConfig = { name: 'app', ref: 'harbor.example/team/app:1.2', digest: d('a') };
const DB: ImageConfig = { name: 'db', ref: 'harbor.example/team/db:16', digest: d('b') };
const trust = { keys: [trustedKey(makeKeyPair())] };
const EXPORT = 'e'.repeat(64);

/** The population of one export holding these pods, matched with the configured images; `failure` marks the export as not read whole. */
function populationOf(pods: PodSpec[], images: ImageConfig[] = [APP, DB], failure?: PopulationSource['failure']) {
  const parsed = readKubernetesPods(Buffer.from(podList(pods.map(pod))), { source: 'pods.json', evidence: EXPORT });
  if (!parsed.ok) throw new Error(parsed.reason);
  const { running, unresolved } = parsed.reading;
  const source: PopulationSource = {
    kind: 'kubernetes',
    source: 'pods.json',
    sha256: EXPORT,
    pods: pods.length,
    containers: running.length,
    ...(failure ? { failure } : {}),
  };
  return matchPopulation([source], running, unresolved, images);
}

const run = (image: ImageConfig, population?: ReturnType<typeof populationOf>) =>
  populationCovered.run({ ...context({ trust, image }), ...(population ? { population } : {}) });

const appPod = (name: string, digest = d('a'), namespace = 'prod'): PodSpec => ({ namespace, name, containers: [{ name: 'app', image: APP.ref, digest }] });

describe('population.covered', () => {
  it('is not applicable without population exports: nothing was compared', async () => {
    expect(await run(APP)).toMatchObject({ status: 'not-applicable', message: expect.stringContaining('no population export is configured') });
  });

  it('passes a configured image whose digest runs, naming where and resting on the export', async () => {
    const outcome = await run(APP, populationOf([appPod('app-1'), appPod('app-2')]));
    expect(outcome).toMatchObject({ status: 'pass', message: `${d('a')} runs in 2 containers (prod/app-1/app, prod/app-2/app)`, evidence: [EXPORT] });
    expect(outcome.details?.['digest from']).toContain('imageID');
  });

  it('fails (IMAGE_RUNNING_UNCOVERED) a running digest no configured image names: a gap, never silence', async () => {
    const population = populationOf([
      appPod('app-1'),
      { namespace: 'kube-system', name: 'dns', containers: [{ name: 'coredns', image: 'coredns/coredns:1.11', digest: d('c') }] },
    ]);
    const [coredns] = population.uncovered;
    expect(coredns).toBeDefined();
    expect(await run(coredns!, population)).toMatchObject({
      status: 'fail',
      code: 'IMAGE_RUNNING_UNCOVERED',
      message: `docker.io/coredns/coredns at ${d('c')} runs in 1 container (kube-system/dns/coredns), but no image of the configuration has this digest: no evidence is judged for it`,
      evidence: [EXPORT],
    });
  });

  it('fails (IMAGE_RUNNING_DIGEST_DIFFERS) both sides when the repository runs another digest than the one configured', async () => {
    const population = populationOf([appPod('app-1', d('f'))]);
    const configured = await run(APP, population);
    expect(configured).toMatchObject({ status: 'fail', code: 'IMAGE_RUNNING_DIGEST_DIFFERS', evidence: [EXPORT] });
    expect(configured.message).toBe(
      `${d('a')} is not found running; harbor.example/team/app runs ${d('f')} in 1 container (prod/app-1/app): the evidence judged is not that of what runs`,
    );
    const [running] = population.uncovered;
    expect(await run(running!, population)).toMatchObject({
      status: 'fail',
      code: 'IMAGE_RUNNING_DIGEST_DIFFERS',
      message: expect.stringContaining(`but the configuration names app at ${d('a')} for this repository`),
    });
  });

  it('passes the configured digest during a rollout, while the new digest is a failing subject of its own', async () => {
    const population = populationOf([appPod('app-old'), appPod('app-new', d('f'))]);
    expect(await run(APP, population)).toMatchObject({ status: 'pass' });
    expect(population.uncovered.map((u) => u.digest)).toEqual([d('f')]);
  });

  it("cannot say a configured image does not run when an export was not read whole (error, with the export's code)", async () => {
    const outcome = await run(DB, populationOf([appPod('app-1')], [APP, DB], { code: 'EVIDENCE_MALFORMED', reason: '2 items not read' }));
    expect(outcome).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED', message: expect.stringContaining('whether it runs is unknown') });
  });

  it('still passes an image found running in an export that was not read whole: what was read is kept', async () => {
    const outcome = await run(APP, populationOf([appPod('app-1')], [APP, DB], { code: 'EVIDENCE_TOO_LARGE', reason: 'over the limit' }));
    expect(outcome).toMatchObject({ status: 'pass' });
  });

  it('judges a configured image not found running in a complete population on its evidence (not applicable here)', async () => {
    expect(await run(DB, populationOf([appPod('app-1')]))).toMatchObject({
      status: 'not-applicable',
      message: `${d('b')} is not found running in pods.json: it is judged on its evidence as configured`,
    });
  });

  it('takes no digest from a tag: a pod naming the configured tag without an imageID does not make it run', async () => {
    const population = populationOf([{ name: 'pending', phase: 'Pending', containers: [{ name: 'app', image: APP.ref, imageID: null }] }]);
    expect(await run(APP, population)).toMatchObject({ status: 'not-applicable' });
    expect(population.unresolved).toHaveLength(1);
  });

  it('lists at most three places in the message and twenty in the details', async () => {
    const population = populationOf(Array.from({ length: 25 }, (_, i) => appPod(`app-${String(i).padStart(2, '0')}`)));
    const outcome = await run(APP, population);
    expect(outcome.message).toBe(`${d('a')} runs in 25 containers (prod/app-00/app, prod/app-01/app, prod/app-02/app, and 22 more)`);
    expect(outcome.details?.['runs in']).toContain('prod/app-19/app, and 5 more');
  });
});

describe('population.covered with a registry listing: published, never said to run', () => {
  const LISTING = 'f'.repeat(64);
  /** The population of one listing with these tags, and optionally one export with these pods. */
  function withListing(tags: Record<string, ListedTag[]>, pods: PodSpec[] = [], images: ImageConfig[] = [APP, DB]) {
    const parsed = readRegistryListing(Buffer.from(listingText(tags)), { source: 'registry-listing.json', evidence: LISTING });
    if (!parsed.ok) throw new Error(parsed.reason);
    const { published, unresolved } = parsed.reading;
    const sources: PopulationSource[] = [{ kind: 'registry', source: 'registry-listing.json', sha256: LISTING, pods: 0, containers: 0 }];
    const running = pods.length === 0 ? [] : populationOf(pods, images).images.flatMap((i) => i.containers);
    if (pods.length > 0) sources.push({ kind: 'kubernetes', source: 'pods.json', sha256: EXPORT, pods: pods.length, containers: running.length });
    return matchPopulation(sources, running, [], images, { published, unresolvedTags: unresolved });
  }

  it('passes a configured image whose digest a listed tag resolves to, saying it is published (not that it runs)', async () => {
    const outcome = await run(APP, withListing({ 'team/app': [published('1.2', d('a'))] }));
    expect(outcome).toMatchObject({
      status: 'pass',
      message: `${d('a')} is published as harbor.example/team/app:1.2 (registry listing)`,
      evidence: [LISTING],
    });
    expect(outcome.details?.['digest from']).toContain('published, not necessarily running');
    expect(outcome.details?.['runs in']).toBeUndefined();
  });

  it('fails (IMAGE_PUBLISHED_UNCOVERED) a published digest no configured image names: a gap, worded as published', async () => {
    const population = withListing({ 'team/new': [published('1.0', d('c'))] });
    const [unnamed] = population.uncovered;
    expect(await run(unnamed!, population)).toMatchObject({
      status: 'fail',
      code: 'IMAGE_PUBLISHED_UNCOVERED',
      message: `harbor.example/team/new at ${d('c')} is published as harbor.example/team/new:1.0 (registry listing), but no image of the configuration has this digest: no evidence is judged for it`,
    });
  });

  it('fails (IMAGE_PUBLISHED_DIGEST_DIFFERS) both sides when the repository publishes another digest than the one configured', async () => {
    const population = withListing({ 'team/app': [published('1.3', d('e'))] });
    const configured = await run(APP, population);
    expect(configured).toMatchObject({ status: 'fail', code: 'IMAGE_PUBLISHED_DIGEST_DIFFERS' });
    expect(configured.message).toBe(
      `${d('a')} is not found published; harbor.example/team/app publishes ${d('e')} as harbor.example/team/app:1.3 (registry listing): the evidence judged is not that of what is published`,
    );
    const [other] = population.uncovered;
    expect(await run(other!, population)).toMatchObject({
      code: 'IMAGE_PUBLISHED_DIGEST_DIFFERS',
      message: expect.stringContaining('no evidence is judged for the digest published'),
    });
  });

  it('says a digest runs when a cluster export shows it, even if a listing publishes it too (IMAGE_RUNNING_*)', async () => {
    const population = withListing({ 'team/app': [published('1.3', d('e'))] }, [appPod('app-1', d('e'))]);
    const [other] = population.uncovered;
    const outcome = await run(other!, population);
    expect(outcome).toMatchObject({ code: 'IMAGE_RUNNING_DIGEST_DIFFERS', evidence: [EXPORT, LISTING] });
    expect(outcome.message).toContain('runs in 1 container (prod/app-1/app) and is published as harbor.example/team/app:1.3 (registry listing)');
    expect((await run(APP, population)).message).toContain(`is not found running or published; harbor.example/team/app runs ${d('e')} in 1 container`);
  });

  it('judges a configured image not found in a complete listing on its evidence (not applicable)', async () => {
    expect(await run(DB, withListing({ 'team/app': [published('1.2', d('a'))] }))).toMatchObject({
      status: 'not-applicable',
      message: `${d('b')} is not found published in registry-listing.json: it is judged on its evidence as configured`,
    });
  });
});
