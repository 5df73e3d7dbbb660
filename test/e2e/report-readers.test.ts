import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { UIStrings, type UIStringKey } from '../../src/report/ui-strings.js';
import { UIStringsFr } from '../../src/report/ui-strings.fr.js';
import { literalParts } from '../unit/render/icu.js';
import { GOLDEN_CLOCK, SAMPLE_CONFIG, auditpack, tool } from './cli.js';

/*
 * The sample report read with the tools auditors use: poppler's pdfinfo and
 * pdftotext on the PDF, the HTML's text; in English and in French.
 */

let work: string;
let report: Report;
const text: Record<'en' | 'fr', { pages: string[]; html: string }> = { en: { pages: [], html: '' }, fr: { pages: [], html: '' } };

function htmlText(html: string): string {
  return html
    .replace(/<style>[^]*?<\/style>/, '')
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-readers-'));
  for (const locale of ['en', 'fr'] as const) {
    const out = join(work, locale);
    const run = auditpack('report', '--config', SAMPLE_CONFIG, '--out', out, '--clock', GOLDEN_CLOCK, '--locale', locale);
    expect(run.status, run.stderr).toBe(1);
    text[locale].pages = tool('pdftotext', '-layout', join(out, 'report.pdf'), '-').split('\f').slice(0, -1);
    text[locale].html = htmlText(await readFile(join(out, 'report.html'), 'utf8'));
    if (locale === 'en') {
      report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
      expect(Number(/^Pages:\s+(\d+)$/m.exec(tool('pdfinfo', join(out, 'report.pdf')))?.[1])).toBe(text.en.pages.length);
    }
  }
}, 600_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Occurrences of `id` as a whole name: not inside a longer one (notebook-full is not notebook). */
const countName = (haystack: string, id: string) =>
  haystack.match(new RegExp(`(?<![\\w.-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g'))?.length ?? 0;

/** The lines from the heading `title` (a line of its own) to the next line that is exactly one of `next`. */
function between(pages: readonly string[], title: string, next: readonly string[]): string {
  const lines = pages.join('\n').split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && next.includes(l.trim()));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('the sample PDF, read with poppler', () => {
  it('fits in 25 pages', () => {
    expect(text.en.pages.length).toBeLessThanOrEqual(25);
  });

  it('names each image exactly once on page 1, with the verdict and the seal key', () => {
    const first = text.en.pages[0] ?? '';
    for (const s of report.subjects) expect(countName(first, s.id), s.id).toBe(1);
    expect(first).toContain('Overall verdict: FAIL — 3 of 16 images in scope need attention');
    expect(first).toContain(report.seal?.keyFingerprint ?? 'no seal');
  });

  it('states each failing check of each image exactly once in the faults section, under that image', () => {
    const faults = between(text.en.pages, 'Faults and their evidence', ['Citation check', 'Changes since the previous period']);
    const failing = report.subjects.filter((s) => s.status !== 'verified');
    expect(failing.length).toBe(3);
    for (const subject of failing) {
      const start = faults.search(new RegExp(`^${subject.id}\\s+FAILED$`, 'm'));
      expect(start, subject.id).toBeGreaterThanOrEqual(0);
      const rest = faults.slice(start + subject.id.length);
      const next = failing
        .filter((s) => s !== subject)
        .map((s) => rest.search(new RegExp(`^${s.id}\\s+FAILED$`, 'm')))
        .filter((i) => i >= 0);
      const block = rest.slice(0, next.length > 0 ? Math.min(...next) : undefined);
      for (const finding of report.findings.filter((f) => f.subject === subject.id && (f.status === 'fail' || f.status === 'error'))) {
        expect(countName(block, finding.checkId), `${subject.id}: ${finding.checkId}`).toBe(1);
      }
    }
    for (const verified of report.subjects.filter((s) => s.status === 'verified')) expect(faults).not.toMatch(new RegExp(`^${verified.id}\\s+VERIFIED$`, 'm'));
  });
});

describe('the chain of custody in the sample PDF and HTML', () => {
  const rowStarts = (block: string, start: string) => block.split('\n').filter((l) => l.trimStart().startsWith(start)).length;

  it('gives every image its row, four resting on signed provenance and twelve on UNSIGNED CI exports', () => {
    const custody = between(text.en.pages, 'Chain of custody', ['SBOM quality and inventory']);
    for (const s of report.subjects) expect(countName(custody, s.id), s.id).toBeGreaterThanOrEqual(1);
    expect(custody).toContain('16 images: 4 with signed provenance as custody record, 12 resting on unsigned CI exports only, 0 with no custody record.');
    expect(rowStarts(custody, 'signed provenance ')).toBe(4);
    expect(rowStarts(custody, 'UNSIGNED CI export ')).toBe(12);
    expect(custody).toMatch(/^mlflow\s+CLAIMED\s+CLAIMED\s+CLAIMED\s+VERIFIED signed\s+VERIFIED signed\s+VERIFIED$/m);
    expect(text.en.html).toContain('Chain of custody');
    expect(text.en.html).toMatch(/mlflow UNSIGNED CI export CLAIMED UNSIGNED /);
  });

  it('says it in French', () => {
    const custody = between(text.fr.pages, 'Chaîne de traçabilité', ['Qualité et inventaire des SBOM']);
    expect(rowStarts(custody, 'export CI NON SIGNÉ ')).toBe(12);
    expect(text.fr.html).toContain('Chaîne de traçabilité');
  });
});

describe('the sample report in French (--locale fr)', () => {
  /** Runs of text of the English catalog that the French one does not share, long enough to be prose, and not in the report's own data. */
  function englishProse(): string[] {
    const data = JSON.stringify(report);
    const french = Object.values(UIStringsFr).join('\n');
    return (Object.keys(UIStrings) as UIStringKey[])
      .filter((key) => UIStrings[key] !== UIStringsFr[key])
      .flatMap((key) => literalParts(UIStrings[key]))
      .map((part) => part.trim())
      .filter((part) => part.length >= 16 && part.includes(' ') && !french.includes(part) && !data.includes(part));
  }

  it('reads as French throughout, in the PDF and the HTML: no English sentence of the interface is left', () => {
    const prose = englishProse();
    expect(prose.length).toBeGreaterThan(100);
    const pdf = text.fr.pages.join('\n').replace(/\s+/g, ' ');
    for (const part of prose) {
      expect(pdf, part).not.toContain(part);
      expect(text.fr.html, part).not.toContain(part);
    }
  });

  it('has French section titles, verdict and page numbers', () => {
    const pdf = text.fr.pages.join('\n');
    for (const key of ['section.findings', 'section.frameworks', 'section.signoff', 'section.verify'] as const) {
      expect(pdf).toContain(UIStringsFr[key]);
      expect(text.fr.html).toContain(UIStringsFr[key]);
      expect(pdf).not.toContain(UIStrings[key]);
    }
    expect(text.fr.pages[0]).toContain('Verdict global : NON CONFORME');
    text.fr.pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} sur ${text.fr.pages.length}`));
  });
});
