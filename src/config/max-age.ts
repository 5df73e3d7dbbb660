import { Duration } from 'luxon';
import { AuditpackError } from '../errors.js';

/**
 * How old evidence may be at the end of the period (config `evidence.maxAge`)
 * when nothing is set: one year, the longest interval between the periodic
 * reviews the built-in catalogs ask for, so an image that ran unchanged for a
 * year is still judged on the evidence of its build, and one older is not.
 */
export const DEFAULT_MAX_EVIDENCE_AGE = 'P1Y';

/**
 * ISO 8601 durations with whole numbers of years, months, weeks, days, hours,
 * minutes and seconds (`P1Y`, `P18M`, `P90D`, `P1Y6M`, `PT12H`); at least one
 * component. Fractions and negative durations are refused by the schema.
 */
export const MAX_AGE_PATTERN = '^P(?=[0-9]|T[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$';

/**
 * Parses a maximum age. The schema has already checked the form; this refuses
 * what the form lets through but means nothing as a maximum age (`P0D`), and
 * keeps luxon's error as the cause whether luxon throws (the CLI sets
 * `throwOnInvalid`) or returns an invalid duration.
 */
export function parseMaxAge(text: string): Duration<true> {
  let duration: Duration;
  try {
    duration = Duration.fromISO(text);
  } catch (thrown) {
    throw invalid(`'${text}' is not an ISO 8601 duration (e.g. P1Y, P18M, P90D)`, thrown);
  }
  if (!duration.isValid || !new RegExp(MAX_AGE_PATTERN).test(text)) throw invalid(`'${text}' is not an ISO 8601 duration (e.g. P1Y, P18M, P90D)`);
  if (Object.values(duration.toObject()).every((n) => n === 0)) throw invalid(`'${text}' is zero: no evidence could ever be recent enough`);
  return duration as Duration<true>;
}

function invalid(reason: string, cause?: unknown): AuditpackError {
  return new AuditpackError('CONFIG_INVALID', `invalid configuration:\n  /evidence/maxAge: ${reason}`, cause === undefined ? {} : { cause });
}
