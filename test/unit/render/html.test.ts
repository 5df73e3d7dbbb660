import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { buildDocument } from '../../../src/render/content/document.js';
import { FOLD_ROWS } from '../../../src/render/content/fold.js';
import { compileAllTemplates, htmlPieces, renderHtml } from '../../../src/render/html.js';
import { makeReport } from '../../fixtures/report.js';
import { emptyReport, largeReport, poisonStrings, richReport, sbomReport, schema11Report } from '../../fixtures/report-shapes.js';
import { sectionById, sectionFragments, sectionText } from './document-text.js';

/*
 * How the HTML lays out the report document: escaping, links, structure and
 * accessibility, folding, digests, print rules, determinism, templates. What
 * the document says is tested in document.test.ts.
 */

const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** What handlebars' `{{ }}` makes of a string: written out here so the test does not trust the code under test. */
function escaped(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (c) => entities[c] ?? c);
}

/** The text a reader sees: tags dropped, entities decoded, whitespace squashed, the hidden rest of shortened digests dropped. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[^]*?<\/style>/, '')
    .replace(/<span class="rest">[^<]*<\/span>/g, '…')
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Without whitespace: layout (cells, line breaks) must not hide a string. */
const squashed = (text: string) => text.replace(/\s+/g, '');

/** Every id in the page is unique, and every in-page link lands on one. */
function expectLinksResolve(html: string): void {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  const known = new Set(ids);
  const targets = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1] ?? '');
  expect(targets.length).toBeGreaterThan(10);
  for (const target of targets) expect(known.has(target), `dangling link #${target}`).toBe(true);
}

