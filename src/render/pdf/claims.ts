import type { ClaimCheck, Report } from '../../report/model.js';
import { keyValueTable } from './table.js';
import { CLAIM_VERDICTS, COLOUR, SIZE, claimVerdictLabel, insteadLabel } from './style.js';
import { bullets, ensureSpace, formatCount, heading, paragraph, plural, startSection, statusLine, visible, type Doc } from './text.js';

/**
 * The citation check, right after the executive summary: each clause the
 * organisation's own documents cite, what they said it means, what the
 * clause really is, and which provisions the evidence supports instead.
 * An auditor reads this before the controls, because a wrong citation in
 * the organisation's matrix changes which clauses to look at.
 */
export function writeClaims(doc: Doc, report: Report): void {
  const section = startSection(doc, 'Citation check', { newPage: true });
  const claims = report.claims;
  if (claims.length === 0) {
    paragraph(doc, 'No citation made by the organisation was given to check.');
    return;
  }
  paragraph(
    doc,
    `${plural(claims.length, 'citation')} from the organisation’s own documents, checked against what the cited provision is: ` + `${claimCounts(claims)}.`,
  );
  paragraph(
    doc,
    'CORRECT: the provision is what it was cited for. IMPRECISE: it is related, but a more precise provision says it. ' +
      'WRONG: the provision is about something else. UNVERIFIABLE: what the provision says could not be established. ' +
      'UNKNOWN: the citation was not checked.',
    { size: SIZE.small, colour: COLOUR.muted },
  );
  doc.moveDown(0.3);
  claims.forEach((claim, index) => {
    ensureSpace(doc, 150); // before the bookmark, which points at the current page
    section.addItem(visible(`${index + 1}. ${claim.claimed}`));
    writeClaim(doc, claim, index + 1);
  });
}

/** "1 CORRECT, 2 WRONG": only the verdicts that occur, in a fixed order. */
export function claimCounts(claims: readonly ClaimCheck[]): string {
  return CLAIM_VERDICTS.map((verdict) => [verdict, claims.filter((c) => c.verdict === verdict).length] as const)
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => `${formatCount(n)} ${claimVerdictLabel(verdict).text}`)
    .join(', ');
}

function writeClaim(doc: Doc, claim: ClaimCheck, n: number): void {
  const label = claimVerdictLabel(claim.verdict);
  heading(doc, `${n}. “${claim.claimed}”`, SIZE.h3);
  statusLine(doc, label, `as cited in ${orDash(claim.madeIn)}`);
  doc.moveDown(0.2);
  keyValueTable(doc, [
    ['Claimed citation', claim.claimed],
    ['Where it was claimed', orDash(claim.madeIn)],
    ['Said to mean', claim.claimedMeaning || '(no meaning given)'],
    ['Verdict', { text: label.text, colour: label.colour, bold: true }],
    ['What it actually is', claim.actually || 'not established'],
    ['Source', claim.source || 'none given'],
    ['Reason', claim.reason || 'none given'],
  ]);
  paragraph(doc, 'Provisions the evidence supports instead', { size: SIZE.small, bold: true });
  if (claim.instead.length === 0) {
    paragraph(doc, claim.verdict === 'correct' ? 'None needed.' : 'None named.', { size: SIZE.small, indent: 8 });
  }
  bullets(
    doc,
    claim.instead.map((i) => {
      // A provision outside this report's frameworks has no section here: its title and text are given with it.
      const text = i.status === 'not-in-report' ? `: ${i.title}${i.text === '' ? '' : `. In our words: ${i.text}`}` : '';
      return `${i.citation} (${i.framework}/${i.control}) — ${insteadLabel(i.status).text}${text}`;
    }),
    { size: SIZE.small },
  );
  doc.moveDown(0.8);
}

function orDash(text: string): string {
  return text === '' ? '—' : text;
}
