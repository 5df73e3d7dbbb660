/**
 * The one wording of control statuses and mapping strengths, and their
 * order. The words are the English ones of the one catalog of user-facing
 * strings (ui-strings.ts); the engine (status reasons in report.json, the
 * citation check), `auditpack diff` and `frameworks show` read them here, and
 * the renderers read every language's through src/report/i18n.ts, so a status
 * never means one thing in one place and another elsewhere.
 */
import { CONTROL_STATUSES, type ControlStatus, type Strength } from './model.js';
import { UIStrings } from './ui-strings.js';

/** A control's status in words (English; every language's are in ui-strings). "Evidence relevant but not sufficient" never reads as support. */
export const CONTROL_STATUS_LABEL: Readonly<Record<ControlStatus, string>> = Object.fromEntries(
  CONTROL_STATUSES.map((s) => [s, UIStrings[`controlStatus.${s}`]]),
) as Record<ControlStatus, string>;

/** What each status means, for the "how to read" notes of every output. */
export const CONTROL_STATUS_MEANING: Readonly<Record<ControlStatus, string>> = Object.fromEntries(
  CONTROL_STATUSES.map((s) => [s, UIStrings[`controlMeaning.${s}`]]),
) as Record<ControlStatus, string>;

/** The status of a provision the citation check names that is not part of this report. */
export const NOT_IN_REPORT_LABEL = UIStrings['controlStatus.not-in-report'];

/** How strongly a mapping bears on a clause, in words. */
export const STRENGTH_LABEL: Readonly<Record<Strength, string>> = {
  full: UIStrings['strength.full'],
  partial: UIStrings['strength.partial'],
  supporting: UIStrings['strength.supporting'],
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
  'critical-or-important-functions': UIStrings['condition.critical-or-important-functions'],
  'bespoke-software': UIStrings['condition.bespoke-software'],
  'acquired-products': UIStrings['condition.acquired-products'],
  'simplified-framework': UIStrings['condition.simplified-framework'],
  microenterprise: UIStrings['condition.microenterprise'],
  'secnumcloud-qualified': UIStrings['condition.secnumcloud-qualified'],
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
