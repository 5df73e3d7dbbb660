import { findCheck } from '../checks/index.js';
import type { CatalogControl } from '../frameworks/catalog.js';
import { effectiveStrength, outOfProfile, type ProfileCondition } from '../frameworks/conditions.js';
import { STRENGTHS, type ControlResult, type ControlStatus, type Finding, type Strength } from '../report/model.js';
import { CONTROL_STATUS_LABEL, STRENGTH_LABEL, coverageWords } from '../report/vocabulary.js';

type SubjectVerdict = 'pass' | 'fail' | 'undecided' | 'no-evidence' | 'not-applicable';

const NO_EVIDENCE_CODES = new Set(['EVIDENCE_MISSING', 'EVIDENCE_MALFORMED', 'EVIDENCE_UNREADABLE']);

export interface ControlContext {
  /** First day after the period (ISO date): a control applying from then or later is not applicable. */
  periodEnd: string;
  /** The conditions the run's entity profile states (see frameworks/conditions.ts). */
  conditions: ReadonlySet<ProfileCondition>;
}

/**
 * Derives a control's status from findings, never from anything typed in.
 * Coverage: a subject counts only when every supporting check passed for it;
 * an error or missing evidence is never a pass. Strength: the strongest
 * mapping, for this entity profile, caps the status, so `supported` needs a
 * `full` mapping that passed for every subject, `partial` caps at partially
 * supported, and `supporting` alone is relevant evidence, never support.
 */
export function deriveControlResult(control: CatalogControl, subjects: string[], findings: Finding[], context: ControlContext): ControlResult {
  const checkIds = new Set<string>(control.support.map((s) => s.check));
  const relevant = findings.filter((f) => checkIds.has(f.checkId));
  const support = control.support.map((s) => ({
    checkId: s.check,
    checkTitle: findCheck(s.check)?.title ?? s.check,
    strength: effectiveStrength(s, context.conditions),
    reasoning: s.reasoning.trim(),
    ...(s.fullWhen === undefined ? {} : { fullWhen: { condition: s.fullWhen, met: context.conditions.has(s.fullWhen) } }),
  }));
  const strength = strongest(support.map((s) => s.strength));
  const base = {
    id: control.id,
    citation: control.citation,
    title: control.title,
    ...(control.titleFr === undefined ? {} : { titleFr: control.titleFr }),
    paraphrase: control.paraphrase.trim(),
    source: control.source,
    ...(control.appliesFrom === undefined ? {} : { appliesFrom: control.appliesFrom }),
    manualOnly: control.manualOnly === true,
    strength,
    support,
    notCovered: control.notCovered,
    findings: relevant.map((f) => f.id).sort(),
    waivedSubjects: [],
    manualEvidence: [],
  };
  if (control.appliesFrom !== undefined && control.appliesFrom >= context.periodEnd) {
    return { ...base, status: 'not-applicable', statusReason: `applies from ${control.appliesFrom}, after the period`, coverage: { passed: 0, total: 0 } };
  }
  const excluded = outOfProfile(control, context.conditions);
  if (excluded !== undefined) return { ...base, status: 'not-applicable', statusReason: excluded, coverage: { passed: 0, total: 0 } };
  if (strength === null) {
    return {
      ...base,
      status: 'not-assessed',
      statusReason: 'no automated check can support this clause; see manual evidence',
      coverage: { passed: 0, total: subjects.length },
    };
  }
  // Grouped once: filtering the relevant findings per subject is quadratic in the estate.
  const bySubject = Map.groupBy(relevant, (f) => f.subject);
  const verdicts = subjects.map((subject) => subjectVerdict(bySubject.get(subject) ?? [], checkIds.size));
  const inScope = verdicts.filter((v) => v !== 'not-applicable');
  const passed = inScope.filter((v) => v === 'pass').length;
  const status = statusOf(inScope, passed, strength);
  return { ...base, status, statusReason: reasonFor(status, strength, passed, inScope.length), coverage: { passed, total: inScope.length } };
}

function strongest(strengths: Strength[]): Strength | null {
  return strengths.reduce<Strength | null>((best, s) => (best === null || STRENGTHS.indexOf(s) < STRENGTHS.indexOf(best) ? s : best), null);
}

function subjectVerdict(findings: Finding[], expectedChecks: number): SubjectVerdict {
  // A check that produced no finding for this subject is evidence missing, not a pass.
  if (findings.length < expectedChecks) return 'no-evidence';
  // Not applicable for want of evidence the image is not required to have (provenance.required: false) is still no evidence for a clause.
  const applicable = findings.filter((f) => f.status !== 'not-applicable' || f.code === 'EVIDENCE_MISSING');
  if (applicable.length === 0) return 'not-applicable';
  if (applicable.every((f) => f.status === 'pass')) return 'pass';
  const failures = applicable.filter((f) => f.status !== 'pass');
  if (failures.every((f) => NO_EVIDENCE_CODES.has(f.code ?? ''))) return 'no-evidence';
  return applicable.some((f) => f.status === 'fail') ? 'fail' : 'undecided';
}

/** Coverage × strength. A gap (no pass) never becomes a pass, and a weak mapping never reads stronger than it is. */
function statusOf(verdicts: SubjectVerdict[], passed: number, strength: Strength): ControlStatus {
  if (verdicts.length === 0) return 'not-applicable';
  if (passed === 0) return verdicts.every((v) => v === 'no-evidence') ? 'not-assessed' : 'not-supported';
  if (strength === 'supporting') return 'relevant-not-sufficient';
  if (strength === 'partial') return 'partially-supported';
  return passed === verdicts.length ? 'supported' : 'partially-supported';
}

function reasonFor(status: ControlStatus, strength: Strength, passed: number, total: number): string {
  const coverage = `every check it is mapped to passed for ${coverageWords({ passed, total })}`;
  const cap = `the strongest mapping is ${STRENGTH_LABEL[strength]}`;
  switch (status) {
    case 'supported':
      return `${CONTROL_STATUS_LABEL.supported}: a full mapping; ${coverage}`;
    case 'partially-supported':
      return strength === 'full' ? `${CONTROL_STATUS_LABEL[status]}: a full mapping, but ${coverage}` : `${CONTROL_STATUS_LABEL[status]}: ${cap}; ${coverage}`;
    case 'relevant-not-sufficient':
      return `${CONTROL_STATUS_LABEL[status]}: ${cap}, context an auditor weighs but not evidence of the clause; ${coverage}`;
    case 'not-supported':
      return 'no image passed every check the clause is mapped to';
    case 'not-assessed':
      return 'no evidence to assess it';
    case 'not-applicable':
      return 'no image in scope';
  }
}
