import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { outcomeOf } from '../../src/report/outcome.js';
import { runReport, type ReportOptions, type ReportRun } from '../../src/run-report.js';
import { verifyBundle } from '../../src/bundle/verify.js';

const CLOCK = '2026-07-01T08:00:00.000Z';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
let estate: string;
let outputs = 0;

/** A configuration for one image with no signature: the report must fail, and still be written and sealed. */
function configYaml({ control = 'dora/dora-art-8-1', seal = true } = {}): string {
  return `organisation: Test Org
period: 2026-Q2
images:
  - name: api
    ref: registry.test/team/api:1.0
    digest: ${DIGEST}
trust:
  # No trusted root here: this test is about the bundle, not about signed time.
  requireTransparencyLog: false
  keys:
    - id: cosign
      path: keys/cosign.pub
evidence:
  images: evidence/{image}
frameworks: [dora]
waivers: waivers.yaml
manualEvidence:
  - id: policy
    controls: [${control}]
    statement: A change policy exists.
    givenBy: CISO
    givenAt: "2026-05-12"
    document: manual/policy.md
outputs: [json]
${seal ? 'seal:\n  key: keys/seal.key\n' : ''}`;
}

async function put(path: string, content: string | Buffer): Promise<string> {
  const file = join(estate, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

const outDir = () => join(estate, 'out', String((outputs += 1)));
const run = (configPath: string, over: Partial<ReportOptions> = {}) => runReport({ configPath, outDir: outDir(), clock: CLOCK, ...over });
/** The whole report: a run returns its outcome, the bundle holds the report. */
const reportOf = async (result: ReportRun) => JSON.parse(await readFile(join(result.outDir, 'report.json'), 'utf8')) as Report;

beforeAll(async () => {
  estate = await mkdtemp(join(tmpdir(), 'auditpack-run-report-'));
  await put('keys/cosign.pub', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
  await put('keys/seal.key', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await put('evidence/api/notes.txt', 'not evidence');
  await put('manual/policy.md', '# Change policy\n');
  await put(
    'waivers.yaml',
    'waivers:\n  - id: WVR-1\n    scope: { image: api, check: sbom.quality }\n    justification: j\n    approver: CISO\n    ticket: SEC-1\n    start: "2026-04-01"\n    expires: "2026-09-30"\n',
  );
  await put('auditpack.yaml', configYaml());
  await put('unsealed.yaml', configYaml({ seal: false }));
  await put('unknown-control.yaml', configYaml({ control: 'dora/not-a-control' }));
});

afterAll(async () => {
  await rm(estate, { recursive: true, force: true });
});

describe('runReport', () => {
  it('writes one sealed bundle: the report, a copy of every input and a manifest over all of it', async () => {
    const result = await run(join(estate, 'auditpack.yaml'));
    expect(result.sealed).toBe(true);
    expect(result.files).toEqual(
      expect.arrayContaining([
        'report.json',
        'manifest.json',
        'manifest.pub',
        'manifest.sigstore.json',
        'evidence/evidence/api/notes.txt',
        'evidence/manual/policy.md',
        'evidence/waivers.yaml',
        'trust/keys/cosign.pub',
      ]),
    );
    expect(result.files).toEqual([...result.files].sort());
    const onDisk = await readdir(result.outDir, { recursive: true, withFileTypes: true });
    expect(onDisk.filter((e) => e.isFile()).length).toBe(result.files.length);
    // What the run returns is what its report.json says, in short.
    expect(result.outcome).toEqual(outcomeOf(await reportOf(result)));
    const sealKey = createPublicKey(await readFile(join(estate, 'keys/seal.key')));
    expect(await verifyBundle(result.outDir, { anchor: { kind: 'key', key: sealKey } })).toMatchObject({
      status: 'intact',
      ok: true,
      problems: [],
      files: result.files.length - 2,
    });
  });

  it('puts the manual evidence and the waiver file in the report as evidence, and fails an image with no signature', async () => {
    const report = await reportOf(await run(join(estate, 'auditpack.yaml')));
    expect(report.summary.verdict).toBe('fail');
    expect(report.subjects).toEqual([expect.objectContaining({ id: 'api', status: 'failed' })]);
    expect(report.findings.filter((f) => f.subject === 'api').every((f) => f.status !== 'pass')).toBe(true);
    const kinds = new Map(report.evidence.map((e) => [e.source, e.kind]));
    expect(kinds.get('waivers.yaml')).toBe('waiver-file');
    expect(kinds.get('manual/policy.md')).toBe('manual-document');
    expect(report.manualEvidence).toEqual([expect.objectContaining({ id: 'policy', controls: ['dora/dora-art-8-1'] })]);
    expect(report.waivers).toEqual([expect.objectContaining({ id: 'WVR-1', inForce: true })]);
  });

  it('gives the same bytes for the same inputs and clock', async () => {
    const [a, b] = [await run(join(estate, 'auditpack.yaml')), await run(join(estate, 'auditpack.yaml'))];
    for (const file of ['report.json', 'manifest.json', 'manifest.sigstore.json']) {
      expect(await readFile(join(b.outDir, file)), file).toEqual(await readFile(join(a.outDir, file)));
    }
  });

  it('without a seal key writes the manifest but no seal', async () => {
    const result = await run(join(estate, 'unsealed.yaml'));
    expect(result.sealed).toBe(false);
    expect(result.files).toContain('manifest.json');
    expect(result.files).not.toContain('manifest.sigstore.json');
    expect(result.files).not.toContain('manifest.pub');
  });

  it('lets the options override the period, the outputs and the seal key', async () => {
    const sealKey = await put('keys/other-seal.key', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const result = await run(join(estate, 'unsealed.yaml'), { period: '2026-Q1', outputs: ['json', 'html'], sealKey });
    expect(result.outcome.run.period).toMatchObject({ label: '2026-Q1', start: '2026-01-01T00:00:00.000Z' });
    expect(result.files).toEqual(expect.arrayContaining(['report.json', 'report.html', 'manifest.sigstore.json']));
    expect((await readFile(join(result.outDir, 'report.html'), 'utf8')).trimStart()).toMatch(/^<!doctype html>/i);
    expect(result.sealed).toBe(true);
  });

  it('names the configuration file when manual evidence cites a control outside the frameworks, and writes nothing', async () => {
    const configPath = join(estate, 'unknown-control.yaml');
    const out = outDir();
    await expect(runReport({ configPath, outDir: out, clock: CLOCK })).rejects.toMatchObject({
      name: 'AuditpackError',
      code: 'CONFIG_INVALID',
      file: configPath,
      message: expect.stringContaining('dora/not-a-control'),
    });
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to replace a folder that is not an auditpack bundle, and leaves it alone', async () => {
    const out = outDir();
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'precious.txt'), 'keep me');
    await expect(runReport({ configPath: join(estate, 'auditpack.yaml'), outDir: out, clock: CLOCK })).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });
    expect(await readdir(out)).toEqual(['precious.txt']);
  });

  it('refuses an output folder inside the evidence it reads, writing nothing there (no lock, no staging folder)', async () => {
    const out = join(estate, 'evidence', 'bundles', 'q2');
    await expect(runReport({ configPath: join(estate, 'auditpack.yaml'), outDir: out, clock: CLOCK })).rejects.toMatchObject({
      code: 'OUTPUT_INVALID',
      file: out,
      message: expect.stringContaining(`inside the evidence folder ${join(estate, 'evidence')}`),
    });
    expect(await readdir(join(estate, 'evidence'))).not.toContain('bundles');
  });
});
