/**
 * One OSCAL finding per control of every framework in the report.
 *
 * OSCAL's target state is two-valued (satisfied / not-satisfied) while
 * auditpack's evidence only ever *supports* a clause. So the target is not
 * the clause itself but auditpack's objective for it, stated in the
 * local objectives: "the automated evidence that supports this clause holds
 * for every image in scope". `satisfied` means exactly that objective is met,
 * and only for a `supported` control; every other status, including
 * not-assessed and not-applicable, is `not-satisfied` (fail closed), with
 * auditpack's own status kept as a prop.
 */
import type { ControlResult, ControlStatus, FrameworkResult, Report, Strength } from '../../report/model.js';
import { observationUuid } from './observations.js';
import { oneLine, prop, type ControlSelection, type Finding, type LocalObjective, type Origin } from './types.js';
import { AUDITPACK_NAMESPACE, uuidV5 } from './uuid.js';

type TargetStatus = Finding['target']['status'];

/** Exhaustive: a new control status must decide its OSCAL state here. */
export function targetStatus(status: ControlStatus): TargetStatus {
  switch (status) {
    case 'supported':
      return { state: 'satisfied', reason: 'pass' };
    case 'partially-supported':
    case 'not-supported':
      return { state: 'not-satisfied', reason: 'fail' };
    // Relevant but not sufficient: the evidence cannot meet the objective on its own, whatever it shows.
    case 'relevant-not-sufficient':
    case 'not-assessed':
    case 'not-applicable':
      return { state: 'not-satisfied', reason: 'other' };
  }
}

const STRENGTH_WORDS: Record<Strength, string> = { full: 'fully', partial: 'partly', supporting: 'as supporting evidence' };

/** OSCAL tokens are XML NCNames: a letter or `_` first, then letters, digits, `.`, `-`, `_`. */
export function token(id: string): string {
  const cleaned = id.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^[\p{L}_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
}

export function objectiveId(control: ControlResult): string {
  return `${token(control.id)}_obj`;
}

export function controlSelections(report: Report): ControlSelection[] {
  return report.frameworks
    .filter((fw) => fw.controls.length > 0)
    .map((fw) => ({
      description: `${fw.title} (${fw.version}), ${fw.source}`,
      props: [prop('framework', fw.id)],
      'include-controls': fw.controls.map((c) => ({ 'control-id': token(c.id) })),
    }));
}

/** auditpack's objective per control, once per control id even when several frameworks share it. */
export function localObjectives(report: Report): LocalObjective[] {
  const seen = new Map<string, LocalObjective>();
  for (const control of report.frameworks.flatMap((fw) => fw.controls)) {
    const id = token(control.id);
    if (seen.has(id)) continue;
    const cannot = control.notCovered.length > 0 ? ` What this evidence cannot show: ${control.notCovered.join('; ')}.` : '';
    seen.set(id, {
      'control-id': id,
      description: `auditpack's objective for ${control.citation}: the automated supply-chain evidence that supports this clause holds for every image in scope.`,
      parts: [{ name: 'objective', title: control.title, prose: `${control.paraphrase}${cannot}` }],
    });
  }
  return [...seen.values()];
}

export function controlFindings(report: Report, docUuid: string, origin: Origin): Finding[] {
  const byCheck = new Set(report.findings.map((f) => f.id));
  return report.frameworks.flatMap((fw) => fw.controls.map((c) => controlFinding(fw, c, docUuid, origin, byCheck)));
}

function controlFinding(fw: FrameworkResult, c: ControlResult, docUuid: string, origin: Origin, known: Set<string>): Finding {
  const related = [
    ...c.findings.filter((id) => known.has(id)).map((id) => observationUuid(docUuid, 'check', id)),
    ...c.manualEvidence.map((id) => observationUuid(docUuid, 'manual', id)),
  ];
  const support = c.support.map((s) => `${s.checkId} (${STRENGTH_WORDS[s.strength]})`).join(', ');
  const description =
    `${c.status.toUpperCase().replace(/-/g, ' ')}: ${c.statusReason} ` +
    `Every supporting check passed for ${c.coverage.passed} of ${c.coverage.total} images.` +
    (support === '' ? ' No automated check supports this clause.' : ` Supporting checks: ${support}.`) +
    ' The evidence supports the clause; it does not satisfy it on its own.';
  return {
    uuid: uuidV5(`${docUuid}/finding/${fw.id}/${c.id}`, AUDITPACK_NAMESPACE),
    title: `${c.citation}: ${c.title}`,
    description,
    props: [
      prop('framework', fw.id),
      prop('control', c.id),
      prop('control-status', c.status),
      prop('coverage', `${c.coverage.passed} of ${c.coverage.total}`),
      ...(c.manualOnly ? [prop('manual-only', 'true')] : []),
      ...c.waivedSubjects.map((s) => prop('waived-image', s)),
    ],
    origins: [origin],
    target: {
      type: 'objective-id',
      'target-id': objectiveId(c),
      title: oneLine(c.citation),
      status: targetStatus(c.status),
    },
    ...(related.length > 0 ? { 'related-observations': related.map((u) => ({ 'observation-uuid': u })) } : {}),
    remarks: `Source: ${c.source}`,
  };
}
