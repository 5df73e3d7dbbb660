import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../src/render/content/document.js';
import { renderOscal } from '../../../src/render/oscal.js';
import type { EvidenceRef, EvidenceTiming, Report } from '../../../src/report/model.js';
import { makeReport } from '../../fixtures/report.js';
import { documentText, occurrences, sectionById, sectionText } from './document-text.js';

/*
 * Evidence timing (issue 10, period semantics): the report flags evidence
 * from `dated.timing` when the report has it. Made before the period, within
 * the maximum age, is not a flag (an image that runs unchanged is judged on
 * the evidence of its build); after the period, stale and undatable are.
 * A report written before `timing` existed keeps its `inPeriod` flag.
 */

const Q3 = { label: '2026-Q3', start: '2026-07-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z', zone: 'UTC' };

function evidence(n: number, at: string, what: string, timing: EvidenceTiming): EvidenceRef {
  return {
    sha256: String(n).repeat(64),
    kind: 'cosign-signature',
    source: `evidence/img${n}/signature.jsonl`,
    path: `evidence/evidence/img${n}/signature.jsonl`,
    size: 100,
    dated: { at, what, inPeriod: timing === 'in-period', timing },
  };
}

/** A Q3 report over evidence of every timing: a Q2 build (still current), a run after the period, a stale one, an unreadable time, one in Q3. */
function q3Report(): Report {
  const report = makeReport();
  report.run.period = Q3;
  report.run.maxEvidenceAge = 'P1Y';
  report.evidence = [
    evidence(3, '2026-04-14T07:43:15.000Z', 'signing time', 'before-period'),
    evidence(4, '2026-10-02T09:00:00.000Z', 'signing time', 'after-period'),
    evidence(5, '2025-03-01T09:00:00.000Z', 'signing time', 'too-old'),
    evidence(6, 'yesterday', 'SBOM timestamp', 'invalid'),
    evidence(7, '2026-08-01T09:00:00.000Z', 'signing time', 'in-period'),
  ];
  return report;
}

const inventoryLine = (text: string, source: string) => {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(source));
  return lines.slice(at, at + 2).join('\n');
};

describe('evidence timing in the report', () => {
  it('does not flag a Q2 build reported in Q3: it says it was made before the period and is still current', () => {
    const text = sectionText(sectionById(buildDocument(q3Report(), 'en'), 'appendix-evidence'));
    const line = inventoryLine(text, 'evidence/img3/signature.jsonl');
    expect(line).toContain('signing time: 14 April 2026, 07:43 UTC (made before the period, still current)');
    expect(line).not.toMatch(/OUTSIDE|AFTER|STALE|UNDATABLE/);
  });

  it('flags, in words, evidence after the period, older than the maximum age, or with an unreadable time, and nothing else', () => {
    const text = sectionText(sectionById(buildDocument(q3Report(), 'en'), 'appendix-evidence'));
    expect(inventoryLine(text, 'img4/')).toContain('signing time: 2 October 2026, 09:00 UTC AFTER THE PERIOD');
    expect(inventoryLine(text, 'img5/')).toContain('signing time: 1 March 2025, 09:00 UTC STALE: older than P1Y at the end of the period');
    expect(inventoryLine(text, 'img6/')).toContain('SBOM timestamp: yesterday UNDATABLE: its time cannot be read');
    expect(inventoryLine(text, 'img7/')).toContain('signing time: 1 August 2026, 09:00 UTC');
    expect(inventoryLine(text, 'img7/')).not.toContain('(');
    expect(text).not.toContain('OUTSIDE THE PERIOD');
    expect(text).toContain('1 made before the period (they count while the image runs unchanged), 3 flagged for their date');
  });

  it('counts on page 1 only the flagged files, not those made before the period', () => {
    const cover = sectionText(buildDocument(q3Report(), 'en').cover);
    expect(cover).toContain('5 evidence files (3 flagged for their date: after the period, stale or undatable)');
  });

  it('keeps the old flag for a report written before timing existed (inPeriod only)', () => {
    const report = makeReport();
    const doc = buildDocument(report, 'en');
    expect(occurrences(sectionText(sectionById(doc, 'appendix-evidence')), 'OUTSIDE THE PERIOD')).toBe(1);
    expect(sectionText(doc.cover)).toContain('2 evidence files (1 flagged for their date');
  });

  it('says it in French', () => {
    const text = documentText(buildDocument(q3Report(), 'fr'));
    expect(text).toContain('produit avant la période, toujours valable');
    expect(text).toContain('APRÈS LA PÉRIODE');
    expect(text).toContain('PÉRIMÉ : plus ancien que P1Y');
    expect(text).toContain('NON DATABLE');
  });

  it('names the timing in the OSCAL back-matter, flagged times as flagged', () => {
    const oscal = JSON.stringify(JSON.parse(renderOscal(q3Report()).toString('utf8')));
    expect(oscal).toContain('signing time 2026-04-14T07:43:15.000Z (before the period, still current).');
    expect(oscal).toContain('signing time 2026-10-02T09:00:00.000Z (after the period: flagged).');
    expect(oscal).toContain('(older than the maximum age at the period end: flagged)');
    expect(oscal).toContain('SBOM timestamp yesterday (unreadable time: flagged).');
  });
});
