import type { Report } from '../../report/model.js';
import { StreamingTable } from './table.js';
import { paragraph, plural, startSection, type Doc } from './text.js';

/** Inputs auditpack could not use, so the auditor knows what the report did not look at. */
export function writeProblems(doc: Doc, report: Report): void {
  startSection(doc, 'Input problems', { newPage: true });
  if (report.problems.length === 0) {
    paragraph(doc, 'No problems were found while reading the inputs.');
    return;
  }
  paragraph(doc, `${plural(report.problems.length, 'problem')} found while reading the inputs. ` + 'Paths are relative to the configuration file’s folder.');
  doc.moveDown(0.5);
  const table = new StreamingTable(doc, [
    { header: 'File', share: 150 },
    { header: 'Code', share: 117 },
    { header: 'Reason', share: 168 },
    { header: 'Image', share: 60 },
  ]);
  for (const problem of report.problems) {
    table.row([problem.file, problem.code, problem.reason, problem.subject ?? '—']);
  }
  table.end();
}
