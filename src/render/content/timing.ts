/**
 * Where an evidence time stands against the period, in words. Since 1.2.0 the
 * engine writes `dated.timing`: evidence made in the period, or before it
 * within the maximum age (an image that runs unchanged is judged on the
 * evidence of its build), may date the image; evidence dated after the period,
 * older than the maximum age, or whose date cannot be read is flagged. Older
 * reports only say `inPeriod`: there, any time outside the period is flagged,
 * as those reports did.
 */
import type { EvidenceRef, EvidenceTiming } from '../../report/model.js';
import type { Span } from './blocks.js';
import type { Context } from './context.js';

type Dated = NonNullable<EvidenceRef['dated']>;

/** A timing, or `outside` for a report without `timing` whose evidence falls outside the period. */
export type TimingWord = EvidenceTiming | 'outside';

const FLAGGED: ReadonlySet<TimingWord> = new Set<TimingWord>(['after-period', 'too-old', 'invalid', 'outside']);

export function timingOf(dated: Dated): TimingWord {
  if (dated.timing !== undefined) return dated.timing;
  return dated.inPeriod ? 'in-period' : 'outside';
}

/** Whether the evidence's time is flagged (it cannot date the image in the period); undated evidence is not (it has no time of its own). */
export function isFlagged(e: EvidenceRef): boolean {
  return e.dated !== undefined && FLAGGED.has(timingOf(e.dated));
}

/** How many evidence files are flagged for their time, and how many were made before the period within the maximum age. */
export function timingCounts(evidence: readonly EvidenceRef[]): { flagged: number; before: number } {
  let flagged = 0;
  let before = 0;
  for (const e of evidence) {
    if (isFlagged(e)) flagged += 1;
    else if (e.dated !== undefined && timingOf(e.dated) === 'before-period') before += 1;
  }
  return { flagged, before };
}

/**
 * The time, what it is, and where it stands: muted when it may date the image
 * (in the period says nothing more; before the period says so), flagged in
 * words, not only in colour, otherwise.
 */
export function timingSpans(ctx: Context, dated: Dated): Span[] {
  const { i18n } = ctx;
  const when = i18n.t('inventory.dated', { at: i18n.instant(dated.at), what: dated.what });
  const word = timingOf(dated);
  if (word === 'in-period') return [{ text: when, muted: true }];
  const note = timingNote(ctx, word);
  if (!FLAGGED.has(word)) return [{ text: `${when} (${note})`, muted: true }];
  return [{ text: `${when} ${note}`, tone: 'bad', bold: true }];
}

/** The words of a timing; a stale one names the maximum age (the run's, or "the maximum age" in a report that does not give it). */
export function timingNote(ctx: Context, word: TimingWord): string {
  const { i18n, report } = ctx;
  switch (word) {
    case 'in-period':
      return i18n.t('timing.inPeriod');
    case 'before-period':
      return i18n.t('timing.beforePeriod');
    case 'after-period':
      return i18n.t('timing.afterPeriod');
    case 'too-old':
      return i18n.t('timing.tooOld', { maxAge: report.run.maxEvidenceAge ?? i18n.t('timing.maxAge') });
    case 'invalid':
      return i18n.t('timing.invalid');
    case 'outside':
      return i18n.t('inventory.outside');
  }
}
