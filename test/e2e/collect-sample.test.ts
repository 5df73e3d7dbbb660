/**
 * Done-when test of issue 10 (part 1): the sample estate pushed to a real
 * registry and replayed through a Woodpecker API, collected with
 * `auditpack collect`, then reported offline, gives the same findings as
 * the committed sample folders (the golden report).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { auditpackAsync } from '../helpers/cli-async.js';
import { configForCollected } from '../helpers/collected-config.js';
import { RegistryPusher } from '../helpers/registry-push.js';
import { startRegistry, type RunningRegistry } from '../helpers/registry-server.js';
import { SAMPLE_DIR, SAMPLE_TAG, pushSampleEstate, type SampleImage } from '../helpers/sample-registry.js';
import { loadWoodpeckerExport, startWoodpecker, type FakeWoodpecker } from '../helpers/woodpecker-server.js';
import { GOLDEN_CLOCK, ROOT } from './cli.js';

const TOKEN = 'woodpecker-test-token';

/**
 * Messages name the evidence they judge. The same `.att` layer is, in the
 * sample, the envelope of `attestation.jsonl` logged per the layer of
 * `attestation-manifest.json` (hand exports) and, collected, layer N of the
 * `.att` image in the OCI layout written under `../registry/evidence/<image>`.
 * Both names become one, and nothing else in the messages is touched.
 */
const ATT_LAYER_NAME =
  /(?:\.\.\/registry\/)?evidence\/([a-z0-9-]+)(?:\/attestation\.jsonl \(logged per evidence\/\1\/attestation-manifest\.json layer (\d+)\)| \.att layer (\d+))/g;
const sameEvidenceNames = <T>(value: T): unknown =>
  JSON.parse(
    JSON.stringify(value).replace(
      ATT_LAYER_NAME,
      (_, image: string, exported?: string, collected?: string) => `<.att layer ${exported ?? collected} of ${image}>`,
    ),
  );
let work: string;
let registry: RunningRegistry;
let woodpecker: FakeWoodpecker;
let images: SampleImage[];
let registryRun: Awaited<ReturnType<typeof auditpackAsync>>;
let woodpeckerRun: Awaited<ReturnType<typeof auditpackAsync>>;
let reportRun: Awaited<ReturnType<typeof auditpackAsync>>;
let report: Report;
let golden: Report;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-collect-sample-'));
  registry = await startRegistry();
  images = await pushSampleEstate(new RegistryPusher(registry.url), registry.storage);
  woodpecker = await startWoodpecker(await loadWoodpeckerExport(join(SAMPLE_DIR, 'woodpecker')), { token: TOKEN, maxPage: 5 });
  registryRun = await auditpackAsync([
    'collect',
    'registry',
    '--registry',
    registry.url.toString(),
    '--repository',
    'akko/*',
    '--tag',
    SAMPLE_TAG,
    '--out',
    join(work, 'registry'),
  ]);
  woodpeckerRun = await auditpackAsync(
    ['collect', 'woodpecker', '--server', woodpecker.url.toString(), '--repo', 'akko/akko', '--period', '2026-Q2', '--out', join(work, 'ci')],
    { WOODPECKER_TOKEN: TOKEN },
  );
  const config = await configForCollected(join(work, 'config'), { registry: join(work, 'registry'), woodpecker: join(work, 'ci') });
  reportRun = await auditpackAsync(['report', '--config', config, '--out', join(work, 'bundle'), '--clock', GOLDEN_CLOCK, '--output', 'json']);
  report = JSON.parse(await readFile(join(work, 'bundle', 'report.json'), 'utf8')) as Report;
  golden = JSON.parse(await readFile(`${ROOT}samples/akko/golden/report.json`, 'utf8')) as Report;
}, 300_000);

