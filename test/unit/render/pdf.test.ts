import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EvidenceRef, Finding, Report, SubjectResult } from '../../../src/report/model.js';
import { renderPdf } from '../../../src/render/pdf.js';
import { fontPaths } from '../../../src/render/pdf/fonts.js';
import { createDocument, metadataText } from '../../../src/render/pdf/document.js';
import { visible, wrapMono } from '../../../src/render/pdf/text.js';
import { makeReport } from '../../fixtures/report.js';

/*
 * The PDF is checked the way an auditor's tools see it: poppler's pdftotext,
 * pdffonts and pdfinfo on a file written to disk. No test is skipped when
 * poppler is missing: the suite fails and says what to install.
 */

let dir: string;

beforeAll(() => {
  const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('poppler-utils is not installed (pdftotext, pdfinfo, pdffonts): run `apt-get install -y poppler-utils`');
  }
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-pdf-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function renderToFile(report: Report, name: string): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await renderPdf(report);
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** Runs a poppler tool; TZ fixed so that pdfinfo prints dates the same everywhere. */
function poppler(tool: string, ...args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
}

/** Text per page (pdftotext separates pages with a form feed). */
function pages(file: string, mode: '-layout' | '-raw' = '-layout'): string[] {
  const text = poppler('pdftotext', mode, file, '-');
  return text.split('\f').slice(0, -1);
}

/** True when a line of the page is exactly `text` (a heading), not just contains it. */
const hasLine = (page: string, text: string) => page.split('\n').some((line) => line.trim() === text);

/** Whitespace-free text: wrapped lines and layout columns must not hide a string. */
const squash = (s: string) => s.replace(/\s+/g, '');

function pageCount(file: string): number {
  const match = /^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', file));
  return Number(match?.[1]);
}

function info(file: string): Record<string, string> {
  const entries = poppler('pdfinfo', '-isodates', file)
    .split('\n')
    .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] ?? '', m[2] ?? ''] as const);
  return Object.fromEntries(entries);
}

/** The XMP packet; pdfkit writes it uncompressed. */
function xmpPacket(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const start = text.indexOf('<?xpacket begin');
  const end = text.indexOf('<?xpacket end');
  expect(start, 'XMP packet present').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, text.indexOf('?>', end) + 2);
}

