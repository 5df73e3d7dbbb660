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
      controls: { supported: 0, 'partially-supported': 0, 'not-supported': 0, 'not-assessed': 0, 'not-applicable': 0 },
      problems: 0,
    },
    subjects: [],
    findings: [],
    frameworks: [],
    evidence: [],
    problems: [],
  };
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
      for (const href of hrefs) expect(href).toMatch(/^(#|https?:\/\/)/);
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
      const order = ['summary', 'images', 'issues', 'frameworks', 'all-findings', 'trust', 'evidence', 'problems', 'verify'];
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
