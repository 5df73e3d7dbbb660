import { DateTime, Info, Interval, type DurationLike } from 'luxon';
import { AuditpackError } from '../errors.js';
import type { InputProblem } from '../report/model.js';

export interface Period {
  /** The period as reported: `2026-Q2`, `2026-H1`, `2026` or `2026-04-01..2026-06-30` (never `previous`). */
  label: string;
  zone: string;
  /** Half-open: start is in, end is not. */
  interval: Interval<true>;
}

/**
 * Every label `--period` and the config's `period` accept: a quarter, a half
 * year, a year, a range of days (both included), or a period relative to the
 * run's clock (`previous`/`current` alone mean the quarter).
 */
export const PERIOD_PATTERN =
  '^([0-9]{4}(-(Q[1-4]|H[12]))?|[0-9]{4}-[0-9]{2}-[0-9]{2}\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2}|(previous|current)(-(quarter|half|year))?)$';

const PERIOD_HELP = 'use 2026-Q2, 2026-H1, 2026, 2026-04-01..2026-06-30, previous or current (-quarter, -half, -year)';
type Unit = 'quarter' | 'half' | 'year';
const LENGTH: Record<Unit, DurationLike> = { quarter: { quarters: 1 }, half: { months: 6 }, year: { years: 1 } };

/**
 * Parses a period label into its half-open interval in `zone`. Relative
 * labels (`previous`, `current-half`, …) are resolved against `clock`, the
 * run's only clock; a period that starts after the clock is refused, since
 * nothing in it can have happened yet.
 * Quarters are built from year and month on purpose: luxon's
 * `fromObject({ quarter })` silently ignores the quarter (luxon 3.7.2: `{ year: 2025, quarter: 2 }` gives 2025-01-01).
 */
export function parsePeriod(label: string, zone: string, clock?: string): Period {
  if (!Info.isValidIANAZone(zone)) throw new AuditpackError('PERIOD_INVALID', `'${zone}' is not an IANA time zone`);
  if (!new RegExp(PERIOD_PATTERN).test(label)) throw new AuditpackError('PERIOD_INVALID', `'${label}' is not a period: ${PERIOD_HELP}`);
  const period = label.startsWith('previous') || label.startsWith('current') ? resolveRelative(label, zone, clock) : parseAbsolute(label, zone);
  if (clock !== undefined && period.interval.start > DateTime.fromISO(clock, { zone: 'utc' })) {
    throw new AuditpackError(
      'PERIOD_INVALID',
      `the period ${period.label} starts ${period.interval.start.toISODate()}, after the run's clock ${clock}: nothing in it can have happened yet`,
    );
  }
  return period;
}

/** The `--from`/`--to` pair as a range label; both days are in the period. */
export function rangeLabel(from: string, to: string): string {
  return `${from}..${to}`;
}

function parseAbsolute(label: string, zone: string): Period {
  const range = /^(.{10})\.\.(.{10})$/.exec(label);
  if (range) return parseRange(label, range[1] ?? '', range[2] ?? '', zone);
  const [, year, kind, n] = /^([0-9]{4})(?:-([QH])([1-4]))?$/.exec(label) ?? [];
  const unit: Unit = kind === 'Q' ? 'quarter' : kind === 'H' ? 'half' : 'year';
  const month = unit === 'year' ? 1 : (Number(n) - 1) * (unit === 'quarter' ? 3 : 6) + 1;
  return build(label, zone, DateTime.fromObject({ year: Number(year), month, day: 1 }, { zone }), unit);
}

function parseRange(label: string, from: string, to: string, zone: string): Period {
  const start = day(from, zone);
  const last = day(to, zone);
  if (last < start) throw new AuditpackError('PERIOD_INVALID', `'${label}' ends before it starts`);
  return finish(label, zone, Interval.fromDateTimes(start, last.plus({ days: 1 })));
}

function day(iso: string, zone: string): DateTime {
  let at: DateTime;
  try {
    at = DateTime.fromISO(iso, { zone });
  } catch {
    throw new AuditpackError('PERIOD_INVALID', `'${iso}' is not a date (YYYY-MM-DD)`);
  }
  if (!at.isValid) throw new AuditpackError('PERIOD_INVALID', `'${iso}' is not a date (YYYY-MM-DD)`);
  return at.startOf('day');
}

function resolveRelative(label: string, zone: string, clock: string | undefined): Period {
  if (clock === undefined) throw new AuditpackError('PERIOD_INVALID', `'${label}' is relative to the run's clock, and none was given`);
  const [which, unit = 'quarter'] = label.split('-') as ['previous' | 'current', Unit?];
  const now = DateTime.fromISO(clock, { zone: 'utc' }).setZone(zone);
  const current = unit === 'half' ? now.startOf('year').plus({ months: now.month > 6 ? 6 : 0 }) : now.startOf(unit);
  const start = which === 'previous' ? current.minus(LENGTH[unit]) : current;
  const name = unit === 'year' ? `${start.year}` : unit === 'half' ? `${start.year}-H${start.month > 6 ? 2 : 1}` : `${start.year}-Q${start.quarter}`;
  return build(name, zone, start, unit);
}

function build(label: string, zone: string, start: DateTime, unit: Unit): Period {
  return finish(label, zone, Interval.fromDateTimes(start, start.plus(LENGTH[unit])));
}

function finish(label: string, zone: string, interval: Interval): Period {
  if (!interval.isValid) throw new AuditpackError('PERIOD_INVALID', `'${label}' gives no valid interval`);
  return { label, zone, interval: interval as Interval<true> };
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

/**
 * One problem per dated evidence file (signing time, SBOM timestamp, pipeline
 * finish) later than the run's clock: either the clock is wrong or the
 * evidence claims a time that has not come yet. Neither may pass unflagged.
 */
export function evidenceAfterClock(
  dated: Iterable<{ evidence: string; at: string; what: string }>,
  evidence: readonly { sha256: string; source: string; subject?: string }[],
  clock: string,
): InputProblem[] {
  const now = DateTime.fromISO(clock, { zone: 'utc' });
  const bySha = new Map(evidence.map((e) => [e.sha256, e]));
  const problems: InputProblem[] = [];
  for (const d of dated) {
    if (DateTime.fromISO(d.at, { zone: 'utc' }) <= now) continue;
    const source = bySha.get(d.evidence);
    problems.push({
      code: 'CLOCK_BEFORE_EVIDENCE',
      file: source?.source ?? d.evidence,
      reason: `${d.what} ${d.at} is after the run's clock ${clock}: the clock is wrong or the evidence is dated in the future`,
      ...(source?.subject === undefined ? {} : { subject: source.subject }),
    });
  }
  return problems;
}
