import { isInPeriod } from '../config/period.js';
import { datedEvidence } from './dates.js';
import type { Check } from './types.js';

export const evidenceInPeriod: Check = {
  id: 'evidence.in-period',
  title: 'Evidence is dated within the reporting period',
  description: 'Every dated piece of evidence for the image (signing time from the transparency log, SBOM timestamp, pipeline finish time) falls within the reporting period.',
  run({ analysis, period }) {
    const dated = datedEvidence(analysis);
    if (dated.length === 0) return { status: 'fail', code: 'EVIDENCE_MISSING', message: 'no dated evidence for this image' };
    const outside = dated.filter((d) => !isInPeriod(period, d.at));
    const details = Object.fromEntries(dated.map((d) => [d.what, `${d.at}${isInPeriod(period, d.at) ? '' : ' (outside the period)'}`]));
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
};
