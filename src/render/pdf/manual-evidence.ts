import type { ManualEvidence, Report } from '../../report/model.js';
import { keyValueTable, type Cell } from './table.js';
import { COLOUR, SIZE } from './style.js';
import { ensureSpace, heading, paragraph, plural, startSection, visible, type Doc } from './text.js';

export const MANUAL_EVIDENCE_TITLE = 'Manual evidence: statements not verified by auditpack';

/**
 * Statements people gave for what automation cannot show (a policy, an
 * approval). Kept in their own section, apart from the evidence inventory,
 * and headed as what they are: auditpack records who said what and when,
 * and the digest of any document they point to; it verifies none of it.
 */
export function writeManualEvidence(doc: Doc, report: Report): void {
  const section = startSection(doc, MANUAL_EVIDENCE_TITLE, { newPage: true });
  paragraph(doc, 'Statements given by people. auditpack has not verified them.', { bold: true });
  paragraph(
    doc,
    'They are recorded against the controls they concern so that the auditor can weigh them, apart from the evidence ' +
      'auditpack checked, and they do not change any finding or control status. A document a statement refers to is ' +
      'kept in the bundle with its SHA-256 (and listed in the evidence inventory as a manual document): the digest shows ' +
      'that the file is the one given, not that what it says is true.',
  );
  doc.moveDown(0.3);
  const statements = report.manualEvidence;
  if (statements.length === 0) {
    paragraph(doc, 'No manual statement was recorded.');
    return;
  }
  paragraph(doc, `${plural(statements.length, 'statement')} recorded.`);
  const citations = citationIndex(report);
  for (const statement of statements) {
    ensureSpace(doc, 150); // before the bookmark, which points at the current page
    section.addItem(visible(statement.id));
    writeStatement(doc, statement, citations);
  }
}

function writeStatement(doc: Doc, statement: ManualEvidence, citations: ReadonlyMap<string, string>): void {
  heading(doc, `${statement.id} — statement, not verified`, SIZE.h3);
  const rows: [string, Cell][] = [
    ['Statement', statement.statement],
    ['Given by', statement.givenBy],
    ['Given at', statement.givenAt],
    ['Reference', statement.reference ?? '(none given)'],
  ];
  if (statement.document) {
    rows.push(
      ['Document', statement.document.source],
      ['Copy in the bundle', statement.document.path],
      ['Document SHA-256', { text: statement.document.sha256, mono: true }],
    );
  } else {
    rows.push(['Document', { text: 'none given', colour: COLOUR.muted }]);
  }
  rows.push(['Recorded against', controlsText(statement.controls, citations)]);
  keyValueTable(doc, rows);
  doc.moveDown(0.4);
}

/** `framework/control` → the control's citation, for the controls in this report. */
function citationIndex(report: Report): Map<string, string> {
  const index = new Map<string, string>();
  for (const framework of report.frameworks) {
    for (const control of framework.controls) index.set(`${framework.id}/${control.id}`, control.citation);
  }
  return index;
}

function controlsText(controls: readonly string[], citations: ReadonlyMap<string, string>): string {
  if (controls.length === 0) return 'no control';
  return controls
    .map((id) => {
      const citation = citations.get(id);
      return citation === undefined ? `${id} (not in this report)` : `${citation} (${id})`;
    })
    .join('\n');
}
