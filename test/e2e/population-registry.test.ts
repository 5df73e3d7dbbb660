/**
 * The registry listing as the population, end to end: `auditpack collect
 * registry` against a real registry (distribution 2.8 on loopback) writes
 * registry-listing.json beside the evidence folders; the offline report with
 * `population.registry` makes every pushed image a subject. One pushed image
 * is configured (its evidence is judged), the others are gaps worded as
 * published (IMAGE_PUBLISHED_UNCOVERED), one repository is excluded by a
 * filter and listed as such, and a cluster export beside it has its
 * kube-system namespace excluded.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { RegistryListing } from '../../src/collect/registry/listing.js';
import type { Report } from '../../src/report/model.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { sha256Hex } from '../../src/util/manifest.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { pod, podList } from '../helpers/pods.js';
import { estateConfig, pushTestEstate, type TestEstate } from '../helpers/registry-estate.js';
import { RegistryPusher } from '../helpers/registry-push.js';
import { startRegistry, type RunningRegistry } from '../helpers/registry-server.js';
import { GOLDEN_CLOCK, ROOT } from './cli.js';

const COREDNS = `sha256:${'c'.repeat(64)}`;
let work: string;
let registry: RunningRegistry;
let estate: TestEstate;
let host: string;
let collected: Awaited<ReturnType<typeof auditpackAsync>>;
let reported: Awaited<ReturnType<typeof auditpackAsync>>;
let listingBytes: Buffer;
let listing: RegistryListing;
let report: Report;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-population-registry-'));
  registry = await startRegistry();
  host = registry.url.host;
  estate = await pushTestEstate(new RegistryPusher(registry.url));
  const site = join(work, 'site');
  collected = await auditpackAsync([
    'collect',
    'registry',
    '--registry',
    registry.url.toString(),
    '--repository',
    'team/*',
    '--tag',
    '1.0',
    '--out',
    join(site, 'collected'),
  ]);
  listingBytes = await readFile(join(site, 'collected', 'registry-listing.json'));
  listing = JSON.parse(listingBytes.toString('utf8')) as RegistryListing;
  // Only the signed multi-platform image is configured; paths relative to the configuration, as on an air-gapped site.
  const path = await estateConfig(site, estate, join(site, 'collected'), [{ name: 'multi', digest: estate.multi.digest }]);
  const config = parse(await readFile(path, 'utf8')) as Record<string, unknown> & { images: { ref: string }[] };
  config.images = config.images.map((i) => ({ ...i, ref: `${host}/team/multi:1.0` }));
  config.evidence = { images: 'collected/evidence/{image}' };
  config.population = {
    registry: 'collected/registry-listing.json',
    kubernetes: 'cluster/pods.json',
    excludeNamespaces: ['kube-system'],
    excludeRepositories: [`${host}/team/big`],
  };
  // The sample's demo seal key, so that verify can pin the seal with its public key.
  await copyFile(`${ROOT}samples/akko/keys/DEMO-ONLY-report-signing.key`, join(site, 'report-signing.key'));
  config.seal = { key: 'report-signing.key' };
  await writeFile(path, stringify(config));
  await mkdir(join(site, 'cluster'));
  const pods = [
    pod({ namespace: 'akko', name: 'multi-1', containers: [{ name: 'multi', image: `${host}/team/multi:1.0`, digest: estate.multi.digest }] }),
    pod({ namespace: 'kube-system', name: 'coredns', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', digest: COREDNS }] }),
  ];
  await writeFile(join(site, 'cluster', 'pods.json'), podList(pods));
  reported = await auditpackAsync(['report', '--config', path, '--out', join(work, 'bundle'), '--clock', GOLDEN_CLOCK]);
  report = JSON.parse(await readFile(join(work, 'bundle', 'report.json'), 'utf8')) as Report;
}, 240_000);

afterAll(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

const finding = (id: string) => report.findings.find((f) => f.id === id);
const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

describe('collect registry writes what the registry publishes', () => {
  it('lists every repository the pattern matched, each tag with the digest it resolved to and, for an index, its platform manifests', () => {
    expect(collected.stderr).toBe('');
    expect(collected.status).toBe(0);
    expect(collected.stdout).toContain('registry-listing.json');
    expect(listing).toMatchObject({
      listingFormat: 'auditpack-registry-listing',
      version: 1,
      registry: registry.url.toString(),
      host,
      request: { repositories: ['team/*'], tags: ['1.0'] },
      complete: true,
      problems: [],
    });
    expect(listing.collectedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(listing.repositories.map((r) => r.name)).toEqual(['team/big', 'team/multi', 'team/referred', 'team/unsigned']);
    expect(listing.repositories.find((r) => r.name === 'team/multi')?.tags).toEqual([
      {
        tag: '1.0',
        digest: estate.multi.digest,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        platforms: [
          { platform: 'linux/amd64', digest: estate.platforms[0]?.digest },
          { platform: 'linux/arm64', digest: estate.platforms[1]?.digest },
        ],
      },
    ]);
  });
});

describe('a report whose population is the registry listing', () => {
  it('makes every pushed image a subject: the one the configuration does not name is a gap, worded as published', () => {
    expect(reported.status, reported.stderr).toBe(1);
    const unsigned = `unsigned-${short(estate.unsigned.digest)}`;
    expect(report.subjects.map((s) => s.id).sort()).toEqual(['multi', `referred-${short(estate.referred.digest)}`, unsigned].sort());
    expect(finding(`population.covered:${unsigned}`)).toMatchObject({
      status: 'fail',
      code: 'IMAGE_PUBLISHED_UNCOVERED',
      message: `${host}/team/unsigned at ${estate.unsigned.digest} is published as ${host}/team/unsigned:1.0 (registry listing), but no image of the configuration has this digest: no evidence is judged for it`,
    });
    expect(report.findings.filter((f) => f.subject === unsigned)).toHaveLength(1);
    expect(report.summary.verdict).toBe('fail');
  });

  it('covers the configured image, which runs and is published, and judges its evidence', () => {
    expect(finding('population.covered:multi')).toMatchObject({
      status: 'pass',
      message: `${estate.multi.digest} runs in 1 container (akko/multi-1/multi) and is published as ${host}/team/multi:1.0 (registry listing)`,
    });
    expect(finding('signature.verified:multi')?.status).toBe('pass');
  });

  it('records the listing as unsigned, sealed evidence and the population section with what the filters left out', () => {
    expect(report.evidence).toContainEqual({
      sha256: sha256Hex(listingBytes),
      kind: 'registry-listing',
      source: 'collected/registry-listing.json',
      path: 'evidence/collected/registry-listing.json',
      size: listingBytes.length,
    });
    expect(report.population?.sources).toEqual([
      expect.objectContaining({ kind: 'kubernetes', source: 'cluster/pods.json', signed: false, pods: 2, containers: 2 }),
      expect.objectContaining({
        kind: 'registry',
        source: 'collected/registry-listing.json',
        signed: false,
        repositories: 4,
        tags: 4,
        collectedAt: listing.collectedAt,
      }),
    ]);
    expect(report.population?.counts).toMatchObject({ images: 3, covered: 1, uncovered: 2, tags: 4, unresolvedTags: 0, excluded: 2 });
    expect(report.population?.exclusions?.byRule).toEqual([
      { rule: 'population.excludeNamespaces: kube-system', containers: 1, tags: 0 },
      { rule: `population.excludeRepositories: ${host}/team/big`, containers: 0, tags: 1 },
    ]);
    expect(report.population?.exclusions?.entries.map((e) => [e.image, e.digest])).toEqual([
      ['registry.k8s.io/coredns/coredns:v1.11.1', COREDNS],
      [`${host}/team/big:1.0`, estate.big.digest],
    ]);
    expect(report.population?.images.find((i) => i.subject === 'multi')).toMatchObject({
      containers: 1,
      tags: 1,
      publishedAs: [{ reference: `${host}/team/multi:1.0`, repository: `${host}/team/multi`, tag: '1.0' }],
    });
  });

  it('validates against the published schema', async () => {
    const schema = JSON.parse(await readFile(`${ROOT}src/report/report.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(report), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('verify --deep re-derives every population finding from the sealed listing and export alone', async () => {
    await rm(join(work, 'site'), { recursive: true });
    const r = await auditpackAsync(['verify', join(work, 'bundle'), '--key', `${ROOT}samples/akko/keys/report-signing.pub`, '--deep']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("every finding re-verified from the bundle's evidence matches report.json");
  });
});
