import { CONTROL_STATUSES, FINDING_STATUSES, type Report } from '../../report/model.js';
import { keyValueTable } from './table.js';
import { COLOUR, controlLabel, findingLabel, subjectLabel, verdictLabel } from './style.js';
import { claimCounts } from './claims.js';
import { bullets, formatCount, heading, paragraph, plural, startSection, type Doc } from './text.js';

/** How many images needing attention the summary names before pointing to the table. */
const ATTENTION_LIMIT = 15;

/**
 * The page an auditor reads first: the verdict, the counts behind it, the
 * images that need attention, and how to read "supported".
 */
export function writeExecutiveSummary(doc: Doc, report: Report): void {
  const { summary } = report;
  startSection(doc, 'Executive summary', { newPage: false });

  const verdict = verdictLabel(summary.verdict);
  paragraph(
    doc,
    `Overall verdict: ${verdict.text}. Of ${plural(summary.subjects.total, 'image')} in scope, ` +
      `${formatCount(summary.subjects.verified)} verified, ${formatCount(summary.subjects.withFailures)} with failed checks ` +
      `and ${formatCount(summary.subjects.withErrors)} with checks that could not be decided.`,
  );
  if (summary.waived > 0) paragraph(doc, waivedSentence(summary.waived), { bold: true, colour: COLOUR.warn });
  doc.moveDown(0.5);

  keyValueTable(doc, [
    ['Images', imageCounts(report)],
    ['Findings', FINDING_STATUSES.map((s) => `${formatCount(summary.findings[s])} ${findingLabel(s).text}`).join('\n')],
    ['Controls', CONTROL_STATUSES.map((s) => `${formatCount(summary.controls[s])} ${controlLabel(s).text}`).join('\n')],
    ['Evidence files', evidenceCounts(report)],
    ['Input problems', formatCount(summary.problems)],
    ['Waived failures', summary.waived > 0 ? `${formatCount(summary.waived)}, still counted as failures` : 'none'],
    ['Waivers', waiverCounts(report)],
    ['Citations checked', report.claims.length > 0 ? claimCounts(report.claims) : 'none given'],
    ['Manual statements', `${formatCount(report.manualEvidence.length)}, not verified by auditpack`],
  ]);

  writeAttentionList(doc, report);

  heading(doc, 'How to read this report', 10);
  paragraph(
    doc,
    'The evidence in this report supports clauses of the frameworks; it never satisfies them. ' +
      'A status combines coverage (images whose checks passed) with the mapping’s strength, both printed beside it; ' +
      `${controlLabel('relevant-not-sufficient').text} never reads as support. ` +
      'Whether the organisation meets the clause remains the auditor’s judgement: each control lists ' +
      'what is not covered by this evidence. An error or a missing piece of evidence is never counted as a pass.',
  );
}

/** "N failing findings are waived; they still count as failures", in the singular for one. */
export function waivedSentence(n: number): string {
  return n === 1
    ? '1 failing finding is waived; it still counts as a failure.'
    : `${formatCount(n)} failing findings are waived; they still count as failures.`;
}

function waiverCounts(report: Report): string {
  const { waivers } = report;
  if (waivers.length === 0) return 'none given';
  const inForce = waivers.filter((w) => w.inForce).length;
  const expired = waivers.filter((w) => w.expired).length;
  const pending = waivers.length - inForce - expired;
  return `${formatCount(inForce)} in force, ${formatCount(expired)} EXPIRED${pending > 0 ? `, ${formatCount(pending)} not yet in force` : ''}`;
}

function imageCounts(report: Report): string {
  const s = report.summary.subjects;
  return [
    `${formatCount(s.total)} in scope`,
    `${formatCount(s.verified)} VERIFIED`,
    `${formatCount(s.withFailures)} with failed checks`,
    `${formatCount(s.withErrors)} with undecided checks (ERROR)`,
  ].join('\n');
}

function evidenceCounts(report: Report): string {
  const outside = report.evidence.filter((e) => e.dated?.inPeriod === false).length;
  return `${formatCount(report.evidence.length)} files, ${formatCount(outside)} dated outside the period`;
}

function writeAttentionList(doc: Doc, report: Report): void {
  const attention = report.subjects.filter((s) => s.status !== 'verified');
  if (attention.length === 0) return;
  heading(doc, 'Images that need attention', 10);
  const items = attention.slice(0, ATTENTION_LIMIT).map((s) => {
    const why = s.headlines.length > 0 ? `: ${s.headlines.join('; ')}` : '';
    return `${s.id} (${subjectLabel(s.status).text})${why}`;
  });
  bullets(doc, items);
  if (attention.length > ATTENTION_LIMIT) {
    paragraph(doc, `… and ${formatCount(attention.length - ATTENTION_LIMIT)} more: see “Images”.`, { colour: COLOUR.muted });
  }
}
