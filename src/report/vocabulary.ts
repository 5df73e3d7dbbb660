/**
 * The one wording of control statuses and mapping strengths. Every output
 * (PDF, HTML, the CLI summary, the status reasons in the JSON report and the
 * citation check) reads its words from here, so a status never means one
 * thing in one place and another elsewhere. Renderers may change the case
 * (the PDF prints labels in capitals), never the words.
 */
import type { ControlStatus, Strength } from './model.js';

/** A control's status in words. "Evidence relevant but not sufficient" never reads as support. */
export const CONTROL_STATUS_LABEL: Readonly<Record<ControlStatus, string>> = {
  supported: 'Supported by evidence',
  'partially-supported': 'Partially supported by evidence',
  'relevant-not-sufficient': 'Evidence relevant but not sufficient',
  'not-supported': 'Not supported by evidence',
  'not-assessed': 'Not assessed',
  'not-applicable': 'Not applicable',
};

/** What each status means, for the "how to read" notes of every output. */
export const CONTROL_STATUS_MEANING: Readonly<Record<ControlStatus, string>> = {
  supported: 'a mapping of full strength passed for every image in scope; the clause still depends on what is listed as not covered',
  'partially-supported': 'the checks passed, but only a partial mapping bears on the clause, or a full mapping passed for only some of the images',
  'relevant-not-sufficient': 'the checks passed, but they are supporting context only: an auditor needs other, primary evidence',
  'not-supported': 'no image passed the checks the clause is mapped to',
  'not-assessed': 'no evidence to assess it, or no automated check bears on the clause (manual evidence only)',
  'not-applicable': 'the clause does not apply to this period or to this entity profile, or no image is in scope',
};

/** The status of a provision the citation check names that is not part of this report. */
export const NOT_IN_REPORT_LABEL = 'Not in this report';

/** How strongly a mapping bears on a clause, in words. */
export const STRENGTH_LABEL: Readonly<Record<Strength, string>> = {
  full: 'full',
  partial: 'partial',
  supporting: 'supporting',
};

/** "the strongest mapping is partial", "no automated mapping". */
export function strengthWords(strength: Strength | null): string {
  return strength === null ? 'no automated mapping (manual evidence only)' : `strongest mapping ${STRENGTH_LABEL[strength]}`;
}

/** "15 of 16 images". */
export function coverageWords(coverage: { passed: number; total: number }): string {
  return `${coverage.passed} of ${coverage.total} ${coverage.total === 1 ? 'image' : 'images'}`;
}

/**
 * Entity-profile conditions in words (ids: src/frameworks/conditions.ts), for
 * the mappings that are full only under one and the clauses scoped by one.
 */
export const CONDITION_WORDS: Readonly<Record<string, string>> = {
  'critical-or-important-functions': 'the images serve ICT services supporting critical or important functions',
  'bespoke-software': 'the images are bespoke and custom software',
  'acquired-products': 'the images are ICT products acquired from suppliers',
  'simplified-framework': 'the entity is on the simplified ICT risk-management framework (DORA Art. 16)',
  microenterprise: 'the entity is a microenterprise (DORA Art. 3(60))',
  'secnumcloud-qualified': 'the hosting activity holds a SecNumCloud 3.2 qualification',
};

/** "full when the images are bespoke and custom software (stated in the entity profile)". */
export function fullWhenWords(fullWhen: { condition: string; met: boolean }): string {
  const words = CONDITION_WORDS[fullWhen.condition] ?? fullWhen.condition;
  return `full only when ${words}: ${fullWhen.met ? 'stated in the entity profile, so full here' : 'not stated in the entity profile, so the cautious strength applies'}`;
}

/** The label of a status or of `not-in-report`, for the citation check. */
export function statusLabel(status: ControlStatus | 'not-in-report'): string {
  return status === 'not-in-report' ? NOT_IN_REPORT_LABEL : CONTROL_STATUS_LABEL[status];
}
