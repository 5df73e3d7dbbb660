import { describe, expect, it } from 'vitest';
import { evidenceAfterClock, parsePeriod, rangeLabel } from '../../../src/config/period.js';

const span = (label: string, zone = 'UTC', clock?: string) => {
  const p = parsePeriod(label, zone, clock);
  return [p.label, p.interval.start.toUTC().toISO(), p.interval.end.toUTC().toISO()];
};

describe('period labels', () => {
  it('reads quarters, halves, years and day ranges as half-open intervals', () => {
    expect(span('2026-Q4')).toEqual(['2026-Q4', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(span('2026-H1')).toEqual(['2026-H1', '2026-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    expect(span('2026-H2')).toEqual(['2026-H2', '2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(span('2026')).toEqual(['2026', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    // Both days of a range are in the period.
    expect(span('2026-04-15..2026-05-31')).toEqual(['2026-04-15..2026-05-31', '2026-04-15T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
    expect(span(rangeLabel('2026-05-01', '2026-05-01'))).toEqual(['2026-05-01..2026-05-01', '2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z']);
  });

  it('draws every kind of period in its zone', () => {
    expect(span('2026-H1', 'Europe/Paris').slice(1)).toEqual(['2025-12-31T23:00:00.000Z', '2026-06-30T22:00:00.000Z']);
    expect(span('2026-04-01..2026-04-30', 'America/New_York').slice(1)).toEqual(['2026-04-01T04:00:00.000Z', '2026-05-01T04:00:00.000Z']);
  });

  it('resolves previous and current against the clock, quarter by default, into a concrete label', () => {
    const clock = '2026-12-05T18:00:00.000Z';
    expect(span('previous', 'UTC', clock)[0]).toBe('2026-Q3');
    expect(span('current', 'UTC', clock)[0]).toBe('2026-Q4');
    expect(span('previous-quarter', 'UTC', clock)[0]).toBe('2026-Q3');
    expect(span('previous-half', 'UTC', clock)[0]).toBe('2026-H1');
    expect(span('current-half', 'UTC', clock)[0]).toBe('2026-H2');
    expect(span('previous-year', 'UTC', clock)).toEqual(['2025', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(span('current-year', 'UTC', clock)[0]).toBe('2026');
  });

  it('crosses the year boundary going back', () => {
    const clock = '2026-02-10T09:00:00.000Z';
    expect(span('previous', 'UTC', clock)).toEqual(['2025-Q4', '2025-10-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(span('previous-half', 'UTC', clock)[0]).toBe('2025-H2');
  });

  it('resolves relative labels in the period zone, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in Berlin: the third quarter there.
    const clock = '2026-06-30T23:30:00.000Z';
    expect(span('current', 'UTC', clock)[0]).toBe('2026-Q2');
    expect(span('current', 'Europe/Berlin', clock)).toEqual(['2026-Q3', '2026-06-30T22:00:00.000Z', '2026-09-30T22:00:00.000Z']);
    expect(span('previous', 'Europe/Berlin', clock)[0]).toBe('2026-Q2');
  });

  it('refuses a relative label without a clock, and a period that starts after the clock', () => {
    expect(() => parsePeriod('previous', 'UTC')).toThrow(/relative to the run's clock/);
    expect(() => parsePeriod('2026-Q3', 'UTC', '2026-07-01T08:00:00.000Z')).not.toThrow();
    expect(() => parsePeriod('2026-Q4', 'UTC', '2026-07-01T08:00:00.000Z')).toThrow(
      expect.objectContaining({ code: 'PERIOD_INVALID', message: expect.stringMatching(/starts 2026-10-01, after the run's clock/) }),
    );
  });

  it('rejects what is not a period, naming the accepted forms', () => {
    for (const bad of ['2026-Q5', '2026-H3', 'Q2-2026', '26', 'last', 'previous-month', '2026-04-01..', '2026-4-1..2026-5-1']) {
      expect(() => parsePeriod(bad, 'UTC', '2026-12-05T18:00:00.000Z'), bad).toThrow(/is not a period: use 2026-Q2, 2026-H1, 2026/);
    }
    expect(() => parsePeriod('2026-02-30..2026-03-31', 'UTC')).toThrow(/'2026-02-30' is not a date/);
    expect(() => parsePeriod('2026-06-01..2026-05-31', 'UTC')).toThrow(/ends before it starts/);
  });
});

describe('evidence dated after the clock', () => {
  const evidence = [
    { sha256: 'a'.repeat(64), source: 'evidence/app/signature.jsonl', subject: 'app' },
    { sha256: 'b'.repeat(64), source: 'woodpecker/pipelines/7.json' },
  ];
  const clock = '2026-07-01T08:00:00.000Z';

  it('flags each dated file later than the clock, naming the file, the date and a stable code', () => {
    const dated = [
      { evidence: 'a'.repeat(64), at: '2026-07-02T10:00:00.000Z', what: 'signing time (transparency log)' },
      { evidence: 'b'.repeat(64), at: '2026-07-01T08:00:00.001Z', what: 'pipeline run #7 finished' },
    ];
    expect(evidenceAfterClock(dated, evidence, clock)).toEqual([
      {
        code: 'CLOCK_BEFORE_EVIDENCE',
        file: 'evidence/app/signature.jsonl',
        subject: 'app',
        reason: expect.stringMatching(/signing time \(transparency log\) 2026-07-02T10:00:00.000Z is after the run's clock 2026-07-01T08:00:00.000Z/),
      },
      { code: 'CLOCK_BEFORE_EVIDENCE', file: 'woodpecker/pipelines/7.json', reason: expect.stringContaining('pipeline run #7 finished') },
    ]);
  });

  it('accepts evidence dated at or before the clock', () => {
    const dated = [
      { evidence: 'a'.repeat(64), at: clock, what: 'SBOM timestamp' },
      { evidence: 'b'.repeat(64), at: '2026-04-14T07:43:15.000Z', what: 'SBOM timestamp' },
    ];
    expect(evidenceAfterClock(dated, evidence, clock)).toEqual([]);
  });
});
