/**
 * `auditpack collect registry` against a real registry (distribution 2.8):
 * multi-platform indexes, cosign's tag scheme, OCI 1.1 referrers through
 * the fallback tag (distribution answers 404 to the referrers API) and
 * through the API (a loopback proxy serving only that endpoint), an
 * unsigned image reported as a gap, and the collected folders read by the
 * offline report.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOciLayout } from '../../src/collect/oci-layout.js';
import type { ImageRecord } from '../../src/collect/registry/record.js';
import type { Report } from '../../src/report/model.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { startProxy, type RunningProxy } from '../helpers/fault-proxy.js';
import { estateConfig, pushTestEstate, type TestEstate } from '../helpers/registry-estate.js';
import { RegistryPusher } from '../helpers/registry-push.js';
import { startRegistry, type RunningRegistry } from '../helpers/registry-server.js';
import { GOLDEN_CLOCK } from './cli.js';

let work: string;
let registry: RunningRegistry;
let proxy: RunningProxy;
let estate: TestEstate;
let run: Awaited<ReturnType<typeof auditpackAsync>>;
let viaProxy: Awaited<ReturnType<typeof auditpackAsync>>;
let records: Map<string, ImageRecord>;
let report: Report;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-registry-'));
  registry = await startRegistry();
  estate = await pushTestEstate(new RegistryPusher(registry.url));
  const referrersPath = `/v2/team/referred/referrers/${estate.referred.digest}`;
  proxy = await startProxy(registry.url, [
    {
      match: (method, path) => method === 'GET' && path === referrersPath,
      respond: {
        status: 200,
        headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
        body: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [estate.referredBundle] }),
      },
    },
  ]);
  run = await auditpackAsync([
    'collect',
    'registry',
    '--registry',
    registry.url.toString(),
    '--repository',
    'team/multi',
    '--repository',
    'team/unsigned',
    '--tag',
    '1.0',
    '--out',
    join(work, 'direct'),
  ]);
  viaProxy = await auditpackAsync([
    'collect',
    'registry',
    '--registry',
    proxy.url.toString(),
    '--repository',
    'team/referred',
    '--tag',
    '1.0',
    '--out',
    join(work, 'proxied'),
  ]);
  records = new Map();
  for (const dir of ['direct', 'proxied']) {
    const record = JSON.parse(await readFile(join(work, dir, 'collection.json'), 'utf8')) as { images: ImageRecord[] };
    for (const image of record.images) records.set(image.name, image);
  }
  const images = [
    { name: 'multi', digest: estate.multi.digest },
    { name: 'unsigned', digest: estate.unsigned.digest },
  ];
  const config = await estateConfig(join(work, 'config'), estate, join(work, 'direct'), images);
  await auditpackAsync(['report', '--config', config, '--out', join(work, 'bundle'), '--clock', GOLDEN_CLOCK]);
  report = JSON.parse(await readFile(join(work, 'bundle', 'report.json'), 'utf8')) as Report;
}, 240_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

const finding = (id: string) => report.findings.find((f) => f.id === id);

describe('a multi-platform image signed with cosign', () => {
  it('resolves the tag to the index digest and records each platform manifest', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const multi = records.get('multi');
    expect(multi).toMatchObject({
      status: 'complete',
      digest: estate.multi.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      ref: `${registry.url.host}/team/multi:1.0`,
    });
    expect(multi?.platforms).toEqual([
      { platform: 'linux/amd64', digest: estate.platforms[0]?.digest },
      { platform: 'linux/arm64', digest: estate.platforms[1]?.digest },
    ]);
  });

  it('fetches the .sig and .att images by the tag scheme with their layers', () => {
    const multi = records.get('multi');
    expect(multi?.signatures?.tag).toBe(`${estate.multi.digest.replace(':', '-')}.sig`);
    expect(multi?.signatures?.layers).toHaveLength(1);
    expect(multi?.attestations?.layers.map((l) => l.mediaType)).toEqual(['application/vnd.dsse.envelope.v1+json']);
    expect(multi?.sboms).toBeNull();
  });

  it('falls back to the referrers tag when the registry has no referrers API (distribution 2.8 answers 404)', () => {
    expect(records.get('multi')?.referrers).toMatchObject({
      source: 'fallback-tag',
      manifests: [{ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json https://slsa.dev/provenance/v1' }],
    });
  });

  it('writes an OCI image layout that the offline collector reads: index, signature, attestation and bundle, no problem', async () => {
    const base = join(work, 'direct');
    const layout = await collectOciLayout(base, join(base, 'evidence', 'multi'), { name: 'multi', ref: 'x', digest: estate.multi.digest });
    expect(layout.problems).toEqual([]);
    expect(layout.item?.kind).toBe('oci-layout');
    const contents = layout.item?.kind === 'oci-layout' ? layout.item.layout : undefined;
    expect([contents?.imageDigest, contents?.signatures.length, contents?.attestations.length, contents?.bundles.length]).toEqual([
      estate.multi.digest,
      1,
      1,
      1,
    ]);
    const index = JSON.parse(await readFile(join(base, 'evidence', 'multi', 'index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    const roles = index.manifests.map((m) => m.annotations.kind ?? m.annotations['dev.auditpack.collect.role']);
    expect(roles).toEqual([
      'dev.cosignproject.cosign/imageIndex',
      'platform-manifest',
      'platform-manifest',
      'dev.cosignproject.cosign/sigs',
      'dev.cosignproject.cosign/atts',
      'referrers-index (fallback-tag)',
      'referrer',
    ]);
  });

  it('is verified by the offline report: signature and SBOM attestation bound to the index digest, each signed at a time the log vouches for', () => {
    // The Rekor entries ride in the layers' dev.sigstore.cosign/bundle annotations, which the collected layout keeps.
    const logged = { 'signing time': '2026-04-12T13:20:00.000Z (verified by the transparency log)' };
    expect(finding('signature.verified:multi')).toMatchObject({ status: 'pass', details: { ...logged, 'transparency log entry': 'hashedrekord 0.0.1' } });
    expect(finding('signature.binds-digest:multi')).toMatchObject({ status: 'pass' });
    expect(finding('attestation.verified:multi')).toMatchObject({ status: 'pass', details: { ...logged, 'transparency log entry': 'dsse 0.0.1' } });
    expect(finding('attestation.binds-digest:multi')).toMatchObject({ status: 'pass' });
  });
});

describe('an image without signatures', () => {
  it('is collected, with a note that no signature tag exists: absence is a fact, not a collection failure', () => {
    const unsigned = records.get('unsigned');
    expect(unsigned?.status).toBe('complete');
    expect(unsigned?.signatures).toBeNull();
    expect(unsigned?.notes).toContain(`no cosign signatures (tag ${estate.unsigned.digest.replace(':', '-')}.sig not found)`);
  });

  it('is reported as a gap: no signature evidence, never a pass', () => {
    expect(finding('signature.verified:unsigned')).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    // The layout of the image alone is understood: the gap is the missing signature, not an unrecognised folder.
    expect(report.problems).toEqual([]);
    expect(report.subjects.find((s) => s.id === 'unsigned')?.status).not.toBe('verified');
    expect(report.summary.verdict).toBe('fail');
  });
});

describe('OCI 1.1 referrers through the referrers API', () => {
  it('asks the referrers API first and collects the bundle it lists', () => {
    expect(viaProxy.stderr).toBe('');
    expect(viaProxy.status).toBe(0);
    expect(proxy.hits).toContain(`GET /v2/team/referred/referrers/${estate.referred.digest}`);
    expect(proxy.hits.some((h) => h.includes(`/manifests/${estate.referred.digest.replace(':', '-')}`) && !h.includes('.'))).toBe(false);
    expect(records.get('referred')?.referrers).toMatchObject({ source: 'api', manifests: [{ manifest: estate.referredBundle.digest }] });
  });

  it('gives a cosign v3 signature the offline report verifies', async () => {
    const config = await estateConfig(join(work, 'config-referred'), estate, join(work, 'proxied'), [{ name: 'referred', digest: estate.referred.digest }]);
    await auditpackAsync(['report', '--config', config, '--out', join(work, 'bundle-referred'), '--clock', GOLDEN_CLOCK]);
    const referred = JSON.parse(await readFile(join(work, 'bundle-referred', 'report.json'), 'utf8')) as Report;
    expect(referred.findings.find((f) => f.id === 'signature.verified:referred')).toMatchObject({
      status: 'pass',
      details: { format: 'Sigstore bundle (OCI 1.1 referrer in a cosign save layout)' },
    });
    expect(referred.findings.find((f) => f.id === 'signature.binds-digest:referred')).toMatchObject({ status: 'pass' });
  });
});
