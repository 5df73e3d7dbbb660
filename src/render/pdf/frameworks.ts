import { FINDING_STATUSES, type ControlResult, type Finding, type FrameworkResult, type Report } from '../../report/model.js';
import { StreamingTable, keyValueTable } from './table.js';
import { COLOUR, SIZE, controlLabel, entityTypeWords, findingLabel, strengthLabel } from './style.js';
import { bullets, ensureSpace, formatCount, heading, paragraph, startSection, statusLine, type Doc } from './text.js';
import { fullWhenWords, strengthWords } from '../../report/vocabulary.js';

/** How many non-passing finding ids a control lists before summarising the rest. */
const FINDING_ID_LIMIT = 30;
/** How many waived subjects or manual-evidence ids a control names before summarising the rest. */
const NAME_LIMIT = 30;

/**
 * Per framework: what it is and to whom it applies; then each clause with its
 * exact citation, status and why, coverage over the images, the checks that
 * support it (how strongly, and why), what this evidence cannot show, the
 * subjects whose failures are waived, and the manual statements recorded
 * against it.
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
    ...(framework.celex ? ([['CELEX number', framework.celex]] as const) : []),
    ['Source', framework.source],
    ['Applies to', framework.applicability],
    ['Binds these entities', appliesToWords(framework.appliesTo)],
    ['Controls', formatCount(framework.controls.length)],
  ]);
  writeControlOverview(doc, framework.controls);
  for (const control of framework.controls) writeControl(doc, control, findings);
}

/** All clauses of the framework on one table, before the detail of each. */
function writeControlOverview(doc: Doc, controls: readonly ControlResult[]): void {
  if (controls.length === 0) return;
  const table = new StreamingTable(doc, [
    { header: 'Citation', share: 140 },
    { header: 'Title', share: 120 },
    { header: 'Status', share: 100 },
    { header: 'Strength', share: 65 },
    { header: 'Coverage', share: 70 },
  ]);
  for (const control of controls) {
    const label = controlLabel(control.status);
    table.row([
      control.citation,
      control.titleFr ? `${control.title}\nFR: ${control.titleFr}` : control.title,
      { text: control.manualOnly ? `${label.text}\nMANUAL ONLY` : label.text, colour: label.colour, bold: true },
      control.strength === null ? 'none (manual)' : strengthLabel(control.strength),
      coverage(control),
    ]);
  }
  table.end();
}

function writeControl(doc: Doc, control: ControlResult, findings: ReadonlyMap<string, Finding>): void {
  ensureSpace(doc, 110);
  heading(doc, control.citation, SIZE.h3);
  paragraph(doc, control.titleFr ? `${control.title}  ·  FR: ${control.titleFr}` : control.title, { bold: true });
  statusLine(
    doc,
    controlLabel(control.status),
    `coverage: ${coverage(control)}; ${strengthWords(control.strength)}${control.appliesFrom ? `; applies from ${control.appliesFrom}` : ''}`,
  );
  if (control.statusReason) paragraph(doc, `Why: ${control.statusReason}`, { size: SIZE.small, indent: 8 });
  if (control.manualOnly) {
    statusLine(doc, { text: 'MANUAL ONLY', colour: COLOUR.warn }, 'no automated check supports this clause; only manual evidence can be recorded for it.', {
      size: SIZE.small,
    });
  }
  if (control.waivedSubjects.length > 0) {
    paragraph(doc, `Failures for ${names(control.waivedSubjects)} are waived — still counted as failures.`, {
      size: SIZE.small,
      bold: true,
      colour: COLOUR.warn,
    });
  }
  if (control.manualEvidence.length > 0) {
    paragraph(doc, `Manual evidence recorded (statements given by people, not verified by auditpack): ${names(control.manualEvidence)}.`, { size: SIZE.small });
  } else if (control.manualOnly) {
    paragraph(doc, 'No manual evidence was recorded against it.', { size: SIZE.small });
  }
  paragraph(doc, `In our words: ${control.paraphrase}`, { colour: COLOUR.muted });
  paragraph(doc, `Source: ${control.source}`, { size: SIZE.small, colour: COLOUR.muted });

  subheading(doc, 'Supporting checks');
  if (control.support.length === 0) paragraph(doc, 'None.', { indent: 8 });
  bullets(
    doc,
    control.support.map(
      (s) =>
        `${s.checkTitle ? `${s.checkTitle} (${s.checkId})` : s.checkId} — ${strengthLabel(s.strength)}${s.fullWhen ? ` (${fullWhenWords(s.fullWhen)})` : ''} — ${s.reasoning}`,
    ),
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

/** "a, b and c"; bounded, since a waiver or a statement may cover thousands of subjects. */
function names(items: readonly string[]): string {
  const shown = items.slice(0, NAME_LIMIT);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${formatCount(more)} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}

/** The entity types a framework binds, in words, in the catalog's order. */
function appliesToWords(types: readonly string[]): string {
  return types.length > 0 ? types.map(entityTypeWords).join(', ') : 'not stated';
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
