import type { Report, WaiverRecord } from '../../report/model.js';
import { keyValueTable, type Cell } from './table.js';
import { COLOUR, SIZE, waiverLabel } from './style.js';
import { ensureSpace, formatCount, heading, paragraph, plural, startSection, statusLine, visible, type Doc } from './text.js';

/** How many covered finding ids a waiver lists before summarising the rest (a scope may match thousands). */
const COVERS_LIMIT = 50;

/**
 * Every waiver in the waiver file: what it covers, who approved it and why,
 * and whether it was in force at the report's clock. Expired waivers are
 * listed too, flagged, since an auditor wants to see exceptions that lapsed.
 */
export function writeWaivers(doc: Doc, report: Report): void {
  const section = startSection(doc, 'Waivers', { newPage: true });
  const waivers = report.waivers;
  paragraph(
    doc,
    'Exceptions the organisation approved, read from its waiver file. A waiver never turns a failure into a pass: ' +
      'a waived finding still reads FAIL (or ERROR) and still counts as a failure. A waiver covers findings only while ' +
      `it is in force at the report’s clock (${report.run.generatedAt}).`,
  );
  doc.moveDown(0.3);
  if (waivers.length === 0) {
    paragraph(doc, 'No waiver was given.');
    return;
  }
  const inForce = waivers.filter((w) => w.inForce).length;
  const expired = waivers.filter((w) => w.expired).length;
  const pending = waivers.length - inForce - expired;
  const covered = new Set(waivers.flatMap((w) => w.covers)).size;
  paragraph(
    doc,
    `${plural(waivers.length, 'waiver')}: ${formatCount(inForce)} in force, ${formatCount(expired)} EXPIRED` +
      `${pending > 0 ? `, ${formatCount(pending)} not yet in force` : ''}; ` +
      `${plural(covered, 'failing finding is', 'failing findings are')} covered.`,
  );
  for (const waiver of waivers) {
    ensureSpace(doc, 150); // before the bookmark, which points at the current page
    section.addItem(visible(waiver.id));
    writeWaiver(doc, waiver);
  }
}

function writeWaiver(doc: Doc, waiver: WaiverRecord): void {
  const label = waiverLabel(waiver);
  heading(doc, `Waiver ${waiver.id}`, SIZE.h3);
  statusLine(doc, label, waiverState(waiver));
  doc.moveDown(0.2);
  const state: Cell = { text: `${label.text} ${waiverState(waiver)}`, colour: label.colour, bold: true };
  keyValueTable(doc, [
    ['Scope', scopeWords(waiver.scope)],
    ['Justification', waiver.justification || '(none given)'],
    ['Approver', waiver.approver || '(none given)'],
    ['Ticket', waiver.ticket || '(none given)'],
    ['Start', waiver.start],
    ['Expires', waiver.expires],
    ['At the report’s clock', state],
    ['Findings covered', coversText(waiver)],
  ]);
  doc.moveDown(0.4);
}

function waiverState(waiver: WaiverRecord): string {
  if (waiver.inForce) return `until the end of ${waiver.expires}`;
  if (waiver.expired) return `on ${waiver.expires}; covers no finding`;
  return `until ${waiver.start}; covers no finding yet`;
}

/** The scope as the waiver file gives it; a waiver with no limit matches every failing finding. */
export function scopeWords(scope: WaiverRecord['scope']): string {
  const parts = [
    scope.image === undefined ? undefined : `image ${scope.image}`,
    scope.digest === undefined ? undefined : `digest ${scope.digest}`,
    scope.check === undefined ? undefined : `check ${scope.check}`,
    scope.control === undefined ? undefined : `control ${scope.control}`,
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join('\n') : 'every failing finding (no scope limit given)';
}

function coversText(waiver: WaiverRecord): Cell {
  if (waiver.covers.length === 0) return { text: 'none', colour: COLOUR.muted };
  const shown = waiver.covers.slice(0, COVERS_LIMIT);
  const more = waiver.covers.length - shown.length;
  const tail = more > 0 ? [`… and ${formatCount(more)} more (all listed in report.json)`] : [];
  return [`${plural(waiver.covers.length, 'finding')}:`, ...shown, ...tail].join('\n');
}
