import type { EvidenceRef, Report } from '../../report/model.js';
import { StreamingTable, type Cell } from './table.js';
import { COLOUR } from './style.js';
import { formatCount, paragraph, plural, startSection, type Doc } from './text.js';

/**
 * Every evidence file the report rests on: what it is, where it came from,
 * its SHA-256 (the id findings refer to, and the name of its verbatim copy
 * in the bundle) and its date, with files dated outside the period flagged.
 */
export function writeEvidence(doc: Doc, report: Report): void {
  startSection(doc, 'Evidence inventory', { newPage: true });
  const outside = report.evidence.filter((e) => e.dated?.inPeriod === false).length;
  const undated = report.evidence.filter((e) => e.dated === undefined).length;
  paragraph(
    doc,
    `${plural(report.evidence.length, 'evidence file')}: ${formatCount(outside)} dated outside the period, ` +
      `${formatCount(undated)} without a date. Each file is kept verbatim in the bundle; its SHA-256 is computed over its raw bytes.`,
  );
  doc.moveDown(0.5);
  if (report.evidence.length === 0) return;

  // Widths in points on A4: the SHA-256 column holds 2 lines of 32 hex digits.
  const table = new StreamingTable(doc, [
    { header: 'Kind', share: 78 },
    { header: 'Source', share: 143 },
    { header: 'SHA-256', share: 156, mono: true },
    { header: 'Dated', share: 118 },
  ]);
  for (const item of report.evidence) {
    table.row([
      `${item.kind}\n${formatCount(item.size)} bytes${item.kind === 'manual-document' ? '\ncontent not verified' : ''}`,
      [item.source, `copy: ${item.path}`, ...(item.subject === undefined ? [] : [`image: ${item.subject}`])].join('\n'),
      item.sha256,
      datedCell(item),
    ]);
  }
  table.end();
}

/** The date and what it is; a date outside the period is flagged in red words, not only in colour. */
function datedCell(item: EvidenceRef): Cell {
  if (!item.dated) return { text: 'undated', colour: COLOUR.neutral };
  const { at, what, inPeriod } = item.dated;
  return inPeriod ? `${at}\n${what}` : { text: `${at}\n${what}\nOUT OF PERIOD`, colour: COLOUR.bad };
}