function expectAccessible(html: string, lang = 'en'): void {
  expect(html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang}">`));
  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  levels.forEach((level, i) => {
    if (i > 0) expect(level - (levels[i - 1] ?? 1), `heading ${i}`).toBeLessThanOrEqual(1);
  });
  expect(html).not.toMatch(/<th(?![^>]*scope="(col|row)")[\s>]/);
}

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

  it('injects no markup from any string anywhere in the report, free-form keys included, and still renders', () => {
    const payload = `"'><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">`;
    for (const shape of [makeReport, richReport, schema11Report, sbomReport]) {
      const report = poisonStrings(shape(), payload);
      report.generator.libraries[payload] = payload;
      for (const finding of report.findings) finding.details[payload] = payload;
      const html = renderHtml(report);
      expect(html).not.toMatch(/<img|<script|<iframe/i);
      expect(html).not.toMatch(/\sonerror=/i);
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).toContain(escaped(payload));
    }
  });

  it('takes no report text for the place of the sections, even one spelling the marker the renderer splits its frame at', () => {
    const marker = '<auditpack-sections/>';
    const report = poisonStrings(makeReport(), marker);
    const html = renderHtml(report);
    expect(html).not.toContain(marker);
    expect(html).toContain(escaped(marker));
    // Every section laid out once, in order, between the contents and the end of <main>.
    const ids = buildDocument(report, 'en').sections.map((s) => s.id);
    expect([...html.matchAll(/<section id="([^"]+)" class="major/g)].map((m) => m[1])).toEqual(ids);
  });

  it('shows every string of the schema 1.1 parts it prints, escaped', () => {
    const payload = `<b onmouseover=alert(1)>"&'\``;
    const report = poisonStrings(richReport(), payload);
    const html = renderHtml(report);
    expect(html).not.toMatch(/<b[\s>]/);
    const [claim] = report.claims;
    const waiver = report.waivers[0];
    const statement = report.manualEvidence[0];
    if (!claim || !waiver || !statement) throw new Error('fixture changed');
    for (const value of [
      claim.claimed,
      claim.claimedMeaning,
      claim.madeIn,
      claim.actually,
      claim.reason,
      waiver.id,
      waiver.justification,
      waiver.approver,
      statement.statement,
      statement.givenBy,
      ...report.crosswalk.map((r) => r.checkTitle),
    ]) {
      expect(squashed(visibleText(html)), value).toContain(squashed(value));
    }
    expect(html).toContain(escaped(payload));
  });

  it('links only to its own anchors, to plain relative paths of the bundle and to http(s) sources, never to another scheme', () => {
    const report = richReport();
    const framework = report.frameworks[0];
    if (!framework) throw new Error('fixture changed');
    framework.source = 'javascript:alert(document.domain)';
    for (const claim of report.claims) claim.source = 'https://evil.example/';
    report.sboms.estate.inventoryCsv = '../../etc/passwd';
    const html = renderHtml(report);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) expect(href).toMatch(/^(#[^"]+|[A-Za-z0-9._~+-]+(\/[A-Za-z0-9._~+-]+)*|https:\/\/[^"\s]+)$/);
    for (const [tag] of html.matchAll(/<a href="https?:[^>]*>/g)) expect(tag).toMatch(/^<a href="https:\/\/[^"]+" rel="noopener noreferrer">$/);
    expect(html).toContain('<a href="https://evil.example/" rel="noopener noreferrer">');
    expect(hrefs).not.toContain('../../etc/passwd');
    expect(html).toContain('javascript:alert(document.domain)');
    expect(renderHtml(makeReport())).toContain('<a href="inventory.csv">');
  });

  it('shows control and bidirectional-override characters in quotes as visible marks', () => {
    const report = makeReport();
    const finding = report.findings.find((f) => f.status === 'fail');
    if (!finding) throw new Error('fixture changed');
    finding.quotes = ['\u001b[31mERROR\u001b[0m signed\u202e dengis ton'];
    const html = renderHtml(report);
    expect(html).toContain('\\x1b[31mERROR\\x1b[0m signed&lt;U+202E&gt; dengis ton');
    expect(html).not.toContain('\u001b');
    expect(html).not.toContain('\u202e');
  });
});

describe('the same document as the PDF', () => {
  it('shows every piece of text of every section of the document, in the document’s order', () => {
    for (const shape of [makeReport, schema11Report]) {
      const report = shape();
      const text = squashed(visibleText(renderHtml(report)));
      const doc = buildDocument(report, 'en');
      let from = 0;
      for (const section of [doc.cover, ...doc.sections]) {
        const at = text.indexOf(squashed(section.title), from);
        expect(at, section.id).toBeGreaterThanOrEqual(from);
        from = at;
        for (const fragment of sectionFragments(section)) expect(text, `${section.id}: ${fragment}`).toContain(squashed(fragment));
      }
    }
  });

  it('keeps shortened digests whole: the full value on hover and in the line to copy', () => {
    const html = renderHtml(makeReport());
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(html).toContain(`<code class="digest" title="${digest}">sha256:bbbbbbbbbbbb<span class="rest">${'b'.repeat(52)}</span></code>`);
    expect(visibleText(html)).toContain('notebook sha256:bbbbbbbbbbbb… FAILED');
  });

  it('lists the contents with a link to each section, and prints the sign-off page on a page of its own', () => {
    const html = renderHtml(makeReport());
    for (const id of ['findings', 'waivers', 'frameworks', 'signoff', 'appendix-controls', 'appendix-verify'])
      expect(html).toContain(`<li><a href="#${id}">`.replace('<li>', id.startsWith('appendix') ? '<li class="appendix">' : '<li>'));
    expect(html).toMatch(/<section id="signoff" class="major new-page"/);
    expect(html).toMatch(/<table class="signoff">[^]*Prepared by[^]*Reviewed by[^]*Approved by/);
  });

  it('is in French with lang="fr", French page numbers in print, and French words', () => {
    const html = renderHtml(makeReport(), { locale: 'fr' });
    expectAccessible(html, 'fr');
    expect(html).toContain('@page { @bottom-center { content: "Page " counter(page) " sur " counter(pages) ""');
    expect(visibleText(html)).toContain('Verdict global : NON CONFORME');
  });
});

describe('folding', () => {
  it('folds nothing for the sample’s sixteen images or fewer', () => {
    expect(renderHtml(makeReport())).not.toContain('<details');
    expect(renderHtml(largeReport(FOLD_ROWS, 3))).not.toContain('<details');
  });

  it('folds each long per-image table, and each image’s faults behind its heading, past FOLD_ROWS images', () => {
    const report = largeReport(FOLD_ROWS * 2, FOLD_ROWS + 1);
    const html = renderHtml(report);
    expect(html).not.toMatch(/<details open/);
    expect(html).toMatch(/<details class="fold"><summary>Show all 100 rows<\/summary>\n<table class="small">[^]*?<tr id="image-img-0">/);
    expect(html).toMatch(/<details id="issues-img-0"><summary><h3><a href="#image-img-0"><strong>img-0<\/strong><\/a>/);
    expect(html.match(/<details id="issues-/g)).toHaveLength(FOLD_ROWS + 1);
    expectLinksResolve(html);
    expectAccessible(html);
  });

  it('prints every folded group open, a long table without its "Show all N rows" (as the PDF), an image’s faults with their heading', () => {
    const html = renderHtml(makeReport());
    expect(html).toMatch(/@media print \{\s*details::details-content \{ content-visibility: visible; display: block; \}/);
    expect(html).toMatch(/@media print \{[^}]*\}[^}]*\}\s*details\.fold > summary \{ display: none; \}/);
    const large = renderHtml(largeReport(FOLD_ROWS * 2, FOLD_ROWS + 1));
    expect(large.match(/<details class="fold">/g)?.length).toBeGreaterThan(0);
    expect(large).not.toMatch(/<details class="fold"[^>]*><summary><h/);
  });

  it('folds in the document only: the PDF’s text keeps every row', () => {
    const doc = buildDocument(largeReport(FOLD_ROWS * 2, 1), 'en');
    const images = sectionText(sectionById(doc, 'images'));
    for (let i = 0; i < FOLD_ROWS * 2; i++) expect(images).toContain(`img-${i}  `);
  });
});

describe('structure', () => {
  it('has unique ids and every in-page link lands on one, for every report shape', () => {
    for (const shape of [makeReport, richReport, schema11Report, sbomReport]) expectLinksResolve(renderHtml(shape()));
  });

  it('is accessible: lang, one h1, no skipped heading level, scoped table headers', () => {
    for (const shape of [makeReport, richReport, schema11Report, sbomReport, emptyReport]) expectAccessible(renderHtml(shape()));
  });

  it('is self-contained: CSS inlined, no scripts, no external assets, a strict content security policy', () => {
    const html = renderHtml(makeReport());
    expect(html).toMatch(/<style>\n[\s\S]*@media print[\s\S]*<\/style>/);
    expect(html).toMatch(/break-before: page/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/\ssrc=/i);
  });

  it('renders an empty report, saying so in words', () => {
    const html = renderHtml(emptyReport());
    for (const s of ['No image was in scope.', 'No framework was selected for this run.', 'No public key was configured.']) expect(html).toContain(s);
    expect(html).toMatch(/<\/html>\n$/);
  });

  it('gives ids with spaces or slashes anchors that cannot collide', () => {
    const report = makeReport();
    const [first, second] = report.subjects;
    if (!first || !second) throw new Error('fixture changed');
    first.id = 'a b';
    second.id = 'a~20~b';
    for (const finding of report.findings) if (finding.subject === 'notebook') finding.subject = 'a~20~b';
    const html = renderHtml(report);
    expect(html).toContain('<tr id="image-a~20~b">');
    expect(html).toContain('<tr id="image-a~7e~20~7e~b">');
    expectLinksResolve(html);
  });
});

describe('rendered in pieces', () => {
  it('gives the frame before the sections, then one piece per section in the document’s order, then the frame after: joined, the whole document', () => {
    for (const report of [makeReport(), largeReport(120, 20)]) {
      const pieces = [...htmlPieces(report)];
      const ids = buildDocument(report, 'en').sections.map((s) => s.id);
      expect(pieces).toHaveLength(ids.length + 2);
      expect(pieces[0]).toMatch(/^<!DOCTYPE html>[^]*<\/nav>\n$/);
      expect(pieces.at(-1)).toBe('</main>\n</body>\n</html>\n');
      pieces.slice(1, -1).forEach((piece, i) => expect(piece.startsWith(`<section id="${ids[i]}"`) && piece.endsWith('</section>\n'), ids[i]).toBe(true));
      expect(pieces.join('')).toBe(renderHtml(report));
    }
  });
});

describe('determinism', () => {
  it('renders the same report to the same bytes, in each language', () => {
    expect(renderHtml(makeReport())).toBe(renderHtml(makeReport()));
    expect(renderHtml(makeReport(), { locale: 'fr' })).toBe(renderHtml(makeReport(), { locale: 'fr' }));
    expect(renderHtml(makeReport(), { locale: 'fr' })).not.toBe(renderHtml(makeReport()));
  });

  it('does not depend on the key order of the library versions', () => {
    const a = makeReport();
    a.generator.libraries = { zod: '1.0.0', '@sigstore/verify': '4.1.3', ajv: '8.20.0' };
    const b = makeReport();
    b.generator.libraries = { ajv: '8.20.0', zod: '1.0.0', '@sigstore/verify': '4.1.3' };
    expect(renderHtml(a)).toBe(renderHtml(b));
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
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(compileAllTemplates().sort()).toEqual(['report.html.hbs', ...partials.map((p) => join('partials', p))].sort());
  });

  it('rejects a template with a syntax error or an unknown helper', () => {
    const broken = templatesWith('partials/table.hbs', (s) => s.replace('{{rich this}}', '{{#if}}'));
    expect(() => compileAllTemplates(broken)).toThrow(/partials\/table\.hbs/);
    const misspelt = templatesWith('partials/table.hbs', (s) => s.replace('{{rich this}}', '{{richh this}}'));
    expect(() => compileAllTemplates(misspelt)).toThrow(AuditpackError);
  });

  it('fails the render with RENDER_FAILED when a template names a missing field', () => {
    const dir = templatesWith('report.html.hbs', (s) => s.replace('{{runningHeader}}', '{{runningHeadr}}'));
    expect(() => renderHtml(makeReport(), { templatesDir: dir })).toThrow(
      expect.objectContaining({ code: 'RENDER_FAILED', message: expect.stringMatching(/runningHeadr/) }),
    );
  });

  it('fails the render with RENDER_FAILED, saying why, when the main template does not lay the sections out once with the partial', () => {
    for (const change of [(s: string) => s.replace('{{> section}}', ''), (s: string) => s.replace('{{> section}}', '{{> section}}{{> section}}')]) {
      const dir = templatesWith('report.html.hbs', change);
      expect(() => renderHtml(makeReport(), { templatesDir: dir })).toThrow(
        expect.objectContaining({ code: 'RENDER_FAILED', message: expect.stringMatching(/lay the sections out once, with the partial 'section'/) }),
      );
    }
  });

  it('refuses a stylesheet that could fetch something', () => {
    const dir = templatesWith('report.css', (s) => `${s}\nbody { background: url(https://example.com/x.png); }\n`);
    expect(() => renderHtml(makeReport(), { templatesDir: dir })).toThrow(/self-contained/);
  });
});
