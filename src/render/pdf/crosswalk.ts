import type { CrosswalkRow, Report } from '../../report/model.js';
import { StreamingTable, type Column } from './table.js';
import { strengthLabel } from './style.js';
import { paragraph, plural, startSection, type Doc } from './text.js';

/** Framework columns per table; more frameworks continue in a further table, the check column repeated. */
const FRAMEWORKS_PER_TABLE = 3;

/**
 * Check × framework: for each automated check, the clauses it supports in
 * every framework of the report, with the exact citation and how strongly.
 * Lets an auditor who trusts one check see at once what it counts towards
 * in each framework (and that a check counts towards none).
 */
export function writeCrosswalk(doc: Doc, report: Report): void {
  startSection(doc, 'Crosswalk: checks and the controls they support', { newPage: true });
  const rows = report.crosswalk;
  const frameworks = crosswalkFrameworks(report);
  if (rows.length === 0 || frameworks.length === 0) {
    paragraph(doc, rows.length === 0 ? 'No check is in the crosswalk.' : 'No framework was selected for this run.');
    return;
  }
  paragraph(
    doc,
    `${plural(rows.length, 'check')} × ${plural(frameworks.length, 'framework')}. Each cell gives the controls the check ` +
      'supports in that framework: exact citation, strength (FULL, PARTIAL or SUPPORTING) and control id. ' +
      'A check supports a clause only when it passes; “—” means it supports no clause of that framework.',
  );
  doc.moveDown(0.5);
  for (let i = 0; i < frameworks.length; i += FRAMEWORKS_PER_TABLE) {
    writeTable(doc, rows, frameworks.slice(i, i + FRAMEWORKS_PER_TABLE));
  }
}

interface FrameworkColumn {
  id: string;
  title: string;
}

/** The report's frameworks in its order, then any other framework the crosswalk names (sorted by id). */
function crosswalkFrameworks(report: Report): FrameworkColumn[] {
  const columns: FrameworkColumn[] = report.frameworks.map((f) => ({ id: f.id, title: f.title }));
  const known = new Set(columns.map((c) => c.id));
  const extra = [...new Set(report.crosswalk.flatMap((row) => Object.keys(row.controls)))]
    .filter((id) => !known.has(id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...columns, ...extra.map((id) => ({ id, title: id }))];
}

function writeTable(doc: Doc, rows: readonly CrosswalkRow[], frameworks: readonly FrameworkColumn[]): void {
  // Points on A4: the check column, then the frameworks sharing the rest.
  const columns: Column[] = [
    { header: 'Check', share: 125 },
    ...frameworks.map((f) => ({ header: f.title === f.id ? f.id : `${f.title} (${f.id})`, share: 370 / frameworks.length })),
  ];
  const table = new StreamingTable(doc, columns);
  for (const row of rows) {
    table.row([
      row.checkTitle ? `${row.checkTitle}\n${row.checkId}` : row.checkId,
      ...frameworks.map((f) => {
        const controls = row.controls[f.id] ?? [];
        if (controls.length === 0) return '—';
        return controls.map((c) => `${c.citation} — ${strengthLabel(c.strength)} (${c.control})`).join('\n');
      }),
    ]);
  }
  table.end();
}
