import { findCheck } from '../checks/index.js';
import type { CatalogControl } from '../frameworks/catalog.js';
import type { ControlResult, ControlStatus, Finding } from '../report/model.js';

type SubjectVerdict = 'pass' | 'fail' | 'undecided' | 'no-evidence' | 'not-applicable';

const NO_EVIDENCE_CODES = new Set(['EVIDENCE_MISSING', 'EVIDENCE_MALFORMED', 'EVIDENCE_UNREADABLE']);

export interface ControlContext {
  /** First day after the period (ISO date): a control applying from then or later is not applicable. */
  periodEnd: string;
}

/**
 * Derives a control's status from findings, never from anything typed in.
 * A subject counts for the control only when every supporting check passed
 * for it; an error or missing evidence is never a pass.
 */
export function deriveControlResult(control: CatalogControl, subjects: string[], findings: Finding[], context: ControlContext): ControlResult {
  const checkIds = new Set(control.support.map((s) => s.check));
  const relevant = findings.filter((f) => checkIds.has(f.checkId));
  const base = {
    id: control.id,
    citation: control.citation,
    title: control.title,
    ...(control.titleFr === undefined ? {} : { titleFr: control.titleFr }),
    paraphrase: control.paraphrase.trim(),
    source: control.source,
    manualOnly: control.manualOnly === true,
    support: control.support.map((s) => ({ checkId: s.check, checkTitle: findCheck(s.check)?.title ?? s.check, strength: s.strength, reasoning: s.reasoning.trim() })),
    notCovered: control.notCovered,
    findings: relevant.map((f) => f.id).sort(),
    waivedSubjects: [],
    manualEvidence: [],
  };
  if (control.appliesFrom !== undefined && control.appliesFrom >= context.periodEnd) {
    return { ...base, status: 'not-applicable', statusReason: `applies from ${control.appliesFrom}, after the period`, coverage: { passed: 0, total: 0 } };
  }
  if (control.support.length === 0) {
    return { ...base, status: 'not-assessed', statusReason: 'no automated check can support this clause; see manual evidence', coverage: { passed: 0, total: subjects.length } };
  }
  const verdicts = subjects.map((subject) => subjectVerdict(relevant.filter((f) => f.subject === subject), checkIds.size));
  const inScope = verdicts.filter((v) => v !== 'not-applicable');
  const passed = inScope.filter((v) => v === 'pass').length;
  const status = statusOf(inScope, passed);
  return { ...base, status, statusReason: reasonFor(status, passed, inScope.length), coverage: { passed, total: inScope.length } };
}

function subjectVerdict(findings: Finding[], expectedChecks: number): SubjectVerdict {
  // A check that produced no finding for this subject is evidence missing, not a pass.
  if (findings.length < expectedChecks) return 'no-evidence';
  const applicable = findings.filter((f) => f.status !== 'not-applicable');
  if (applicable.length === 0) return 'not-applicable';
  if (applicable.every((f) => f.status === 'pass')) return 'pass';
  const failures = applicable.filter((f) => f.status === 'fail' || f.status === 'error');
  if (failures.every((f) => NO_EVIDENCE_CODES.has(f.code ?? ''))) return 'no-evidence';
  return applicable.some((f) => f.status === 'fail') ? 'fail' : 'undecided';
}

function statusOf(verdicts: SubjectVerdict[], passed: number): ControlStatus {
  if (verdicts.length === 0) return 'not-applicable';
  if (passed === verdicts.length) return 'supported';
  if (passed > 0) return 'partially-supported';
  return verdicts.every((v) => v === 'no-evidence') ? 'not-assessed' : 'not-supported';
}

function reasonFor(status: ControlStatus, passed: number, total: number): string {
  switch (status) {
    case 'supported':
      return `every supporting check passed for all ${total} images`;
    case 'partially-supported':
      return `every supporting check passed for ${passed} of ${total} images`;
    case 'not-supported':
      return `no image passed every supporting check`;
    case 'not-assessed':
      return 'no evidence to assess it';
    case 'not-applicable':
      return 'no image in scope';
  }
}
