import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webUrl } from '../../../src/render/content/web-links.js';
import { renderHtml } from '../../../src/render/html.js';
import { renderPdf } from '../../../src/render/pdf.js';
import type { Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { poppler, requirePoppler } from './poppler.js';

/*
 * Web addresses the report prints from its catalogs (framework, clause and
 * citation sources) are links in the HTML (`<a href>`, http and https only,
 * rel="noopener noreferrer") and link annotations in the PDF. Anything else a
 * hostile report could put there (`javascript:`, `data:`, a quote that closes
 * the attribute) stays text.
 */

const EURLEX = 'https://eur-lex.europa.eu/eli/reg/2022/2554/oj';
const HOSTILE = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
];

/** The fixture with the framework's source replaced, and the claim citing `claimSource`. */
function withSources(frameworkSource: string, claimSource: string): Report {
  const report = makeReport();
  const [framework] = report.frameworks;
  const [claim] = report.claims;
  if (framework === undefined || claim === undefined) throw new Error('fixture changed');
  framework.source = frameworkSource;
  for (const control of framework.controls) control.source = frameworkSource;
  claim.source = claimSource;
  return report;
}

describe('webUrl', () => {
  it('accepts absolute http and https addresses, normalised', () => {
    expect(webUrl(EURLEX)).toBe(EURLEX);
    expect(webUrl('HTTP://Example.ORG/a b')).toBeUndefined();
    expect(webUrl('http://example.org/ä?q="x"')).toBe('http://example.org/%C3%A4?q=%22x%22');
  });

  it('refuses every other scheme, relative and protocol-relative addresses, and addresses with spaces or control characters', () => {
    for (const value of [
      ...HOSTILE,
      'file:///etc/passwd',
      'mailto:a@example.org',
      '//evil.example/x',
      '/eli/reg/2022/2554/oj',
      'eur-lex.europa.eu',
      '',
      'https://',
    ]) {
      expect(webUrl(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});

describe('web links in the HTML', () => {
  it('links every catalog source, with rel="noopener noreferrer"', () => {
    const html = renderHtml(makeReport());
    expect(html).toContain(`<a href="${EURLEX}" rel="noopener noreferrer">`);
    for (const [, attributes] of html.matchAll(/<a ([^>]*)>/g)) {
      if (attributes?.startsWith('href="#') === false && !/^href="[^"]+\.\w+"$/.test(attributes)) {
        expect(attributes).toMatch(/^href="https?:\/\/[^"]+" rel="noopener noreferrer"$/);
      }
    }
  });

  it('keeps a javascript: or data: source as text, escaped, and never as an href', () => {
    for (const hostile of HOSTILE) {
      const html = renderHtml(withSources(hostile, hostile));
      expect(html, JSON.stringify(hostile)).not.toMatch(/href="\s*(javascript|data):/i);
      expect(html).not.toContain('<script>');
    }
    expect(renderHtml(withSources('javascript:alert(1)', EURLEX))).toContain('javascript:alert(1)');
  });

  it('escapes an http address that tries to close the attribute: the parser percent-encodes it, the text is escaped', () => {
    const attack = 'https://example.org/"><img/src=x/onerror=alert(1)>';
    const html = renderHtml(withSources(attack, attack));
    expect(html).toContain('<a href="https://example.org/%22%3E%3Cimg/src&#x3D;x/onerror&#x3D;alert(1)%3E" rel="noopener noreferrer">');
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;img/<wbr>src&#x3D;x/<wbr>onerror&#x3D;alert(1)&gt;');
    // With spaces it is no address at all: text only.
    const spaced = renderHtml(withSources('https://example.org/"><img src=x onerror=alert(1)>', EURLEX));
    expect(spaced).not.toContain('<img');
    expect(spaced).not.toContain('href="https://example.org');
  });
});

describe('web links in the PDF', () => {
  let dir: string;
  beforeAll(() => {
    requirePoppler();
    dir = mkdtempSync(join(tmpdir(), 'auditpack-web-links-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const urls = async (report: Report, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, await renderPdf(report));
    return poppler('pdfinfo', '-url', file);
  };

  it('carries a link annotation to every catalog source it prints', async () => {
    expect(await urls(makeReport(), 'plain.pdf')).toMatch(new RegExp(`Annotation\\s+${EURLEX.replace(/[.]/g, '\\.')}`));
  });

  it('carries none for a javascript: source', async () => {
    const listed = await urls(withSources('javascript:alert(1)', 'javascript:alert(1)'), 'hostile.pdf');
    expect(listed).not.toMatch(/javascript/i);
    expect(listed.trim().split('\n')).toHaveLength(1);
  });
});
