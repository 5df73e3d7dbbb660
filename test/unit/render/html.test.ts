import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import type { Report } from '../../../src/report/model.js';
import { compileAllTemplates, renderHtml } from '../../../src/render/html.js';
import { makeReport } from '../../fixtures/report.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** What handlebars' `{{ }}` makes of a string: written out here so the test does not trust the code under test. */
function escaped(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (c) => entities[c] ?? c);
}

/** The text from `start` up to (not including) `end`, both of which must occur. */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  expect(from, `missing ${start}`).toBeGreaterThanOrEqual(0);
  const to = html.indexOf(end, from + start.length);
  expect(to, `missing ${end} after ${start}`).toBeGreaterThan(from);
  return html.slice(from, to);
}

function tableRow(html: string, id: string): string {
  return between(html, `<tr id="${id}"`, '</tr>');
}

/** Returns a copy of `value` with `payload` appended to every string value (enums and ids too). */
function poisonStrings<T>(value: T, payload: string): T {
  if (typeof value === 'string') return `${value}${payload}` as T;
  if (Array.isArray(value)) return value.map((item: unknown) => poisonStrings(item, payload)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisonStrings(v, payload)])) as T;
  }
  return value;
}

function emptyReport(): Report {
  const report = makeReport();
  const { trustedRoot: _dropped, ...trustWithoutRoot } = report.trust;
  return {
    ...report,
    generator: { ...report.generator, libraries: {} },
    run: { ...report.run, frameworks: [] },
    trust: { ...trustWithoutRoot, keys: [] },
    summary: {
      verdict: 'pass',
      waived: 0,
      subjects: { total: 0, verified: 0, withFailures: 0, withErrors: 0 },
      findings: { pass: 0, fail: 0, error: 0, 'not-applicable': 0 },
      controls: { supported: 0, 'partially-supported': 0, 'relevant-not-sufficient': 0, 'not-supported': 0, 'not-assessed': 0, 'not-applicable': 0 },
      problems: 0,
    },
    subjects: [],
    findings: [],
    frameworks: [],
    evidence: [],
    problems: [],
    claims: [],
    manualEvidence: [],
    waivers: [],
    crosswalk: [],
  };
}

const MANUAL_DOC_SHA = '4'.repeat(64);

/**
 * The fixture with more of schema 1.1: an expired waiver naming a failure, a
 * wrong and an unchecked claim, a manual-only control, a French title, the
 * manual document in the evidence list, and a second crosswalk row.
 */
function richReport(): Report {
  const report = makeReport();
  const [framework] = report.frameworks;
  const mcp = report.findings.find((f) => f.id === 'attestation.binds-digest:mcp');
  const signed = framework?.controls.find((c) => c.id === 'dora-9-2');
  if (!framework || !mcp || !signed) throw new Error('fixture changed');
  report.run.profile = ['financial-entity', 'nis2-essential', 'space-agency'];
  framework.appliesTo = ['financial-entity', 'nis2-essential'];
  signed.titleFr = 'Protection et prévention';
  framework.controls.push({
    id: 'dora-5-2',
    citation: 'Regulation (EU) 2022/2554, Art. 5(2)',
    title: 'Management body',
    paraphrase: 'The management body is responsible for ICT risk.',
    source: 'https://eur-lex.europa.eu/eli/reg/2022/2554/oj',
    status: 'not-assessed',
    statusReason: 'no automated check can support this clause; see manual evidence',
    strength: null,
    manualOnly: true,
    waivedSubjects: [],
    manualEvidence: ['board-minutes'],
    coverage: { passed: 0, total: 3 },
    support: [],
    notCovered: ['Everything'],
    findings: [],
  });
  mcp.waiver = { id: 'W-0', expires: '2026-05-31', inForce: false };
  report.waivers.push({
    id: 'W-0',
    scope: { digest: `sha256:${'d'.repeat(64)}`, control: 'dora/dora-9-2' },
    justification: 'Old exception',
    approver: 'Ann Poe',
    ticket: 'https://tickets.example/SEC-7',
    start: '2026-01-01',
    expires: '2026-05-31',
    inForce: false,
    expired: true,
    covers: [],
  });
  report.claims.push(
    {
      claimed: 'DORA Art. 28(9)',
      claimedMeaning: 'SBOMs for every image',
      madeIn: 'https://wiki.example/compliance',
      verdict: 'wrong',
      actually: 'Art. 28(9): templates for the register of information',
      reason: 'The paragraph mandates implementing technical standards, not SBOMs.',
      source: 'https://eur-lex.europa.eu/eli/reg/2022/2554/oj',
      instead: [
        { framework: 'dora', control: 'dora-8-1', citation: 'Regulation (EU) 2022/2554, Art. 8(1)', title: 'Title', text: 'Text.', status: 'not-assessed' },
        {
          framework: 'nis2',
          control: 'nis2-21-2-d',
          citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)',
          title: 'Title',
          text: 'Text.',
          status: 'not-in-report',
        },
      ],
    },
    {
      claimed: 'ISO 27001 A.8.30',
      claimedMeaning: 'Outsourced development',
      madeIn: 'policy.docx',
      verdict: 'unknown',
      actually: '',
      reason: '',
      source: '',
      instead: [],
    },
  );
  report.manualEvidence.push({
    id: 'board-minutes',
    controls: ['dora/dora-5-2', 'dora/no-such-control'],
    statement: 'The board approved the ICT risk framework',
    givenBy: 'Company secretary',
    givenAt: '2026-06-15',
    reference: 'https://intranet.example/minutes/2026-06',
  });
  report.evidence.push({ sha256: MANUAL_DOC_SHA, kind: 'manual-document', source: 'manual/policy.pdf', path: 'evidence/manual/policy.pdf', size: 2048 });
  report.crosswalk.push({
    checkId: 'attestation.binds-digest',
    checkTitle: 'SBOM attestation is bound to the image digest',
    controls: {
      dora: [
        { control: 'dora-9-2', citation: 'Regulation (EU) 2022/2554, Art. 9(2)', strength: 'supporting' },
        { control: 'dora-8-1', citation: 'Regulation (EU) 2022/2554, Art. 8(1)', strength: 'partial' },
      ],
      nis2: [{ control: 'nis2-21-2-d', citation: 'Directive (EU) 2022/2555, Art. 21(2)(d)', strength: 'full' }],
    },
  });
  return report;
}

/** Every id in the page is unique, and every in-page link lands on one. */
function expectLinksResolve(html: string): void {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  const known = new Set(ids);
  const targets = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1] ?? '');
  expect(targets.length).toBeGreaterThan(10);
  for (const target of targets) expect(known.has(target), `dangling link #${target}`).toBe(true);
}

