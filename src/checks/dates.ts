import { DateTime } from 'luxon';
import { isRecord } from '../collect/classify.js';
import type { SubjectAnalysis } from './analysis.js';

export interface DatedEvidence {
  evidence: string;
  at: string;
  what: string;
}

/**
 * The times evidence for a subject can be dated by. Only verified sources
 * count: a signing time from a verified log entry or timestamp authority, the
 * SBOM timestamp from a verified attestation, and the finish time of the run
 * that built the digest.
 */
export function datedEvidence(analysis: SubjectAnalysis): DatedEvidence[] {
  const dated: DatedEvidence[] = [];
  for (const s of analysis.signatures()) {
    const signedAt = s.verdict.ok ? s.verdict.signedAt : undefined;
    const evidence = s.evidence[0];
    if (signedAt && evidence !== undefined) {
      dated.push({ evidence, at: signedAt.at, what: `signing time (${signedAt.by})` });
      break;
    }
  }
  const sbom = analysis.attestedSbom();
  const timestamp = sbom && isRecord(sbom.document) && isRecord(sbom.document.metadata) ? sbom.document.metadata.timestamp : undefined;
  if (sbom && typeof timestamp === 'string') {
    const at = toIsoUtc(timestamp);
    if (at) dated.push({ evidence: sbom.evidence, at, what: 'SBOM timestamp' });
  }
  const run = analysis.successfulBuilds()[0];
  if (run?.finishedAt) dated.push({ evidence: run.evidence, at: run.finishedAt, what: `pipeline run #${run.number} finished` });
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
