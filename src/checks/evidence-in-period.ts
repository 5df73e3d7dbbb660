import { isInPeriod } from '../config/period.js';
import { datedEvidence } from './dates.js';
import { defineCheck } from './types.js';

export const evidenceInPeriod = defineCheck({
  id: 'evidence.in-period',
  title: 'Evidence is dated within the reporting period',
  description:
    'Every dated piece of evidence that counts for the image falls within the reporting period: the verified signing time (transparency log or timestamp authority) of each signature and attestation that binds the digest, the timestamp of the SBOM they carry, and the finish time of each bound run that built the digest. Evidence bound to another digest dates nothing.',
  run({ analysis, period }) {
    const dated = datedEvidence(analysis);
    if (dated.length === 0) return { status: 'fail', code: 'EVIDENCE_MISSING', message: 'no dated evidence for this image' };
    const outside = dated.filter((d) => !isInPeriod(period, d.at));
    const details: Record<string, string> = {};
    for (const d of dated) details[uniqueKey(details, d.what)] = `${d.at}${isInPeriod(period, d.at) ? '' : ' (outside the period)'}`;
    if (outside.length === 0) {
      return { status: 'pass', message: `${dated.length} dated items, all within ${period.label}`, details, evidence: dated.map((d) => d.evidence) };
    }
    return {
      status: 'fail',
      code: 'EVIDENCE_OUT_OF_PERIOD',
      message: `evidence dated outside ${period.label}: ${outside.map((d) => `${d.what} ${d.at}`).join('; ')}`,
      details,
      evidence: outside.map((d) => d.evidence),
    };
  },
});

/** Several signatures or runs give the same kind of date: keep each, numbered. */
function uniqueKey(details: Record<string, string>, key: string): string {
  let candidate = key;
  for (let n = 2; candidate in details; n++) candidate = `${key} ${n}`;
  return candidate;
}
