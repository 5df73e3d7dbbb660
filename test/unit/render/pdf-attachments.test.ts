import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import { renderPdf, writePdf } from '../../../src/render/pdf.js';
import { collect } from '../../../src/render/pdf/document.js';
import { ATTACHMENTS_MANIFEST, pdfAttachments, renderOutputs } from '../../../src/render/outputs.js';
import { AUTO_ATTACHMENTS_LIMIT } from '../../../src/render/formats.js';
import { attachFiles, attachedFiles, mimeType, type PdfAttachment } from '../../../src/render/pdf/attachments.js';
import { prepareBodies, THREAD_BYTES } from '../../../src/render/pdf/attachment-bodies.js';
import type { Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { scaledReport } from '../../../scripts/samples/scaled-report.ts';

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

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
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
    const bytesOf = (a: PdfAttachment) => (a.content instanceof Uint8Array ? a.content : readFileSync(a.content.file));
    const manifest = JSON.parse(Buffer.from(bytesOf(attachments.find((a) => a.name === ATTACHMENTS_MANIFEST)!)).toString('utf8')) as {
      files: { path: string; sha256: string; size: number }[];
    };
    const others = attachments.filter((a) => a.name !== ATTACHMENTS_MANIFEST);
    expect(manifest.files.map((f) => f.path)).toEqual(others.map((a) => a.name).sort());
    for (const a of others)
      expect(manifest.files.find((f) => f.path === a.name)).toEqual({ path: a.name, sha256: sha256(bytesOf(a)), size: bytesOf(a).length });
    expect(attachments.some((a) => a.name === 'manifest.json' || a.name === 'report.pdf')).toBe(false);
  });

  it('names MIME types from the extension, octet-stream otherwise', () => {
    expect(mimeType('a/b.JSON')).toBe('application/json');
    expect(mimeType('x.jsonl')).toBe('application/jsonl');
    expect(mimeType('keys/cosign.pub')).toBe('application/x-pem-file');
    expect(mimeType('blob')).toBe('application/octet-stream');
  });
});

