/**
 * Faults while collecting from a registry: down, failing, slow, oversized,
 * altered in transit. Each gives one clear line and a documented exit code,
 * never a hang, and what was already collected stays usable.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOciLayout } from '../../src/collect/oci-layout.js';
import type { RegistryListing } from '../../src/collect/registry/listing.js';
import type { ImageRecord } from '../../src/collect/registry/record.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { closedPortUrl, startProxy, type ProxyRule } from '../helpers/fault-proxy.js';
import { pushTestEstate, type TestEstate } from '../helpers/registry-estate.js';
import { RegistryPusher } from '../helpers/registry-push.js';
import { startRegistry, type RunningRegistry } from '../helpers/registry-server.js';

let work: string;
let registry: RunningRegistry;
let estate: TestEstate;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-faults-'));
  registry = await startRegistry();
  estate = await pushTestEstate(new RegistryPusher(registry.url));
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

// Short enough to keep the suite quick, long enough that a loaded machine still answers in time.
const FAST = ['--retries', '1', '--timeout', '3'];

async function collect(out: string, options: { rules?: ProxyRule[]; url?: URL; args?: string[]; repositories?: string[] } = {}) {
  let url = options.url ?? registry.url;
  let hits: string[] = [];
  if (options.rules) {
    const proxy = await startProxy(registry.url, options.rules);
    cleanups.push(proxy.stop);
    url = proxy.url;
    hits = proxy.hits;
  }
  const repositories = (options.repositories ?? ['team/multi', 'team/unsigned']).flatMap((r) => ['--repository', r]);
  const run = await auditpackAsync([
    'collect',
    'registry',
    '--registry',
    url.toString(),
    ...repositories,
    '--tag',
    '1.0',
    '--out',
    join(work, out),
    ...(options.args ?? FAST),
  ]);
  const record = JSON.parse(await readFile(join(work, out, 'collection.json'), 'utf8')) as {
    images: ImageRecord[];
    problems: { code: string; where: string; reason: string }[];
  };
  return { run, record, hits, image: (name: string) => record.images.find((i) => i.name === name) };
}

const lines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .filter((l) => l !== '');

describe('registry faults', () => {
  it('registry down: one line per image saying it cannot be reached, exit 1, quickly', async () => {
    const { run, record } = await collect('down', { url: await closedPortUrl(), repositories: ['team/unsigned'] });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^auditpack: team\/unsigned:1\.0: manifest: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED.*; 2 attempts\).*\[COLLECT_UNREACHABLE\]/,
    );
    expect(record.images).toEqual([]);
    expect(run.durationMs).toBeLessThan(30_000);
  });

  it('a persistent 500 on the signature tag is a problem, not "no signature": the image is kept, marked partial', async () => {
    const sig = `/v2/team/unsigned/manifests/${estate.unsigned.digest.replace(':', '-')}.sig`;
    const { run, image } = await collect('sig-500', {
      rules: [{ match: (_m, p) => p === sig, respond: { status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"storage backend unavailable"}]}' } }],
    });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/the server answered 500 Internal Server Error \(2 attempts\).*\[COLLECT_SERVER_ERROR\]$/)]);
    expect(image('unsigned')).toMatchObject({ status: 'partial', signatures: null });
    expect(image('unsigned')?.notes).not.toContainEqual(expect.stringContaining('no cosign signatures'));
    expect(image('multi')?.status).toBe('complete');
  });

  it('a transient 503 is retried with backoff and the collection completes', async () => {
    const manifest = '/v2/team/unsigned/manifests/1.0';
    const { run, hits, image } = await collect('retry', {
      rules: [{ match: (_m, p) => p === manifest, times: 2, respond: { status: 503, headers: { 'retry-after': '0' } } }],
      args: ['--retries', '3', '--timeout', '10'],
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(hits.filter((h) => h === `GET ${manifest}`)).toHaveLength(3);
    expect(image('unsigned')?.status).toBe('complete');
  });

  it('oversized manifest: refused unread with a line naming the limit; the other images are collected', async () => {
    const { run, image } = await collect('too-large', { repositories: ['team/big', 'team/unsigned'], args: [...FAST, '--max-manifest-size', '2KiB'] });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(
        /^auditpack: team\/big:1\.0: manifest: larger than the limit of 2048 bytes \(it declares \d+ bytes\); not read .*\[COLLECT_TOO_LARGE\]$/,
      ),
    ]);
    expect(image('big')).toBeUndefined();
    expect(image('unsigned')?.status).toBe('complete');
    const listing = JSON.parse(await readFile(join(work, 'too-large', 'registry-listing.json'), 'utf8')) as RegistryListing;
    expect(listing.repositories.find((r) => r.name === 'team/big')?.tags).toEqual([
      { tag: '1.0', problem: { code: 'COLLECT_TOO_LARGE', reason: expect.stringContaining('larger than the limit of 2048 bytes') } },
    ]);
    expect(listing.repositories.find((r) => r.name === 'team/unsigned')?.tags).toMatchObject([{ tag: '1.0', digest: estate.unsigned.digest }]);
  });

  it('blob digest mismatch: the altered blob is refused and not written; the offline read then reports it missing', async () => {
    const attLayer = estate.attestationLayer;
    const flip = (body: Buffer) => Buffer.concat([body.subarray(0, body.length - 2), Buffer.from('!}')]);
    const { run, image } = await collect('mismatch', { rules: [{ match: (_m, p) => p === `/v2/team/multi/blobs/${attLayer}`, alter: flip }] });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`the content hashes to sha256:[0-9a-f]{64}, not ${attLayer}; refused .*\\[COLLECT_DIGEST_MISMATCH\\]$`)),
    ]);
    expect(image('multi')?.status).toBe('partial');
    expect(image('multi')?.signatures?.layers).toHaveLength(1);
    const dir = join(work, 'mismatch', 'evidence', 'multi');
    expect(await readdir(join(dir, 'blobs', 'sha256'))).not.toContain(attLayer.slice(7));
    const offline = await collectOciLayout(join(work, 'mismatch'), dir, { name: 'multi', ref: 'x', digest: estate.multi.digest });
    expect(offline.problems).toContainEqual(
      expect.objectContaining({ code: 'EVIDENCE_UNREADABLE', reason: expect.stringContaining(`blob ${attLayer} is missing from the layout`) }),
    );
  });

  it('a manifest whose bytes do not match the digest the registry announces is refused', async () => {
    const manifest = '/v2/team/unsigned/manifests/1.0';
    const { run, image } = await collect('header-mismatch', {
      rules: [{ match: (_m, p) => p === manifest, alter: (b) => Buffer.from(b.toString('utf8').replace('"layers"', ' "layers"')) }],
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`not ${estate.unsigned.digest}; refused.*\\[COLLECT_DIGEST_MISMATCH\\]`));
    expect(image('unsigned')).toBeUndefined();
  });

  it('slow answers: a stalled request is abandoned after the timeout and retried a bounded number of times; no hang', async () => {
    const manifest = '/v2/team/unsigned/manifests/1.0';
    const { run, image } = await collect('slow', { rules: [{ match: (_m, p) => p === manifest, delayMs: 8000 }] });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^auditpack: team\/unsigned:1\.0: manifest: no answer within the 3 s timeout \(2 attempts\).*\[COLLECT_TIMEOUT\]$/),
    ]);
    expect(image('multi')?.status).toBe('complete');
    expect(run.durationMs).toBeLessThan(30_000);
  });

  it('a slow answer within the timeout is simply waited for', async () => {
    const { run } = await collect('slow-ok', {
      rules: [{ match: (_m, p) => p === '/v2/team/unsigned/manifests/1.0', delayMs: 1500 }],
      args: ['--timeout', '10'],
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('nothing already collected is lost: a failed re-collection keeps the earlier folders and says so', async () => {
    const first = await collect('kept');
    expect(first.run.status).toBe(0);
    const before = await readFile(join(work, 'kept', 'evidence', 'multi', 'index.json'));
    const again = await collect('kept', { url: await closedPortUrl() });
    expect(again.run.status).toBe(1);
    expect(lines(again.run.stderr)).toHaveLength(2);
    expect((await readFile(join(work, 'kept', 'evidence', 'multi', 'index.json'))).equals(before)).toBe(true);
    expect(again.record.images.map((i) => [i.name, i.status, i.digest])).toEqual([
      ['multi', 'kept-from-earlier-collection', estate.multi.digest],
      ['unsigned', 'kept-from-earlier-collection', estate.unsigned.digest],
    ]);
    const snippet = await readFile(join(work, 'kept', 'images.yaml'), 'utf8');
    expect(snippet).toContain(`digest: ${estate.multi.digest}`);
    expect(snippet).toContain(`digest: ${estate.unsigned.digest}`);
    // The listing says what the registry publishes now: unknown this time, never the earlier digests.
    const listing = JSON.parse(await readFile(join(work, 'kept', 'registry-listing.json'), 'utf8')) as RegistryListing;
    expect(listing.complete).toBe(false);
    expect(listing.repositories.map((r) => [r.name, r.tags.map((t) => ('problem' in t ? t.problem.code : t))])).toEqual([
      ['team/multi', ['COLLECT_UNREACHABLE']],
      ['team/unsigned', ['COLLECT_UNREACHABLE']],
    ]);
  });

  it('a hostile index naming a path instead of a digest: the descriptor is not followed, nothing is written outside the layout', async () => {
    const hostile = (body: Buffer) => Buffer.from(body.toString('utf8').replace(estate.platforms[1]?.digest ?? '', 'sha256:../../../../escaped'));
    const { run, image } = await collect('hostile', {
      rules: [{ match: (_m, p) => p === '/v2/team/multi/manifests/1.0', alter: hostile, dropHeaders: ['docker-content-digest'] }],
      repositories: ['team/multi'],
    });
    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/1 of its manifests have no well-formed sha256 digest; not followed \[COLLECT_BAD_RESPONSE\]$/)]);
    expect(image('multi')?.platforms).toEqual([{ platform: 'linux/amd64', digest: estate.platforms[0]?.digest }]);
    expect(await readdir(join(work, 'hostile'))).toEqual(['collection.json', 'evidence', 'images.yaml', 'registry-listing.json']);
  });

  it('refuses a repository name or registry URL it cannot use, before any request (exit 2)', async () => {
    const bad = await auditpackAsync([
      'collect',
      'registry',
      '--registry',
      registry.url.toString(),
      '--repository',
      'Akko/Cockpit',
      '--tag',
      '1.0',
      '--out',
      join(work, 'bad-name'),
    ]);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/--repository "Akko\/Cockpit" is neither a repository name .*\[CONFIG_INVALID\]/)]);
    const path = await auditpackAsync([
      'collect',
      'registry',
      '--registry',
      `${registry.url.toString()}harbor`,
      '--repository',
      'team/multi',
      '--tag',
      '1.0',
      '--out',
      join(work, 'bad-url'),
    ]);
    expect([path.status, path.stderr]).toEqual([2, expect.stringMatching(/the registry API is at the root of its host/)]);
  });

  it('refuses an output folder that holds anything but an earlier registry collection (exit 2, nothing written)', async () => {
    const run = await auditpackAsync([
      'collect',
      'registry',
      '--registry',
      registry.url.toString(),
      '--repository',
      'team/unsigned',
      '--tag',
      '1.0',
      '--out',
      join(work, 'kept', 'evidence'),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the output folder is not empty and holds no earlier auditpack collection .*\[OUTPUT_INVALID\]/);
  });
});
