import { DateTime } from 'luxon';
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
  try {
    const at = DateTime.fromISO(text, { zone: 'utc' });
    return at.isValid ? (at.toUTC().toISO() ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}