afterAll(async () => {
  await woodpecker?.stop();
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('collect the sample estate, then report offline', () => {
  it('collects all 16 images with their digests, and every pipeline of the period', () => {
    expect(registryRun.stderr).toBe('');
    expect(registryRun.status).toBe(0);
    expect(registryRun.stdout).toContain('16 images from');
    expect(woodpeckerRun.stderr).toBe('');
    expect(woodpeckerRun.status).toBe(0);
    expect(woodpeckerRun.stdout).toContain('16 pipelines of akko/akko in 2026-Q2');
  });

  it('resolves each tag to the digest the sample configuration names', async () => {
    const record = JSON.parse(await readFile(join(work, 'registry', 'collection.json'), 'utf8')) as {
      images: { name: string; digest: string; status: string }[];
    };
    expect(record.images.map((i) => [i.name, i.digest, i.status])).toEqual(
      images.map((i) => [i.name, i.digest, 'complete']).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('writes the Woodpecker export byte for byte as the API served it (nothing needed redacting)', async () => {
    for (const dir of ['pipelines', ...(await readdir(join(SAMPLE_DIR, 'woodpecker', 'logs'))).map((n) => join('logs', n))]) {
      for (const file of await readdir(join(SAMPLE_DIR, 'woodpecker', dir))) {
        expect((await readFile(join(work, 'ci', dir, file))).equals(await readFile(join(SAMPLE_DIR, 'woodpecker', dir, file))), `${dir}/${file}`).toBe(true);
      }
    }
    expect((await readFile(join(work, 'ci', 'repo.json'))).equals(await readFile(join(SAMPLE_DIR, 'woodpecker', 'repo.json')))).toBe(true);
  });

  it('pages through the pipeline list (the fake server serves 5 a page)', () => {
    expect(woodpecker.requests.filter((r) => r.includes('/pipelines?')).length).toBeGreaterThanOrEqual(4);
  });

  it('reports without input problems', () => {
    expect(report.problems).toEqual([]);
    expect(reportRun.stdout).toMatch(/images: 13 of 16 verified/);
  });

  it('seals the redaction record of the collected CI exports with the evidence', async () => {
    const record = report.evidence.find((e) => e.kind === 'ci-redactions');
    expect(record?.source).toMatch(/ci\/redactions\.json$/);
    expect(record && (await readFile(join(work, 'bundle', record.path))).equals(await readFile(join(work, 'ci', 'redactions.json')))).toBe(true);
  });

  it('gives the same findings as the committed sample folders', () => {
    // The collected images.yaml lists images by name; the sample config in its own order: compare as sets.
    const essence = (r: Report) =>
      r.findings.map((f) => ({ id: f.id, status: f.status, code: f.code, message: f.message, quotes: f.quotes })).sort((a, b) => a.id.localeCompare(b.id));
    expect(sameEvidenceNames(essence(report))).toEqual(sameEvidenceNames(essence(golden)));
  });

  it('names the same .att layer where the sample names its hand exports (the only difference)', () => {
    const collected = JSON.stringify(report.findings);
    expect(collected).toContain('../registry/evidence/mcp-openmetadata .att layer 1: it verifies, but its in-toto subject is');
    expect(collected).not.toContain('attestation-manifest.json');
    expect(JSON.stringify(golden.findings)).toContain(
      'evidence/mcp-openmetadata/attestation.jsonl (logged per evidence/mcp-openmetadata/attestation-manifest.json layer 1): it verifies, but its in-toto subject is',
    );
  });

  it('gives the same image verdicts, headlines, control statuses and summary', () => {
    const subjects = (r: Report) =>
      r.subjects.map((s) => ({ id: s.id, digest: s.digest, status: s.status, headlines: s.headlines })).sort((a, b) => a.id.localeCompare(b.id));
    expect(sameEvidenceNames(subjects(report))).toEqual(sameEvidenceNames(subjects(golden)));
    const controls = (r: Report) => r.frameworks.flatMap((f) => f.controls.map((c) => `${f.id}/${c.id}: ${c.status} ${c.coverage.passed}/${c.coverage.total}`));
    expect(controls(report)).toEqual(controls(golden));
    expect(report.summary).toEqual(golden.summary);
  });
});
