import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../src/render/content/document.js';
import { createDocument } from '../../../src/render/pdf/document.js';
import { fontPaths } from '../../../src/render/pdf/fonts.js';
import { lineHeight, singleLineHeight, toLines, type Line } from '../../../src/render/pdf/rich.js';
import { splitLine } from '../../../src/render/pdf/wrap.js';
import { makeReport } from '../../fixtures/report.js';

/*
 * Lines too long for their width are split once, where pdfkit's own wrapper
 * would break them (UAX #14), into lines that each fit, runs and links kept.
 */

const doc = createDocument(makeReport(), buildDocument(makeReport(), 'en'));
const { regular, bold, mono } = fontPaths();
const text = (line: Line) => line.map((r) => r.text).join('');
const width = (line: Line, size: number) => line.reduce((sum, r) => sum + doc.font(r.font).fontSize(size).widthOfString(r.text), 0);

describe('splitting a line that does not fit', () => {
  const line: Line = [
    { text: 'DIGEST_MISMATCH', font: mono, colour: '#000000' },
    { text: ' — signed content names another image digest; see ', font: regular, colour: '#000000' },
    { text: 'the fault of cockpit-12', font: bold, colour: '#0b4f9c', link: 'finding-x' },
    { text: ' for the evidence, high-risk and cross-referenced.', font: regular, colour: '#000000' },
  ];

  it('gives lines that each fit the width, with every character kept in order and each run in its own style', () => {
    const parts = splitLine(doc, line, 7, 120);
    expect(parts).toBeDefined();
    expect(parts!.length).toBeGreaterThan(2);
    expect(parts!.map((p) => text(p.runs)).join('')).toBe(text(line));
    for (const part of parts!) {
      expect(width(part.runs, 7)).toBeLessThanOrEqual(120);
      part.runs.forEach((run, i) => expect(part.widths[i]).toBeCloseTo(doc.font(run.font).fontSize(7).widthOfString(run.text), 5));
      for (const run of part.runs) {
        const sources = line.filter((r) => r.font === run.font && r.colour === run.colour && r.link === run.link);
        expect(sources.some((r) => r.text.includes(run.text.trim()))).toBe(true);
      }
    }
    expect(parts!.flatMap((p) => p.runs).filter((r) => r.link === 'finding-x').length).toBeGreaterThan(0);
  });

  it('breaks where pdfkit would: after spaces and hyphens, never inside a word', () => {
    const parts = splitLine(doc, line, 7, 120)!.map((p) => text(p.runs));
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/[ -]$/);
  });

  it('leaves to pdfkit a line with a word wider than the whole width', () => {
    expect(splitLine(doc, [{ text: `see ${'x'.repeat(80)} here`, font: regular, colour: '#000000' }], 7, 120)).toBeUndefined();
  });
});

describe('toLines', () => {
  it('splits a long line into lines that each take one line, and measures a line met again without measuring it twice', () => {
    const long = 'Every signature and attestation in the image’s folder verifies and binds this digest (evidence.bound), twice over.';
    const lines = toLines(doc, long, {}, new Set(), 6.6, 100);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map(text).join('')).toBe(long);
    for (const l of lines) expect(lineHeight(doc, l, 6.6, 100)).toBe(singleLineHeight(doc, 6.6));
    // The same line again: the same split, from the cache.
    expect(toLines(doc, long, {}, new Set(), 6.6, 100)).toEqual(lines);
  });

  it('keeps a line that fits as one line, and joins adjacent spans of one style into one run', () => {
    const lines = toLines(doc, ['a ', 'b', { text: ' c', bold: true }], {}, new Set(), 7, 400);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.map((r) => r.text)).toEqual(['a b', ' c']);
  });
});
