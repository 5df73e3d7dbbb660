import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG, auditpack, tool } from './cli.js';

/*
 * The sample bundle as machines and auditors' tools read it: the JSON
 * summary a scheduler parses, the OSCAL file a GRC tool imports, and the
 * signed PDF/A-3b as poppler and qpdf see it.
 */
let work: string;
let out: string;
let run: ReturnType<typeof auditpack>;
let summary: Record<string, any>;
let report: Report;

const ALL_FORMATS = ['--output', 'json', 'html', 'pdf', 'oscal'];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-machine-'));
  out = join(work, 'bundle');
  run = auditpack('report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK, '--format', 'json', ...ALL_FORMATS);
  summary = JSON.parse(run.stdout);
  report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('report --format json', () => {
  it('prints one JSON object that validates against schema/report-summary.schema.json', async () => {
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const schema = JSON.parse(await readFile(`${ROOT}schema/report-summary.schema.json`, 'utf8')) as object;
    const validate = compileSchema(schema);
    expect(validate(structuredClone(summary)), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('gives the period, the clock and the configuration digest of the run', () => {
    expect(summary.period).toEqual(report.run.period);
    expect(summary.generatedAt).toBe(GOLDEN_CLOCK);
    expect(summary.configSha256).toBe(report.run.configSha256);
    expect(summary.verdict).toBe('fail');
    expect(summary.seal.sealed).toBe(true);
    expect(summary.files).toContain(`${out}/report.oscal.json`);
  });

  it('names per image each failing check with its code, and the waiver that covers it', () => {
    const image = (id: string) => summary.images.find((i: { id: string }) => i.id === id);
    expect(image('notebook-full').failing).toContainEqual({ check: 'signature.verified', status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(image('mcp-openmetadata').failing).toContainEqual({ check: 'attestation.binds-digest', status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(image('docs').failing).toContainEqual({ check: 'sbom.quality', status: 'fail', code: 'SBOM_LOW_QUALITY', waiver: 'WVR-2026-007' });
    expect(image('cockpit')).toMatchObject({ status: 'verified', failing: [] });
    const failing = summary.images.flatMap((i: { failing: unknown[] }) => i.failing).length;
    expect(failing).toBe(report.findings.filter((f) => f.status === 'fail' || f.status === 'error').length);
  });

  it('lists the waivers and the citation verdicts', () => {
    expect(summary.waivers.find((w: { id: string }) => w.id === 'WVR-2026-002')).toMatchObject({ expired: true, inForce: false });
    expect(summary.citations.map((c: { claimed: string; verdict: string }) => [c.claimed, c.verdict])).toEqual([
      ['DORA Article 6', 'imprecise'],
      ['NIS2 Annex II', 'wrong'],
      ['HDS Section 6.7', 'wrong'],
    ]);
    expect(summary.citations[1].instead.length).toBeGreaterThan(0);
  });
});

describe('the signed PDF/A-3b of the sample estate', () => {
  const pdf = () => join(out, 'report.pdf');

  it('pdfsig: the signature is valid and covers the whole document', () => {
    const r = spawnSync('pdfsig', [pdf()], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(r.stdout).toContain('Total document signed');
    expect(r.stdout).toContain('Signer Certificate Common Name: AKKO sample estate DEMO-ONLY report signer');
    expect(r.stdout).toContain('Signing Time: Jul 01 2026 08:00:00');
  });

  it('pdfinfo: identifies PDF/A-3b, level B, and the period with its excluded end', () => {
    const info = tool('pdfinfo', pdf());
    expect(info).toMatch(/^PDF subtype:\s+PDF\/A-3b$/m);
    expect(info).toContain('Standard:      ISO 19005-3');
    expect(info).toContain('Conformance:   Level B');
    expect(info).toContain(`from ${report.run.period.start} (included) to ${report.run.period.end} (excluded)`);
  });

  it('qpdf --check passes', () => {
    expect(tool('qpdf', '--check', pdf())).toContain('No syntax or stream encoding errors');
  });

  it('qpdf: every annotation carries the print flag PDF/A requires (F 4): internal and web links, and the signature widget', () => {
    type PdfObject = { value?: Record<string, unknown> };
    const objects = (JSON.parse(tool('qpdf', '--json=2', '--json-key=qpdf', pdf())) as { qpdf: [unknown, Record<string, PdfObject>] }).qpdf[1];
    const dictionaries = Object.values(objects).flatMap((o) => (o.value !== undefined && typeof o.value === 'object' ? [o.value] : []));
    const annotations = dictionaries.filter((d) => d['/Type'] === '/Annot');
    const action = (a: Record<string, unknown>) => (objects[`obj:${String(a['/A'])}`]?.value ?? {})['/S'];
    const links = annotations.filter((a) => a['/Subtype'] === '/Link');
    expect(links.length).toBeGreaterThan(10);
    expect(new Set(links.map(action))).toEqual(new Set(['/GoTo', '/URI']));
    // The only other annotation is the signature's widget.
    expect(annotations.filter((a) => a['/Subtype'] !== '/Link').map((a) => a['/Subtype'])).toEqual(['/Widget']);
    for (const a of annotations) expect({ subtype: a['/Subtype'], print: (Number(a['/F']) & 4) === 4 }).toEqual({ subtype: a['/Subtype'], print: true });
  });

  it('pdfdetach: carries every evidence file, report.json, the other formats and the attachments manifest', async () => {
    const listed = new Set(
      tool('pdfdetach', '-list', pdf())
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.replace(/^\d+: /, '')),
    );
    for (const e of report.evidence) expect(listed.has(e.path), e.path).toBe(true);
    for (const name of ['report.json', 'report.html', 'report.oscal.json', 'inventory.csv', 'attachments-manifest.json'])
      expect(listed.has(name), name).toBe(true);
    expect(listed.has('manifest.json')).toBe(false);
    const extracted = join(work, 'attachments-manifest.json');
    const index = [...listed].indexOf('attachments-manifest.json') + 1;
    tool('pdfdetach', '-save', String(index), '-o', extracted, pdf());
    const inside = JSON.parse(await readFile(extracted, 'utf8')) as { files: { path: string; sha256: string }[] };
    const bundle = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    const bundleSha = new Map(bundle.files.map((f) => [f.path, f.sha256]));
    expect(inside.files.length).toBe(listed.size - 1);
    for (const f of inside.files) expect(bundleSha.get(f.path), f.path).toBe(f.sha256);
  });
});

describe('two runs with the same inputs and clock', () => {
  it('give byte-identical report.pdf (signed) and report.oscal.json', async () => {
    const again = join(work, 'again');
    expect(auditpack('report', '--config', SAMPLE_CONFIG, '--out', again, '--clock', GOLDEN_CLOCK, ...ALL_FORMATS).status).toBe(1);
    for (const file of ['report.pdf', 'report.oscal.json', 'report.json', 'report.html']) {
      expect((await readFile(join(again, file))).equals(await readFile(join(out, file))), file).toBe(true);
    }
  });
});
