import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  ClaimCheck,
  CrosswalkRow,
  EvidenceRef,
  Finding,
  ManualEvidence,
  Report,
  SbomEntry,
  SubjectResult,
  WaiverRecord,
} from '../../../src/report/model.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { renderPdf } from '../../../src/render/pdf.js';
import { fontPaths } from '../../../src/render/pdf/fonts.js';
import {
  LAYOUT_CACHE_CHECK_PAGES,
  LAYOUT_CACHE_LONGEST_WORD,
  LAYOUT_CACHE_WORDS,
  collect,
  createDocument,
  joinContent,
  metadataText,
} from '../../../src/render/pdf/document.js';
import { visible, wrapMono } from '../../../src/render/pdf/text.js';
import { makeReport } from '../../fixtures/report.js';
import { collectGarbage } from '../../helpers/gc.js';
import { LONG_PURL, emptyReport, largeReport, sbomReport, schema11Report } from '../../fixtures/report-shapes.js';
import { hasLine, info, pageCount, pages, pagesOf, poppler, requirePoppler, squash, wordsOutsideMargins, xmlProblems, xmpPacket } from './poppler.js';

/*
 * How the PDF lays out the report document: PDF/A, fonts, metadata, the
 * printed contents, bookmarks and links, page furniture, margins, hostile
 * text and scale. What the document says is tested in document.test.ts.
 */

let dir: string;

beforeAll(() => {
  requirePoppler();
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-pdf-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function renderToFile(report: Report, name: string, locale: 'en' | 'fr' = 'en'): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await renderPdf(report, { locale });
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/**
 * What is wrong with the file's parent tree (qpdf's JSON of its objects): for
 * every page, each marked-content id the tree lists must lead to a structure
 * element whose /K holds that id on that page; for every link annotation, its
 * /StructParent to an element whose /K holds the annotation (OBJR).
 */
function parentTreeProblems(file: string): string[] {
  type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
  type Dict = Record<string, Value>;
  const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 })) as {
    qpdf: [unknown, Record<string, { value?: Value; stream?: { dict: Dict } }>];
  };
  const objects = json.qpdf[1];
  const dict = (ref: Value | undefined): Dict => {
    const object = typeof ref === 'string' ? objects[`obj:${ref}`] : undefined;
    const value = object?.value ?? object?.stream?.dict;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  };
  const all = Object.keys(objects).map((name) => ({ ref: name.replace(/^obj:/, ''), value: dict(name.replace(/^obj:/, '')) }));
  const root = all.find((o) => o.value['/Type'] === '/StructTreeRoot')?.value;
  const tree = root?.['/ParentTree'];
  const nums = (typeof tree === 'string' ? dict(tree) : (tree as Dict | undefined))?.['/Nums'];
  if (!Array.isArray(nums)) return ['no /ParentTree /Nums'];
  const entries = new Map<number, Value>();
  for (let i = 0; i + 1 < nums.length; i += 2) entries.set(nums[i] as number, nums[i + 1] as Value);
  const kids = (element: Dict): Value[] => {
    const k = element['/K'];
    return Array.isArray(k) ? k : k === undefined ? [] : [k];
  };
  const holdsMark = (element: Dict, page: string, mcid: number) =>
    kids(element).some(
      (k) => (k === mcid && element['/Pg'] === page) || (typeof k === 'object' && k !== null && !Array.isArray(k) && k['/MCID'] === mcid && k['/Pg'] === page),
    );
  const problems: string[] = [];
  for (const { ref, value } of all) {
    if (value['/Type'] === '/Page' && typeof value['/StructParents'] === 'number') {
      const marks = entries.get(value['/StructParents']);
      if (!Array.isArray(marks)) problems.push(`page ${ref}: no array in the parent tree`);
      else
        marks.forEach((element, mcid) => {
          if (element !== null && !holdsMark(dict(element), ref, mcid)) problems.push(`page ${ref} MCID ${mcid}: ${JSON.stringify(element)} does not hold it`);
        });
    }
    if (value['/Subtype'] === '/Link' && typeof value['/StructParent'] === 'number') {
      const element = dict(entries.get(value['/StructParent']));
      const holds = kids(element).some((k) => typeof k === 'object' && k !== null && !Array.isArray(k) && k['/Type'] === '/OBJR' && k['/Obj'] === ref);
      if (!holds) problems.push(`link ${ref}: its element does not hold it`);
    }
  }
  return problems;
}

