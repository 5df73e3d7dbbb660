/** The crosswalk: for each check, the controls it supports in each framework of the report. */
import type { CrosswalkRow, Report } from '../../report/model.js';
import { compareText } from './anchors.js';
import { checkLink, controlKey, controlLink, type Lookups } from './lookups.js';

export function viewCrosswalk(report: Report, lookups: Lookups) {
  const columns = crosswalkColumns(report);
  return {
    columns,
    rows: report.crosswalk.map((row) => viewRow(row, columns, lookups)),
  };
}

/**
 * One column per framework of the report, in its order; a framework the
 * crosswalk names but the report does not comes after, by id, flagged as such.
 */
function crosswalkColumns(report: Report) {
  const known = new Set(report.frameworks.map((f) => f.id));
  const extra = [...new Set(report.crosswalk.flatMap((row) => Object.keys(row.controls)))].filter((id) => !known.has(id)).sort(compareText);
  return [...report.frameworks.map((f) => ({ id: f.id, title: f.title, inReport: true })), ...extra.map((id) => ({ id, title: id, inReport: false }))];
}

function viewRow(row: CrosswalkRow, columns: { id: string }[], lookups: Lookups) {
  return {
    check: checkLink(row.checkId, lookups),
    checkId: row.checkId,
    checkTitle: row.checkTitle,
    cells: columns.map((column) => ({
      controls: (Object.hasOwn(row.controls, column.id) ? (row.controls[column.id] ?? []) : []).map((c) => ({
        ...c,
        anchor: controlLink(controlKey(column.id, c.control), lookups).anchor,
      })),
    })),
  };
}