describe('renderHtml', () => {
  describe('escaping', () => {
    it('escapes a hostile organisation and a hostile quoted log line', () => {
      const report = makeReport();
      report.run.organisation = '<script>alert(1)</script>';
      const finding = report.findings.find((f) => f.id === 'signature.verified:notebook');
      if (!finding) throw new Error('fixture changed');
      finding.quotes = ['before <b>& after'];

      const html = renderHtml(report);

      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<b>');
      expect(html).toContain('before &lt;b&gt;&amp; after');
    });

    it('injects no markup from any string anywhere in the report, free-form keys included', () => {
      const payload = `"'><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">`;
      const report = poisonStrings(makeReport(), payload);
      // The two records whose keys come from outside: finding details and library names.
      report.generator.libraries[payload] = payload;
      for (const finding of report.findings) finding.details[payload] = payload;

      const html = renderHtml(report);

      expect(html).not.toMatch(/<img|<script|<iframe/i);
      expect(html).not.toMatch(/\sonerror=/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).toContain(escaped(payload));
    });

    it('escapes hostile strings in every schema 1.1 field, and each of them is shown', () => {
      const payload = `<b onmouseover=alert(1)>"&'\``;
      const report = poisonStrings(richReport(), payload);
      // Crosswalk framework keys come from outside too.
      const [row] = report.crosswalk;
      if (!row) throw new Error('fixture changed');
      row.controls[payload] = [{ control: payload, citation: `cite${payload}`, strength: 'full' }];

      const html = renderHtml(report);

      expect(html).not.toMatch(/<b[\s>]/);
      const [claim] = report.claims;
      const [provision] = claim?.instead ?? [];
      const waiver = report.waivers.find((w) => w.id.startsWith('W-1'));
      const expired = report.waivers.find((w) => w.id.startsWith('W-0'));
      const manual = report.manualEvidence.find((m) => m.id.startsWith('board-minutes'));
      const policy = report.manualEvidence.find((m) => m.id.startsWith('policy'));
      const control = report.frameworks[0]?.controls.find((c) => c.id.startsWith('dora-9-2'));
      const framework = report.frameworks[0];
      const waived = report.findings.find((f) => f.waiver?.inForce);
      if (!claim || !provision || !waiver || !expired || !manual || !policy || !control || !framework || !waived?.waiver) throw new Error('fixture changed');
      const shown = [
        // run and frameworks
        ...report.run.profile,
        ...framework.appliesTo,
        framework.celex ?? 'missing celex',
        // controls
        control.titleFr ?? 'missing titleFr',
        control.statusReason,
        ...control.waivedSubjects,
        // claims
        claim.claimed,
        claim.claimedMeaning,
        claim.madeIn,
        claim.verdict,
        claim.actually,
        claim.reason,
        claim.source,
        provision.citation,
        provision.status,
        // findings
        waived.waiver.id,
        waived.waiver.expires,
        // waivers
        ...[waiver, expired].flatMap((w) => [w.id, w.justification, w.approver, w.ticket, w.start, w.expires, ...Object.values(w.scope)]),
        // manual evidence
        ...[manual, policy].flatMap((m) => [
          m.id,
          m.statement,
          m.givenBy,
          m.givenAt,
          ...m.controls,
          m.reference ?? '',
          m.document?.source ?? '',
          m.document?.path ?? '',
          m.document?.sha256 ?? '',
        ]),
        // crosswalk
        ...report.crosswalk.flatMap((r) => [
          r.checkId,
          r.checkTitle,
          ...Object.values(r.controls)
            .flat()
            .flatMap((c) => [c.control, c.citation, c.strength]),
        ]),
        payload,
      ].filter((value) => value !== '');
      for (const value of shown) expect(html, value).toContain(escaped(value));
      expectLinksResolve(html);
    });

    it('makes only http(s) URLs into links', () => {
      const report = makeReport();
      const framework = report.frameworks[0];
      const control = framework?.controls[0];
      if (!framework || !control) throw new Error('fixture changed');
      framework.source = 'javascript:alert(document.domain)';
      control.source = ' JavaScript:alert(1)';
      const other = framework.controls[1];
      if (other) other.source = 'data:text/html,<b>x</b>';

      const html = renderHtml(report);

      expect(html).not.toMatch(/href="\s*(javascript|data):/i);
      expect(html).toContain('javascript:alert(document.domain)');
      expect(html).toContain('data:text/html,&lt;b&gt;x&lt;/b&gt;');
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(hrefs.length).toBeGreaterThan(0);
      // Besides in-page anchors and web URLs, the one link is to the bundle's own CSV inventory, beside the report.
      const bundleFiles = new Set([report.sboms.estate.inventoryCsv]);
      for (const href of hrefs) if (!bundleFiles.has(href)) expect(href).toMatch(/^(#|https?:\/\/)/);
      expect(hrefs.filter((href) => bundleFiles.has(href))).toEqual(['inventory.csv']);
    });

    it('makes only http(s) URLs into links in the schema 1.1 fields too', () => {
      const report = richReport();
      const hostile = 'javascript:alert(1)';
      for (const claim of report.claims) {
        claim.source = hostile;
        claim.madeIn = hostile;
      }
      for (const waiver of report.waivers) waiver.ticket = hostile;
      for (const statement of report.manualEvidence) statement.reference = hostile;

      const html = renderHtml(report);

      expect(html).not.toMatch(/href="\s*javascript:/i);
      expect(between(html, '<section id="claims"', '</section>')).toContain(`Made in: ${hostile}`);
      expect(tableRow(html, 'waiver-W-0')).toContain(`<td>${hostile}</td>`);
      expect(tableRow(html, 'statement-board-minutes')).toContain(`<td>${hostile}</td>`);
      // And a web URL does become one.
      expect(renderHtml(richReport())).toContain('<a href="https://tickets.example/SEC-7" rel="noopener noreferrer">');
    });

    it('shows control and bidirectional-override characters in quotes as visible marks', () => {
      const report = makeReport();
      const finding = report.findings.find((f) => f.status === 'fail');
      if (!finding) throw new Error('fixture changed');
      finding.quotes = ['\u001b[31mERROR\u001b[0m signed\u202e dengis ton'];

      const html = renderHtml(report);

      expect(html).toContain('\u241b[31mERROR\u241b[0m signed&lt;U+202E&gt; dengis ton');
      expect(html).not.toContain('\u001b');
      expect(html).not.toContain('\u202e');
    });
  });

  describe('content', () => {
    const report = makeReport();
    const html = renderHtml(report);

    it('shows the header facts an auditor needs to identify the run', () => {
      const header = between(html, '<header', '</header>');
      for (const fact of [
        escaped(report.run.organisation),
        report.run.period.label,
        report.run.period.start,
        report.run.period.end,
        `time zone ${report.run.period.zone}`,
        report.run.generatedAt,
        `${report.generator.name} ${report.generator.version}`,
        report.run.configSha256,
      ]) {
        expect(header).toContain(fact);
      }
    });

    it('explains that "supported" is not "satisfied" in the executive summary', () => {
      const summary = between(html, '<section id="summary"', '<section id="images"');
      expect(summary).toContain('Overall verdict: <span class="badge badge--bad">Fail</span>');
      expect(summary).toMatch(/never means the clause is satisfied/);
      expect(summary).toMatch(/Input problems<\/th><td class="num">1</);
    });

    it('lists every subject with its reference, a shortened digest and the full digest in a title', () => {
      for (const subject of report.subjects) {
        const row = tableRow(html, `subject-${subject.id}`);
        expect(row).toContain(subject.ref);
        expect(row).toContain(`title="${subject.digest}"`);
        expect(row).toContain(`>${subject.digest.slice(0, 'sha256:'.length + 12)}…<`);
        for (const headline of subject.headlines) expect(row).toContain(escaped(headline));
      }
    });

    it('shows every non-pass finding with its message, code and verbatim quotes, grouped by subject', () => {
      const issues = between(html, '<section id="issues"', '<section id="frameworks"');
      for (const finding of report.findings.filter((f) => f.status !== 'pass')) {
        const issue = between(issues, `<article id="issue-${finding.id}"`, '</article>');
        expect(issue).toContain(escaped(finding.message));
        expect(issue).toContain(`<code>${finding.code ?? 'missing code'}</code>`);
        for (const quote of finding.quotes ?? []) expect(issue).toContain(`<blockquote class="quote"><pre>\n${escaped(quote)}</pre></blockquote>`);
        for (const [name, value] of Object.entries(finding.details)) expect(issue).toContain(`<dt>${escaped(name)}</dt>\n  <dd>${escaped(value)}</dd>`);
      }
      // Groups follow the order of the subjects table, and a pass is not an issue.
      expect(issues.indexOf('id="issues-notebook"')).toBeLessThan(issues.indexOf('id="issues-mcp"'));
      expect(issues).not.toContain('issues-cockpit');
      expect(issues).not.toContain('signature verified with key cosign-2026');
    });

    it('shows every framework and every control citation with status, coverage and what is not covered', () => {
      const frameworks = between(html, '<section id="frameworks"', '<section id="all-findings"');
      for (const framework of report.frameworks) {
        expect(frameworks).toContain(framework.title);
        expect(frameworks).toContain(escaped(framework.applicability));
        for (const control of framework.controls) {
          const row = tableRow(frameworks, `control-${framework.id}/${control.id}`);
          expect(row).toContain(escaped(control.citation));
          expect(row).toContain(`${control.coverage.passed} of ${control.coverage.total} images`);
          for (const gap of control.notCovered) expect(row).toContain(escaped(gap));
          for (const support of control.support) {
            expect(row).toContain(`<strong>${support.strength} support</strong> from`);
            expect(row).toContain(`${escaped(support.checkId)}</code>`);
            expect(row).toContain(escaped(support.reasoning));
          }
        }
      }
      expect(tableRow(frameworks, 'control-dora/dora-9-2')).toContain('Partially supported by evidence');
    });

    it('links each control to its findings and each finding to its evidence', () => {
      const control = tableRow(html, 'control-dora/dora-9-2');
      expect(control).toContain('href="#finding-signature.verified:notebook"');
      const finding = tableRow(html, 'finding-attestation.binds-digest:mcp');
      expect(finding).toContain(`href="#evidence-${'2'.repeat(64)}"`);
    });

    it('lists all findings, passes included, per check', () => {
      const all = between(html, '<section id="all-findings"', '<section id="trust"');
      for (const finding of report.findings) {
        const check = between(all, `<section id="check-${finding.checkId}"`, '</section>');
        expect(check).toContain(`<tr id="finding-${finding.id}">`);
        expect(check).toContain(escaped(finding.message));
      }
    });

    it('flags out-of-period evidence visibly, in words, and only that evidence', () => {
      const outside = tableRow(html, `evidence-${'2'.repeat(64)}`);
      const inside = tableRow(html, `evidence-${'1'.repeat(64)}`);
      expect(outside).toContain('class="out-of-period"');
      expect(outside).toContain('outside the period');
      expect(inside).not.toContain('out-of-period');
      expect(inside).not.toContain('outside the period');
      // The finding that rests on it says so too, without a click.
      expect(tableRow(html, 'finding-attestation.binds-digest:mcp')).toContain('(dated outside the period)');
    });

    it('shows the trust material, the input problems and how to verify the bundle', () => {
      const trust = between(html, '<section id="trust"', '<section id="evidence"');
      expect(trust).toContain('f'.repeat(64));
      expect(trust).toContain('e'.repeat(64));
      const problems = between(html, '<section id="problems"', '</section>');
      expect(problems).toContain('evidence/x/attestation.jsonl');
      expect(problems).toContain('EVIDENCE_MALFORMED');
      expect(problems).toContain('line 1: Unexpected end of JSON input');
      expect(html).toContain('auditpack verify &lt;bundle&gt;');
    });

    it('keeps an auditor’s reading order', () => {
      const order = [
        'summary',
        'claims',
        'images',
        'issues',
        'frameworks',
        'crosswalk',
        'all-findings',
        'waivers',
        'manual-evidence',
        'trust',
        'evidence',
        'problems',
        'verify',
      ];
      const positions = order.map((id) => html.indexOf(`id="${id}"`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });
  });

  describe('structure', () => {
    const html = renderHtml(makeReport());

    it('has unique ids and every in-page link lands on one', () => {
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
      const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      expect(targets.length).toBeGreaterThan(10);
      for (const target of targets) expect(ids).toContain(target);
    });

    it('is accessible: lang, one h1, no skipped heading level, scoped table headers', () => {
      expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
      const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      expect(levels.filter((l) => l === 1)).toHaveLength(1);
      levels.forEach((level, i) => {
        if (i > 0) expect(level - (levels[i - 1] ?? 1)).toBeLessThanOrEqual(1);
      });
      expect(html).not.toMatch(/<th(?![^>]*scope="(col|row)")[\s>]/);
    });

    it('is self-contained: CSS inlined, no scripts, no external assets', () => {
      expect(html).toMatch(/<style>\n[\s\S]*@media print[\s\S]*<\/style>/);
      expect(html).toMatch(/break-before: page/);
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
      expect(html).not.toMatch(/\ssrc=/i);
      // The only http(s) in a tag is the target of an ordinary link.
      for (const [tag] of html.matchAll(/<[^>]*https?:[^>]*>/gi)) expect(tag).toMatch(/^<a href="https?:\/\/[^"]*" rel="noopener noreferrer">$/);
    });
  });

  describe('determinism', () => {
    it('renders the same report to the same bytes', () => {
      expect(renderHtml(makeReport())).toBe(renderHtml(makeReport()));
    });

    it('does not depend on the key order of the library versions', () => {
      const a = makeReport();
      a.generator.libraries = { zod: '1.0.0', '@sigstore/verify': '4.1.3', ajv: '8.20.0' };
      const b = makeReport();
      b.generator.libraries = { ajv: '8.20.0', zod: '1.0.0', '@sigstore/verify': '4.1.3' };
      expect(renderHtml(a)).toBe(renderHtml(b));
    });
  });

  describe('shapes the fixture does not have', () => {
    it('renders an empty report', () => {
      const html = renderHtml(emptyReport());
      expect(html).toContain('The report lists no images in scope.');
      expect(html).toContain('No findings other than passes.');
      expect(html).toContain('No framework was assessed.');
      expect(html).toContain('The report has no findings.');
      expect(html).toContain('No trusted keys were configured.');
      expect(html).toContain('No trusted root was configured.');
      expect(html).toContain('The report lists no evidence.');
      expect(html).toContain('No input problems were recorded.');
      expect(html).toContain('No citations were given to check.');
      expect(html).toContain('The report has no crosswalk.');
      expect(html).toContain('No waivers were given.');
      expect(html).toContain('No manual evidence was given.');
      expect(html).not.toContain('failing finding is waived');
      expect(html).toMatch(/<\/html>\n$/);
    });

    it('keeps findings and references that point outside the report, without dangling links', () => {
      const report = makeReport();
      report.findings.push({
        id: 'sbom.valid:ghost',
        checkId: 'sbom.valid',
        checkTitle: 'SBOM is valid CycloneDX',
        subject: 'ghost',
        status: 'error',
        code: 'SBOM_INVALID',
        message: 'could not parse the SBOM',
        details: {},
        evidence: ['3'.repeat(64)],
      });
      const control = report.frameworks[0]?.controls[0];
      if (!control) throw new Error('fixture changed');
      control.findings.push('no.such:finding');

      const html = renderHtml(report);

      expect(html).toContain('ghost (not among the images in scope)');
      expect(html).toContain('could not parse the SBOM');
      expect(html).toContain('Error: could not decide');
      expect(html).toContain('(not in the evidence inventory)');
      expect(html).toContain('<code>no.such:finding</code> (not in this report)');
      expect(html).not.toContain('href="#subject-ghost"');
      expect(html).not.toContain(`href="#evidence-${'3'.repeat(64)}"`);
    });

    it('gives ids with spaces or slashes anchors that cannot collide', () => {
      const report = makeReport();
      const [first, second] = report.subjects;
      if (!first || !second) throw new Error('fixture changed');
      first.id = 'a b';
      second.id = 'a~20~b';
      const html = renderHtml(report);
      expect(html).toContain('<tr id="subject-a~20~b">');
      expect(html).toContain('<tr id="subject-a~7e~20~7e~b">');
    });
  });
});

describe('renderHtml: schema 1.1 parts', () => {
  const report = richReport();
  const html = renderHtml(report);

  it('puts the citation check right after the executive summary', () => {
    const sections = [...html.matchAll(/<section id="([^"]+)" class="major/g)].map((m) => m[1]);
    expect(sections.slice(0, 2)).toEqual(['summary', 'claims']);
  });

  it('shows each claimed citation with where it was made, its verdict, what the clause is and why', () => {
    const claims = between(html, '<section id="claims"', '</section>');
    expect(claims).toContain('<caption>3 claimed citations</caption>');
    const first = tableRow(claims, 'claim-1');
    expect(first).toContain('<span class="citation">DORA Article 6</span>');
    expect(first).toContain('Claimed to be about: ICT supply-chain integrity');
    expect(first).toContain('Made in: docs/compliance-matrix.md');
    expect(first).toContain('<span class="badge badge--partial">Imprecise</span>');
    expect(first).toContain(escaped('Art. 6 — ICT risk management framework'));
    expect(first).toContain('Art. 6 is the general framework article, not supply-chain integrity.');
    expect(first).toContain('Source: <a href="https://eur-lex.europa.eu/eli/reg/2022/2554/oj"');
    // The provision the evidence supports instead links to that control's row, with its status.
    expect(first).toContain(
      '<a href="#control-dora/dora-9-2">Regulation (EU) 2022/2554, Art. 9(2)</a>: <span class="badge badge--partial">Partially supported by evidence</span>',
    );
    expect(html).toContain('<tr id="control-dora/dora-9-2">');

    const wrong = tableRow(claims, 'claim-2');
    expect(wrong).toContain('<span class="badge badge--bad">Wrong</span>');
    expect(wrong).toContain(
      '<a href="#control-dora/dora-8-1">Regulation (EU) 2022/2554, Art. 8(1)</a>: <span class="badge badge--neutral">Not assessed</span>',
    );
    // A provision outside the report is named, without a dangling link.
    expect(wrong).toContain(
      'Directive (EU) 2022/2555, Art. 21(2)(d) <code>nis2/nis2-21-2-d</code>: <span class="badge badge--neutral">Not in this report</span>',
    );
    expect(wrong).not.toContain('href="#control-nis2');

    const unchecked = tableRow(claims, 'claim-3');
    expect(unchecked).toContain('Unknown: not checked');
    expect(unchecked).toContain('Not established.');
    expect(unchecked).toContain('None given.');
    expect(unchecked).not.toContain('Source:');
  });

  it('shows a French title with lang="fr", the status reason, the manual-only marker and waived subjects on controls', () => {
    const signed = tableRow(html, 'control-dora/dora-9-2');
    expect(signed).toContain('<span class="control-title">Protection and prevention (<span class="title-fr" lang="fr">Protection et prévention</span>)</span>');
    expect(signed).toContain('<span class="status-reason">every supporting check passed for 1 of 3 images</span>');
    expect(signed).toContain('Failures for <a href="#subject-notebook">notebook</a> are waived — still counted as failures.');
    expect(signed).not.toContain('Manual only');
    const identification = tableRow(html, 'control-dora/dora-8-1');
    expect(identification).not.toContain('lang="fr"');
    expect(identification).not.toContain('are waived');
    expect(identification).toContain('<a href="#statement-policy-ict-2026">policy-ict-2026</a>');
    const board = tableRow(html, 'control-dora/dora-5-2');
    expect(board).toContain('<span class="marker">Manual only</span>');
    expect(board).toContain('no automated check can support this clause; see manual evidence');
    expect(board).toContain('<a href="#statement-board-minutes">board-minutes</a>');
  });

  it('shows whom each framework applies to in words, its CELEX number, and the run’s entity profile', () => {
    const framework = between(html, '<section id="framework-dora"', '<table');
    expect(framework).toContain('<dt>Applies to</dt>\n      <dd>financial entity, NIS2 essential entity</dd>');
    expect(framework).toContain('<dd><code>32022R2554</code></dd>');
    const header = between(html, '<header', '</header>');
    // A profile the renderer has no words for is shown as given.
    expect(header).toContain('<dt>Entity profile</dt>\n    <dd>financial entity, NIS2 essential entity, space-agency</dd>');
    const noCelex = richReport();
    const [first] = noCelex.frameworks;
    if (!first) throw new Error('fixture changed');
    delete first.celex;
    expect(renderHtml(noCelex)).not.toContain('CELEX');
  });

  it('keeps a waived finding a failure and shows WAIVED beside it, linked to the waiver', () => {
    const waivedNote = 'WAIVED</strong> by <a href="#waiver-W-1">W-1</a> (expires <time datetime="2026-09-30">2026-09-30</time>): still counted as a failure.';
    const row = tableRow(html, 'finding-signature.verified:notebook');
    expect(row).toContain('<span class="badge badge--bad">Fail</span>');
    expect(row).toContain(waivedNote);
    expect(row).not.toContain('badge--good');
    const issue = between(html, '<article id="issue-signature.verified:notebook"', '</article>');
    expect(issue).toContain('<span class="badge badge--bad">Fail</span>');
    expect(issue).toContain(waivedNote);
    // A finding without a waiver says nothing about one.
    expect(tableRow(html, 'finding-signature.verified:cockpit')).not.toMatch(/waive/i);
  });

  it('says a failure’s waiver has EXPIRED, without calling it waived', () => {
    const row = tableRow(html, 'finding-attestation.binds-digest:mcp');
    expect(row).toContain('<span class="badge badge--bad">Fail</span>');
    expect(row).toContain('waiver <a href="#waiver-W-0">W-0</a> EXPIRED on <time datetime="2026-05-31">2026-05-31</time></strong>: not waived.');
    expect(row).not.toContain('WAIVED');
  });

  it('lists every waiver with its terms, its state, and the findings it covers; an expired one is flagged', () => {
    const waivers = between(html, '<section id="waivers"', '</section>');
    const inForce = tableRow(waivers, 'waiver-W-1');
    for (const text of ['Re-signing scheduled', 'John Roe', 'SEC-42', '2026-04-01', '2026-09-30', '<span class="badge badge--partial">In force</span>']) {
      expect(inForce).toContain(text);
    }
    expect(inForce).toContain('Image: <a href="#subject-notebook">notebook</a>');
    expect(inForce).toContain('Check: <a href="#check-signature.verified"><code>signature.verified</code></a>');
    expect(inForce).toContain(
      '<a href="#finding-signature.verified:notebook">Image signature verifies with a trusted key: notebook</a> <span class="badge badge--bad">Fail</span>',
    );
    expect(inForce).not.toContain('class="expired"');
    expect(inForce).not.toContain('EXPIRED');

    const expired = tableRow(waivers, 'waiver-W-0');
    expect(expired).toMatch(/^<tr id="waiver-W-0" class="expired">/);
    expect(expired).toContain('<span class="badge badge--bad">EXPIRED</span>');
    expect(expired).toContain('EXPIRED on <time datetime="2026-05-31">2026-05-31</time>: covers nothing.');
    expect(expired).toContain(`title="sha256:${'d'.repeat(64)}"`);
    expect(expired).toContain('Control: <a href="#control-dora/dora-9-2">Regulation (EU) 2022/2554, Art. 9(2)</a>');
    // It covers nothing, but the failure that names it is shown as not covered.
    expect(expired).toContain('<li>None.</li>');
    expect(expired).toContain('does not cover because it is not in force');
    expect(expired).toContain('href="#finding-attestation.binds-digest:mcp"');
  });

  it('shows a waiver that has not started yet as not in force, neither waived nor expired', () => {
    const pending = richReport();
    const waiver = pending.waivers.find((w) => w.id === 'W-0');
    if (!waiver) throw new Error('fixture changed');
    Object.assign(waiver, { start: '2026-08-01', expires: '2026-12-31', expired: false });
    const html = renderHtml(pending);
    expect(tableRow(html, 'waiver-W-0')).toContain('Not yet in force');
    expect(tableRow(html, 'waiver-W-0')).not.toContain('class="expired"');
    expect(tableRow(html, 'finding-attestation.binds-digest:mcp')).toContain(
      'NOT YET IN FORCE</strong> (starts <time datetime="2026-08-01">2026-08-01</time>)',
    );
  });

  it('counts waived failures in the summary as failures', () => {
    const summary = between(html, '<section id="summary"', '<section id="claims"');
    expect(summary).toContain('1 failing finding is waived; it still counts as a failure.');
    expect(summary).toMatch(/Failing findings waived \(still counted as failures\)<\/th><td class="num">1</);
    expect(summary).toMatch(/Findings: <span class="badge badge--bad">Fail<\/span><\/th><td class="num">2</);
    const more = richReport();
    more.summary.waived = 3;
    expect(renderHtml(more)).toContain('3 failing findings are waived; they still count as failures.');
  });

  it('shows manual evidence in its own section, headed as unverified, and not in the verified-evidence inventory', () => {
    const manual = between(html, '<section id="manual-evidence"', '</section>');
    expect(manual).toContain('statements given by people; not verified by auditpack');
    const policy = tableRow(manual, 'statement-policy-ict-2026');
    for (const text of [
      escaped('ICT asset policy v3 approved by the board <CISO & CRO>'),
      'Jane Doe, CISO',
      '<time datetime="2026-05-02">2026-05-02</time>',
      '<code>manual/policy.pdf</code>',
      '<code>evidence/manual/policy.pdf</code>',
      `<a href="#evidence-${MANUAL_DOC_SHA}"><code class="hash">${MANUAL_DOC_SHA}</code></a>`,
      '<a href="#control-dora/dora-8-1">Regulation (EU) 2022/2554, Art. 8(1)</a>',
    ]) {
      expect(policy).toContain(text);
    }
    const board = tableRow(manual, 'statement-board-minutes');
    expect(board).toContain('<a href="https://intranet.example/minutes/2026-06" rel="noopener noreferrer">');
    expect(board).toContain('<a href="#control-dora/dora-5-2">');
    expect(board).toContain('<code>dora/no-such-control</code> (not in this report)');
    // The document itself is listed with the manual evidence, and only there.
    expect(manual).toContain(`<tr id="evidence-${MANUAL_DOC_SHA}">`);
    const inventory = between(html, '<section id="evidence"', '</section>');
    expect(inventory).not.toContain(MANUAL_DOC_SHA);
    expect(inventory).not.toContain('manual-document');
    expect(inventory).not.toContain('ICT asset policy');
    expect(inventory).toContain('<caption>2 evidence files</caption>');
    expect(html.indexOf('id="manual-evidence"')).toBeLessThan(html.indexOf('id="evidence"'));
  });

  it('shows every check of the crosswalk with the controls it supports in each framework', () => {
    const crosswalk = between(html, '<section id="crosswalk"', '</section>');
    for (const row of report.crosswalk) {
      expect(crosswalk).toContain(`<code>${row.checkId}</code></th>`);
      expect(crosswalk).toContain(row.checkTitle);
    }
    expect(crosswalk).toContain('<th scope="col">Digital Operational Resilience Act <code>dora</code></th>');
    expect(crosswalk).toContain('<th scope="col">nis2 <code>nis2</code> (not in this report)</th>');
    expect(crosswalk).toContain('<a href="#control-dora/dora-9-2">Regulation (EU) 2022/2554, Art. 9(2)</a> (partial support)');
    expect(crosswalk).toContain('<a href="#control-dora/dora-9-2">Regulation (EU) 2022/2554, Art. 9(2)</a> (supporting)');
    expect(crosswalk).toContain('Directive (EU) 2022/2555, Art. 21(2)(d) <code>nis2-21-2-d</code> (full support)');
    // Each check with findings links to them; one cell per framework in every row.
    expect(crosswalk).toContain('<a href="#check-attestation.binds-digest">');
    const rows = between(crosswalk, '<tbody>', '</tbody>').split('<tr>').slice(1);
    expect(rows).toHaveLength(report.crosswalk.length);
    for (const row of rows) expect(row.match(/<td>/g)).toHaveLength(2);
  });

  it('has unique ids and every in-page link lands on one', () => {
    expectLinksResolve(html);
  });

  it('is deterministic and accessible with every new part present', () => {
    expect(renderHtml(richReport())).toBe(html);
    expect(html).not.toMatch(/<th(?![^>]*scope="(col|row)")[\s>]/);
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    levels.forEach((level, i) => {
      if (i > 0) expect(level - (levels[i - 1] ?? 1)).toBeLessThanOrEqual(1);
    });
  });
});

/**
 * The fixture's SBOM section with more shapes: an SBOM that meets the
 * minimum, one for an image outside the scope whose attestation is not in the
 * inventory and whose weakened citations repeat and include one the report
 * does not have, and counts whose keys are out of order.
 */
function sbomReport(): Report {
  const report = makeReport();
  const [cockpit] = report.sboms.entries;
  if (!cockpit) throw new Error('fixture changed');
  report.sboms.entries.push(
    {
      ...cockpit,
      subject: 'notebook',
      evidence: '1'.repeat(64),
      specVersion: '1.6',
      components: 42,
      grade: 'B',
      score: 80.04,
      ntia: 100,
      bsi: 60.06,
      meetsMinimum: true,
      fields: [{ id: 'ntia.name', framework: 'ntia', label: 'Component name', requirement: 'Requirement', percent: 100 }],
      byType: { application: 2, library: 40 },
      byEcosystem: { pypi: 10, golang: 10, npm: 22 },
      licences: {
        distinctSpdxIds: 3,
        expressions: 0,
        named: 0,
        unknown: 0,
        top: [
          { licence: 'Apache-2.0', components: 30 },
          { licence: 'MIT', components: 12 },
        ],
      },
      copyleft: { weak: 1, network: 0, strong: 0 },
      weakens: [],
    },
    {
      ...cockpit,
      subject: 'ghost',
      evidence: '9'.repeat(64),
      specVersion: '',
      components: 0,
      grade: 'F',
      score: 0,
      ntia: 0,
      bsi: 0,
      fields: [],
      byType: {},
      byEcosystem: {},
      licences: { distinctSpdxIds: 0, expressions: 0, named: 0, unknown: 0, top: [] },
      copyleft: {},
      weakens: ['Regulation (EU) 2022/2554, Art. 8(1)', 'Directive (EU) 2022/2555, Art. 21(2)(d)', 'Regulation (EU) 2022/2554, Art. 8(1)'],
    },
  );
  report.sboms.estate.shared.push({ component: 'pkg:npm/lodash@4.17.21', images: ['cockpit', 'notebook', 'ghost'] });
  return report;
}

/** The SBOM section of a page. */
function sbomSection(html: string): string {
  return between(html, '<section id="sboms"', '<section id="frameworks"');
}

/** The block of one SBOM, `<details>` to `</details>`. */
function sbomBlock(html: string, id: string): string {
  return between(html, `<details id="${id}"`, '</details>');
}

/** The row of the SBOM table whose header names `subject`. */
function sbomRow(html: string, subject: string): string {
  const rows = between(sbomSection(html), '<table class="sboms">', '</table>').split('<tr').slice(2);
  const row = rows.find((r) => r.includes(`>${subject}</a>`) || r.includes(`${subject} (not among`));
  expect(row, `no SBOM row for ${subject}`).toBeDefined();
  return row ?? '';
}

describe('renderHtml: SBOM quality and inventory', () => {
  const report = sbomReport();
  const html = renderHtml(report);
  const section = sbomSection(html);

  it('is in the table of contents and comes right after the findings that need attention', () => {
    expect(between(html, '<nav class="toc"', '</nav>')).toContain('<li><a href="#sboms">SBOM quality and inventory</a></li>');
    const sections = [...html.matchAll(/<section id="([^"]+)" class="major/g)].map((m) => m[1]);
    expect(sections.slice(sections.indexOf('issues'), sections.indexOf('issues') + 3)).toEqual(['issues', 'sboms', 'frameworks']);
    expect(section).toContain('<h2 id="sboms-title">SBOM quality and inventory</h2>');
    expect(section).toContain('The lowest acceptable grade for this run is <strong>C</strong>.');
    expect(section).toContain('3 SBOMs scored: 1 at or above the minimum grade C, <strong class="flag">2 BELOW it</strong>.');
  });

  it('shows each SBOM’s spec version, components, grade, score, NTIA and BSI scores, and whether it meets the minimum', () => {
    const below = sbomRow(html, 'cockpit');
    expect(below).toMatch(/^ class="below-minimum">/);
    expect(below).toContain('<a href="#subject-cockpit">cockpit</a>');
    expect(below).toContain('<td>1.5</td>');
    expect(below).toContain('<td class="num">504</td>');
    expect(below).toContain('<span class="badge badge--bad">Grade D</span>');
    expect(below).toContain('<td class="num">57.7</td>');
    expect(below).toContain('<td class="num">65.9%</td>');
    expect(below).toContain('<td class="num">49.5%</td>');
    expect(below).toContain('<td><strong class="flag">NO</strong></td>');
    expect(below).not.toContain('Yes');

    const meets = sbomRow(html, 'notebook');
    expect(meets).toMatch(/^>/);
    expect(meets).toContain('<span class="badge badge--good">Grade B</span>');
    // One decimal, whatever the model carries.
    expect(meets).toContain('<td class="num">80</td>');
    expect(meets).toContain('<td class="num">100%</td>');
    expect(meets).toContain('<td class="num">60.1%</td>');
    expect(meets).toContain('<td>Yes</td>');
    expect(meets).not.toContain('NO');
    expect(section).toContain('<th scope="col">Meets minimum grade C</th>');
    // The summary counts what is below, and points here.
    expect(between(html, '<section id="summary"', '</section>')).toContain(
      '<a href="#sboms">SBOMs below the minimum grade C</a></th><td class="num">2 of 3</td>',
    );
  });

  it('links each SBOM’s attestation to its row in the evidence inventory, or says it is not there', () => {
    expect(sbomRow(html, 'cockpit')).toContain(`<a href="#evidence-${'2'.repeat(64)}"><code class="digest" title="${'2'.repeat(64)}">`);
    expect(sbomRow(html, 'cockpit')).toContain('(dated outside the period)');
    expect(sbomRow(html, 'notebook')).toContain(`<a href="#evidence-${'1'.repeat(64)}">`);
    expect(html).toContain(`<tr id="evidence-${'1'.repeat(64)}">`);
    const ghost = sbomRow(html, 'ghost');
    expect(ghost).toContain('ghost (not among the images in scope)');
    expect(ghost).not.toContain('href="#subject-ghost"');
    expect(ghost).toContain('(not in the evidence inventory)');
    expect(ghost).not.toContain(`href="#evidence-${'9'.repeat(64)}"`);
    expect(ghost).toContain('<td>unknown</td>');
  });

  it('lists, below the minimum grade, the clauses the SBOM weakens, linked to the controls in the report', () => {
    const cockpit = sbomBlock(html, 'sbom-cockpit');
    expect(cockpit).toMatch(/^<details id="sbom-cockpit" class="sbom" open>/);
    expect(cockpit).toContain('<strong class="flag">BELOW the minimum grade C</strong></summary>');
    expect(cockpit).toContain('<strong class="flag">This SBOM weakens:</strong> <a href="#control-dora/dora-8-1">Regulation (EU) 2022/2554, Art. 8(1)</a>.');
    expect(html).toContain('<tr id="control-dora/dora-8-1">');
    // Each citation once; one the report has no control for is named, without a dangling link.
    const ghost = sbomBlock(html, 'sbom-ghost');
    expect(ghost.match(/Art\. 8\(1\)/g)).toHaveLength(1);
    expect(ghost).toContain(
      '<a href="#control-dora/dora-8-1">Regulation (EU) 2022/2554, Art. 8(1)</a>; Directive (EU) 2022/2555, Art. 21(2)(d) (not in this report).',
    );
    // An SBOM that meets the minimum weakens nothing and starts closed.
    const notebook = sbomBlock(html, 'sbom-notebook');
    expect(notebook).toMatch(/^<details id="sbom-notebook" class="sbom">/);
    expect(notebook).not.toMatch(/weakens|BELOW/);
    // A below-minimum SBOM with no control resting on it says so.
    const none = sbomReport();
    const [first] = none.sboms.entries;
    if (!first) throw new Error('fixture changed');
    first.weakens = [];
    expect(sbomBlock(renderHtml(none), 'sbom-cockpit')).toContain('no control of this report’s frameworks rests on the SBOM checks');
  });

  it('shows every field’s coverage, "n/a" where the field applies to nothing, and the counts in a fixed order', () => {
    const cockpit = sbomBlock(html, 'sbom-cockpit');
    expect(cockpit).toContain(
      `<th scope="row">${escaped('Supplier <name>')} <code>ntia.supplier</code></th>\n            <td>NTIA minimum elements</td>\n            <td class="num">12.5%</td>`,
    );
    expect(cockpit).toContain(
      '<th scope="row">SHA-512 hash <code>bsi.hash-sha512</code></th>\n            <td>BSI TR-03183-2 v2.1.0</td>\n            <td class="num">n/a</td>\n            <td>BSI TR-03183-2 v2.1.0 §5.2.2 &quot;Hash value of the deployable component&quot; (required)</td>',
    );
    expect(cockpit).toContain('<tr><th scope="row"><code>MIT</code></th><td class="num">250</td></tr>');
    for (const [label, value] of [
      ['Distinct SPDX licence ids', 12],
      ['SPDX expressions', 2],
      ['Named licences (not SPDX)', 1],
      ['Components with no known licence', 7],
    ] as const) {
      expect(cockpit).toContain(`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`);
    }
    const notebook = sbomBlock(html, 'sbom-notebook');
    const cells = (caption: string) =>
      [...between(notebook, `<caption>${caption}</caption>`, '</table>').matchAll(/<th scope="row">([^<]+)<\/th><td class="num">(\d+)</g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    // Most first, then by name.
    expect(cells('Components by ecosystem')).toEqual(['npm 22', 'golang 10', 'pypi 10']);
    expect(cells('Components by type')).toEqual(['library 40', 'application 2']);
    // Strongest obligation first, whatever the model's key order.
    expect(cells('Copyleft')).toEqual(['network copyleft 0', 'strong copyleft 0', 'weak copyleft 1']);
    expect(between(notebook, '<caption>Top licences</caption>', '</table>').indexOf('Apache-2.0')).toBeLessThan(
      between(notebook, '<caption>Top licences</caption>', '</table>').indexOf('MIT'),
    );
    const ghost = sbomBlock(html, 'sbom-ghost');
    expect(ghost).toContain('No field was scored.');
    expect(ghost).toContain('None counted.');
  });

  it('shows the estate: components, distinct packages, the most shared packages with the images listing them', () => {
    const estate = between(section, '<h3 id="sboms-estate">', '</table>');
    expect(estate).toContain('<dt>Component rows over all SBOMs</dt>\n    <dd>504</dd>');
    expect(estate).toContain('<dt>Distinct packages</dt>\n    <dd>480</dd>');
    expect(estate).toContain(
      '<th scope="row"><code>pkg:deb/debian/libc6@2.36</code></th>\n        <td>2 images: <a href="#subject-cockpit">cockpit</a>, docs (not among the images in scope)</td>',
    );
    expect(estate).toContain(
      '<td>3 images: <a href="#subject-cockpit">cockpit</a>, <a href="#subject-notebook">notebook</a>, ghost (not among the images in scope)</td>',
    );
    const none = sbomReport();
    none.sboms.estate.shared = [];
    expect(sbomSection(renderHtml(none))).toContain('No package is listed by more than one image.');
  });

  it('links the CSV inventory relative to the report, and only a plain path inside the bundle', () => {
    expect(section).toContain('<dd><a href="inventory.csv"><code>inventory.csv</code></a>: a CSV file in the bundle, beside this report');
    const withPath = (path: string | undefined) => {
      const r = makeReport();
      if (path === undefined) delete r.sboms.estate.inventoryCsv;
      else r.sboms.estate.inventoryCsv = path;
      return between(sbomSection(renderHtml(r)), '<dt>Full inventory</dt>', '</dl>');
    };
    expect(withPath('sbom/estate-inventory.csv')).toContain('<a href="sbom/estate-inventory.csv"><code>sbom/estate-inventory.csv</code></a>');
    for (const unsafe of ['../outside.csv', '/etc/passwd', 'javascript:alert(1)', 'https://evil.example/x.csv', 'a//b.csv', 'a b.csv', '.']) {
      const shown = withPath(unsafe);
      expect(shown, unsafe).not.toContain('<a ');
      expect(shown, unsafe).toContain(`<code>${escaped(unsafe)}</code>`);
    }
    expect(withPath(undefined)).toContain('No inventory CSV is in the bundle.');
  });

  it('says so when no SBOM was scored, and shows no table, block or estate', () => {
    const empty = makeReport();
    empty.sboms = { minGrade: 'C', entries: [], estate: { components: 0, distinct: 0, shared: [] } };
    const page = renderHtml(empty);
    const shown = sbomSection(page);
    expect(shown).toContain('<p class="empty">No SBOM was scored: no image in scope has an attested SBOM that auditpack could read.</p>');
    expect(shown).not.toMatch(/<table|<details|Estate inventory/);
    expect(page).toContain('<td class="num">0 of 0</td>');
    expect(renderHtml(emptyReport())).toContain('<section id="sboms"');
    expectLinksResolve(page);
  });

  it('escapes hostile strings in every SBOM field, the keys of its counts included, and shows each of them', () => {
    const payload = `<b onmouseover=alert(1)>"&'\``;
    const hostile = sbomReport();
    hostile.sboms = poisonStrings(hostile.sboms, payload);
    for (const entry of hostile.sboms.entries) {
      entry.byType[payload] = 1;
      entry.byEcosystem[`eco${payload}`] = 2;
      entry.copyleft[`kind${payload}`] = 3;
    }
    const page = renderHtml(hostile);
    expect(page).not.toMatch(/<b[\s>]/);
    const [entry] = hostile.sboms.entries;
    const [field] = entry?.fields ?? [];
    const [shared] = hostile.sboms.estate.shared;
    if (!entry || !field || !shared) throw new Error('fixture changed');
    const shown = [
      hostile.sboms.minGrade,
      entry.subject,
      entry.specVersion,
      entry.grade,
      field.id,
      field.label,
      field.framework,
      ...entry.licences.top.map((t) => t.licence),
      ...entry.weakens,
      shared.component,
      ...shared.images,
      hostile.sboms.estate.inventoryCsv ?? 'missing csv',
      `eco${payload}`,
      `kind${payload} copyleft`,
    ];
    for (const value of shown) expect(sbomSection(page), value).toContain(escaped(value));
    // Hostile ids still make unique anchors, and every link lands.
    expectLinksResolve(page);
  });

  it('has unique ids and every in-page link lands on one, an image with two SBOMs included', () => {
    expectLinksResolve(html);
    const twice = sbomReport();
    const [first] = twice.sboms.entries;
    if (!first) throw new Error('fixture changed');
    twice.sboms.entries.push({ ...first, evidence: '3'.repeat(64) });
    const page = renderHtml(twice);
    expect(page).toContain('<details id="sbom-cockpit" class="sbom" open>');
    expect(page).toContain('<details id="sbom-cockpit/2" class="sbom" open>');
    expect(page).toContain('<a href="#sbom-cockpit/2">');
    expectLinksResolve(page);
  });

  it('is deterministic, accessible, and prints every block open', () => {
    expect(renderHtml(sbomReport())).toBe(html);
    const reordered = sbomReport();
    for (const entry of reordered.sboms.entries) {
      entry.byType = Object.fromEntries(Object.entries(entry.byType).reverse());
      entry.byEcosystem = Object.fromEntries(Object.entries(entry.byEcosystem).reverse());
      entry.copyleft = Object.fromEntries(Object.entries(entry.copyleft).reverse());
    }
    expect(renderHtml(reordered)).toBe(html);
    expect(section).not.toMatch(/<th(?![^>]*scope="(col|row)")[\s>]/);
    expect(section.match(/<table/g)?.length).toBe(section.match(/<caption>/g)?.length);
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    levels.forEach((level, i) => {
      if (i > 0) expect(level - (levels[i - 1] ?? 1)).toBeLessThanOrEqual(1);
    });
    expect(html).toMatch(/@media print \{\s*details\.sbom::details-content \{ content-visibility: visible; display: block; \}/);
  });
});

describe('templates', () => {
  const tempDirs: string[] = [];
  afterEach(() => {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A scratch copy of the templates with one file replaced. */
  function templatesWith(file: string, change: (source: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'auditpack-templates-'));
    tempDirs.push(dir);
    cpSync(TEMPLATES_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
    return dir;
  }

  it('compiles every template in the templates folder', () => {
    const partials = readdirSync(join(TEMPLATES_DIR, 'partials')).filter((f) => f.endsWith('.hbs'));
    expect(partials.length).toBeGreaterThan(5);
    expect(compileAllTemplates().sort()).toEqual(['report.html.hbs', ...partials.map((p) => join('partials', p))].sort());
  });

  it('rejects a template with a syntax error or an unknown helper', () => {
    const broken = templatesWith('partials/summary.hbs', (s) => s.replace('{{badge summary.verdict}}', '{{#if}}'));
    expect(() => compileAllTemplates(broken)).toThrow(/partials\/summary\.hbs/);
    const misspelt = templatesWith('partials/summary.hbs', (s) => s.replace('{{badge summary.verdict}}', '{{badgee summary.verdict}}'));
    expect(() => compileAllTemplates(misspelt)).toThrow(AuditpackError);
  });

  it('fails the render with RENDER_FAILED when a template names a missing field', () => {
    const dir = templatesWith('partials/header.hbs', (s) => s.replace('{{run.organisation}}', '{{run.organization}}'));
    expect(() => renderHtml(makeReport(), { templatesDir: dir })).toThrow(
      expect.objectContaining({ code: 'RENDER_FAILED', message: expect.stringMatching(/organization/) }),
    );
  });

  it('refuses a stylesheet that could fetch something', () => {
    const dir = templatesWith('report.css', (s) => `${s}\nbody { background: url(https://example.com/x.png); }\n`);
    expect(() => renderHtml(makeReport(), { templatesDir: dir })).toThrow(/self-contained/);
  });
});
