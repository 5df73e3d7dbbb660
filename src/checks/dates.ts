import { DateTime, type Duration } from 'luxon';
import type { Period } from '../config/period.js';
import type { EvidenceTiming } from '../report/model.js';
import { isRecord } from '../util/wire.js';
import { counts, type SubjectAnalysis } from './analysis.js';

export interface DatedEvidence {
  evidence: string;
  at: string;
  what: string;
}

/**
 * The times evidence for a subject can be dated by. Only evidence that counts
 * for the image: the verified signing time of every signature and attestation
 * that verifies and binds its digest, the timestamp of the SBOM from such an
 * attestation, and the finish time of every bound run that built the digest.
 * Evidence that binds another digest dates nothing here.
 */
export function datedEvidence(analysis: SubjectAnalysis): DatedEvidence[] {
  const dated: DatedEvidence[] = [];
  for (const [units, what] of [
    [analysis.signatures(), 'signing time'],
    [analysis.attestations(), 'attestation time'],
  ] as const) {
    for (const unit of units) {
      const signedAt = counts(unit) && unit.verdict.ok ? unit.verdict.signedAt : undefined;
      const evidence = unit.evidence[0];
      if (signedAt && evidence !== undefined) dated.push({ evidence, at: signedAt.at, what: `${what} (${signedAt.by})` });
    }
  }
  const sbom = analysis.attestedSbom();
  const timestamp = sbom && isRecord(sbom.document) && isRecord(sbom.document.metadata) ? sbom.document.metadata.timestamp : undefined;
  if (sbom && typeof timestamp === 'string') {
    const at = toIsoUtc(timestamp);
    if (at) dated.push({ evidence: sbom.evidence, at, what: 'SBOM timestamp' });
  }
  for (const { run } of analysis.builds()) {
    if (run.finishedAt) dated.push({ evidence: run.evidence, at: run.finishedAt, what: `pipeline run #${run.number} finished` });
  }
  return dated;
}

function toIsoUtc(text: string): string | undefined {
  return toDateTime(text)?.toUTC().toISO() ?? undefined;
}

/**
 * Where a date stands against the period and the maximum age: evidence made
 * in the period or before it (an image that runs unchanged is judged on the
 * evidence of its build) is current, unless it is older than `maxAge` at the
 * period's end (`too-old`) or dated at or after that end (`after-period`:
 * it cannot be what the image was judged on during the period). A date that
 * cannot be read is `invalid`, never current.
 */
export function evidenceTiming(period: Period, maxAge: Duration, iso: string): EvidenceTiming {
  const at = toDateTime(iso);
  if (at === undefined) return 'invalid';
  const { start, end } = period.interval;
  if (at >= end) return 'after-period';
  if (at < end.minus(maxAge)) return 'too-old';
  return at >= start ? 'in-period' : 'before-period';
}

/** Whether evidence of this timing may date an image in the period (fail closed: only in or before it, within the maximum age). */
export function isCurrent(timing: EvidenceTiming): boolean {
  return timing === 'in-period' || timing === 'before-period';
}

function toDateTime(iso: string): DateTime | undefined {
  try {
    const at = DateTime.fromISO(iso, { zone: 'utc' });
    return at.isValid ? at : undefined;
  } catch {
    return undefined;
  }
}
