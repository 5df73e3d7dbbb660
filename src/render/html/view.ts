/**
 * The view: the report regrouped in an auditor's reading order, with anchors
 * and lookups, for the templates to lay out. No markup is built here.
 */
import { CONTROL_STATUSES, FINDING_STATUSES, type EvidenceRef, type Report } from '../../report/model.js';
import { anchor, sortedEntries } from './anchors.js';
import { entityWords } from './entities.js';
import { buildLookups, subjectLink, type Lookups } from './lookups.js';
import { viewClaims } from './view-claims.js';
import { viewCrosswalk } from './view-crosswalk.js';
import { viewChecks, viewIssueGroups, viewSubjects } from './view-findings.js';
import { viewFrameworks } from './view-frameworks.js';
import { isManualDocument, viewManualEvidence } from './view-manual.js';
import { viewSboms } from './view-sboms.js';
import { viewWaivers } from './view-waivers.js';
import { CONTROL_STATUS_MEANING } from '../../report/vocabulary.js';
import { trustNotes } from '../trust-notes.js';

export function buildView<Styles>(report: Report, styles: Styles) {
  const lookups = buildLookups(report);
  const verified = report.evidence.filter((e) => !isManualDocument(e));
  return {
    styles,
    schemaVersion: report.schemaVersion,
    run: { ...report.run, profile: entityWords(report.run.profile) },
    seal: report.seal ?? null,
    generator: {
      name: report.generator.name,
      version: report.generator.version,
      libraries: sortedEntries(report.generator.libraries).map(([name, version]) => ({ name, version })),
    },
    summary: viewSummary(report, verified),
    claims: viewClaims(report, lookups),
    subjects: viewSubjects(report, lookups),
    issueGroups: viewIssueGroups(report, lookups),
    sboms: viewSboms(report, lookups),
    frameworks: viewFrameworks(report, lookups),
    crosswalk: viewCrosswalk(report, lookups),
    checks: viewChecks(lookups),
    waivers: viewWaivers(report, lookups),
    manual: viewManualEvidence(report, lookups),
    trust: viewTrust(report),
    evidence: verified.map((e) => viewEvidence(e, lookups)),
    problems: report.problems.map((p) => ({ ...p, subject: subjectLink(p.subject, lookups) })),
  };
}

function viewSummary(report: Report, verified: readonly EvidenceRef[]) {
  const { summary } = report;
  return {
    verdict: summary.verdict,
    subjects: summary.subjects,
    findings: FINDING_STATUSES.map((status) => ({ status, count: summary.findings[status] })),
    controls: CONTROL_STATUSES.map((status) => ({ status, count: summary.controls[status] })),
    statusMeanings: CONTROL_STATUSES.map((status) => ({ status, meaning: CONTROL_STATUS_MEANING[status] })),
    problems: summary.problems,
    waived: summary.waived,
    waivedSentence: waivedSentence(summary.waived),
    claims: report.claims.length,
    manualEvidence: report.manualEvidence.length,
    evidence: { total: verified.length, outOfPeriod: verified.filter((e) => e.dated?.inPeriod === false).length },
  };
}

function waivedSentence(waived: number): string | null {
  if (waived === 0) return null;
  return waived === 1 ? '1 failing finding is waived; it still counts as a failure.' : `${waived} failing findings are waived; they still count as failures.`;
}

function viewTrust(report: Report) {
  return {
    keys: report.trust.keys.map((key) => ({
      ...key,
      anchor: anchor('key', key.id),
      validFrom: key.validFrom ?? null,
      validUntil: key.validUntil ?? null,
    })),
    trustedRoot: report.trust.trustedRoot ?? null,
    notes: trustNotes(report),
  };
}

function viewEvidence(ref: EvidenceRef, lookups: Lookups) {
  return {
    ...ref,
    anchor: anchor('evidence', ref.sha256),
    subject: subjectLink(ref.subject, lookups),
    dated: ref.dated ?? null,
  };
}
