/** Indexes over the report that the view builders share, built once per render. */
import type { ControlStatus, EvidenceRef, Finding, ManualEvidence, Report, SubjectResult, WaiverRecord } from '../../report/model.js';
import { anchor, groupBy } from './anchors.js';

export interface ControlRef {
  anchor: string;
  citation: string;
  status: ControlStatus;
}

export interface Lookups {
  subjects: Map<string, SubjectResult>;
  findings: Map<string, Finding>;
  evidence: Map<string, EvidenceRef>;
  /** Findings per check id, checks in order of first appearance (the engine's order). */
  findingsByCheck: Map<string, Finding[]>;
  /** Findings that are not a pass, per subject id. */
  issuesBySubject: Map<string, Finding[]>;
  /** Controls by `framework/control` id, the form manual evidence and waivers use. */
  controls: Map<string, ControlRef>;
  waivers: Map<string, WaiverRecord>;
  /** Findings that name a waiver, per waiver id (in force or not). */
  findingsByWaiver: Map<string, Finding[]>;
  manualEvidence: Map<string, ManualEvidence>;
}

export function buildLookups(report: Report): Lookups {
  const controls = new Map<string, ControlRef>();
  for (const framework of report.frameworks) {
    for (const control of framework.controls) {
      controls.set(controlKey(framework.id, control.id), {
        anchor: anchor('control', framework.id, control.id),
        citation: control.citation,
        status: control.status,
      });
    }
  }
  const waived = report.findings.filter((f) => f.waiver !== undefined);
  return {
    subjects: new Map(report.subjects.map((s) => [s.id, s])),
    findings: new Map(report.findings.map((f) => [f.id, f])),
    evidence: new Map(report.evidence.map((e) => [e.sha256, e])),
    findingsByCheck: groupBy(report.findings, (f) => f.checkId),
    issuesBySubject: groupBy(
      report.findings.filter((f) => f.status !== 'pass'),
      (f) => f.subject,
    ),
    controls,
    waivers: new Map(report.waivers.map((w) => [w.id, w])),
    findingsByWaiver: groupBy(waived, (f) => f.waiver?.id ?? ''),
    manualEvidence: new Map(report.manualEvidence.map((m) => [m.id, m])),
  };
}

export function controlKey(frameworkId: string, controlId: string): string {
  return `${frameworkId}/${controlId}`;
}

// ---------------------------------------------------------------------------
// Links: to a row when the report has it, as plain text otherwise, never dangling.

/** A link to a subject's row when the subject is in scope; its id as text otherwise. */
export function subjectLink(subjectId: string | undefined, lookups: Lookups) {
  if (subjectId === undefined) return null;
  return { id: subjectId, anchor: lookups.subjects.has(subjectId) ? anchor('subject', subjectId) : null };
}

/** A link to the section of a check's findings, when the check has any. */
export function checkLink(checkId: string, lookups: Lookups) {
  const findings = lookups.findingsByCheck.get(checkId);
  return {
    id: checkId,
    title: findings?.[0]?.checkTitle ?? null,
    anchor: findings ? anchor('check', checkId) : null,
  };
}

/** A link to a control's row from its `framework/control` id. */
export function controlLink(key: string, lookups: Lookups) {
  const control = lookups.controls.get(key);
  return { id: key, anchor: control?.anchor ?? null, citation: control?.citation ?? null, status: control?.status ?? null };
}

export function findingLink(findingId: string, lookups: Lookups) {
  const finding = lookups.findings.get(findingId);
  return {
    id: findingId,
    anchor: finding ? anchor('finding', findingId) : null,
    subject: finding?.subject ?? null,
    checkTitle: finding?.checkTitle ?? null,
    status: finding?.status ?? null,
  };
}

export function waiverLink(waiverId: string, lookups: Lookups) {
  return { id: waiverId, anchor: lookups.waivers.has(waiverId) ? anchor('waiver', waiverId) : null };
}

export function statementLink(statementId: string, lookups: Lookups) {
  return { id: statementId, anchor: lookups.manualEvidence.has(statementId) ? anchor('statement', statementId) : null };
}

/** Evidence: a link into the inventory (or the manual documents), or a plain id if neither lists it. */
export function evidenceLink(sha256: string, lookups: Lookups) {
  const ref = lookups.evidence.get(sha256);
  return {
    sha256,
    anchor: ref ? anchor('evidence', sha256) : null,
    kind: ref?.kind ?? null,
    source: ref?.source ?? null,
    outOfPeriod: ref?.dated?.inPeriod === false,
  };
}
