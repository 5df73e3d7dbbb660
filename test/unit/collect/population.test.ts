import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPopulation } from '../../../src/collect/population.js';
import { normaliseRepository, readImageId, repositoryOf } from '../../../src/collect/population-image-ref.js';
import { readKubernetesPods } from '../../../src/collect/population-kubernetes.js';
import { sha256Hex } from '../../../src/util/manifest.js';
import { pod, podList } from '../../helpers/pods.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const APP = { name: 'app', ref: 'harbor.example/team/app:1.2', digest: d('a') };
const DB = { name: 'db', ref: 'harbor.example/team/db:16', digest: d('b') };
const origin = { source: 'cluster/pods.json', evidence: 'e'.repeat(64) };
const read = (text: string, limit?: number) => readKubernetesPods(Buffer.from(text), origin, limit);

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'auditpack-population-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('imageID: the digest that runs', () => {
  it('takes the digest from the registry reference containerd, CRI-O and dockershim write', () => {
    expect(readImageId(`harbor.example/team/app@${d('a')}`)).toEqual({ ok: true, repository: 'harbor.example/team/app', digest: d('a') });
    expect(readImageId(`docker-pullable://nginx@${d('c')}`)).toEqual({ ok: true, repository: 'docker.io/library/nginx', digest: d('c') });
  });

  it("never takes the runtime's local image id, a tag, or anything else as a digest", () => {
    expect(readImageId(`docker://${d('c')}`)).toMatchObject({ ok: false, reason: expect.stringContaining('local image id') });
    expect(readImageId(d('c'))).toMatchObject({ ok: false, reason: expect.stringContaining('local image id') });
    expect(readImageId('harbor.example/team/app:1.2')).toMatchObject({ ok: false, reason: expect.stringContaining('names no registry digest') });
    expect(readImageId(`harbor.example/team/app@sha512:${'a'.repeat(128)}`)).toMatchObject({ ok: false });
    expect(readImageId('')).toMatchObject({ ok: false, reason: expect.stringContaining('no imageID') });
    expect(readImageId(42)).toMatchObject({ ok: false });
  });

  it('keeps a hostile imageID out of messages beyond 200 characters', () => {
    const result = readImageId('x'.repeat(5000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(400);
  });

  it('names one repository one way, as the Docker reference grammar resolves it', () => {
    expect(normaliseRepository('nginx')).toBe('docker.io/library/nginx');
    expect(normaliseRepository('bitnami/redis')).toBe('docker.io/bitnami/redis');
    expect(normaliseRepository('index.docker.io/library/nginx')).toBe('docker.io/library/nginx');
    expect(normaliseRepository('Harbor.Example/team/app')).toBe('harbor.example/team/app');
    expect(normaliseRepository('localhost/app')).toBe('localhost/app');
    expect(repositoryOf('localhost:5000/team/app:1.2')).toBe('localhost:5000/team/app');
    expect(repositoryOf(`harbor.example/team/app:1.2@${d('a')}`)).toBe('harbor.example/team/app');
  });
});

