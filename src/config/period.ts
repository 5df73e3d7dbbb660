import { DateTime, Info, Interval } from 'luxon';
import { AuditpackError } from '../errors.js';

export interface Period {
  label: string;
  zone: string;
  /** Half-open: start is in, end is not. */
  interval: Interval<true>;
}

/**
 * Parses `YYYY-Qn` into the quarter's half-open interval in `zone`.
 * Built from year and month on purpose: luxon's `fromObject({ quarter })`
 * silently ignores the quarter (luxon 3.7.2: `{ year: 2025, quarter: 2 }` gives 2025-01-01).
 */
export function parsePeriod(label: string, zone: string): Period {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) throw new AuditpackError('PERIOD_INVALID', `'${label}' is not a quarter like 2026-Q2`);
  if (!Info.isValidIANAZone(zone)) throw new AuditpackError('PERIOD_INVALID', `'${zone}' is not an IANA time zone`);
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const start = DateTime.fromObject({ year, month: (quarter - 1) * 3 + 1, day: 1 }, { zone });
  const interval = Interval.fromDateTimes(start, start.plus({ quarters: 1 }));
  if (!interval.isValid) throw new AuditpackError('PERIOD_INVALID', `'${label}' gives no valid interval`);
  return { label, zone, interval };
}

export function isInPeriod(period: Period, iso: string): boolean {
  return period.interval.contains(DateTime.fromISO(iso, { zone: 'utc' }));
}

/** Parses the `--clock` value; the run reads no other clock. */
export function parseClock(iso: string): DateTime<true> {
  // luxon may be set to throw on invalid dates (the CLI does): treat both alike.
  let at: DateTime;
  try {
    at = DateTime.fromISO(iso, { zone: 'utc' });
  } catch {
    throw new AuditpackError('CLOCK_INVALID', `'${iso}' is not an ISO 8601 instant`);
  }
  if (!at.isValid || !iso.includes('T')) {
    throw new AuditpackError('CLOCK_INVALID', `'${iso}' is not an ISO 8601 instant with a time`);
  }
  return at.toUTC() as DateTime<true>;
}