/** Named destinations the PDF defines, and those its GoTo actions (links, contents entries) go to. */
function destinations(bytes: Buffer): { defined: Set<string>; linked: string[] } {
  const pdf = bytes.toString('latin1');
  const linked = [...pdf.matchAll(/\/S \/GoTo\s*\/D \(([^)]*)\)/g)].map((m) => m[1] ?? '');
  const names = pdf.slice(pdf.indexOf('/Dests <<'));
  const defined = new Set([...names.slice(0, names.indexOf('>>')).matchAll(/\(([^)]*)\) \[\d+ 0 R \/XYZ/g)].map((m) => m[1] ?? ''));
  return { defined, linked };
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

  it('reads in 30 seconds on page 1: organisation, period, verdict, each image with its status and reason, scope', () => {
    const first = layout[0] ?? '';
    for (const s of ['Example Bank <Ops & Risk>', '2026-Q2: 1 April 2026 to 30 June 2026 inclusive (UTC)', 'Overall verdict: FAIL', 'Scope and limitations']) {
      expect(first).toContain(s);
    }
    for (const subject of report.subjects) expect(first).toContain(subject.id);
    expect(squash(first)).toContain(squash('Image signature: expected evidence was not found (waived: W-1)'));
    expect(squash(first)).toContain(squash('NOT sealed'));
  });

  it('names every citation, quotes every failed finding with its code and verbatim lines, and shows statuses as words', () => {
    for (const control of report.frameworks.flatMap((f) => f.controls)) expect(raw).toContain(squash(control.citation));
    for (const finding of report.findings.filter((f) => f.status !== 'pass')) {
      expect(raw).toContain(squash(finding.message));
      expect(raw).toContain(finding.code);
      for (const quote of finding.quotes ?? []) expect(raw).toContain(squash(quote));
    }
    const text = layout.join('\n');
    for (const word of ['VERIFIED', 'FAILED', 'Partially supported by evidence', 'Not assessed', 'FAIL']) expect(text).toContain(word);
    expect(raw.split('OUTSIDETHEPERIOD')).toHaveLength(2);
  });

  it('prints the contents on page 2, each entry with the page its section starts on', () => {
    const contents = layout[1] ?? '';
    expect(contents).toMatch(/^\s*Contents$/m);
    for (const title of [
      'Faults and their evidence',
      'Citation check',
      'Waivers',
      'Evidence per image',
      'Frameworks and controls',
      'Sign-off',
      'Appendix A: clause texts',
      'Appendix B: evidence inventory',
    ]) {
      const entry = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s{2,}(\\d+)$`, 'm').exec(contents);
      expect(entry, title).not.toBeNull();
      expect(hasLine(layout[Number(entry?.[1]) - 1] ?? '', title), `${title} on page ${entry?.[1]}`).toBe(true);
    }
  });

  it('has a bookmark for each section and each image with a fault, and links that all land on a destination', () => {
    const pdf = bytes.toString('latin1');
    expect(pdf).toContain('/Outlines');
    for (const title of ['Contents', 'Faults and their evidence', 'Sign-off', 'Appendix B: evidence inventory', 'notebook  FAILED', 'mcp  FAILED']) {
      expect(pdf).toContain(`/Title (${title})`);
    }
    const { defined, linked } = destinations(bytes);
    expect(linked.length).toBeGreaterThan(10);
    for (const target of linked) expect(defined, target).toContain(target);
    for (const anchor of ['summary', 'contents', 'findings', 'signoff', 'image-notebook', 'issues-mcp', `evidence-${'2'.repeat(64)}`])
      expect(defined).toContain(anchor);
  });

  it('has the running header and "Page N of M" on every page, and ends with a sign-off page of its own', () => {
    const total = pageCount(file);
    expect(layout).toHaveLength(total);
    layout.forEach((page, i) => {
      expect(page).toContain(`auditpack — ${report.run.organisation} — ${report.run.period.label}`);
      expect(page).toContain(`Page ${i + 1} of ${total}`);
    });
    const signoff = layout.findIndex((page) => hasLine(page, 'Sign-off'));
    expect(signoff, 'the last page').toBe(layout.length - 1);
    expect(layout[signoff]).toMatch(/Prepared by[^]*Reviewed by[^]*Approved by/);
    expect(
      hasLine(layout[signoff - 1] ?? '', 'Appendix C: how to verify, and what produced this report') || layout[signoff - 1]?.includes('Clock of the run'),
    ).toBe(true);
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

describe('renderPdf in French', () => {
  it('writes the furniture, the contents and the metadata in French', async () => {
    const { file } = await renderToFile(makeReport(), 'french', 'fr');
    const layout = pages(file);
    layout.forEach((page, i) => expect(page).toContain(`Page ${i + 1} sur ${layout.length}`));
    expect(layout[1]).toMatch(/^\s*Sommaire$/m);
    expect(info(file).Title).toBe('Rapport d’audit des preuves de la chaîne d’approvisionnement logicielle — Example Bank ‹Ops ＆ Risk› — 2026-Q2');
    expect(layout[0]).toContain('Verdict global : NON CONFORME');
  });
});

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

  it('changes when the report or the locale changes', async () => {
    const other = makeReport();
    other.run.generatedAt = '2026-07-02T08:00:00.000Z';
    const base = await renderPdf(makeReport());
    expect((await renderPdf(other)).equals(base)).toBe(false);
    expect((await renderPdf(makeReport(), { locale: 'fr' })).equals(base)).toBe(false);
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
    const finding = report.findings[1] as Finding;
    finding.subject = subject.id;
    finding.message = `missing </rdf:li> & signature for ${longToken}`;
    finding.quotes = ['\u001b[31mERROR\u001b[0m\tcosign: <no signature> & exit 0', 'ünïcödé ✓ → “quoted”'];
    finding.details = { purl: longToken };
    (report.evidence[0] as EvidenceRef).source = `evidence/${'deep/'.repeat(30)}signature.jsonl`;
    return report;
  }

  it('still reads back, with well-formed XMP metadata that matches the Info title', async () => {
    const { file, bytes } = await renderToFile(hostileReport(), 'hostile');
    const text = pages(file).join('\n');
    expect(text).toContain('Zoë Ωmega <Bank> & "R&D" Сбер');
    expect(text).toContain('notebook-<&>-Ωmega');
    const raw = squash(pages(file, '-raw').join('\n'));
    expect(raw).toContain(squash(`missing </rdf:li> & signature for ${longToken}`));
    expect(raw).toContain(squash('ünïcödé ✓ → “quoted”'));
    // Control characters are shown as \xNN, the tab as spaces, and the reader is told so.
    expect(raw).toContain(squash('\\x1b[31mERROR\\x1b[0m cosign: <no signature> & exit 0'));
    expect(raw).toContain(squash('control characters shown as \\xNN'));
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

  it('still extracts every schema 1.1 field made hostile, with well-formed XMP, in the margins, deterministically', async () => {
    const evil = (what: string) => `${what} </rdf:li> & <x:xmpmeta> "q" \u0007bell\ttab ✓ Ωmega`;
    const report = schema11Report();
    const claim = report.claims[0] as ClaimCheck;
    claim.claimed = evil('claimed');
    claim.reason = evil('reason');
    claim.actually = evil('actually');
    const waiver = report.waivers[0] as WaiverRecord;
    waiver.justification = evil('justification');
    waiver.scope.image = evil('image');
    const statement = report.manualEvidence[0] as ManualEvidence;
    statement.statement = evil('statement');
    statement.givenBy = evil('givenBy');
    const control = report.frameworks[0]?.controls[0];
    if (control === undefined) throw new Error('fixture changed');
    control.waivedSubjects = [evil('subject')];
    (report.crosswalk[0] as CrosswalkRow).checkTitle = evil('checkTitle');
    report.run.profile = [evil('profile')];

    const { file, bytes } = await renderToFile(report, 'hostile-1.1');
    const text = squash(pages(file, '-raw').join('\n'));
    for (const what of ['claimed', 'reason', 'actually', 'justification', 'image', 'statement', 'givenBy', 'subject', 'checkTitle', 'profile']) {
      expect(text, what).toContain(squash(`${what} </rdf:li> & <x:xmpmeta> "q" \\x07bell`));
    }
    expect(xmlProblems(xmpPacket(bytes))).toEqual([]);
    expect(wordsOutsideMargins(file)).toEqual([]);
    expect((await renderPdf(report)).equals(bytes)).toBe(true);
  });

  it('shows every SBOM field made hostile, its control characters escaped, in the margins', async () => {
    const evil = (what: string) => `${what} </rdf:li> & <x:xmpmeta> "q" \u0007bell\ttab ✓ Ωmega`;
    const report = sbomReport();
    const entry = report.sboms.entries[0] as SbomEntry;
    entry.subject = evil('subject');
    entry.specVersion = evil('specVersion');
    entry.grade = evil('grade');
    entry.fields = [{ id: evil('field'), framework: 'ntia', label: 'x', requirement: 'x', percent: 1 }];
    entry.byEcosystem = { [evil('ecosystem')]: 2 };
    entry.licences.top = [{ licence: evil('licence'), components: 3 }];
    entry.copyleft = { [evil('copyleftKind')]: 4 };
    entry.weakens = [evil('citation')];
    report.sboms.estate.shared = [{ component: evil(`component ${LONG_PURL}`), images: [evil('image')] }];

    const { file } = await renderToFile(report, 'hostile-sbom');
    const text = squash(pagesOf(pages(file, '-raw'), 'SBOM quality and inventory', 'Frameworks and controls'));
    for (const what of ['subject', 'specVersion', 'grade', 'field', 'ecosystem', 'licence', 'copyleftKind', 'citation', 'image']) {
      expect(text, what).toContain(squash(`${what} </rdf:li> & <x:xmpmeta> "q" \\x07bell`));
    }
    expect(text).toContain(squash(`component ${LONG_PURL}`));
    expect(text).not.toContain('\u0007');
    expect(wordsOutsideMargins(file)).toEqual([]);
  });
});

describe('renderPdf with characters the fonts have no glyph for', () => {
  it('shows CJK and emoji in evidence strings as <U+XXXX>, never as an empty box, with the DejaVu fonts only', async () => {
    const report = makeReport();
    const subject = report.subjects[1] as SubjectResult;
    subject.id = '数据-服务';
    for (const f of report.findings) if (f.subject === 'notebook') f.subject = subject.id;
    (report.findings[1] as Finding).message = 'signing failed 🚀 for 数据';
    report.sboms.estate.shared = [{ component: 'pkg:npm/火箭@1.0.0 ✅', images: [subject.id] }];
    const { file } = await renderToFile(report, 'glyphs');
    const text = pages(file, '-raw').join('\n');
    expect(text).toContain('<U+6570><U+636E>-<U+670D><U+52A1>');
    expect(text).toContain('signing failed <U+1F680> for <U+6570><U+636E>');
    expect(squash(text)).toContain(squash('pkg:npm/<U+706B><U+7BAD>@1.0.0 <U+2705>'));
    // Nothing the fonts cannot draw reaches the page: no CJK, emoji or replacement character in the text layer.
    expect(text).not.toMatch(/[\u3000-\u9fff\uf900-\ufaff\ufffd\u2705]|[\u{1F000}-\u{1FAFF}]/u);
    for (const row of poppler('pdffonts', file).trim().split('\n').slice(2)) expect(row).toMatch(/DejaVuSans/);
  });

  it('keeps the characters themselves in the metadata, which readers show with their own fonts', async () => {
    const report = makeReport();
    report.run.organisation = '株式会社 🚀';
    const { file } = await renderToFile(report, 'glyphs-meta');
    expect(info(file).Title).toContain('株式会社 🚀');
  });
});

describe('renderPdf edge cases', () => {
  it('renders a report with nothing in it, saying so in words', async () => {
    const { file } = await renderToFile(emptyReport(), 'empty');
    const text = squash(pages(file).join('\n'));
    for (const s of ['No image was in scope.', 'No framework was selected for this run.', 'No public key was configured.']) expect(text).toContain(squash(s));
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
      expect(text).toContain(squash('[… cut here: the full text is in report.json]'));
      expect(text).toContain('evidence/after.json');
      expect(text).toContain('stilllisted');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('cuts a message taller than a page where it is cut, saying so, and keeps what follows', async () => {
    const report = makeReport();
    const long = Array.from({ length: 4000 }, (_, i) => `w${i}`).join(' ');
    (report.findings[1] as Finding).message = long;
    const { file } = await renderToFile(report, 'long-message');
    const text = squash(pages(file, '-raw').join('\n'));
    expect(text).toContain(squash(long.slice(0, 2000)));
    expect(text).not.toContain('w3999');
    expect(text).toContain(squash('[… cut here: the full text is in report.json]'));
    expect(text).toContain(squash('WARN: cosign sign failed; continuing <best-effort> & exit 0'));
    expect(wordsOutsideMargins(file)).toEqual([]);
  });

  it('fails with RENDER_FAILED when the run has no valid clock', async () => {
    const report = makeReport();
    report.run.generatedAt = 'yesterday';
    await expect(renderPdf(report)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
  });
});

describe('renderPdf at scale', () => {
  // Rendering takes a few seconds; most of this test's time is pdftotext.
  it('keeps page 1 to one page for 1,000 images, lists verified images one line each, and repeats table headers over 2,000 evidence rows', async () => {
    const report = largeReport(1000, 40);
    const template = report.evidence[1] as EvidenceRef;
    // Files a fault rests on: a large estate's PDF lists them in its inventory, whatever their number.
    report.evidence = Array.from({ length: 2000 }, (_, i) => ({
      ...template,
      subject: `img-${i % 40}`,
      sha256: i.toString(16).padStart(64, '0'),
      source: `evidence/image-${i}/attestation-${i}.jsonl`,
      path: `evidence/${i}.jsonl`,
    }));
    report.findings.forEach((f, i) => {
      if (i < 40) f.evidence = Array.from({ length: 50 }, (_, k) => (k * 40 + i).toString(16).padStart(64, '0'));
    });

    const { file } = await renderToFile(report, 'large');
    const raw = pages(file, '-raw');
    expect(raw[0]).toContain('980 more images in scope');
    expect(hasLine(raw[1] ?? '', 'Contents')).toBe(true);
    const attention = raw.findIndex((p) => hasLine(p, 'Images that need attention (40)'));
    const verified = raw.findIndex((p) => hasLine(p, 'Verified images (960)'));
    const sboms = raw.findIndex((p) => hasLine(p, 'SBOM quality and inventory'));
    const evidence = raw.findIndex((p) => hasLine(p, 'Appendix B: evidence inventory'));
    const verify = raw.findIndex((p) => hasLine(p, 'Appendix C: how to verify, and what produced this report'));
    expect(attention).toBeGreaterThan(1);
    // 960 one-line rows: about 65 to a page.
    expect(sboms - verified).toBeLessThanOrEqual(16);
    for (const page of raw.slice(verified + 1, sboms)) expect(page).toMatch(/^Image Digest Signature SBOM attestation Components Grade CI run, commit$/m);
    expect(raw.slice(verified, sboms + 1).join('\n')).toMatch(/^img-999 sha256:000000000000… verified not checked — — not checked$/m);
    expect(verify - evidence).toBeGreaterThan(10);
    for (const page of raw.slice(evidence + 1, verify)) expect(page).toMatch(/^File Kind SHA-256$/m);
    const text = squash(raw.join('\n'));
    expect(text).toContain(squash('evidence/image-1999/attestation-1999.jsonl'));
    expect(text).toContain((1999).toString(16).padStart(64, '0'));
    expect(text).toContain('nosignatureforimg-39');
    // The HTML folds a long table behind "Show all N rows"; on paper every row is printed, and the summary would read as an instruction.
    expect(raw.join('\n')).not.toMatch(/Show all [\d,]+ rows/);
    // The parent tree, whose entries of pages left are written from their numbers alone, still maps every mark and link to its element.
    expect(parentTreeProblems(file)).toEqual([]);
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
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
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
  it('joins the operators of a page as it is drawn (memory), and the page keeps all it drew', async () => {
    type Internals = { page: { content: { buffer?: Uint8Array[] } } };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    const bytes = await collect(doc, () => {
      // pdfkit opened the first page itself.
      for (let i = 0; i < 40; i++) doc.text(`line ${i}`, 50, 60 + i * 10, { lineBreak: false });
      const { content } = (doc as unknown as Internals).page;
      if (content.buffer === undefined) throw new Error('pdfkit no longer keeps a page content buffer');
      expect(content.buffer.length).toBeGreaterThan(256);
      joinContent(doc);
      expect(content.buffer).toHaveLength(1);
      doc.text('after the join', 50, 500, { lineBreak: false });
      joinContent(doc);
      expect(content.buffer.length).toBeGreaterThan(1);
    });
    const file = path.join(dir, 'joined.pdf');
    writeFileSync(file, bytes);
    const text = pages(file);
    expect(text[0]).toContain('line 39');
    expect(text[0]).toContain('after the join');
  });

  it('writes out a page body when the layout leaves the page (memory); what is drawn there later follows it, in order, in a second stream', async () => {
    type Page = { content: { buffer?: Uint8Array[]; offset?: number }; dictionary: { data: { Contents?: unknown } } };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    const page = () => (doc as unknown as { page: Page }).page;
    const bytes = await collect(doc, () => {
      doc.text('body of page one', 50, 60, { lineBreak: false });
      const first = page();
      const body = first.content;
      if (body.buffer === undefined || first.dictionary.data.Contents !== body) throw new Error('pdfkit no longer keeps a page content stream in Contents');
      expect(body.offset).toBeUndefined();
      doc.addPage();
      // Deflated and written: its buffer emptied, its place in the file known.
      expect(body.buffer).toHaveLength(0);
      expect(body.offset).toBeGreaterThan(0);
      expect(first.dictionary.data.Contents).toEqual([body, first.content]);
      // Left with nothing drawn by the layout: pdfkit's own first operator (the page's transform) is its body.
      doc.addPage();
      doc.text('body of page three', 50, 60, { lineBreak: false });
      doc.switchToPage(0);
      doc.text('stamped later on page one', 50, 400, { lineBreak: false });
      doc.switchToPage(1);
      doc.text('stamped later on page two', 50, 400, { lineBreak: false });
    });
    const file = path.join(dir, 'bodies.pdf');
    writeFileSync(file, bytes);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    const text = pages(file, '-raw');
    expect(text[0]).toMatch(/body of page one\s+stamped later on page one/);
    expect(text[1]).toContain('stamped later on page two');
    expect(text[2]).toContain('body of page three');
    const streams = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=pages', file], { encoding: 'utf8' })) as { pages: { contents: string[] }[] };
    expect(streams.pages.map((p) => p.contents.length)).toEqual([2, 2, 1]);
  });

  it("keeps only the numbers of a left page's structure elements in the parent tree (memory): an element written out is freed", async () => {
    type Tree = { _items: Record<number, unknown> };
    type Internals = { _root: { data: { StructTreeRoot?: { data: { ParentTree: Tree } } } }; page: { dictionary: { data: { StructParents?: number } } } };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    const internals = doc as unknown as Internals;
    let cell: WeakRef<object> | undefined;
    let written = '';
    const bytes = await collect(doc, async () => {
      const root = doc.struct('Document');
      doc.addStructure(root);
      const table = doc.struct('Table');
      root.add(table);
      // A row drawn and ended in a function of its own: nothing of it stays here but a weak reference to its cell.
      const key = (() => {
        const row = doc.struct('TR');
        table.add(row);
        doc.text('cell on page one', 50, 60, { lineBreak: false, structParent: row, structType: 'TD' } as PDFKit.Mixins.TextOptions);
        row.end();
        const page = internals.page.dictionary.data.StructParents;
        const tree = internals._root.data.StructTreeRoot?.data.ParentTree;
        const marks = page === undefined ? undefined : tree?._items[page];
        if (!Array.isArray(marks) || typeof marks[0] !== 'object')
          throw new Error("pdfkit no longer keeps the page's marks in StructTreeRoot.ParentTree._items[StructParents]");
        // Before the page is left: the cell element's own reference, with its dictionary.
        expect(marks[0]).toHaveProperty('data');
        cell = new WeakRef(marks[0] as object);
        written = String(marks[0]);
        return page as number;
      })();
      doc.addPage();
      const entry = (internals._root.data.StructTreeRoot?.data.ParentTree._items[key] as unknown[])[0];
      // The same reference as pdfkit writes it, and nothing more.
      expect(String(entry)).toBe(written);
      expect(written).toMatch(/^\d+ 0 R$/);
      expect(entry).not.toHaveProperty('data');
      // A WeakRef's target lives at least to the end of the job that made it.
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      expect(cell?.deref()).toBeUndefined();
      doc.text('page two', 50, 60, { lineBreak: false, structParent: table, structType: 'P' } as PDFKit.Mixins.TextOptions);
      table.end();
      root.end();
    });
    const file = path.join(dir, 'parent-tree.pdf');
    writeFileSync(file, bytes);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    expect(parentTreeProblems(file)).toEqual([]);
  });

  it('empties a font layout cache past LAYOUT_CACHE_WORDS words every LAYOUT_CACHE_CHECK_PAGES pages (memory stays bounded), and keeps a smaller one', () => {
    type Internals = { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    const fonts = () => Object.values((doc as unknown as Internals)._fontFamilies);
    const words = () => Object.keys(fonts()[0]?.layoutCache ?? {}).length;
    const pages = (n: number) => {
      for (let i = 0; i < n; i++) doc.addPage();
    };
    doc.text('a-word-seen-once');
    const [font] = fonts();
    if (font?.layoutCache === undefined) throw new Error('pdfkit no longer keeps a layoutCache per font');
    pages(LAYOUT_CACHE_CHECK_PAGES);
    expect(words()).toBeGreaterThan(0);
    for (let i = words(); i < LAYOUT_CACHE_WORDS; i++) font.layoutCache[`word-${i}`] = {};
    pages(LAYOUT_CACHE_CHECK_PAGES);
    expect(words()).toBe(LAYOUT_CACHE_WORDS);
    font.layoutCache['one-more'] = {};
    pages(LAYOUT_CACHE_CHECK_PAGES - 1);
    expect(words()).toBe(LAYOUT_CACHE_WORDS + 1);
    pages(1);
    expect(words()).toBe(0);
  });

  it('forgets the words longer than LAYOUT_CACHE_LONGEST_WORD at each count (a digest or a path is met once) and keeps the shorter ones', () => {
    type Internals = { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    const cached = () => Object.keys(Object.values((doc as unknown as Internals)._fontFamilies)[0]?.layoutCache ?? {});
    const long = `sha256:${'ab'.repeat(32)}`;
    const longest = 'x'.repeat(LAYOUT_CACHE_LONGEST_WORD);
    doc.text(`VERIFIED signed ${long} ${longest}`);
    for (let i = 0; i < LAYOUT_CACHE_CHECK_PAGES - 1; i++) doc.addPage();
    // pdfkit caches a word with the space after it.
    expect(cached()).toContain(`${long} `);
    doc.addPage();
    expect(cached()).not.toContain(`${long} `);
    expect(cached()).toEqual(expect.arrayContaining(['VERIFIED ', 'signed ', `${longest}`]));
  });
});