describe('kubectl get pods -A -o json', () => {
  it('reads every container, init and ephemeral container with where it runs', () => {
    const text = podList([
      pod({
        namespace: 'prod',
        name: 'app-7d9f',
        containers: [{ name: 'app', image: 'harbor.example/team/app:1.2', digest: d('a') }],
        init: [{ name: 'migrate', image: 'harbor.example/team/db:16', digest: d('b') }],
        ephemeral: [{ name: 'debugger', image: 'busybox:1.36', digest: d('c') }],
      }),
    ]);
    const parsed = read(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.reading.pods).toBe(1);
    expect(parsed.reading.running.map((c) => [c.kind, c.container, c.repository, c.digest])).toEqual([
      ['init', 'migrate', 'harbor.example/team/db', d('b')],
      ['container', 'app', 'harbor.example/team/app', d('a')],
      ['ephemeral', 'debugger', 'docker.io/library/busybox', d('c')],
    ]);
    expect(parsed.reading.running[0]).toMatchObject({ namespace: 'prod', pod: 'app-7d9f', image: 'harbor.example/team/db:16', ...origin });
  });

  it('keeps a pending container (no status) and one with a local image id as unresolved, with the reason', () => {
    const text = podList([
      pod({ name: 'pending', phase: 'Pending', containers: [{ name: 'app', image: 'harbor.example/team/app:1.3', imageID: null }] }),
      pod({ name: 'pulling', phase: 'Pending', containers: [{ name: 'app', image: 'harbor.example/team/app:1.3', imageID: '' }] }),
      pod({ name: 'local', containers: [{ name: 'tool', image: 'tool:dev', imageID: `docker://${d('c')}` }] }),
    ]);
    const parsed = read(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.reading.running).toEqual([]);
    expect(parsed.reading.unresolved.map((c) => [c.pod, c.reason])).toEqual([
      ['pending', 'no container status (pod phase Pending): the image has not been pulled'],
      ['pulling', expect.stringContaining('no imageID')],
      ['local', expect.stringContaining("the runtime's local image id")],
    ]);
  });

  it('refuses what is not JSON or not a list of pods, naming the reason', () => {
    expect(read('{"items": [')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(read('[]')).toMatchObject({ ok: false, reason: expect.stringContaining('no items array') });
    expect(read('{"kind": "List"}')).toMatchObject({ ok: false });
  });

  it('names every item it cannot read: not a pod, no name, no spec, a container list that is not a list of objects', () => {
    const text = JSON.stringify({
      kind: 'List',
      items: [
        { kind: 'Deployment', metadata: { name: 'app' }, spec: {} },
        'a string',
        { kind: 'Pod', metadata: {}, spec: {} },
        { kind: 'Pod', metadata: { name: 'no-spec' } },
        { kind: 'Pod', metadata: { name: 'odd', namespace: 'prod' }, spec: { containers: ['nginx'], initContainers: 'x' } },
      ],
    });
    const parsed = read(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.reading.skipped).toEqual([
      'item 0 is a Deployment, not a Pod',
      'item 1 is not an object',
      'item 2 has no metadata.name',
      'pod no-spec (item 3) has no spec',
      'pod prod/odd: spec.initContainers has no list',
      'pod prod/odd: spec.containers has 1 entries that are not objects',
    ]);
  });

  it('reads a single pod (kubectl get pod NAME -o json) too', () => {
    const parsed = read(JSON.stringify(pod({ name: 'one', containers: [{ name: 'app', image: 'app:1', digest: d('a') }] })));
    expect(parsed.ok && parsed.reading.running.length).toBe(1);
  });

  it('stops at the container limit and says so: a huge export is bounded', () => {
    const pods = Array.from({ length: 30 }, (_, i) => pod({ name: `p${i}`, containers: [{ name: 'app', image: 'app:1', digest: d('a') }] }));
    const parsed = read(podList(pods), 10);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.reading.truncated).toBe(true);
    expect(parsed.reading.running).toHaveLength(10);
  });
});

