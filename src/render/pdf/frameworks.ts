import type { ControlResult, Finding, FrameworkResult, Report } from '../../report/model.js';
import { StreamingTable, keyValueTable } from './table.js';
import { COLOUR, FINDING_STATUSES, SIZE, controlLabel, findingLabel, strengthLabel } from './style.js';
import { bullets, ensureSpace, formatCount, heading, paragraph, startSection, statusLine, type Doc } from './text.js';

/** How many non-passing finding ids a control lists before summarising the rest. */
const FINDING_ID_LIMIT = 30;

/**
 * Per framework: what it is and to whom it applies; then each clause with its
 * exact citation, status, coverage over the images, the checks that support
 * it (how strongly, and why), and what this evidence cannot show.
 */
export function writeFrameworks(doc: Doc, report: Report): void {
  const section = startSection(doc, 'Frameworks and controls', { newPage: true });
  if (report.frameworks.length === 0) {
    paragraph(doc, 'No framework was selected for this run.');
    return;
  }
  const findings = new Map(report.findings.map((f) => [f.id, f]));
  report.frameworks.forEach((framework, index) => {
    if (index > 0) doc.addPage(); // before the bookmark, which points at the current page
    section.addItem(framework.title);
    writeFramework(doc, framework, findings);
  });
}

function writeFramework(doc: Doc, framework: FrameworkResult, findings: ReadonlyMap<string, Finding>): void {
  heading(doc, framework.title, SIZE.h2);
  keyValueTable(doc, [
    ['Version', framework.version],
    ['Source', framework.source],
    ['Applies to', framework.applicability],
    ['Controls', formatCount(framework.controls.length)],
  ]);
  writeControlOverview(doc, framework.controls);
  for (const control of framework.controls) writeControl(doc, control, findings);
}

/** All clauses of the framework on one table, before the detail of each. */
function writeControlOverview(doc: Doc, controls: readonly ControlResult[]): void {
  if (controls.length === 0) return;
  const table = new StreamingTable(doc, [
    { header: 'Citation', share: 150 },
    { header: 'Title', share: 145 },
    { header: 'Status', share: 105 },
    { header: 'Coverage', share: 95 },
  ]);
  for (const control of controls) {
    const label = controlLabel(control.status);
    table.row([
      control.citation,
      control.title,
      { text: label.text, colour: label.colour, bold: true },
      coverage(control),
    ]);
  }
  table.end();
}

function writeControl(doc: Doc, control: ControlResult, findings: ReadonlyMap<string, Finding>): void {
  ensureSpace(doc, 110);
  heading(doc, control.citation, SIZE.h3);
  paragraph(doc, control.title, { bold: true });
  statusLine(doc, controlLabel(control.status), `coverage: ${coverage(control)}`);
  // Fields added in report schema 1.1; absent from 1.0 reports.
  if (control.statusReason) paragraph(doc, `Why: ${control.statusReason}`, { size: SIZE.small });
  if (control.manualOnly === true) {
    paragraph(doc, 'No automated check supports this clause; only manual evidence can be recorded for it.', { size: SIZE.small });
  }
  paragraph(doc, `In our words: ${control.paraphrase}`, { colour: COLOUR.muted });
  paragraph(doc, `Source: ${control.source}`, { size: SIZE.small, colour: COLOUR.muted });

  subheading(doc, 'Supporting checks');
  if (control.support.length === 0) paragraph(doc, 'None.', { indent: 8 });
  bullets(
    doc,
    control.support.map((s) => `${s.checkTitle ? `${s.checkTitle} (${s.checkId})` : s.checkId} — ${strengthLabel(s.strength)} — ${s.reasoning}`),
  );

  subheading(doc, 'Not covered by this evidence');
  if (control.notCovered.length === 0) paragraph(doc, 'Nothing listed.', { indent: 8 });
  bullets(doc, control.notCovered);

  subheading(doc, 'Findings behind this status');
  paragraph(doc, findingSummary(control, findings), { size: SIZE.small, indent: 8 });
  doc.moveDown(0.6);
}

function subheading(doc: Doc, text: string): void {
  doc.moveDown(0.3);
  paragraph(doc, text, { size: SIZE.small, bold: true });
}

function coverage(control: ControlResult): string {
  const { passed, total } = control.coverage;
  return `${formatCount(passed)} of ${formatCount(total)} ${total === 1 ? 'image' : 'images'}`;
}

/** Counts by status, then the ids of those that did not pass (bounded: a clause may rest on thousands). */
function findingSummary(control: ControlResult, findings: ReadonlyMap<string, Finding>): string {
  if (control.findings.length === 0) return 'None.';
  const counts = new Map<string, number>();
  const notPassing: string[] = [];
  let unknown = 0;
  for (const id of control.findings) {
    const finding = findings.get(id);
    if (!finding) {
      unknown++;
      continue;
    }
    counts.set(finding.status, (counts.get(finding.status) ?? 0) + 1);
    if (finding.status !== 'pass') notPassing.push(`${id} (${findingLabel(finding.status).text})`);
  }
  const parts = FINDING_STATUSES.filter((s) => counts.has(s)).map((s) => `${formatCount(counts.get(s) ?? 0)} ${findingLabel(s).text}`);
  if (unknown > 0) parts.push(`${formatCount(unknown)} not found in this report`);
  let text = parts.join(', ') + '.';
  if (notPassing.length > 0) {
    const shown = notPassing.slice(0, FINDING_ID_LIMIT).join('; ');
    const more = notPassing.length > FINDING_ID_LIMIT ? `; … and ${formatCount(notPassing.length - FINDING_ID_LIMIT)} more` : '';
    text += ` Not passing: ${shown}${more}.`;
  }
  return text;
}
