/** Images in scope, the findings that need attention, and all findings by check. */
import type { Finding, Report, SubjectResult } from '../../report/model.js';
import { anchor, compareText } from './anchors.js';
import { evidenceLink, subjectLink, waiverLink, type Lookups } from './lookups.js';

export function viewSubjects(report: Report, lookups: Lookups) {
  return report.subjects.map((subject) => viewSubject(subject, lookups));
}

function viewSubject(subject: SubjectResult, lookups: Lookups) {
  const issues = lookups.issuesBySubject.get(subject.id)?.length ?? 0;
  return {
    ...subject,
    anchor: anchor('subject', subject.id),
    issues,
    issuesAnchor: issues > 0 ? anchor('issues', subject.id) : null,
  };
}

/**
 * Non-pass findings per subject, in the order of the subjects table; findings
 * about a subject the report does not list come last, by subject id, so none
 * is silently dropped.
 */
export function viewIssueGroups(report: Report, lookups: Lookups) {
  const unlisted = [...lookups.issuesBySubject.keys()].filter((id) => !lookups.subjects.has(id)).sort(compareText);
  return [...report.subjects.map((s) => s.id), ...unlisted].flatMap((subjectId) => {
    const issues = lookups.issuesBySubject.get(subjectId) ?? [];
    if (issues.length === 0) return [];
    return [
      {
        subject: subjectLink(subjectId, lookups),
        anchor: anchor('issues', subjectId),
        findings: issues.map((f) => viewFinding(f, lookups)),
      },
    ];
  });
}

/** All findings, passes included, grouped per check in the engine's order. */
export function viewChecks(lookups: Lookups) {
  return [...lookups.findingsByCheck].map(([checkId, findings]) => ({
    checkId,
    checkTitle: findings[0]?.checkTitle ?? checkId,
    anchor: anchor('check', checkId),
    findings: findings.map((f) => viewFinding(f, lookups)),
  }));
}

function viewFinding(finding: Finding, lookups: Lookups) {
  const isIssue = finding.status !== 'pass';
  return {
    ...finding,
    anchor: anchor('finding', finding.id),
    issueAnchor: isIssue ? anchor('issue', finding.id) : null,
    checkAnchor: anchor('check', finding.checkId),
    subject: subjectLink(finding.subject, lookups),
    code: finding.code ?? null,
    quotes: finding.quotes ?? [],
    waiver: viewFindingWaiver(finding.waiver, lookups),
    // Insertion order is the check's chosen order; keep it.
    details: Object.entries(finding.details).map(([name, value]) => ({ name, value })),
    evidence: finding.evidence.map((sha256) => evidenceLink(sha256, lookups)),
  };
}

/**
 * The waiver a finding names. It never changes the finding's status: the
 * templates show it beside the unchanged badge. Whether a waiver that is not
 * in force has expired or not yet started is read from the waiver list.
 */
function viewFindingWaiver(waiver: Finding['waiver'], lookups: Lookups) {
  if (waiver === undefined) return null;
  const record = lookups.waivers.get(waiver.id);
  const notInForce = !waiver.inForce;
  return {
    ...waiverLink(waiver.id, lookups),
    expires: waiver.expires,
    inForce: waiver.inForce,
    expired: notInForce && record?.expired === true,
    /** Start day of a waiver that has not started yet. */
    startsOn: notInForce && record !== undefined && !record.expired ? record.start : null,
  };
}
