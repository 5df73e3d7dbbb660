import type { Check, CheckOutcome } from './types.js';
import type { SubjectAnalysis } from './analysis.js';
import { noEvidence } from './missing.js';

export const signatureVerified: Check = {
  id: 'signature.verified',
  title: 'Image signature verifies with a trusted key',
  description: 'A cosign signature of the image verifies with a configured trusted key, and its transparency-log entry with the trusted root when it has one.',
  run({ analysis }) {
    const signatures = analysis.signatures();
    if (signatures.length === 0) return explainMissingSignature(analysis);
    const good = signatures.find((s) => s.verdict.ok);
    if (good?.verdict.ok) {
      const { key, log } = good.verdict;
      const details: Record<string, string> = { key: key.id, 'key fingerprint (SHA-256 of SPKI)': key.fingerprint, 'key algorithm': key.algorithm };
      if (log) Object.assign(details, { 'transparency log index': log.index, 'integrated time': log.integratedTime, 'log id': log.logId });
      else details['transparency log'] = 'none in the signature; not checked';
      return { status: 'pass', message: `signature verified with trusted key ${key.id}`, details, evidence: [good.evidence] };
    }
    const reasons = signatures.map((s) => (s.verdict.ok ? '' : `signature ${s.line}: ${s.verdict.reason}`));
    const first = signatures[0]?.verdict;
    return {
      status: 'fail',
      code: first && !first.ok ? first.code : 'SIGNATURE_INVALID',
      message: `no signature verifies with a trusted key (${reasons.join('; ')})`,
      evidence: [...new Set(signatures.map((s) => s.evidence))],
    };
  },
};

/** A missing signature next to a green signing run is the classic best-effort gap: say so. */
function explainMissingSignature(analysis: SubjectAnalysis): CheckOutcome {
  const missing = noEvidence(analysis, 'signature evidence');
  if (missing.status !== 'fail') return missing;
  for (const run of analysis.successfulBuilds()) {
    const trouble = analysis.signingTrouble(run);
    if (trouble.lines.length > 0) {
      return {
        ...missing,
        message: `pipeline green, no signature: run #${run.number} succeeded but its log reports a signing failure`,
        quotes: trouble.lines,
        evidence: [run.evidence, ...trouble.evidence],
      };
    }
  }
  return missing;
}
