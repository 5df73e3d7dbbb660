import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  ClaimCheck,
  ControlResult,
  CrosswalkRow,
  EvidenceRef,
  Finding,
  ManualEvidence,
  Report,
  SbomEntry,
  SubjectResult,
  WaiverRecord,
} from '../../../src/report/model.js';
const MANUAL_EVIDENCE_TITLE = UIStrings['section.manual'];
const SBOM_TITLE = UIStrings['section.sboms'];
const formatNumber = (n: number) => createI18n('en').decimal(n);
import { renderPdf } from '../../../src/render/pdf.js';
import { fontPaths } from '../../../src/render/pdf/fonts.js';
import { createDocument, metadataText } from '../../../src/render/pdf/document.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { createI18n } from '../../../src/report/i18n.js';
import { UIStrings } from '../../../src/report/ui-strings.js';
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
    expect(raw).toContain(squash('PARTIAL — Shows integrity after signing.'));
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
      'Citation check',
      'Images',
      'Failed and errored findings',
      'Waivers',
      SBOM_TITLE,
      'Frameworks and controls',
      'Crosswalk: checks and the controls they support',
      MANUAL_EVIDENCE_TITLE,
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
    expect(text).toContain(squash('WAIVED by W-2026-07 (expires 2026-09-30). Still counted as a failure.'));
    expect(text).toContain(squash('Why: one of three images lacks a signature'));
  });

  it('fails with RENDER_FAILED when the run has no valid clock', async () => {
    const report = makeReport();
    report.run.generatedAt = 'yesterday';
    await expect(renderPdf(report)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
  });
});

/** The pages of one section: from the page whose line is `title` up to (not including) the page of `next`. */
function section(pageTexts: readonly string[], title: string, next: string): string {
  const start = pageTexts.findIndex((page) => hasLine(page, title));
  const end = pageTexts.findIndex((page, i) => i > start && hasLine(page, next));
  expect(start, `section “${title}” present`).toBeGreaterThanOrEqual(0);
  expect(end, `section “${next}” after “${title}”`).toBeGreaterThan(start);
  return pageTexts.slice(start, end).join('\n');
}

const CROSSWALK_TITLE = 'Crosswalk: checks and the controls they support';

/**
 * The sample report with every schema 1.1 part in more than one shape: two
 * claims (imprecise and wrong), a waiver in force, an expired one and one
 * not yet started, a manual-only control with a French title, a second
 * framework, and checks in the crosswalk that support nothing somewhere.
 */
