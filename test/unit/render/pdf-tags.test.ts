import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/render/pdf.js';
import { makeReport } from '../../fixtures/report.js';

/* The structure tree as poppler reads it (pdfinfo -struct, -struct-text). */
let file: string;
let dir: string;
const pdfinfo = (...args: string[]) => execFileSync('pdfinfo', [...args, file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'auditpack-tags-'));
  file = path.join(dir, 'tagged.pdf');
  writeFileSync(file, await renderPdf(makeReport()));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tagged PDF', () => {
  it('says it is tagged and has one Document holding headings, paragraphs and tables in reading order', () => {
    expect(pdfinfo()).toMatch(/^Tagged:\s+yes$/m);
    const types = pdfinfo('-struct')
      .split('\n')
      .filter((l) => /^\s*[A-Z][A-Za-z0-9]*( |$)/.test(l))
      .map((l) => l.trim().split(' ')[0]);
    expect(types[0]).toBe('Document');
    expect(types.filter((t) => t === 'Document')).toHaveLength(1);
    for (const t of ['H1', 'H2', 'P', 'Table', 'TR', 'TD', 'Code']) expect(types, t).toContain(t);
    expect(types.indexOf('H1')).toBeLessThan(types.indexOf('Table'));
  });

  it('carries the report text in its structure, and leaves page headers and footers out as artifacts', async () => {
    // poppler's -struct-text is slow on big trees: a report with little in it keeps this test fast.
    const small = makeReport();
    Object.assign(small, {
      subjects: small.subjects.slice(0, 1),
      findings: [],
      frameworks: [],
      evidence: [],
      crosswalk: [],
      claims: [],
      waivers: [],
      manualEvidence: [],
    });
    const smallFile = path.join(dir, 'small.pdf');
    writeFileSync(smallFile, await renderPdf(small));
    const text = execFileSync('pdfinfo', ['-struct-text', smallFile], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    expect(text).toContain('Supply-chain evidence audit report');
    expect(text).toContain('cockpit');
    expect(text).not.toMatch(/Page \d+ of \d+/);
    expect(execFileSync('pdftotext', [smallFile, '-'], { encoding: 'utf8' })).toMatch(/Page 1 of \d+/);
  });
});
