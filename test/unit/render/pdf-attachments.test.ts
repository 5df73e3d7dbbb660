import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/render/pdf.js';
import { ATTACHMENTS_MANIFEST, pdfAttachments, renderOutputs } from '../../../src/render/outputs.js';
import { mimeType } from '../../../src/render/pdf/attachments.js';
import { makeReport } from '../../fixtures/report.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-attach-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function poppler(tool: string, ...args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} is not installed (apt-get install -y poppler-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const report = makeReport();
const evidencePath = report.evidence[0]!.path;
const files = new Map<string, Uint8Array>([
  [evidencePath, Buffer.from('{"payload":"evidence"}\n')],
  ['evidence/odd name/été #1.jsonl', Buffer.from('line\n')],
  ['trust/cosign.pub', Buffer.from('-----BEGIN PUBLIC KEY-----\n')],
  ['inventory.csv', Buffer.from('image,name\n')],
]);

describe('PDF attachments', () => {
  it('lists every file with pdfdetach and gives back the same bytes', async () => {
    const attachments = pdfAttachments(report, files);
    const pdf = path.join(dir, 'attached.pdf');
    writeFileSync(pdf, await renderPdf(report, { attachments }));
    const listed = poppler('pdfdetach', '-list', pdf)
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.replace(/^\d+: /, ''));
    // In name-tree order: byte order of the PDF strings, so a UTF-16 (non-ASCII) name comes last.
    expect([...listed].sort()).toEqual(attachments.map((a) => a.name).sort());
    expect(listed).toContain('report.json');
    expect(listed).toContain(ATTACHMENTS_MANIFEST);
    const index = listed.indexOf('evidence/odd name/été #1.jsonl') + 1;
    const out = path.join(dir, 'extracted');
    poppler('pdfdetach', '-save', String(index), '-o', out, pdf);
    expect(readFileSync(out).equals(Buffer.from(files.get('evidence/odd name/été #1.jsonl')!))).toBe(true);
  });

  it("marks each as a PDF/A-3 associated file with a relationship, a MIME type and the run's clock as its dates", async () => {
    const bytes = await renderPdf(report, { attachments: pdfAttachments(report, files) });
    const text = bytes.toString('latin1');
    expect(text).toMatch(/\/AF \[\d+ 0 R/);
    expect(text).toContain('/AFRelationship /Source');
    expect(text).toContain('/AFRelationship /Data');
    expect(text).toContain('/Subtype /application#2Fjson');
    expect(text).toContain('/ModDate (D:20260701080000Z)');
    expect((await renderPdf(report, { attachments: pdfAttachments(report, files) })).equals(bytes)).toBe(true);
  });

  it('relates evidence and trust files as Source, report.json as Data, the other formats as Alternative', () => {
    const withOthers = new Map([...files, ['report.html', Buffer.from('<html>')], ['report.oscal.json', Buffer.from('{}')]]);
    const byName = new Map(pdfAttachments(report, withOthers).map((a) => [a.name, a]));
    expect(byName.get(evidencePath)).toMatchObject({ relationship: 'Source', description: expect.stringContaining(report.evidence[0]!.source) });
    expect(byName.get('trust/cosign.pub')?.relationship).toBe('Source');
    expect(byName.get('report.json')?.relationship).toBe('Data');
    expect(byName.get('report.html')?.relationship).toBe('Alternative');
    expect(byName.get('report.oscal.json')?.relationship).toBe('Alternative');
    expect(byName.get(ATTACHMENTS_MANIFEST)?.relationship).toBe('Supplement');
  });

  it('embeds a manifest of exactly the other attachments (never the bundle manifest, which lists report.pdf)', () => {
    const attachments = pdfAttachments(report, files);
    const manifest = JSON.parse(Buffer.from(attachments.find((a) => a.name === ATTACHMENTS_MANIFEST)!.bytes).toString('utf8')) as {
      files: { path: string; sha256: string; size: number }[];
    };
    const others = attachments.filter((a) => a.name !== ATTACHMENTS_MANIFEST);
    expect(manifest.files.map((f) => f.path)).toEqual(others.map((a) => a.name).sort());
    for (const a of others) expect(manifest.files.find((f) => f.path === a.name)).toEqual({ path: a.name, sha256: sha256(a.bytes), size: a.bytes.length });
    expect(attachments.some((a) => a.name === 'manifest.json' || a.name === 'report.pdf')).toBe(false);
  });

  it('names MIME types from the extension, octet-stream otherwise', () => {
    expect(mimeType('a/b.JSON')).toBe('application/json');
    expect(mimeType('x.jsonl')).toBe('application/jsonl');
    expect(mimeType('keys/cosign.pub')).toBe('application/x-pem-file');
    expect(mimeType('blob')).toBe('application/octet-stream');
  });
});

describe('renderOutputs', () => {
  it('renders the PDF last, attaching the other formats it rendered, report.json even when not asked for', async () => {
    const seen: string[] = [];
    const out = await renderOutputs({ report, formats: ['pdf', 'oscal', 'html'], bundleFiles: files, progress: (m) => seen.push(m) });
    expect([...out.keys()]).toEqual(['report.oscal.json', 'report.html', 'report.pdf']);
    expect(seen).toEqual(['render oscal', 'render html', 'render pdf']);
    const pdf = path.join(dir, 'outputs.pdf');
    writeFileSync(pdf, out.get('report.pdf')!);
    const listed = poppler('pdfdetach', '-list', pdf);
    for (const name of ['report.oscal.json', 'report.html', 'report.json', 'inventory.csv', evidencePath]) expect(listed).toContain(name);
    expect(out.has('report.json')).toBe(false);
  });

  it('writes no PDF and attaches nothing when the PDF is not asked for', async () => {
    const out = await renderOutputs({ report, formats: ['json'], bundleFiles: files });
    expect([...out.keys()]).toEqual(['report.json']);
  });
});