function schema11Report(): Report {
  const report = makeReport();
  report.run.profile = ['financial-entity', 'nis2-essential'];
  report.summary.waived = 2;
  report.claims.push({
    claimed: 'NIS2 Annex II',
    claimedMeaning: 'SBOM for essential entities',
    madeIn: 'docs/platform.md',
    verdict: 'wrong',
    actually: 'Annex II — other critical sectors',
    reason: 'Annex II lists sectors; it sets no SBOM requirement.',
    source: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
    instead: [
      {
        framework: 'nis2',
        control: 'nis2-21-2-d',
        citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)',
        title: 'Title',
        text: 'Text.',
        status: 'not-supported',
      },
      {
        framework: 'cra',
        control: 'cra-annex-i-ii-1',
        citation: 'Regulation (EU) 2024/2847, Annex I Part II(1)',
        title: 'Title',
        text: 'Text.',
        status: 'not-in-report',
      },
    ],
  });

  const failing = report.findings[2] as Finding; // attestation.binds-digest:mcp
  failing.waiver = { id: 'W-OLD', expires: '2026-03-31', inForce: false };
  report.findings.push({
    id: 'sbom.valid:mcp',
    checkId: 'sbom.valid',
    checkTitle: 'Attested SBOM is valid CycloneDX',
    subject: 'mcp',
    status: 'error',
    code: 'EVIDENCE_MALFORMED',
    waiver: { id: 'W-LATER', expires: '2026-12-31', inForce: false },
    message: 'the SBOM could not be parsed',
    details: {},
    evidence: [],
  });
  report.waivers.push(
    {
      id: 'W-OLD',
      scope: { image: 'mcp' },
      justification: 'Vendor fix pending',
      approver: 'Ann Smith',
      ticket: 'SEC-7',
      start: '2026-01-01',
      expires: '2026-03-31',
      inForce: false,
      expired: true,
      covers: [],
    },
    {
      id: 'W-LATER',
      scope: { check: 'sbom.valid', control: 'dora/dora-8-1' },
      justification: 'New SBOM tool from August',
      approver: 'Ann Smith',
      ticket: 'SEC-9',
      start: '2026-08-01',
      expires: '2026-12-31',
      inForce: false,
      expired: false,
      covers: [],
    },
  );

  const dora = report.frameworks[0];
  if (!dora) throw new Error('fixture has no framework');
  dora.controls.push({
    id: 'dora-5-2',
    citation: 'Regulation (EU) 2022/2554, Art. 5(2)',
    title: 'Governance and organisation',
    titleFr: 'Gouvernance et organisation — sécurité des réseaux et systèmes d’information',
    paraphrase: 'The management body is responsible for ICT risk.',
    source: 'https://eur-lex.europa.eu/eli/reg/2022/2554/oj',
    status: 'not-assessed',
    statusReason: 'no automated check can support this clause; see manual evidence',
    strength: null,
    manualOnly: true,
    coverage: { passed: 0, total: 3 },
    support: [],
    notCovered: ['Management body approval'],
    findings: [],
    waivedSubjects: [],
    manualEvidence: ['board-minutes-2026'],
  });
  report.frameworks.push({
    id: 'nis2',
    title: 'NIS2 Directive',
    version: 'Directive (EU) 2022/2555',
    source: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
    applicability: 'Essential and important entities',
    appliesTo: ['nis2-essential', 'nis2-important'],
    controls: [
      {
        id: 'nis2-21-2-d',
        citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)',
        title: 'Supply chain security',
        paraphrase: 'Security of the supply chain.',
        source: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
        status: 'not-supported',
        statusReason: 'the supporting check failed for 2 of 3 images',
        strength: 'partial',
        manualOnly: false,
        coverage: { passed: 1, total: 3 },
        support: [
          {
            checkId: 'attestation.binds-digest',
            checkTitle: 'SBOM attestation is bound to the image digest',
            strength: 'supporting',
            reasoning: 'Binds the SBOM.',
          },
        ],
        notCovered: ['Supplier contracts'],
        findings: ['attestation.binds-digest:mcp'],
        waivedSubjects: ['docs', 'notebook'],
        manualEvidence: [],
      },
    ],
  });
  report.run.frameworks.push('nis2');
  report.manualEvidence.push({
    id: 'board-minutes-2026',
    controls: ['dora/dora-5-2'],
    statement: 'The board approved the ICT risk framework on 2026-03-12',
    givenBy: 'Board secretary',
    givenAt: '2026-04-15',
    reference: 'Minutes BM-2026-03',
  });
  report.crosswalk.push(
    {
      checkId: 'attestation.binds-digest',
      checkTitle: 'SBOM attestation is bound to the image digest',
      controls: { nis2: [{ control: 'nis2-21-2-d', citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)', strength: 'supporting' }] },
    },
    {
      checkId: 'sbom.valid',
      checkTitle: 'Attested SBOM is valid CycloneDX',
      controls: { dora: [{ control: 'dora-8-1', citation: 'Regulation (EU) 2022/2554, Art. 8(1)', strength: 'partial' }] },
    },
  );
  (report.crosswalk[0] as CrosswalkRow).controls.nis2 = [{ control: 'nis2-21-2-d', citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)', strength: 'full' }];
  return report;
}

describe('renderPdf on the schema 1.1 parts', () => {
  const report = schema11Report();
  let file: string;
  let bytes: Buffer;
  let raw: string[];

  beforeAll(async () => {
    ({ file, bytes } = await renderToFile(report, 'schema-1.1'));
    raw = pages(file, '-raw');
  });

  it('checks each claimed citation right after the executive summary: claim, verdict, what it is, what to cite instead', () => {
    const summary = raw.findIndex((page) => hasLine(page, 'Executive summary'));
    const citations = raw.findIndex((page) => hasLine(page, 'Citation check'));
    // The summary may run onto a second page (seal rows, status wording); nothing else comes between.
    expect(citations).toBeGreaterThan(summary);
    expect(raw.slice(summary + 1, citations).some((page) => hasLine(page, 'Images'))).toBe(false);
    const text = squash(section(raw, 'Citation check', 'Images'));
    expect(text).toContain(squash('2 citations from the organisation’s own documents, checked against what the cited provision is: 1 IMPRECISE, 1 WRONG.'));
    expect(text).toContain(squash('2. “NIS2 Annex II” WRONG as cited in docs/platform.md'));
    for (const s of [
      'Claimed citation NIS2 Annex II',
      'Where it was claimed docs/platform.md',
      'Said to mean SBOM for essential entities',
      'Verdict WRONG',
      'What it actually is Annex II — other critical sectors',
      'Source https://eur-lex.europa.eu/eli/dir/2022/2555/oj',
      'Reason Annex II lists sectors; it sets no SBOM requirement.',
      'Directive (EU) 2022/2555, Art. 21(2)(d) (nis2/nis2-21-2-d) — NOT SUPPORTED BY EVIDENCE',
      'Regulation (EU) 2024/2847, Annex I Part II(1) (cra/cra-annex-i-ii-1) — NOT IN THIS REPORT',
      'Regulation (EU) 2022/2554, Art. 9(2) (dora/dora-9-2) — PARTIALLY SUPPORTED BY EVIDENCE',
    ]) {
      expect(text).toContain(squash(s));
    }
    // The first claim's verdict is its own, not the second's.
    expect(text).toMatch(/1\.“DORAArticle6”IMPRECISEascitedindocs\/compliance-matrix\.md/);
  });

  it('keeps a waived finding at FAIL, shows the waiver in force, and flags expired and not-yet-started ones', () => {
    const text = section(raw, 'Failed and errored findings', 'Waivers');
    expect(squash(text)).toMatch(
      /FAILImagesignatureverifieswithatrustedkeycheck[^]*?findingsignature\.verified:notebookpipelinegreen,nosignatureWAIVEDbyW-1\(expires2026-09-30\)\.Stillcountedasafailure\./,
    );
    expect(squash(text)).toContain(squash('FAIL SBOM attestation is bound to the image digest'));
    expect(squash(text)).toContain(squash('waiver W-OLD EXPIRED on 2026-03-31; the failure is not waived.'));
    expect(squash(text)).toContain(squash('ERROR Attested SBOM is valid CycloneDX'));
    expect(squash(text)).toContain(squash('waiver W-LATER NOT YET IN FORCE (starts 2026-08-01); the failure is not waived.'));
    // A waiver never reads as a pass.
    expect(text).not.toMatch(/^PASS /m);
  });

  it('lists every waiver with scope, justification, approver, ticket, dates, state and findings covered', () => {
    const text = squash(section(raw, 'Waivers', 'Frameworks and controls'));
    expect(text).toContain(squash('3 waivers: 1 in force, 1 EXPIRED, 1 not yet in force; 1 failing finding is covered.'));
    for (const s of [
      'Waiver W-1 IN FORCE until the end of 2026-09-30',
      'Scope image notebook check signature.verified',
      'Justification Re-signing scheduled',
      'Approver John Roe',
      'Ticket SEC-42',
      'Start 2026-04-01',
      'Expires 2026-09-30',
      'Findings covered 1 finding: signature.verified:notebook',
      'Waiver W-OLD EXPIRED on 2026-03-31; covers no finding',
      'At the report’s clock EXPIRED on 2026-03-31; covers no finding',
      'Waiver W-LATER NOT YET IN FORCE until 2026-08-01; covers no finding yet',
      'Scope check sbom.valid control dora/dora-8-1',
    ]) {
      expect(text).toContain(squash(s));
    }
  });

  it('shows per control the French title, why, MANUAL ONLY, waived subjects and manual evidence; per framework whom it binds', () => {
    const text = section(raw, 'Frameworks and controls', CROSSWALK_TITLE);
    const flat = squash(text);
    expect(flat).toContain(squash('Governance and organisation · FR: Gouvernance et organisation — sécurité des réseaux et systèmes d’information'));
    expect(flat).toContain(
      squash(
        'NOT ASSESSED coverage: 0 of 3 images; no automated mapping (manual evidence only) Why: no automated check can support this clause; see manual evidence MANUAL ONLY',
      ),
    );
    expect(flat).toContain(squash('Manual evidence recorded (statements given by people, not verified by auditpack): board-minutes-2026.'));
    expect(flat).toContain(squash('Failures for notebook are waived — still counted as failures.'));
    expect(flat).toContain(squash('Failures for docs and notebook are waived — still counted as failures.'));
    expect(flat).toContain(squash('Binds these entities financial entity'));
    expect(flat).toContain(squash('Binds these entities NIS2 essential entity, NIS2 important entity'));
    expect(flat).toContain(squash('CELEX number 32022R2554'));
    // MANUAL ONLY only where the control is manual-only.
    expect(text.split('MANUAL ONLY').length - 1).toBe(2); // overview table and the control itself
    expect(squash(raw[0] ?? '')).toContain(squash('Entity profile financial entity NIS2 essential entity'));
  });

  it('keeps manual statements in their own section, headed as not verified, with statement, author, date, reference and document digest', () => {
    const text = section(raw, MANUAL_EVIDENCE_TITLE, 'Trust material');
    const flat = squash(text);
    expect(flat).toContain(squash('Statements given by people. auditpack has not verified them.'));
    for (const s of [
      'policy-ict-2026 — statement, not verified',
      'Statement ICT asset policy v3 approved by the board <CISO & CRO>',
      'Given by Jane Doe, CISO',
      'Given at 2026-05-02',
      'Document manual/policy.pdf',
      `Document SHA-256 ${'4'.repeat(64)}`,
      'Recorded against Regulation (EU) 2022/2554, Art. 8(1) (dora/dora-8-1)',
      'board-minutes-2026 — statement, not verified',
      'Reference Minutes BM-2026-03',
      'Recorded against Regulation (EU) 2022/2554, Art. 5(2) (dora/dora-5-2)',
    ]) {
      expect(flat).toContain(squash(s));
    }
    // Not mixed into the verified evidence.
    expect(squash(section(raw, 'Evidence inventory', 'Input problems'))).not.toContain(squash('ICT asset policy'));
  });

  it('crosswalks every check against every framework, with citation and strength', () => {
    const text = squash(section(raw, CROSSWALK_TITLE, MANUAL_EVIDENCE_TITLE));
    expect(text).toContain(squash('3 checks × 2 frameworks.'));
    expect(text).toContain(squash('Check Digital Operational Resilience Act (dora) NIS2 Directive (nis2)'));
    for (const row of report.crosswalk) expect(text).toContain(squash(row.checkId));
    expect(text).toContain(squash('Regulation (EU) 2022/2554, Art. 9(2) — PARTIAL (dora-9-2) Directive (EU) 2022/2555, Art. 21(2)(d) — FULL (nis2-21-2-d)'));
    expect(text).toContain(squash('attestation.binds-digest — Directive (EU) 2022/2555, Art. 21(2)(d) — SUPPORTING (nis2-21-2-d)'));
    expect(text).toContain(squash('sbom.valid Regulation (EU) 2022/2554, Art. 8(1) — PARTIAL (dora-8-1) —'));
  });

  it('says in the summary how many failing findings are waived and that they still count', () => {
    expect(squash(raw[0] ?? '')).toContain(squash('2 failing findings are waived; they still count as failures.'));
    expect(squash(raw[0] ?? '')).toContain(squash('Waivers 1 in force, 1 EXPIRED, 1 not yet in force'));
    expect(squash(raw[0] ?? '')).toContain(squash('Citations checked 1 IMPRECISE, 1 WRONG'));
  });

  it('has a bookmark for each new section, and for each claim, waiver and statement', () => {
    const pdf = bytes.toString('latin1');
    for (const title of ['Citation check', 'Waivers', CROSSWALK_TITLE, MANUAL_EVIDENCE_TITLE, 'W-OLD', 'W-LATER', 'board-minutes-2026', '2. NIS2 Annex II']) {
      expect(pdf).toContain(`/Title (${title})`);
    }
  });

  it('renders the same bytes twice', async () => {
    const again = await renderPdf(schema11Report());
    expect(again.equals(bytes)).toBe(true);
    expect(pageCount(file)).toBe(pages(file).length);
  });

  it('keeps every word inside the page margins', () => {
    expect(wordsOutsideMargins(file)).toEqual([]);
  });
});

describe('renderPdf with hostile text in the schema 1.1 parts', () => {
  const evil = (what: string) => `${what} </rdf:li> & <x:xmpmeta> "q" \u0007bell\ttab ✓ Ωmega`;

  it('still extracts every field, with well-formed XMP', async () => {
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
    const control = report.frameworks[0]?.controls[0] as ControlResult;
    control.titleFr = evil('titreFr');
    control.waivedSubjects = [evil('subject')];
    (report.crosswalk[0] as CrosswalkRow).checkTitle = evil('checkTitle');
    report.run.profile = [evil('profile')];

    const { file, bytes } = await renderToFile(report, 'hostile-1.1');
    const text = squash(pages(file, '-raw').join('\n'));
    for (const what of ['claimed', 'reason', 'actually', 'justification', 'image', 'statement', 'givenBy', 'titreFr', 'subject', 'checkTitle', 'profile']) {
      expect(text, what).toContain(squash(`${what} </rdf:li> & <x:xmpmeta> "q" \\x07bell`));
    }
    expect(xmlProblems(xmpPacket(bytes))).toEqual([]);
    expect(wordsOutsideMargins(file)).toEqual([]);
    expect((await renderPdf(report)).equals(bytes)).toBe(true);
  });
});

describe('renderPdf with none of the schema 1.1 parts', () => {
  it('says in words that there is nothing to show', async () => {
    const report = makeReport();
    Object.assign(report, { claims: [], waivers: [], manualEvidence: [], crosswalk: [] });
    report.summary.waived = 0;
    delete (report.findings[1] as Finding).waiver;
    const { file } = await renderToFile(report, 'no-1.1');
    const raw = pages(file, '-raw');
    const text = squash(raw.join('\n'));
    for (const s of [
      'No citation made by the organisation was given to check.',
      'No waiver was given.',
      'No check is in the crosswalk.',
      'No manual statement was recorded.',
      'Waived failures none',
      'Citations checked none given',
    ]) {
      expect(text).toContain(squash(s));
    }
    expect(text).not.toContain('WAIVED');
    expect(text).not.toContain(squash('failing findings are waived'));
  });
});

/**
 * The sample report with two SBOMs: cockpit's below the minimum grade (it
 * weakens two clauses), notebook's meeting it, with more fields than the
 * section lists as weakest, and a shared package with a purl longer than a line.
 */
function sbomReport(): Report {
  const report = makeReport();
  const cockpit = report.sboms.entries[0] as SbomEntry;
  cockpit.weakens = ['Regulation (EU) 2022/2554, Art. 8(1)', 'Directive (EU) 2022/2555, Art. 21(2)(d)'];
  cockpit.fields = [
    { id: 'ntia.name', framework: 'ntia', label: 'Component name', requirement: 'Requirement', percent: 100 },
    { id: 'bsi.hash-sha512', framework: 'bsi', label: 'SHA-512 hash', requirement: 'Requirement', percent: null },
    { id: 'ntia.supplier', framework: 'ntia', label: 'Supplier <name>', requirement: 'Requirement', percent: 12.5 },
    { id: 'bsi.filename', framework: 'bsi', label: 'Filename', requirement: 'Requirement', percent: 0 },
    { id: 'ntia.version', framework: 'ntia', label: 'Version', requirement: 'Requirement', percent: 99.8 },
    { id: 'bsi.licence', framework: 'bsi', label: 'Concluded licence', requirement: 'Requirement', percent: 40.04 },
    { id: 'ntia.purl', framework: 'ntia', label: 'Unique identifier', requirement: 'Requirement', percent: 97 },
    { id: 'bsi.creator', framework: 'bsi', label: 'Creator', requirement: 'Requirement', percent: 55.55 },
  ];
  report.sboms.entries.push({
    subject: 'notebook',
    evidence: '1'.repeat(64),
    specVersion: '1.6',
    components: 1234,
    grade: 'B',
    score: 80,
    ntia: 88.25,
    cisa: 88.25,
    bsi: 71.75,
    meetsMinimum: true,
    fields: [
      { id: 'bsi.author', framework: 'bsi', label: 'Author', requirement: 'Requirement', percent: null },
      { id: 'ntia.supplier', framework: 'ntia', label: 'Supplier <name>', requirement: 'Requirement', percent: 70 },
    ],
    byType: { library: 1230, framework: 4 },
    byEcosystem: { pypi: 1000, deb: 234 },
    licences: {
      distinctSpdxIds: 30,
      expressions: 4,
      named: 0,
      unknown: 0,
      top: [
        { licence: 'Apache-2.0', components: 600 },
        { licence: 'BSD-3-Clause', components: 300 },
      ],
    },
    copyleft: { network: 1, strong: 0, weak: 9 },
    weakens: [],
  });
  report.sboms.estate = {
    components: 1738,
    distinct: 1500,
    shared: [
      { component: LONG_PURL, images: ['cockpit', 'notebook', 'mcp'] },
      { component: 'pkg:deb/debian/libc6@2.36', images: ['cockpit', 'notebook'] },
    ],
    inventoryCsv: 'sbom/inventory.csv',
  };
  return report;
}

const LONG_PURL = `pkg:npm/%40scope-${'x'.repeat(60)}/left-pad@1.3.0?vcs_url=git%2Bhttps://github.example/${'deep/'.repeat(12)}left-pad.git`;

describe('renderPdf SBOM quality and inventory', () => {
  const report = sbomReport();
  let file: string;
  let bytes: Buffer;
  let raw: string[];
  let text: string;

  beforeAll(async () => {
    ({ file, bytes } = await renderToFile(report, 'sboms'));
    raw = pages(file, '-raw');
    text = section(raw, SBOM_TITLE, 'Frameworks and controls');
  });

  it('comes after the waivers and before the frameworks, with a bookmark for it, each SBOM and the estate', () => {
    const waivers = raw.findIndex((page) => hasLine(page, 'Waivers'));
    const sboms = raw.findIndex((page) => hasLine(page, SBOM_TITLE));
    const frameworks = raw.findIndex((page) => hasLine(page, 'Frameworks and controls'));
    expect(waivers).toBeGreaterThan(0);
    expect(sboms).toBeGreaterThan(waivers);
    expect(frameworks).toBeGreaterThan(sboms);
    const pdf = bytes.toString('latin1');
    for (const title of [SBOM_TITLE, 'cockpit', 'notebook', 'Estate inventory']) expect(pdf).toContain(`/Title (${title})`);
  });

  it('gives per image the spec version, components, grade, scores and whether it meets the minimum grade', () => {
    const flat = squash(text);
    expect(flat).toContain(squash('Image Spec version Components Grade Score CISA % BSI % NTIA % Meets minimum (C)'));
    expect(flat).toContain(squash('cockpit registry.example/app/cockpit:1.0 1.5 504 D 57.7 65.9 49.5 65.9 NO'));
    expect(flat).toContain(squash('notebook registry.example/app/notebook:1.0 1.6 1,234 B 80 88.3 71.8 88.3 yes'));
    expect(flat).toContain(squash('2 SBOMs scored: 1 meet the minimum grade C, 1 BELOW it.'));
    expect(flat).toContain(squash('BELOW MINIMUM GRADE C grade D, score 57.7 of 100'));
    expect(flat).toContain(squash('MEETS MINIMUM GRADE C grade B, score 80 of 100'));
    expect(flat).toContain(squash('Scores overall 57.7, grade D CISA 2025 minimum elements 65.9% BSI TR-03183-2 v2.1.0 49.5% NTIA 2021 (reference) 65.9%'));
    expect(flat).toContain(squash(`Attestation evidence/cockpit/signature.jsonl ${'1'.repeat(64)}`));
  });

  it('lists at most six weakest fields, lowest coverage first, not-applicable ones last as n/a', () => {
    const flat = squash(text);
    expect(flat).toContain(
      squash(
        'Weakest fields Filename (BSI TR-03183-2): 0% — Requirement Supplier <name> (NTIA): 12.5% — Requirement Concluded licence (BSI TR-03183-2): 40% — Requirement ' +
          'Creator (BSI TR-03183-2): 55.6% — Requirement Unique identifier (NTIA): 97% — Requirement Version (NTIA): 99.8% — Requirement Components',
      ),
    );
    // The seventh and eighth (full coverage, not applicable) are left out.
    expect(flat).not.toContain(squash('Component name (NTIA)'));
    expect(flat).not.toContain(squash('SHA-512 hash'));
    // With fewer than six fields, a field that applies to nothing is shown as n/a.
    expect(flat).toContain(
      squash('Weakest fields Supplier <name> (NTIA): 70% — Requirement Author (BSI TR-03183-2): n/a — Requirement Components 1,234 (spec version 1.6)'),
    );
  });

  it('counts components by ecosystem, licences and copyleft', () => {
    const flat = squash(text);
    for (const s of [
      'By type library 500, application 4',
      'By ecosystem npm 300, deb 204',
      'By ecosystem pypi 1,000, deb 234',
      'Licences 12 distinct SPDX ids 2 SPDX expressions 1 named licence (not SPDX) 7 components with no known licence',
      'Top licences MIT: 250 components',
      'Top licences Apache-2.0: 600 components BSD-3-Clause: 300 components',
      'Copyleft network copyleft: 0 components strong copyleft: 3 components weak copyleft: 5 components',
      'Copyleft network copyleft: 1 component strong copyleft: 0 components weak copyleft: 9 components',
    ]) {
      expect(flat).toContain(squash(s));
    }
  });

  it('says which clauses an SBOM below the minimum grade weakens, and only for that SBOM', () => {
    const flat = squash(text);
    expect(flat).toContain(squash('This SBOM weakens: Regulation (EU) 2022/2554, Art. 8(1); Directive (EU) 2022/2555, Art. 21(2)(d).'));
    // In cockpit's block; notebook's, which meets the minimum, says nothing of the kind.
    const cockpit = flat.slice(flat.indexOf(squash('cockpit — SBOM')), flat.indexOf(squash('notebook — SBOM')));
    const notebook = flat.slice(flat.indexOf(squash('notebook — SBOM')), flat.indexOf(squash('Estate inventory')));
    expect(cockpit).toContain(squash('This SBOM weakens: Regulation (EU) 2022/2554, Art. 8(1)'));
    expect(notebook.length).toBeGreaterThan(100);
    expect(notebook).not.toMatch(/weakens|belowtheminimum|BELOW/);
  });

  it('gives the estate: totals, the most shared packages with their images, and where the CSV inventory is', () => {
    const flat = squash(text);
    expect(flat).toContain(squash('1,738 component rows over 2 SBOMs; 1,500 distinct packages.'));
    expect(flat).toContain(squash('The full inventory, one row per component of each image, is in the bundle at sbom/inventory.csv.'));
    expect(flat).toContain(squash(`${LONG_PURL} 3 images: cockpit, notebook, mcp`));
    expect(flat).toContain(squash('pkg:deb/debian/libc6@2.36 2 images: cockpit, notebook'));
  });

  it('wraps long purls inside the margins', () => {
    expect(wordsOutsideMargins(file)).toEqual([]);
  });

  it('renders the same bytes twice', async () => {
    expect((await renderPdf(sbomReport())).equals(bytes)).toBe(true);
    const changed = sbomReport();
    (changed.sboms.entries[1] as SbomEntry).grade = 'A';
    expect((await renderPdf(changed)).equals(bytes)).toBe(false);
  });

  it('formats scores with one decimal, whatever the locale', () => {
    expect([57.66, 100, 0, 12.5, 40.04, Number.NaN].map(formatNumber)).toEqual(['57.7', '100', '0', '12.5', '40', 'n/a']);
  });
});

describe('renderPdf with no SBOM', () => {
  it('says that no SBOM was scored, and lists no estate', async () => {
    const report = makeReport();
    report.sboms = { minGrade: 'D', entries: [], estate: { components: 0, distinct: 0, shared: [] } };
    const { file } = await renderToFile(report, 'no-sbom');
    const text = squash(section(pages(file, '-raw'), SBOM_TITLE, 'Frameworks and controls'));
    expect(text).toContain(squash('The lowest acceptable grade for this run is D.'));
    expect(text).toContain(squash('No SBOM was scored: no image in scope has an attested SBOM that auditpack could read.'));
    for (const absent of ['Estate inventory', 'This SBOM weakens', 'Meets minimum', 'inventory.csv']) expect(text).not.toContain(squash(absent));
  });

  it('says so when there are SBOMs but no CSV inventory, no shared package, or nothing a poor SBOM weakens', async () => {
    const report = makeReport();
    report.sboms.estate = { components: 504, distinct: 504, shared: [] };
    (report.sboms.entries[0] as SbomEntry).weakens = [];
    const { file } = await renderToFile(report, 'sbom-no-csv');
    const text = squash(section(pages(file, '-raw'), SBOM_TITLE, 'Frameworks and controls'));
    expect(text).toContain(squash('This SBOM is below the minimum grade; no control of this report’s frameworks rests on the SBOM checks.'));
    expect(text).toContain(squash('No inventory CSV is in the bundle.'));
    expect(text).toContain(squash('No package is listed by more than one image.'));
  });
});

describe('renderPdf with hostile text in the SBOM section', () => {
  const evil = (what: string) => `${what} </rdf:li> & <x:xmpmeta> "q" \u0007bell\ttab ✓ Ωmega`;

  it('escapes control characters, extracts every field, stays in the margins and is deterministic', async () => {
    const report = sbomReport();
    report.sboms.minGrade = evil('minGrade');
    const entry = report.sboms.entries[0] as SbomEntry;
    entry.subject = evil('subject');
    entry.specVersion = evil('specVersion');
    entry.grade = evil('grade');
    entry.fields = [{ id: 'x', framework: evil('framework'), label: evil('label'), requirement: evil('requirement'), percent: 1 }];
    entry.byType = { [evil('type')]: 1 };
    entry.byEcosystem = { [evil('ecosystem')]: 2 };
    entry.licences.top = [{ licence: evil('licence'), components: 3 }];
    entry.copyleft = { [evil('copyleftKind')]: 4 };
    entry.weakens = [evil('citation')];
    report.sboms.estate.shared = [{ component: evil(`component ${LONG_PURL}`), images: [evil('image')] }];
    report.sboms.estate.inventoryCsv = evil('csv');

    const { file, bytes } = await renderToFile(report, 'hostile-sbom');
    const text = squash(section(pages(file, '-raw'), SBOM_TITLE, 'Frameworks and controls'));
    for (const what of [
      'minGrade',
      'subject',
      'specVersion',
      'grade',
      'framework',
      'label',
      'type',
      'ecosystem',
      'licence',
      'copyleftKind',
      'citation',
      'image',
      'csv',
    ]) {
      expect(text, what).toContain(squash(`${what} </rdf:li> & <x:xmpmeta> "q" \\x07bell`));
    }
    expect(text).toContain(squash(`component ${LONG_PURL} </rdf:li> & <x:xmpmeta> "q" \\x07bell`));
    expect(text).not.toContain('\u0007');
    expect(xmlProblems(xmpPacket(bytes))).toEqual([]);
    expect(wordsOutsideMargins(file)).toEqual([]);
    expect((await renderPdf(report)).equals(bytes)).toBe(true);
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
  it('empties the font layout cache on each new page (memory stays bounded to one page)', () => {
    type Internals = { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> };
    const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
    doc.text('a-word-seen-once');
    const caches = () => Object.values((doc as unknown as Internals)._fontFamilies).map((f) => f.layoutCache);
    expect(caches().some((c) => c !== undefined && Object.keys(c).length > 0)).toBe(true);
    doc.addPage();
    expect(caches().every((c) => c !== undefined && Object.keys(c).length === 0)).toBe(true);
  });
});
