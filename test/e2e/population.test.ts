import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Report } from '../../src/report/model.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { sha256Hex } from '../../src/util/manifest.js';
import { pod, podList } from '../helpers/pods.js';
import { sampleCopy } from '../helpers/sample-copy.js';
import { GOLDEN_CLOCK, ROOT, auditpack, tool } from './cli.js';

const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;
const COREDNS = `sha256:${'c'.repeat(64)}`;
const AI_NEXT = `sha256:${'f'.repeat(64)}`;
type Image = { name: string; ref: string; digest: string };
let work: string;
let config: string;
let pods: string;
let report: Report;
let run: ReturnType<typeof auditpack>;

/**
 * The first three sample images (cockpit, ai-service, mlflow) and a cluster
 * export in which: cockpit runs its configured digest (two replicas, an init
 * container too); ai-service runs another digest than configured; mlflow's
 * only pod is pending (no digest); and coredns runs without being configured.
 */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-e2e-population-'));
  const sample = parse(await readFile(`${ROOT}samples/akko/auditpack.yaml`, 'utf8')) as { images: { name: string; ref: string; digest: string }[] };
  const [cockpit, aiService, mlflow] = sample.images as [Image, Image, Image];
  config = await sampleCopy(join(work, 'estate'), (c) => {
    c.images = [cockpit, aiService, mlflow];
    c.population = { kubernetes: 'cluster/pods.json' };
    c.outputs = ['json', 'html', 'pdf'];
  });
  pods = podList([
    pod({ namespace: 'akko', name: 'cockpit-1', containers: [{ name: 'cockpit', image: cockpit.ref, digest: cockpit.digest }] }),
    pod({
      namespace: 'akko',
      name: 'cockpit-2',
      containers: [{ name: 'cockpit', image: cockpit.ref, imageID: `docker-pullable://${cockpit.ref.split(':')[0]}@${cockpit.digest}` }],
      init: [{ name: 'wait', image: cockpit.ref, digest: cockpit.digest }],
    }),
    pod({ namespace: 'akko', name: 'ai-service-0', containers: [{ name: 'api', image: aiService.ref, digest: AI_NEXT }] }),
    pod({ namespace: 'akko', name: 'mlflow-0', phase: 'Pending', containers: [{ name: 'mlflow', image: mlflow.ref, imageID: null }] }),
    pod({ namespace: 'kube-system', name: 'coredns-x', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', digest: COREDNS }] }),
  ]);
  await mkdir(join(work, 'estate/cluster'));
  await writeFile(join(work, 'estate/cluster/pods.json'), pods);
  run = auditpack('report', '--config', config, '--out', join(work, 'out'), '--clock', GOLDEN_CLOCK);
  report = JSON.parse(await readFile(join(work, 'out/report.json'), 'utf8')) as Report;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const findingOf = (id: string) => report.findings.find((f) => f.id === id);

describe('a report over the population a cluster export shows', () => {
  it('lists every image found running as a subject: the uncovered ones fail, never silence', () => {
    expect(run.status, run.stderr).toBe(1);
    expect(report.subjects.map((s) => [s.id, s.status])).toEqual([
      ['cockpit', 'verified'],
      ['ai-service', 'failed'],
      ['mlflow', 'verified'],
      ['ai-service-ffffffffffff', 'failed'],
      ['coredns-cccccccccccc', 'failed'],
    ]);
    expect(report.summary.subjects).toMatchObject({ total: 5, verified: 2 });
    expect(findingOf('population.covered:coredns-cccccccccccc')).toMatchObject({ status: 'fail', code: 'IMAGE_RUNNING_UNCOVERED' });
    expect(findingOf('population.covered:ai-service-ffffffffffff')).toMatchObject({ status: 'fail', code: 'IMAGE_RUNNING_DIGEST_DIFFERS' });
    expect(findingOf('population.covered:ai-service')).toMatchObject({ status: 'fail', code: 'IMAGE_RUNNING_DIGEST_DIFFERS' });
    expect(findingOf('population.covered:cockpit')).toMatchObject({ status: 'pass', message: expect.stringContaining('runs in 3 containers') });
    expect(findingOf('population.covered:mlflow')?.status).toBe('not-applicable');
    // No evidence is judged for an uncovered image: the population finding is its only one.
    expect(report.findings.filter((f) => f.subject === 'coredns-cccccccccccc')).toHaveLength(1);
  });

  it('counts the uncovered images in every control: none reads as covering what runs', () => {
    const controls = report.frameworks.flatMap((fw) => fw.controls).filter((c) => c.status !== 'not-applicable' && !c.manualOnly);
    expect(controls.length).toBeGreaterThan(0);
    for (const c of controls) expect(c.coverage.total, c.id).toBe(5);
    expect(controls.some((c) => c.status === 'supported')).toBe(false);
  });

  it('reports the pending container as a problem naming the export, and keeps the export as unsigned, sealed evidence', () => {
    expect(report.problems).toContainEqual({
      code: 'IMAGE_RUNNING_DIGEST_UNKNOWN',
      file: 'cluster/pods.json',
      reason: expect.stringContaining('akko/mlflow-0/mlflow: no container status (pod phase Pending)'),
      subject: 'mlflow',
    });
    expect(report.evidence).toContainEqual({
      sha256: sha256Hex(Buffer.from(pods)),
      kind: 'kubernetes-pods',
      source: 'cluster/pods.json',
      path: 'evidence/cluster/pods.json',
      size: Buffer.byteLength(pods),
    });
    expect(run.stderr).toContain('[IMAGE_RUNNING_DIGEST_UNKNOWN]');
  });

  it('records the population section: sources labelled unsigned, counts, where each image runs', () => {
    expect(report.population).toMatchObject({
      sources: [{ kind: 'kubernetes', source: 'cluster/pods.json', path: 'evidence/cluster/pods.json', signed: false, pods: 5, containers: 6 }],
      complete: true,
      counts: { containers: 6, images: 3, covered: 1, uncovered: 1, digestDiffers: 1, unresolved: 1, configuredNotRunning: 2 },
      configuredNotRunning: ['ai-service', 'mlflow'],
    });
    expect(report.population?.images.find((i) => i.subject === 'cockpit')?.runsIn).toEqual([
      { namespace: 'akko', pod: 'cockpit-1', container: 'cockpit', kind: 'container' },
      { namespace: 'akko', pod: 'cockpit-2', container: 'cockpit', kind: 'container' },
      { namespace: 'akko', pod: 'cockpit-2', container: 'wait', kind: 'init' },
    ]);
    expect(report.population?.images.find((i) => i.status === 'digest-differs')?.configuredAs).toEqual([
      { name: 'ai-service', digest: report.subjects.find((s) => s.id === 'ai-service')?.digest },
    ]);
  });

  it('validates against the published schema and renders the uncovered subjects in HTML', async () => {
    const schema = JSON.parse(await readFile(`${ROOT}src/report/report.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(report), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
    expect(await readFile(join(work, 'out/report.html'), 'utf8')).toContain('coredns-cccccccccccc');
  });

  it('gives the same bytes when the subjects, uncovered ones included, are verified in worker threads', async () => {
    const again = join(work, 'again');
    expect(auditpack('report', '--config', config, '--out', again, '--clock', GOLDEN_CLOCK, '--workers', '2').status).toBe(1);
    const files = (await readdir(join(work, 'out'), { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(join(work, 'out'), join(e.parentPath, e.name)));
    expect(files).toEqual(expect.arrayContaining(['report.json', 'report.html', 'evidence/cluster/pods.json', 'manifest.sigstore.json']));
    expect((await readdir(again, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())).toHaveLength(files.length);
    for (const file of files) expect((await readFile(join(again, file))).equals(await readFile(join(work, 'out', file))), file).toBe(true);
  });

  it('shows the population in the PDF (read with pdftotext) and the HTML: what runs, where, covered or not, and the scope on page 1', async () => {
    const squash = (t: string) => t.replace(/\s+/g, '');
    const pdf = tool('pdftotext', '-layout', join(work, 'out/report.pdf'), '-');
    const html = (await readFile(join(work, 'out/report.html'), 'utf8')).replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'");
    const first = pdf.split('\f')[0] ?? '';
    expect(squash(first).includes(squash('Population: what runs, read from cluster/pods.json (unsigned operator export): 3 digests running, 1 covered'))).toBe(
      true,
    );
    expect(pdf).toMatch(/^Population: what runs$/m);
    for (const text of [squash(pdf), squash(html)]) {
      for (const s of [
        '6 containers read; 3 distinct digests running: 1 covered by the configuration, 1 NOT covered, 1 running another digest',
        'registry.k8s.io/coredns/coredns:v1.11.1',
        'NOT COVERED',
        'OTHER DIGEST THAN CONFIGURED',
        'akko/cockpit-2 · wait (init container)',
        'Containers without a registry digest (1)',
        'akko/mlflow-0 · mlflow',
        'Configured images not found running (2)',
      ]) {
        expect(text.includes(squash(s)), s).toBe(true);
      }
    }
  });

  it('verify --deep re-derives every population finding from the sealed export alone', async () => {
    await rm(join(work, 'estate'), { recursive: true });
    const r = auditpack('verify', join(work, 'out'), '--key', PUB, '--deep');
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