describe('which files the PDF attaches', () => {
  // Only sizes are read to choose: a staged file's bytes stay on disk.
  const golden = JSON.parse(readFileSync(new URL('../../../samples/akko/golden/report.json', import.meta.url), 'utf8')) as Report;
  const estate = scaledReport(golden, 200);
  const sized = (each: number) =>
    new Map<string, { length: number }>([
      ...estate.evidence.map((e) => [e.path, { length: each }] as const),
      ['report.html', { length: 1000 }],
      ['inventory.csv', { length: 1000 }],
      ['auditpack.yaml', { length: 1000 }],
    ]);
  const faults = new Set(estate.findings.filter((f) => f.status === 'fail' || f.status === 'error').flatMap((f) => f.evidence));
  const trust = estate.evidence.filter((e) => e.kind === 'public-key' || e.kind === 'trusted-root').map((e) => e.path);

  it('attaches every file under all, and under auto while they fit in AUTO_ATTACHMENTS_LIMIT', () => {
    const small = sized(Math.floor(AUTO_ATTACHMENTS_LIMIT / estate.evidence.length / 2));
    expect(attachedFiles(estate, small, 'auto').size).toBe(small.size);
    expect(attachedFiles(estate, sized(AUTO_ATTACHMENTS_LIMIT), 'all').size).toBe(small.size);
  });

  it('leaves every evidence file but the trust material out under report', () => {
    const chosen = [...attachedFiles(estate, sized(10), 'report').keys()].sort();
    expect(chosen).toEqual([...trust, 'report.html', 'inventory.csv', 'auditpack.yaml'].sort());
  });

  it('attaches under auto, past the limit, the files the faults rest on and the estate’s own, and no other evidence', () => {
    const large = sized(Math.ceil((2 * AUTO_ATTACHMENTS_LIMIT) / estate.evidence.length));
    const kept = attachedFiles(estate, large, 'auto');
    expect(kept.size).toBeLessThan(large.size);
    for (const e of estate.evidence) {
      const estateFile = e.subject === undefined && !['pipeline-log', 'pipeline-run'].includes(e.kind);
      expect(kept.has(e.path), e.path).toBe(faults.has(e.sha256) || estateFile);
    }
    for (const other of ['report.html', 'inventory.csv', 'auditpack.yaml']) expect(kept.has(other)).toBe(true);
  });

  it('falls back to report under auto when even the faults’ files pass the limit', () => {
    const huge = sized(AUTO_ATTACHMENTS_LIMIT);
    expect([...attachedFiles(estate, huge, 'auto').keys()].sort()).toEqual([...attachedFiles(estate, huge, 'report').keys()].sort());
  });

  it('reads a staged file from disk only to embed it, and fails the render naming a staged file that is gone', async () => {
    const staged = (name: string, text: string): PdfAttachment => {
      const file = path.join(dir, name.replace(/\//g, '_'));
      writeFileSync(file, text);
      return { name, content: { file, size: Buffer.byteLength(text), sha256: sha256(text) }, relationship: 'Source', description: 'staged' };
    };
    const attachments = [staged('evidence/b.json', '{"b":1}'), staged('evidence/a.json', '{"a":1}')];
    const pdf = path.join(dir, 'staged.pdf');
    writeFileSync(pdf, await renderPdf(report, { attachments }));
    expect(poppler('pdfdetach', '-list', pdf)).toMatch(/1: evidence\/a\.json\n2: evidence\/b\.json/);
    poppler('pdfdetach', '-save', '2', '-o', path.join(dir, 'b-out'), pdf);
    expect(readFileSync(path.join(dir, 'b-out'), 'utf8')).toBe('{"b":1}');

    const gone = { ...attachments[0]!, content: { file: path.join(dir, 'gone.json'), size: 7, sha256: sha256('{"a":1}') } };
    await expect(renderPdf(report, { attachments: [gone] })).rejects.toMatchObject({ code: 'RENDER_FAILED' });
  });
});

describe('attachment bodies, prepared in a worker thread for a large set', () => {
  // Files of several sizes, staged (odd places) or in memory. Staged: larger than the thread's 1 MiB read piece (in
  // two, in exactly two, in four pieces), smaller ones read through the same buffer after them, and an empty one;
  // some past zlib's 16 KiB output chunk, so their deflated bytes come in pieces.
  const sizes = [0, 1_300_000, 70_000, 5, 40_000, 2_097_152, 10, 3_500_001, 20, 0];
  const attachments = (): PdfAttachment[] =>
    sizes.map((size, i) => {
      const bytes = Buffer.from(Array.from({ length: size }, (_, k) => ((k * 7 + i) % 61 < 50 ? 'a' : String.fromCharCode(48 + ((k * 13) % 40)))).join(''));
      if (i % 2 === 0) return { name: `evidence/${i}.json`, content: bytes, relationship: 'Source', description: '' };
      const file = path.join(dir, `body-${i}.json`);
      writeFileSync(file, bytes);
      return { name: `evidence/${i}.json`, content: { file, size, sha256: sha256(bytes) }, relationship: 'Source', description: '' };
    });

  it('gives, in the thread, the same size, MD5 and deflated body as on the main thread', async () => {
    const list = attachments();
    for (const compress of [true, false]) {
      // In-memory bodies handed over one at a time (a bound of one byte): each take hands over the next.
      const inThread = prepareBodies(list, compress, { threadBytes: 0, copiedAheadBytes: compress ? 1 : Number.POSITIVE_INFINITY });
      const here = prepareBodies(list, compress, { threadBytes: Number.POSITIVE_INFINITY });
      try {
        for (const index of list.keys()) {
          const [a, b] = [await inThread.take(index), await here.take(index)];
          expect({ size: a.size, md5: a.md5, length: a.length }).toEqual({ size: b.size, md5: b.md5, length: b.length });
          const body = Buffer.concat([...a.pieces()]);
          expect(body.equals(Buffer.concat([...b.pieces()]))).toBe(true);
          expect(body.length).toBe(a.length);
          // Read back a megabyte at a time: a body past it comes in pieces.
          expect([...a.pieces()].map((p) => p.length)).toEqual(a.length > 1 << 20 ? expect.arrayContaining([1 << 20]) : a.length === 0 ? [] : [a.length]);
          expect(a.size).toBe(sizes[index]);
          expect(a.md5).toBe(createHash('md5').update(attachmentBytes(list[index]!)).digest('hex'));
        }
      } finally {
        await inThread.close();
      }
    }
  });

  it('refuses a staged file whose bytes are not the ones the staging recorded, in the thread and on the main thread, naming it', async () => {
    const file = path.join(dir, 'changed.json');
    writeFileSync(file, '{"changed":true}');
    const changed: PdfAttachment = {
      name: 'evidence/changed.json',
      content: { file, size: 16, sha256: sha256('{"sealed":true}') },
      relationship: 'Source',
      description: '',
    };
    for (const threadBytes of [0, Number.POSITIVE_INFINITY]) {
      const bodies = prepareBodies([changed], true, { threadBytes });
      try {
        await expect(bodies.take(0)).rejects.toMatchObject({
          code: 'RENDER_FAILED',
          file,
          message:
            'the PDF could not attach evidence/changed.json: its bytes changed in the staging folder since they were written there (another SHA-256 than recorded)',
        });
      } finally {
        await bodies.close();
      }
    }
  });

  it('fails the render with RENDER_FAILED naming a staged file the thread cannot read', async () => {
    const missing: PdfAttachment = {
      name: 'evidence/missing.json',
      content: { file: path.join(dir, 'no-such-file'), size: 1, sha256: sha256('x') },
      relationship: 'Source',
      description: '',
    };
    const bodies = prepareBodies([missing], true, { threadBytes: 0 });
    try {
      await expect(bodies.take(0)).rejects.toMatchObject({ code: 'RENDER_FAILED', message: expect.stringContaining('evidence/missing.json: ENOENT') });
    } finally {
      await bodies.close();
    }
    // On the main thread too the promise rejects (renderPdf then reports RENDER_FAILED): nothing is thrown out of take.
    let taken: Promise<unknown> | undefined;
    expect(() => (taken = prepareBodies([missing], true, { threadBytes: Number.POSITIVE_INFINITY }).take(0))).not.toThrow();
    await expect(taken).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('embedding, each body a piece at a time', () => {
  const CLOCK = new Date('2026-07-01T08:00:00Z');
  // A body of several read pieces (over a megabyte once deflated: incompressible), one of one, an empty one; staged and in memory.
  const bodies = (): PdfAttachment[] => {
    const staged = path.join(dir, 'pieces-large.bin');
    const large = randomBytes(2_500_000);
    writeFileSync(staged, large);
    return [
      { name: 'evidence/a-large.bin', content: { file: staged, size: 2_500_000, sha256: sha256(large) }, relationship: 'Source', description: 'Evidence file' },
      { name: 'evidence/b-small.json', content: Buffer.from('{"small":true}\n'), relationship: 'Source', description: '' },
      { name: 'evidence/c-empty.json', content: Buffer.alloc(0), relationship: 'Data', description: 'nothing' },
    ];
  };
  const draw = (doc: PDFKit.PDFDocument) => doc.text('attachments');

  async function withPdfkitFile(list: PdfAttachment[], compress: boolean): Promise<Buffer> {
    const doc = new PDFDocument({ info: { CreationDate: CLOCK }, compress });
    return collect(doc, () => {
      draw(doc);
      for (const a of list) {
        const bytes = a.content instanceof Uint8Array ? a.content : readFileSync(a.content.file);
        // pdfkit 0.20 takes the /AFRelationship as `relationship`; its type declarations do not list it.
        const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: string } = {
          name: a.name,
          type: mimeType(a.name),
          creationDate: CLOCK,
          modifiedDate: CLOCK,
          relationship: a.relationship,
          ...(a.description === '' ? {} : { description: a.description }),
        };
        doc.file(Buffer.from(bytes), options);
      }
    });
  }

  async function withAttachFiles(list: PdfAttachment[], compress: boolean, threadBytes: number): Promise<Buffer> {
    const doc = new PDFDocument({ info: { CreationDate: CLOCK }, compress });
    const prepared = prepareBodies(list, compress, { threadBytes });
    try {
      return await collect(doc, async () => {
        draw(doc);
        await attachFiles(doc, list, prepared, CLOCK);
      });
    } finally {
      await prepared.close();
    }
  }

  it.each([
    ['compressed', true],
    ['uncompressed', false],
  ])("writes exactly what pdfkit's own doc.file() writes, %s, prepared in the thread or here", async (_label, compress) => {
    // Uncompressed, pdfkit writes an empty file as a dictionary with no stream (below): compared without it.
    const list = bodies().filter((a) => compress || attachmentBytes(a).length > 0);
    const expected = await withPdfkitFile(list, compress);
    expect((await withAttachFiles(list, compress, 0)).equals(expected)).toBe(true);
    expect((await withAttachFiles(list, compress, Number.POSITIVE_INFINITY)).equals(expected)).toBe(true);
  });

  it('writes an empty file as an empty stream in an uncompressed document, where pdfkit writes a dictionary without one', async () => {
    const empty = bodies().filter((a) => attachmentBytes(a).length === 0);
    const ours = (await withAttachFiles(empty, false, Number.POSITIVE_INFINITY)).toString('latin1');
    expect(ours).toMatch(/\/Type \/EmbeddedFile[^]*?\/Length 0\n>>\nstream\n\nendstream\nendobj/);
    expect((await withPdfkitFile(empty, false)).toString('latin1')).not.toContain('stream\n\nendstream');
  });

  it("keeps the thread's bodies in a scratch file of its own (created, mode 0600), removed when done", async () => {
    const scratch = path.join(dir, 'render.pdf-attachments');
    const prepared = prepareBodies(bodies(), true, { threadBytes: 0, scratch });
    try {
      await prepared.take(0);
      expect(statSync(scratch).mode & 0o777).toBe(0o600);
      expect(statSync(scratch).size).toBeGreaterThan(2_500_000);
    } finally {
      await prepared.close();
    }
    expect(existsSync(scratch)).toBe(false);
    // Without a path: a folder of its own in the system's temporary folder, gone once done.
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('auditpack-pdf-'));
    const own = prepareBodies(bodies(), true, { threadBytes: 0 });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('auditpack-pdf-')).length).toBe(before.length + 1);
    await own.close();
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('auditpack-pdf-'))).toEqual(before);
  });

  it('refuses a scratch path that exists, naming it, and leaves that file as it was', () => {
    const taken = path.join(dir, 'taken.pdf-attachments');
    writeFileSync(taken, 'not mine');
    expect(() => prepareBodies(bodies(), true, { threadBytes: 0, scratch: taken })).toThrow(
      expect.objectContaining({ code: 'RENDER_FAILED', file: taken, message: expect.stringContaining(`${taken} could not be created`) }),
    );
    expect(readFileSync(taken, 'utf8')).toBe('not mine');
  });

  it('removes the scratch file when the render fails half-way, and writes no PDF', async () => {
    const scratch = path.join(dir, 'failing.pdf-attachments');
    const file = path.join(dir, 'failing.pdf');
    const gone: PdfAttachment = {
      name: 'evidence/gone.json',
      content: { file: path.join(dir, 'no-such'), size: THREAD_BYTES, sha256: sha256('') },
      relationship: 'Source',
      description: '',
    };
    await expect(writePdf(report, file, { attachments: [...bodies(), gone], scratch })).rejects.toMatchObject({ code: 'RENDER_FAILED' });
    expect(existsSync(scratch)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });
});

function attachmentBytes(a: PdfAttachment): Buffer {
  return a.content instanceof Uint8Array ? Buffer.from(a.content) : readFileSync(a.content.file);
}

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