/**
 * A strict well-formedness check for the XMP subset pdfkit writes: balanced
 * tags, quoted attributes, no bare `&` or `<` in text. (No XML parser is a
 * dependency of the project; this is enough to catch unescaped metadata.)
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*)\s*(\/?)>$/;
  for (const token of xml.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (token.startsWith('<?') || token.startsWith('<!--')) continue;
    if (token.startsWith('<')) {
      const m = tag.exec(token);
      if (!m) {
        problems.push(`bad tag ${token}`);
        continue;
      }
      const [, closing, name = '', , selfClosing] = m;
      if (closing) {
        if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
      } else if (!selfClosing) {
        stack.push(name);
      }
    } else if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(token)) {
      problems.push(`bare & in ${JSON.stringify(token.trim())}`);
    }
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
}

describe('renderPdf on the sample report', () => {
  const report = makeReport();
  let file: string;
  let bytes: Buffer;
  let layout: string[];
  let raw: string;

  beforeAll(async () => {
    ({ file, bytes } = await renderToFile(report, 'sample'));
    layout = pages(file);
    raw = squash(pages(file, '-raw').join('\n'));
  });

  it('is a PDF 1.7 marked PDF/A-3b', () => {
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const xmp = xmpPacket(bytes);
    expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmlProblems(xmp)).toEqual([]);
  });

  it('names the organisation, every image, each citation and the verdict', () => {
    const text = layout.join('\n');
    expect(text).toContain(report.run.organisation);
    for (const subject of report.subjects) expect(text).toContain(subject.id);
    for (const control of report.frameworks.flatMap((f) => f.controls)) expect(text).toContain(control.citation);
    expect(text).toMatch(/Overall verdict: FAIL/);
  });

  it('gives the exact period, generation time, generator and configuration digest', () => {
    const { period } = report.run;
    for (const s of [period.label, period.start, period.end, period.zone, report.run.generatedAt, 'auditpack 0.1.0']) {
      expect(layout[0]).toContain(s);
    }
    expect(raw).toContain(report.run.configSha256);
  });

  it('quotes every failed finding with its code, message and verbatim log lines', () => {
    const problems = report.findings.filter((f) => f.status !== 'pass');
    expect(problems.length).toBeGreaterThan(0);
    for (const finding of problems) {
      expect(raw).toContain(squash(finding.message));
      expect(raw).toContain(finding.code);
      for (const quote of finding.quotes ?? []) expect(raw).toContain(squash(quote));
    }
    expect(raw).not.toContain(squash('signature verified with key cosign-2026'));
  });

  it('shows statuses as words and coverage as "N of M images"', () => {
    const text = layout.join('\n');
    for (const word of ['VERIFIED', 'FAILED', 'PARTIALLY SUPPORTED', 'NOT ASSESSED', 'FAIL', 'PASS']) {
      expect(text).toContain(word);
    }
    // Exactly one evidence file is dated outside the period, and it is flagged.
    expect(raw.split('OUTOFPERIOD')).toHaveLength(2);
    expect(text).toContain('1 of 3 images');
    expect(text).toContain('PARTIAL — Shows integrity after signing.');
    expect(text).toContain('Not covered by this evidence');
    expect(text).toContain('The documented ICT security policy');
  });

  it('says that evidence supports clauses and never satisfies them', () => {
    expect(squash(layout[0] ?? '')).toContain(squash('supports clauses of the frameworks; it never satisfies them'));
  });

  it('lists trust material, the evidence inventory and input problems with full digests', () => {
    expect(raw).toContain(report.trust.keys[0]?.fingerprint);
    expect(raw).toContain(report.trust.trustedRoot?.sha256);
    for (const e of report.evidence) {
      expect(raw).toContain(e.sha256);
      expect(raw).toContain(e.source);
    }
    for (const p of report.problems) {
      expect(raw).toContain(squash(p.reason));
      expect(raw).toContain(p.file);
      expect(raw).toContain(p.code);
    }
  });

  it('puts sections in reading order, each with a bookmark, and ends with how to verify', () => {
    const sections = [
      'Executive summary',
      'Images',
      'Failed and errored findings',
      'Frameworks and controls',
      'Trust material',
      'Evidence inventory',
      'Input problems',
      'How to verify this bundle',
    ];
    const firstPage = sections.map((title) => layout.findIndex((page) => hasLine(page, title)));
    expect(firstPage.every((p) => p >= 0)).toBe(true);
    expect([...firstPage].sort((a, b) => a - b)).toEqual(firstPage);
    const pdf = bytes.toString('latin1');
    expect(pdf).toContain('/Outlines');
    for (const title of sections) expect(pdf).toContain(`/Title (${title})`);
    expect(layout.at(-1)).toContain('auditpack verify <bundle>');
  });

  it('has the running header and "Page N of M" on every page', () => {
    const total = pageCount(file);
    expect(layout).toHaveLength(total);
    layout.forEach((page, i) => {
      expect(page).toContain(`auditpack — ${report.run.organisation} — ${report.run.period.label}`);
      expect(page).toContain(`Page ${i + 1} of ${total}`);
    });
  });

  it('embeds every font and uses no standard font', () => {
    const rows = poppler('pdffonts', file).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row).toMatch(/DejaVuSans/);
      expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    }
    expect(poppler('pdffonts', file)).not.toMatch(/Helvetica|Times|Courier/);
  });

  it('carries the title and the report’s creation date, and no modification date', () => {
    const meta = info(file);
    expect(meta.Title).toBe('Supply-chain evidence audit report — Example Bank ‹Ops ＆ Risk› — 2026-Q2');
    expect(meta.CreationDate).toBe('2026-07-01T08:00:00Z');
    expect(meta.Creator).toBe('auditpack 0.1.0');
    expect(meta.Producer).toBe('auditpack');
    expect(meta['PDF version']).toBe('1.7');
    expect(meta.ModDate).toBeUndefined();
    expect(xmpPacket(bytes)).toContain(`<rdf:li xml:lang="x-default">${meta.Title}</rdf:li>`);
  });

  it('keeps every word inside the page margins', () => {
    expect(wordsOutsideMargins(file)).toEqual([]);
  });
});

/** Words whose box crosses the left or right margin (50 pt), from pdftotext -bbox. */
function wordsOutsideMargins(file: string): string[] {
  const html = poppler('pdftotext', '-bbox', file, '-');
  const width = Number(/<page width="([\d.]+)"/.exec(html)?.[1]);
  const outside: string[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
    if (Number(m[1]) < 49 || Number(m[2]) > width - 49) outside.push(m[3] ?? '');
  }
  return outside;
}

