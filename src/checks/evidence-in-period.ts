import type { Duration } from 'luxon';
import type { Period } from '../config/period.js';
import type { EvidenceTiming } from '../report/model.js';
import { datedEvidence, evidenceTiming, isCurrent, type DatedEvidence } from './dates.js';
import { defineCheck, type CheckOutcome } from './types.js';

/** What each timing adds to a date in the finding's details. */
const NOTE: Record<EvidenceTiming, (maxAge: string) => string> = {
  'in-period': () => '',
  'before-period': () => ' (before the period)',
  'after-period': () => ' (after the period: flagged)',
  'too-old': (maxAge) => ` (older than ${maxAge} at the period's end: flagged)`,
  invalid: () => ' (not a readable time: flagged)',
};

export const evidenceInPeriod = defineCheck({
  id: 'evidence.in-period',
  title: 'Evidence is current for the reporting period',
  description:
    "Every dated piece of evidence that counts for the image was made before the period's end and is no older than the maximum age (evidence.maxAge, default P1Y) at that end: the verified signing time (transparency log or timestamp authority) of each signature and attestation that binds the digest, the timestamp of the SBOM they carry, and the finish time of each bound run that built the digest. An image that runs unchanged is judged on the evidence of its build, even from an earlier period. Evidence bound to another digest dates nothing.",
  run({ analysis, period, maxEvidenceAge }) {
    const dated = datedEvidence(analysis).map((d) => ({ ...d, timing: evidenceTiming(period, maxEvidenceAge, d.at) }));
    if (dated.length === 0) return { status: 'fail', code: 'EVIDENCE_MISSING', message: 'no dated evidence for this image' };
    const maxAge = maxEvidenceAge.toISO() ?? String(maxEvidenceAge);
    const details: Record<string, string> = {};
    for (const d of dated) details[uniqueKey(details, d.what)] = `${d.at}${NOTE[d.timing](maxAge)}`;
    const flagged = dated.filter((d) => !isCurrent(d.timing));
    if (flagged.length > 0) return { ...flag(flagged, period, maxAge), details };
    const before = dated.filter((d) => d.timing === 'before-period').length;
    const message =
      before === 0
        ? `${dated.length} dated items, all within ${period.label}`
        : `${dated.length} dated items, none after ${period.label} nor older than ${maxAge} at its end (${earliest(period, maxEvidenceAge)}); ${before} made before the period, which count while this digest is the one deployed`;
    return { status: 'pass', message, details, evidence: dated.map((d) => d.evidence) };
  },
});

/** Dated after the period is the stronger finding (EVIDENCE_OUT_OF_PERIOD); too old, or unreadable, otherwise (EVIDENCE_STALE). */
function flag(flagged: (DatedEvidence & { timing: EvidenceTiming })[], period: Period, maxAge: string): CheckOutcome {
  const list = (timing: EvidenceTiming) =>
    flagged
      .filter((d) => d.timing === timing)
      .map((d) => `${d.what} ${d.at}`)
      .join('; ');
  const parts = [
    list('after-period') && `evidence dated after ${period.label}: ${list('after-period')}`,
    list('too-old') && `evidence older than ${maxAge} at the end of ${period.label}: ${list('too-old')}`,
    list('invalid') && `evidence with an unreadable time: ${list('invalid')}`,
  ].filter((p) => p !== '');
  return {
    status: 'fail',
    code: flagged.some((d) => d.timing === 'after-period') ? 'EVIDENCE_OUT_OF_PERIOD' : 'EVIDENCE_STALE',
    message: parts.join('; '),
    evidence: flagged.map((d) => d.evidence),
  };
}

/** The earliest day evidence may be from: the period's end less the maximum age, in the period's zone. */
function earliest(period: Period, maxAge: Duration): string {
  return period.interval.end.minus(maxAge).toISODate() ?? '';
}

/** Several signatures or runs give the same kind of date: keep each, numbered. */
function uniqueKey(details: Record<string, string>, key: string): string {
  let candidate = key;
  for (let n = 2; candidate in details; n++) candidate = `${key} ${n}`;
  return candidate;
}
