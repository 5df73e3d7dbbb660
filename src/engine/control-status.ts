import type { CatalogControl } from '../frameworks/catalog.js';
import type { ControlResult, ControlStatus, Finding } from '../report/model.js';

type SubjectVerdict = 'pass' | 'fail' | 'undecided' | 'no-evidence' | 'not-applicable';

const NO_EVIDENCE_CODES = new Set(['EVIDENCE_MISSING', 'EVIDENCE_MALFORMED', 'EVIDENCE_UNREADABLE']);

/**
 * Derives a control's status from findings, never from anything typed in.
 * A subject counts for the control only when every supporting check passed
 * for it; an error or missing evidence is never a pass.
 */
export function deriveControlResult(control: CatalogControl, subjects: string[], findings: Finding[]): ControlResult {
  const checkIds = new Set(control.support.map((s) => s.check));
  const relevant = findings.filter((f) => checkIds.has(f.checkId));
  const verdicts = subjects.map((subject) => subjectVerdict(relevant.filter((f) => f.subject === subject), checkIds.size));
  const inScope = verdicts.filter((v) => v !== 'not-applicable');
  const passed = inScope.filter((v) => v === 'pass').length;
  return {
    id: control.id,
    citation: control.citation,
    title: control.title,
    paraphrase: control.paraphrase.trim(),
    source: control.source,
    status: statusOf(inScope, passed),
    coverage: { passed, total: inScope.length },
    support: control.support.map((s) => ({ checkId: s.check, strength: s.strength, reasoning: s.reasoning.trim() })),
    notCovered: control.notCovered,
    findings: relevant.map((f) => f.id).sort(),
  };
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
