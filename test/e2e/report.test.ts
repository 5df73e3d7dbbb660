import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { GOLDEN_CLOCK, ROOT, SAMPLE_CONFIG, auditpack, tool } from './cli.js';

let work: string;
let out: string;
let run: ReturnType<typeof auditpack>;
let report: Report;
let pdfText: string;
let html: string;
/** The HTML's text: tags dropped (a `<wbr>` inside a reference too), entities decoded. */
let htmlText: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-e2e-'));
  out = join(work, 'bundle');
  run = auditpack('report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK);
  report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  pdfText = tool('pdftotext', '-layout', join(out, 'report.pdf'), '-');
  html = await readFile(join(out, 'report.html'), 'utf8');
  htmlText = html
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const subject = (id: string) => report.subjects.find((s) => s.id === id);
const finding = (check: string, id: string) => report.findings.find((f) => f.id === `${check}:${id}`);

describe('auditpack report on the AKKO samples', () => {
  it('exits 1 (findings) and prints where the PDF and HTML are', () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${out}/report.pdf`);
    expect(run.stdout).toContain(`${out}/report.html`);
    expect(run.stdout).toMatch(/images: 13 of 16 verified/);
  });

  it('matches the golden report.json byte for byte (fixed clock)', async () => {
    const golden = await readFile(`${ROOT}samples/akko/golden/report.json`);
    expect((await readFile(join(out, 'report.json'))).equals(golden)).toBe(true);
  });

  it('shows the 13 good images as verified', () => {
    const verified = report.subjects
      .filter((s) => s.status === 'verified')
      .map((s) => s.id)
      .sort();
    expect(verified).toEqual([
      'aden',
      'ai-service',
      'airflow',
      'akko-rag',
      'catalog-manager',
      'cockpit',
      'dbt',
      'mcp-trino',
      'mlflow',
      'notebook-slim',
      'postgres',
      'spark',
      'trino',
    ]);
  });

  it('shows notebook-full as "pipeline green, no signature", quoting the warning line', () => {
    const f = finding('signature.verified', 'notebook-full');
    expect(f).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(f?.message).toMatch(/^pipeline green, no signature/);
    const warning = f?.quotes?.find((q) => q.startsWith('WARN: cosign sign failed'));
    expect(warning).toBeDefined();
    expect(pdfText).toContain('pipeline green, no signature');
    expect(pdfText.replace(/\s+/g, ' ')).toContain('WARN: cosign sign failed');
    expect(html).toContain('WARN: cosign sign failed');
  });

  it("shows mcp-openmetadata's attestation bound to another digest", () => {
    expect(finding('attestation.binds-digest', 'mcp-openmetadata')).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(subject('mcp-openmetadata')?.headlines.join()).toContain('bound to another digest');
    // The PDF and HTML state the fault in the reader's words: the code's meaning and the check's own message.
    for (const text of [pdfText.replace(/\s+/g, ' '), htmlText]) {
      expect(text).toContain('signed content names another image digest');
      expect(text).toContain('an attestation verifies, but none binds');
    }
  });

  it("counts no evidence of mcp-openmetadata's previous build for it: no SBOM read, and the stale attestation named", () => {
    expect(finding('attestation.verified', 'mcp-openmetadata')).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(finding('sbom.quality', 'mcp-openmetadata')).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(finding('evidence.bound', 'mcp-openmetadata')).toMatchObject({
      status: 'fail',
      code: 'DIGEST_MISMATCH',
      message: expect.stringContaining('evidence/mcp-openmetadata/attestation.jsonl'),
    });
    expect(report.sboms.entries.map((e) => e.subject)).not.toContain('mcp-openmetadata');
  });

  it("verifies trino's signature from its .sig manifest and payload blob, and every attestation with its log entry", () => {
    expect(finding('signature.verified', 'trino')).toMatchObject({
      status: 'pass',
      details: { format: 'legacy cosign signature (.sig manifest and payload blob)' },
    });
    expect(finding('attestation.verified', 'cockpit')).toMatchObject({
      status: 'pass',
      details: { format: 'DSSE envelope (.att manifest and envelope blob)', 'transparency log entry': 'dsse 0.0.1' },
    });
  });

  it('binds CI runs to the configured repository and says CI exports are unsigned operator evidence', () => {
    expect(report.trust).toMatchObject({
      requireSignedTime: true,
      ci: {
        system: 'woodpecker',
        repository: 'https://git.akko-ai.com/akko/akko',
        repositoryId: 7,
        events: ['push', 'tag'],
        branches: ['main'],
        signed: false,
      },
    });
    expect(finding('pipeline.built', 'cockpit')).toMatchObject({
      status: 'pass',
      details: { 'pushed by': '06-trivy/build-push', evidence: expect.stringMatching(/unsigned operator evidence/) },
    });
    expect(pdfText.replace(/\s+/g, ' ')).toContain('unsigned operator evidence');
    expect(html).toContain('unsigned operator evidence');
  });

  it("shows docs's SBOM lacking licences and purls", () => {
    expect(finding('sbom.quality', 'docs')).toMatchObject({ status: 'fail', code: 'SBOM_LOW_QUALITY' });
    expect(finding('sbom.valid', 'docs')?.status).toBe('pass');
    expect(pdfText).toContain('SBOM lacks licences and purls');
    expect(html).toContain('SBOM lacks licences and purls');
  });

  it('derives every control status from findings, and none passes on missing evidence', () => {
    for (const fw of report.frameworks) {
      for (const control of fw.controls) {
        const behind = report.findings.filter((f) => control.support.some((s) => s.checkId === f.checkId));
        const anyNonPass = behind.some((f) => f.status !== 'pass');
        if (control.status === 'supported') expect(anyNonPass, `${control.id}`).toBe(false);
        if (control.status === 'not-applicable') expect(control.coverage.total, control.id).toBe(0);
        else if (control.manualOnly) expect(control.status, control.id).toBe('not-assessed');
        else expect(control.coverage.total).toBe(16);
      }
    }
    const signatureControls = report.frameworks.flatMap((f) => f.controls).filter((c) => c.support.some((s) => s.checkId === 'signature.verified'));
    expect(signatureControls.length).toBeGreaterThan(0);
    for (const c of signatureControls) expect(c.coverage.passed).toBeLessThan(16);
  });

  it('puts every control citation into the PDF and the HTML', () => {
    const flat = pdfText.replace(/\s+/g, '');
    const text = htmlText.replace(/\s+/g, '');
    for (const c of report.frameworks.flatMap((f) => f.controls)) {
      expect(text).toContain(c.citation.replace(/\s+/g, ''));
      expect(flat).toContain(c.citation.replace(/\s+/g, ''));
    }
  });

  it('gives the same bytes for every file, seal included, when run again with the same clock, with the images verified in worker threads', async () => {
    const again = join(work, 'again');
    // 16 images are verified in the main thread by default; here in two worker threads, finishing in any order.
    expect(auditpack('report', '--config', SAMPLE_CONFIG, '--out', again, '--clock', GOLDEN_CLOCK, '--workers', '2').status).toBe(1);
    const files = (await readdir(out, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(out, join(e.parentPath, e.name)));
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sigstore.json', 'report.pdf', 'report.html', 'inventory.csv']));
    expect((await readdir(again, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())).toHaveLength(files.length);
    for (const file of files) expect((await readFile(join(again, file))).equals(await readFile(join(out, file))), file).toBe(true);
  });

  it('keeps every evidence file verbatim in the bundle', async () => {
    for (const e of report.evidence) {
      const bytes = await readFile(join(out, e.path));
      expect(bytes.length, e.path).toBe(e.size);
    }
  });
});

describe('the governance parts of the sample report', () => {
  it('checks the three citations of the operator page and shows the corrections in the PDF and HTML', () => {
    expect(report.claims.map((c) => [c.claimed, c.verdict])).toEqual([
      ['DORA Article 6', 'imprecise'],
      ['NIS2 Annex II', 'wrong'],
      ['HDS Section 6.7', 'wrong'],
    ]);
    const flat = pdfText.replace(/\s+/g, ' ');
    expect(flat).toContain('ICT risk management framework');
    expect(html).toContain('Other critical sectors');
  });

  it('shows docs as waived yet still failing, and flags the expired waiver', () => {
    expect(finding('sbom.quality', 'docs')).toMatchObject({ status: 'fail', waiver: { id: 'WVR-2026-007', inForce: true } });
    expect(subject('docs')?.status).toBe('failed');
    expect(report.waivers.find((w) => w.id === 'WVR-2026-002')).toMatchObject({ expired: true, covers: [] });
    expect(finding('signature.verified', 'notebook-full')?.waiver).toMatchObject({ inForce: false });
  });

  it('keeps the manual-evidence document in the bundle, apart from verified evidence', async () => {
    const manual = report.manualEvidence[0];
    expect(manual?.document?.path).toBe('evidence/manual/DEMO-change-management-policy.md');
    expect((await readFile(join(out, manual!.document!.path))).length).toBeGreaterThan(0);
    const control = report.frameworks.find((f) => f.id === 'dora')?.controls.find((c) => c.id === 'dora-art-9-4-e');
    expect(control?.manualEvidence).toEqual(['change-policy-v3.1']);
  });

  it('scores every attested SBOM and writes the estate inventory CSV', async () => {
    expect(report.sboms.entries.map((e) => e.subject).sort()).toContain('notebook-full');
    expect(report.sboms.entries.find((e) => e.subject === 'notebook-full')?.components).toBe(2991);
    const csv = await readFile(join(out, 'inventory.csv'), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('image,ecosystem,group,name,version,type,purl,licences,copyleft,shared_by_images');
    expect(csv).toContain('notebook-full,');
  });
});

describe('auditpack verify', () => {
  const PUB = `${ROOT}samples/akko/keys/report-signing.pub`;

  it('never says intact without a trust anchor: exit 4, the fingerprint found and the command to pin it', () => {
    const r = auditpack('verify', out);
    expect(r.status).toBe(4);
    expect(r.stdout).not.toContain('intact');
    expect(r.stderr).toContain('NOT VERIFIED');
    expect(r.stderr).toContain(`--key-fingerprint ${report.seal?.keyFingerprint}`);
    const json = JSON.parse(auditpack('verify', out, '--format', 'json').stdout) as { ok: boolean; status: string };
    expect(json).toMatchObject({ ok: false, status: 'unpinned' });
  });

  it('pins the signer with --key or --key-fingerprint: the report key passes, another key fails', () => {
    const pinned = auditpack('verify', out, '--key', PUB);
    expect(pinned.status).toBe(0);
    expect(pinned.stdout).toContain('intact');
    expect(pinned.stdout).toContain('pinned with --key');
    expect(auditpack('verify', out, '--key-fingerprint', report.seal!.keyFingerprint).status).toBe(0);
    const wrong = auditpack('verify', out, '--key', `${ROOT}samples/akko/keys/cosign.pub`);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('manifest.sigstore.json');
    expect(auditpack('verify', out, '--key-fingerprint', 'ab'.repeat(32)).status).toBe(1);
  });

  it('prints the seal key fingerprint in the JSON, on the PDF cover and verify page, and in the HTML', () => {
    const fingerprint = report.seal?.keyFingerprint ?? '';
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(report.seal).toMatchObject({ algorithm: 'Ed25519' });
    expect(pdfText.split(fingerprint).length - 1).toBeGreaterThanOrEqual(3);
    expect(pdfText).toContain('the signer’s own claim');
    expect(html).toContain(fingerprint);
    expect(html).toContain('cosign verify-blob-attestation');
  });

  it('fails, naming the file, after one byte of any file changes', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const targets = ['report.pdf', 'report.json', 'report.html', manifest.files.find((f) => f.path.startsWith('evidence/'))!.path, 'manifest.pub'];
    for (const target of targets) {
      const path = join(out, target);
      const original = await readFile(path);
      const changed = Buffer.from(original);
      changed[Math.floor(changed.length / 2)] = changed[Math.floor(changed.length / 2)]! ^ 0x01;
      await writeFile(path, changed);
      const r = auditpack('verify', out, '--key', PUB);
      await writeFile(path, original);
      expect(r.status, target).toBe(1);
      expect(r.stderr, target).toContain(target === 'manifest.pub' ? 'manifest' : target);
    }
    expect(auditpack('verify', out, '--key', PUB).status).toBe(0);
  });
});
