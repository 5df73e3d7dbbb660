/**
 * Statuses, verdicts and names in the reader's language, each with the tone
 * that repeats it in colour. The words come from the one catalog
 * (src/report/ui-strings.ts); the orders from src/report/vocabulary.ts.
 */
import type { I18n } from '../../report/i18n.js';
import type { ClaimCheck, ControlStatus, Finding, FindingStatus, Report, Strength, SubjectResult } from '../../report/model.js';
import { CHECK_TITLES_FR, ERROR_CODES_FR } from '../../report/ui-strings.fr.js';
import { ERROR_CODES, isErrorCode } from '../../errors.js';
import type { Span, Tone } from './blocks.js';

export interface Word {
  text: string;
  tone: Tone;
}

const CONTROL_TONE: Record<ControlStatus, Tone> = {
  supported: 'good',
  'partially-supported': 'partial',
  'relevant-not-sufficient': 'neutral',
  'not-supported': 'bad',
  'not-assessed': 'neutral',
  'not-applicable': 'neutral',
};

const FINDING_TONE: Record<FindingStatus, Tone> = { pass: 'good', fail: 'bad', error: 'bad', 'not-applicable': 'neutral' };
const SUBJECT_TONE: Record<SubjectResult['status'], Tone> = { verified: 'good', failed: 'bad', incomplete: 'partial' };
const CLAIM_TONE: Record<ClaimCheck['verdict'], Tone> = { correct: 'good', imprecise: 'partial', wrong: 'bad', unverifiable: 'neutral', unknown: 'neutral' };

export function controlStatus(i18n: I18n, status: ControlStatus | 'not-in-report'): Word {
  if (status === 'not-in-report') return { text: i18n.t('controlStatus.not-in-report'), tone: 'neutral' };
  return { text: i18n.t(`controlStatus.${status}`), tone: CONTROL_TONE[status] };
}

export function findingStatus(i18n: I18n, status: FindingStatus): Word {
  return { text: i18n.t(`findingStatus.${status}`), tone: FINDING_TONE[status] };
}

export function subjectStatus(i18n: I18n, status: SubjectResult['status']): Word {
  return { text: i18n.t(`subjectStatus.${status}`), tone: SUBJECT_TONE[status] };
}

export function verdict(i18n: I18n, value: Report['summary']['verdict']): Word {
  return { text: i18n.t(`verdict.${value}`), tone: value === 'pass' ? 'good' : 'bad' };
}

export function claimVerdict(i18n: I18n, value: ClaimCheck['verdict']): Word {
  return { text: i18n.t(`claimVerdict.${value}`), tone: CLAIM_TONE[value] };
}

export function strength(i18n: I18n, value: Strength | null): string {
  return value === null ? i18n.t('strength.none') : i18n.t(`strength.${value}`);
}

/** A waiver's state at the end of the period: in force, expired, or not started yet. */
export function waiverState(i18n: I18n, waiver: { inForce: boolean; expired: boolean }): Word {
  if (waiver.inForce) return { text: i18n.t('waiverState.in-force'), tone: 'partial' };
  if (waiver.expired) return { text: i18n.t('waiverState.expired'), tone: 'bad' };
  return { text: i18n.t('waiverState.not-yet'), tone: 'neutral' };
}

/** A status as a bold, coloured span. */
export function badge(word: Word): Span {
  return { text: word.text, tone: word.tone, bold: true };
}

const ENTITY_TYPES = ['financial-entity', 'nis2-essential', 'nis2-important', 'manufacturer', 'hds-host', 'card-data', 'us-federal-supplier', 'any'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];

/** An entity type of a framework or of the run's profile; one this table does not know is shown as given. */
export function entityType(i18n: I18n, type: string): string {
  return (ENTITY_TYPES as readonly string[]).includes(type) ? i18n.t(`entity.${type as EntityType}`) : type;
}

/** A check's title: the report's own in English, the French translation where there is one. */
export function checkTitle(i18n: I18n, checkId: string, title: string): string {
  if (i18n.locale === 'fr') return CHECK_TITLES_FR[checkId] ?? title;
  return title;
}

/** What an error code means, in words (its one English wording is in src/errors.ts). */
export function codeWords(i18n: I18n, code: string | undefined): string {
  if (code === undefined || !isErrorCode(code)) return code ?? '';
  return i18n.locale === 'fr' ? ERROR_CODES_FR[code] : ERROR_CODES[code];
}

/** The built-in checks (ids are part of the report contract), for their short names. */
const CHECK_IDS = [
  'signature.verified',
  'signature.binds-digest',
  'attestation.verified',
  'attestation.binds-digest',
  'sbom.valid',
  'sbom.quality',
  'pipeline.built',
  'pipeline.signing-clean',
  'evidence.bound',
  'evidence.in-period',
] as const;
type CheckId = (typeof CHECK_IDS)[number];

/** What a check looks at, in two or three words ("SBOM attestation"); a check this table does not know gives its title. */
export function checkShort(i18n: I18n, checkId: string, title: string): string {
  return (CHECK_IDS as readonly string[]).includes(checkId) ? i18n.t(`checkShort.${checkId as CheckId}`) : checkTitle(i18n, checkId, title);
}

/** A fault in one line: "SBOM attestation: signed content names another image digest"; undecided ones say so. */
export function faultLine(i18n: I18n, finding: Finding): string {
  const values = { check: checkShort(i18n, finding.checkId, finding.checkTitle), reason: codeWords(i18n, finding.code) || finding.message };
  return i18n.t(finding.status === 'error' ? 'fault.undecided' : 'fault.failed', values);
}

/** The profile conditions some mappings depend on (ids: src/frameworks/conditions.ts). */
const CONDITIONS = [
  'critical-or-important-functions',
  'bespoke-software',
  'acquired-products',
  'simplified-framework',
  'microenterprise',
  'secnumcloud-qualified',
] as const;
type Condition = (typeof CONDITIONS)[number];

export function conditionWords(i18n: I18n, condition: string): string {
  return (CONDITIONS as readonly string[]).includes(condition) ? i18n.t(`condition.${condition as Condition}`) : condition;
}