describe('collectPopulation', () => {
  const write = (name: string, text: string) => writeFile(join(base, name), text);

  it('matches what runs with the configured images by digest, and makes every other digest a subject of its own', async () => {
    const text = podList([
      pod({ namespace: 'prod', name: 'app-1', containers: [{ name: 'app', image: 'harbor.example/team/app:1.2', digest: d('a') }] }),
      pod({ namespace: 'prod', name: 'app-2', containers: [{ name: 'app', image: `harbor.example/team/app@${d('a')}`, digest: d('a') }] }),
      pod({ namespace: 'prod', name: 'db-0', containers: [{ name: 'db', image: 'harbor.example/team/db:17', digest: d('f') }] }),
      pod({ namespace: 'kube-system', name: 'coredns', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', digest: d('c') }] }),
    ]);
    await write('pods.json', text);
    const { population, evidence, problems } = await collectPopulation(base, { kubernetes: 'pods.json' }, [APP, DB]);
    expect(problems).toEqual([]);
    expect(evidence).toEqual([{ sha256: sha256Hex(Buffer.from(text)), kind: 'kubernetes-pods', source: 'pods.json', bytes: Buffer.from(text) }]);
    expect(population.sources).toEqual([{ kind: 'kubernetes', source: 'pods.json', sha256: sha256Hex(Buffer.from(text)), pods: 4, containers: 4 }]);
    expect(population.complete).toBe(true);
    expect(population.images.map((i) => [i.subject, i.configured, i.containers.length, i.sameRepository])).toEqual([
      ['app', true, 2, []],
      ['coredns-cccccccccccc', false, 1, []],
      ['db-ffffffffffff', false, 1, [{ name: 'db', digest: d('b') }]],
    ]);
    expect(population.uncovered).toEqual([
      { name: 'coredns-cccccccccccc', ref: `registry.k8s.io/coredns/coredns@${d('c')}`, digest: d('c') },
      { name: 'db-ffffffffffff', ref: `harbor.example/team/db@${d('f')}`, digest: d('f') },
    ]);
  });

  it('never names a running image after a configured one: a taken name gets the whole digest', async () => {
    await write('pods.json', podList([pod({ name: 'x', containers: [{ name: 'c', image: 'other/app:1', digest: d('c') }] })]));
    const taken = { name: `app-${'c'.repeat(12)}`, ref: 'harbor.example/team/other:1', digest: d('9') };
    const { population } = await collectPopulation(base, { kubernetes: 'pods.json' }, [taken]);
    expect(population.uncovered.map((u) => u.name)).toEqual([`app-${'c'.repeat(64)}`]);
  });

  it('reports each image without a registry digest as a problem naming the export, never drops it', async () => {
    await write(
      'pods.json',
      podList([
        pod({ namespace: 'prod', name: 'app-new', phase: 'Pending', containers: [{ name: 'app', image: 'harbor.example/team/app:1.3', imageID: null }] }),
        pod({ name: 'tool', containers: [{ name: 'tool', image: 'tool:dev', imageID: d('c') }] }),
      ]),
    );
    const { population, problems } = await collectPopulation(base, { kubernetes: 'pods.json' }, [APP]);
    expect(population.unresolved).toHaveLength(2);
    expect(problems).toEqual([
      { code: 'IMAGE_RUNNING_DIGEST_UNKNOWN', file: 'pods.json', reason: expect.stringContaining('default/tool/tool: its imageID') },
      {
        code: 'IMAGE_RUNNING_DIGEST_UNKNOWN',
        file: 'pods.json',
        reason: expect.stringMatching(/^1 container of harbor\.example\/team\/app:1\.3 without a registry digest, .*prod\/app-new\/app: no container status/),
        subject: 'app',
      },
    ]);
  });

  it('keeps a malformed export as evidence, reports it, and marks the population incomplete', async () => {
    await write('bad.json', '{"kind":"List","items":[{');
    await write('good.json', podList([pod({ name: 'a', containers: [{ name: 'app', image: APP.ref, digest: d('a') }] })]));
    const { population, evidence, problems } = await collectPopulation(base, { kubernetes: ['bad.json', 'good.json'] }, [APP]);
    expect(evidence.map((e) => e.source)).toEqual(['bad.json', 'good.json']);
    expect(problems).toEqual([{ code: 'EVIDENCE_MALFORMED', file: 'bad.json', reason: expect.stringMatching(/^population export: not JSON/) }]);
    expect(population.complete).toBe(false);
    expect(population.images.map((i) => i.subject)).toEqual(['app']);
  });

  it('reports items it cannot read as malformed and the population as incomplete', async () => {
    await write('pods.json', JSON.stringify({ kind: 'List', items: [{ kind: 'Deployment', metadata: { name: 'x' } }] }));
    const { population, problems } = await collectPopulation(base, { kubernetes: 'pods.json' }, [APP]);
    expect(problems).toEqual([
      { code: 'EVIDENCE_MALFORMED', file: 'pods.json', reason: expect.stringContaining('1 item was not read (item 0 is a Deployment, not a Pod)') },
    ]);
    expect(population.complete).toBe(false);
  });

  it('reports a missing export and one linked from outside the folder, reading neither', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'auditpack-population-outside-'));
    try {
      await writeFile(join(outside, 'pods.json'), podList([]));
      await symlink(join(outside, 'pods.json'), join(base, 'linked.json'));
      const { population, evidence, problems } = await collectPopulation(base, { kubernetes: ['missing.json', 'linked.json'] }, [APP]);
      expect(evidence).toEqual([]);
      expect(problems.map((p) => [p.code, p.file])).toEqual([
        ['EVIDENCE_UNREADABLE', 'missing.json'],
        ['EVIDENCE_LINK_OUTSIDE', 'linked.json'],
      ]);
      expect(population.complete).toBe(false);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