describe('renderPdf determinism', () => {
  it('gives identical bytes for the same report, whatever the process time zone', async () => {
    const first = await renderPdf(makeReport());
    const second = await renderPdf(makeReport());
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const third = await renderPdf(makeReport());
      expect(third.equals(first)).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(second.equals(first)).toBe(true);
  });

  it('changes when the report changes', async () => {
    const other = makeReport();
    other.run.generatedAt = '2026-07-02T08:00:00.000Z';
    expect((await renderPdf(other)).equals(await renderPdf(makeReport()))).toBe(false);
  });
});

describe('renderPdf with hostile and awkward text', () => {
  const longToken = `pkg:oci/${'x'.repeat(40)}@sha256:${'ab'.repeat(32)}?repository_url=${'registry.example/'.repeat(8)}`;

  function hostileReport(): Report {
    const report = makeReport();
    report.run.organisation = 'Zoë Ωmega <Bank> & "R&D" Сбер 中文';
    report.generator.version = '0.1.0 <dev> & co';
    const subject = report.subjects[1] as SubjectResult;
    subject.id = 'notebook-<&>-Ωmega';
    subject.headlines = [`<script>alert(1)</script> & ${longToken}`];
    const finding = report.findings[1] as Finding;
    finding.subject = subject.id;
    finding.message = `missing </rdf:li> & signature for ${longToken}`;
    finding.quotes = ['\u001b[31mERROR\u001b[0m\tcosign: <no signature> & exit 0', 'ünïcödé ✓ → “quoted”'];
    finding.details = { purl: longToken };
    (report.evidence[0] as EvidenceRef).source = `evidence/${'deep/'.repeat(30)}signature.jsonl`;
    return report;
  }

  it('still reads back, with well-formed XMP metadata that matches the Info title', async () => {
    const report = hostileReport();
    const { file, bytes } = await renderToFile(report, 'hostile');
    const text = pages(file).join('\n');
    expect(text).toContain('Zoë Ωmega <Bank> & "R&D" Сбер');
    expect(text).toContain('notebook-<&>-Ωmega');
    const raw = squash(pages(file, '-raw').join('\n'));
    expect(raw).toContain(squash(`missing </rdf:li> & signature for ${longToken}`));
    expect(raw).toContain(squash(longToken));
    expect(raw).toContain(squash('ünïcödé ✓ → “quoted”'));
    // Control characters are shown as control pictures, the tab as spaces.
    expect(raw).toContain(squash('\\x1b[31mERROR\\x1b[0m cosign: <no signature> & exit 0'));
    expect(raw).toContain(squash('control characters are shown as \\xNN'));

    const xmp = xmpPacket(bytes);
    expect(xmlProblems(xmp)).toEqual([]);
    const meta = info(file);
    expect(meta.Title).toContain('Zoë Ωmega ‹Bank› ＆ "R＆D" Сбер 中文');
    expect(meta.Creator).toBe('auditpack 0.1.0 ‹dev› ＆ co');
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${meta.Title}</rdf:li>`);
  });

  it('wraps long tokens instead of running off the page', async () => {
    const { file } = await renderToFile(hostileReport(), 'hostile-wrap');
    expect(wordsOutsideMargins(file)).toEqual([]);
  });

  it('shortens an organisation too long for the running header instead of wrapping it', async () => {
    const report = makeReport();
    report.run.organisation = `Very Long Organisation Name ${'Holding '.repeat(30)}AG`;
    const { file } = await renderToFile(report, 'long-org');
    for (const page of pages(file)) expect(page).toMatch(/auditpack — Very Long Organisation Name Holding.*…/);
    expect(wordsOutsideMargins(file)).toEqual([]);
  });

  it('the XMP check itself rejects what pdfkit writes for unescaped metadata', () => {
    expect(xmlProblems('<x:a><rdf:li>R&D <Q1> report</rdf:li></x:a>')).not.toEqual([]);
    expect(xmlProblems('<x:a><rdf:li a="1">R&amp;D</rdf:li><b/></x:a>')).toEqual([]);
  });
});

describe('renderPdf edge cases', () => {
  it('renders a report with nothing in it, saying so in words', async () => {
    const report = makeReport();
    Object.assign(report, { subjects: [], findings: [], frameworks: [], evidence: [], problems: [] });
    report.run.frameworks = [];
    report.trust = { keys: [] };
    const { file } = await renderToFile(report, 'empty');
    const text = squash(pages(file).join('\n'));
    for (const s of [
      'No images were in scope.',
      'No check failed or errored.',
      'No framework was selected for this run.',
      'No public key was configured.',
      'No problems were found while reading the inputs.',
    ]) {
      expect(text).toContain(squash(s));
    }
  });

  it('cuts a table cell taller than a page, says so, and keeps the rest of the table', async () => {
    const report = makeReport();
    const huge = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    report.problems = [
      { code: 'EVIDENCE_MALFORMED', file: 'evidence/huge.json', reason: huge },
      { code: 'EVIDENCE_MALFORMED', file: 'evidence/after.json', reason: 'still listed' },
    ];
    const warn = vi.spyOn(console, 'warn');
    try {
      const { file } = await renderToFile(report, 'huge-cell');
      const text = squash(pages(file, '-raw').join('\n'));
      expect(text).toContain(squash('more characters cut here; the full text is in report.json'));
      expect(text).toContain('evidence/after.json');
      expect(text).toContain('stilllisted');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('lets a long message flow over pages in full', async () => {
    const report = makeReport();
    const long = Array.from({ length: 4000 }, (_, i) => `w${i}`).join(' ');
    (report.findings[1] as Finding).message = long;
    const { file } = await renderToFile(report, 'long-message');
    // Without the running header and footer, which pdftotext puts between the pages' text.
    const furniture = /^(auditpack — .* — 2026-Q2|Page \d+ of \d+)$/;
    const body = pages(file, '-raw').flatMap((page) => page.split('\n').filter((line) => !furniture.test(line)));
    expect(pageCount(file)).toBeGreaterThan(3);
    expect(squash(body.join('\n')).includes(squash(long))).toBe(true);
  });

  it('shows a waiver next to a failure it leaves failing, and why a control has its status', async () => {
    const report = makeReport();
    const failing = report.findings[1] as Finding;
    failing.waiver = { id: 'W-2026-07', expires: '2026-09-30', inForce: true };
    const control = report.frameworks[0]?.controls[0];
    if (!control) throw new Error('fixture has no control');
    control.statusReason = 'one of three images lacks a signature';
    const { file } = await renderToFile(report, 'waiver');
    const text = squash(pages(file, '-raw').join('\n'));
    expect(text).toContain(squash('FAIL Image signature verifies with a trusted key'));
    expect(text).toContain(squash('WAIVED by W-2026-07 until 2026-09-30 (in force). Still counted as a failure.'));
    expect(text).toContain(squash('Why: one of three images lacks a signature'));
  });

  it('fails with RENDER_FAILED when the run has no valid clock', async () => {
    const report = makeReport();
    report.run.generatedAt = 'yesterday';
    await expect(renderPdf(report)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
  });
});

describe('renderPdf at scale', () => {
  // Rendering takes a few seconds; most of this test's time is pdftotext.
  it('renders 2,000 evidence rows, 1,000 images and 500 failed findings, repeating table headers', async () => {
    const report = makeReport();
    const template = report.evidence[1] as EvidenceRef;
    report.evidence = Array.from({ length: 2000 }, (_, i) => ({
      ...template,
      sha256: i.toString(16).padStart(64, '0'),
      source: `evidence/image-${i}/attestation-${i}.jsonl`,
      path: `evidence/${i}.jsonl`,
    }));
    const failing = report.findings[1] as Finding;
    report.findings = Array.from({ length: 500 }, (_, i) => ({
      ...failing,
      id: `signature.verified:image-${i % 1000}-${i}`,
      subject: `image-${i % 1000}`,
      message: `no signature for sha256:${i.toString(16).padStart(64, 'b')}`,
    }));
    report.subjects = Array.from({ length: 1000 }, (_, i) => ({
      id: `image-${i}`,
      ref: `registry.example/app/image-${i}:1.0`,
      digest: `sha256:${i.toString(16).padStart(64, 'a')}`,
      status: 'failed' as const,
      headlines: ['pipeline green, no signature'],
    }));

    const { file } = await renderToFile(report, 'large');
    expect(pageCount(file)).toBeGreaterThan(10);
    const raw = pages(file, '-raw');
    const images = raw.findIndex((p) => hasLine(p, 'Images'));
    const findings = raw.findIndex((p) => hasLine(p, 'Failed and errored findings'));
    const evidence = raw.findIndex((p) => hasLine(p, 'Evidence inventory'));
    const problems = raw.findIndex((p) => hasLine(p, 'Input problems'));
    expect(findings - images).toBeGreaterThan(10);
    expect(problems - evidence).toBeGreaterThan(10);
    for (const page of raw.slice(images, findings)) expect(page).toMatch(/^Image Digest Status What is wrong$/m);
    for (const page of raw.slice(evidence, problems)) expect(page).toMatch(/^Kind Source SHA-256 Dated$/m);
    const text = squash(raw.join('\n'));
    expect(text).toContain(squash('evidence/image-1999/attestation-1999.jsonl'));
    expect(text).toContain(`${(1999).toString(16).padStart(64, '0')}`);
    expect(text).toContain(`sha256:${(499).toString(16).padStart(64, 'b')}`);
  }, 120_000);
});

describe('text helpers', () => {
  it('shows control characters as \\xNN and expands tabs to 8-column stops', () => {
    expect(visible('\u001b[0m\tx\u007f')).toBe('\\x1b[0m x\\x7f');
    expect(visible('ab\tc\td')).toBe(`ab${' '.repeat(6)}c${' '.repeat(7)}d`);
    expect(visible('a\r\nb', true)).toBe('a\nb');
    expect(visible('a\nb')).toBe('a\\x0ab');
    expect(visible('\ud800 ok')).toBe('\ufffd ok');
  });

  it('keeps metadata free of XML markup and control characters', () => {
    expect(metadataText('R&D <Q1>\u0007 "x"')).toBe('R＆D ‹Q1›  "x"');
  });

  it('wraps monospaced text like a terminal: every character kept, no line too long', () => {
    const doc = createDocument(makeReport());
    const width = 100;
    const line = `Error: signing [registry/${'a'.repeat(150)}]:   PUT https://x/${'b'.repeat(40)} done`;
    const wrapped = wrapMono(doc, line, width, 8);
    const perLine = Math.floor((width - 0.5) / doc.font(fontPaths().mono).fontSize(8).widthOfString('0'));
    for (const l of wrapped.split('\n')) expect(Array.from(l).length).toBeLessThan(perLine);
    expect(squash(wrapped)).toBe(squash(line));
    expect(wrapMono(doc, 'sha256:0123456789ab…', width, 8)).toBe('sha256:0123456789ab…');
  });
});

describe('pdfkit internals the renderer relies on', () => {
  it('empties the font layout cache on each new page (memory stays bounded to one page)', () => {
    type Internals = { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> };
    const doc = createDocument(makeReport());
    doc.text('a-word-seen-once');
    const caches = () => Object.values((doc as unknown as Internals)._fontFamilies).map((f) => f.layoutCache);
    expect(caches().some((c) => c !== undefined && Object.keys(c).length > 0)).toBe(true);
    doc.addPage();
    expect(caches().every((c) => c !== undefined && Object.keys(c).length === 0)).toBe(true);
  });
});
