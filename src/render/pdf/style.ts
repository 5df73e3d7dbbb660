import type { ClaimCheck, ControlStatus, FindingStatus, Report, Strength, SubjectResult, WaiverRecord } from '../../report/model.js';
import { CONTROL_STATUS_LABEL, NOT_IN_REPORT_LABEL, STRENGTH_LABEL } from '../../report/vocabulary.js';

/** Point sizes. Tables are smaller so that 64-hex digests fit in two lines. */
export const SIZE = {
  title: 20,
  h1: 15,
  h2: 12,
  h3: 10,
  body: 9,
  small: 8,
  table: 7.5,
  furniture: 7.5,
} as const;

export const COLOUR = {
  text: '#000000',
  muted: '#555555',
  rule: '#b0b0b0',
  headerFill: '#e8e8e8',
  quoteFill: '#f2f2f2',
  good: '#1a7f37',
  bad: '#b42318',
  warn: '#9a4b00',
  neutral: '#555555',
} as const;

/**
 * A status as the auditor reads it: always words; colour only repeats them.
 * Control statuses say "by evidence", as the HTML report does: evidence
 * supports a clause, it never satisfies it.
 */
export interface Label {
  text: string;
  colour: string;
}

export function findingLabel(status: FindingStatus): Label {
  switch (status) {
    case 'pass':
      return { text: 'PASS', colour: COLOUR.good };
    case 'fail':
      return { text: 'FAIL', colour: COLOUR.bad };
    case 'error':
      return { text: 'ERROR', colour: COLOUR.warn };
    case 'not-applicable':
      return { text: 'NOT APPLICABLE', colour: COLOUR.neutral };
  }
}

const CONTROL_COLOUR: Record<ControlStatus, string> = {
  supported: COLOUR.good,
  'partially-supported': COLOUR.warn,
  'relevant-not-sufficient': COLOUR.neutral,
  'not-supported': COLOUR.bad,
  'not-assessed': COLOUR.neutral,
  'not-applicable': COLOUR.neutral,
};

/** The shared vocabulary's words, in capitals; the colour only repeats them. */
export function controlLabel(status: ControlStatus): Label {
  return { text: CONTROL_STATUS_LABEL[status].toUpperCase(), colour: CONTROL_COLOUR[status] };
}

export function subjectLabel(status: SubjectResult['status']): Label {
  switch (status) {
    case 'verified':
      return { text: 'VERIFIED', colour: COLOUR.good };
    case 'failed':
      return { text: 'FAILED', colour: COLOUR.bad };
    case 'incomplete':
      return { text: 'INCOMPLETE', colour: COLOUR.warn };
  }
}

export function verdictLabel(verdict: Report['summary']['verdict']): Label {
  switch (verdict) {
    case 'pass':
      return { text: 'PASS', colour: COLOUR.good };
    case 'fail':
      return { text: 'FAIL', colour: COLOUR.bad };
  }
}

export function strengthLabel(strength: Strength): string {
  return STRENGTH_LABEL[strength].toUpperCase();
}

/** A claimed citation's verdict: the words say it, the colour repeats it. */
export function claimVerdictLabel(verdict: ClaimCheck['verdict']): Label {
  switch (verdict) {
    case 'correct':
      return { text: 'CORRECT', colour: COLOUR.good };
    case 'imprecise':
      return { text: 'IMPRECISE', colour: COLOUR.warn };
    case 'wrong':
      return { text: 'WRONG', colour: COLOUR.bad };
    case 'unverifiable':
      return { text: 'UNVERIFIABLE', colour: COLOUR.neutral };
    case 'unknown':
      return { text: 'UNKNOWN', colour: COLOUR.neutral };
  }
}

export const CLAIM_VERDICTS: readonly ClaimCheck['verdict'][] = ['correct', 'imprecise', 'wrong', 'unverifiable', 'unknown'];

/** Status of a provision a claim should have cited instead; it may lie outside the report's frameworks. */
export function insteadLabel(status: ControlStatus | 'not-in-report'): Label {
  return status === 'not-in-report' ? { text: NOT_IN_REPORT_LABEL.toUpperCase(), colour: COLOUR.neutral } : controlLabel(status);
}

/** A waiver's state at the report's clock. Not in force and not expired means it has not started yet. */
export function waiverLabel(waiver: Pick<WaiverRecord, 'inForce' | 'expired'>): Label {
  if (waiver.inForce) return { text: 'IN FORCE', colour: COLOUR.warn };
  if (waiver.expired) return { text: 'EXPIRED', colour: COLOUR.bad };
  return { text: 'NOT YET IN FORCE', colour: COLOUR.neutral };
}

/**
 * An entity type of a framework's `appliesTo` or of the run's profile, in
 * words. A type this renderer does not know is shown as given.
 */
export function entityTypeWords(type: string): string {
  switch (type) {
    case 'financial-entity':
      return 'financial entity';
    case 'nis2-essential':
      return 'NIS2 essential entity';
    case 'nis2-important':
      return 'NIS2 important entity';
    case 'manufacturer':
      return 'manufacturer';
    case 'hds-host':
      return 'health data hosting provider (HDS)';
    case 'card-data':
      return 'entity handling payment card data';
    case 'us-federal-supplier':
      return 'software supplier to the US federal government';
    case 'any':
      return 'any entity';
    default:
      return type;
  }
}
