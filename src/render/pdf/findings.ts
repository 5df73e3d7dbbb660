import type { EvidenceRef, Finding, Report, SubjectResult, WaiverRecord } from '../../report/model.js';
import { fontPaths } from './fonts.js';
import { COLOUR, SIZE, findingLabel } from './style.js';
import { tagged } from './tags.js';
import {
  ensureSpace,
  formatCount,
  hasControlCharacters,
  heading,
  paragraph,
  plural,
  monoBlock,
  shortDigest,
  startSection,
  statusLine,
  visible,
  wrapMono,
  contentWidth,
  type Doc,
} from './text.js';

/** Indent of a finding's body under its status line. */
const BODY_INDENT = 14;

/**
 * The failed and errored findings, grouped by image in the report's order,
 * each with its code, message and the evidence lines it quotes verbatim.
 * Passing findings are only counted: the images table already says which
 * images are clean, and listing thousands of passes would bury the failures.
 */
export function writeFindings(doc: Doc, report: Report): void {
  const section = startSection(doc, 'Failed and errored findings', { newPage: true });
  const groups = groupBySubject(report);
  const evidence = new Map(report.evidence.map((e) => [e.sha256, e]));
  const waivers = new Map(report.waivers.map((w) => [w.id, w]));
  const clean: string[] = [];

  for (const { id, subject, findings } of groups) {
    const problems = findings.filter((f) => f.status === 'fail' || f.status === 'error');
    if (problems.length === 0) {
      clean.push(id);
      continue;
    }
    ensureSpace(doc, 120); // before the bookmark, which points at the current page
    section.addItem(id);
    writeSubjectHeading(doc, id, subject, findings.length, problems.length);
    for (const finding of problems) writeFinding(doc, finding, evidence, waivers);
  }

  if (clean.length === groups.length) paragraph(doc, 'No check failed or errored.');
  if (clean.length > 0) {
    heading(doc, 'Images with no failed or errored finding', SIZE.h3);
    paragraph(doc, clean.join(', '));
  }
}

/**
 * A waiver never turns a failure into a pass: the note says so next to the
 * status it leaves unchanged. A waiver not in force covers nothing; the
 * waiver file's record tells an expired one from one that has not started
 * (a finding's own copy only says "not in force").
 */
export function waiverNote(waiver: NonNullable<Finding['waiver']>, records: ReadonlyMap<string, WaiverRecord>): { text: string; colour: string } {
  if (waiver.inForce) {
    return { text: `WAIVED by ${waiver.id} (expires ${waiver.expires}). Still counted as a failure.`, colour: COLOUR.warn };
  }
  const record = records.get(waiver.id);
  if (record && !record.expired) {
    return { text: `waiver ${waiver.id} NOT YET IN FORCE (starts ${record.start}); the failure is not waived.`, colour: COLOUR.bad };
  }
  return { text: `waiver ${waiver.id} EXPIRED on ${waiver.expires}; the failure is not waived.`, colour: COLOUR.bad };
}

function writeWaiverNote(doc: Doc, waiver: NonNullable<Finding['waiver']>, records: ReadonlyMap<string, WaiverRecord>): void {
  const note = waiverNote(waiver, records);
  paragraph(doc, note.text, { size: SIZE.small, bold: true, colour: note.colour, indent: BODY_INDENT });
}

interface SubjectGroup {
  id: string;
  subject: SubjectResult | undefined;
  findings: Finding[];
}

/** Images in the report's order, then any subject a finding names that is not in the list. */
function groupBySubject(report: Report): SubjectGroup[] {
  const groups = new Map<string, SubjectGroup>();
  for (const subject of report.subjects) groups.set(subject.id, { id: subject.id, subject, findings: [] });
  for (const finding of report.findings) {
    let group = groups.get(finding.subject);
    if (!group) {
      group = { id: finding.subject, subject: undefined, findings: [] };
      groups.set(finding.subject, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

function writeSubjectHeading(doc: Doc, id: string, subject: SubjectResult | undefined, total: number, problems: number): void {
  heading(doc, id, SIZE.h2);
  if (subject) {
    paragraph(doc, subject.ref, { size: SIZE.small });
    const { mono } = fontPaths();
    doc.font(mono).fontSize(SIZE.small).fillColor(COLOUR.text);
    doc.text(wrapMono(doc, visible(subject.digest), contentWidth(doc), SIZE.small), doc.page.margins.left, undefined, {
      ...tagged(doc, 'P'),
      width: contentWidth(doc),
    });
  } else {
    paragraph(doc, 'This subject is not in the list of images in scope.', { size: SIZE.small, colour: COLOUR.muted });
  }
  paragraph(doc, `${plural(total, 'finding')}, of which ${formatCount(problems)} failed or errored.`, {
    size: SIZE.small,
    colour: COLOUR.muted,
  });
  doc.moveDown(0.4);
}

function writeFinding(doc: Doc, finding: Finding, evidence: ReadonlyMap<string, EvidenceRef>, waivers: ReadonlyMap<string, WaiverRecord>): void {
  ensureSpace(doc, 60);
  statusLine(doc, findingLabel(finding.status), finding.checkTitle);
  const meta = [`check ${finding.checkId}`, `code ${finding.code ?? '(none given)'}`, `finding ${finding.id}`];
  paragraph(doc, meta.join(' · '), { size: SIZE.small, colour: COLOUR.muted, indent: BODY_INDENT });
  paragraph(doc, finding.message, { indent: BODY_INDENT });
  if (finding.waiver) writeWaiverNote(doc, finding.waiver, waivers);

  const quotes = finding.quotes ?? [];
  if (quotes.length > 0) {
    doc.moveDown(0.2);
    const escaped = quotes.some(hasControlCharacters) ? '; control characters are shown as \\xNN' : '';
    paragraph(doc, `Quoted verbatim from the evidence (${plural(quotes.length, 'line')}${escaped}):`, {
      size: SIZE.small,
      colour: COLOUR.muted,
      indent: BODY_INDENT,
    });
    for (const line of quotes) monoBlock(doc, line, BODY_INDENT);
  }

  const details = Object.entries(finding.details);
  if (details.length > 0) {
    doc.moveDown(0.2);
    for (const [key, value] of details) paragraph(doc, `${key}: ${value}`, { size: SIZE.small, indent: BODY_INDENT });
  }
  if (finding.evidence.length > 0) {
    const refs = finding.evidence.map((sha) => {
      const ref = evidence.get(sha);
      return ref ? `${ref.source} (sha256 ${shortDigest(sha)})` : `sha256 ${sha}`;
    });
    paragraph(doc, `Evidence: ${refs.join('; ')}`, { size: SIZE.small, colour: COLOUR.muted, indent: BODY_INDENT });
  }
  doc.moveDown(0.6);
}
