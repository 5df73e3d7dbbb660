import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../src/config/period.js';
import { listedPipeline, overlapsPeriod } from '../../../src/collect/woodpecker-api/pipelines.js';

const period = parsePeriod('2026-Q2', 'Europe/Paris');
const start = period.interval.start.toSeconds();
const end = period.interval.end.toSeconds();
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toSeconds();
const inQ2 = (p: { created?: number; started?: number; finished?: number }) =>
  overlapsPeriod({ number: 1, created: p.created, started: p.started, finished: p.finished }, start, end);

describe('which pipelines belong to the period', () => {
  it('takes a pipeline created and finished within the quarter (boundaries in the configured zone)', () => {
    expect(inQ2({ created: at('2026-03-31T22:00:00Z'), finished: at('2026-03-31T22:10:00Z') })).toBe(true); // 00:00 Paris, 1 April
    expect(inQ2({ created: at('2026-03-31T21:00:00Z'), finished: at('2026-03-31T21:30:00Z') })).toBe(false);
  });

  it('takes a run created on the last evening before the quarter that finished in it', () => {
    expect(inQ2({ created: at('2026-03-31T21:50:00Z'), started: at('2026-03-31T21:51:00Z'), finished: at('2026-03-31T22:20:00Z') })).toBe(true);
  });

  it('leaves out a run created after the quarter ended (its end is excluded)', () => {
    expect(inQ2({ created: end, finished: end + 60 })).toBe(false);
    expect(inQ2({ created: end - 1 })).toBe(true);
  });

  it('leaves out a pipeline with no date at all', () => {
    expect(inQ2({})).toBe(false);
  });

  it('reads v3 and v2 field names, and treats 0 as "not yet"', () => {
    expect(listedPipeline({ number: 5, created: 10, started: 11, finished: 0 })).toEqual({ number: 5, created: 10, started: 11, finished: undefined });
    expect(listedPipeline({ number: 5, created_at: 10, started_at: 11, finished_at: 12 })).toEqual({ number: 5, created: 10, started: 11, finished: 12 });
    expect(listedPipeline({ number: '5' })).toBeUndefined();
  });
});
