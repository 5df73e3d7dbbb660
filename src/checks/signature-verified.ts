import type { Check, CheckOutcome } from './types.js';
import type { SubjectAnalysis } from './analysis.js';
import { noEvidence, shortDigest } from './missing.js';

export const signatureVerified: Check = {
  id: 'signature.verified',
  title: 'Image signature verifies with a trusted key',
  description:
    'A signature of the image (legacy cosign signature, Sigstore bundle or cosign save layout) verifies with a configured trusted key or keyless identity, and its transparency-log entry with the trusted root when it has one.',
  run({ analysis }) {
    const signatures = analysis.signatures();
    const claims = operatorClaimDetails(analysis);
    if (signatures.length === 0) return withDetails(explainMissingSignature(analysis), claims);
    const good = signatures.find((s) => s.verdict.ok);
    if (good?.verdict.ok) {
      return {
        status: 'pass',
        message: `signature verified with ${good.verdict.signer}`,
        details: { format: good.format, source: good.label, ...good.verdict.details, ...claims },
        evidence: good.evidence,
      };
    }
    const failures = signatures.flatMap((s) => (s.verdict.ok ? [] : [{ label: s.label, ...s.verdict }]));
    // "Cannot tell" only when every signature was of a kind auditpack cannot check: never a pass, not a proven fault.
    const undecided = failures.every((f) => f.code === 'EVIDENCE_UNSUPPORTED');
    const first = failures.find((f) => f.code !== 'EVIDENCE_UNSUPPORTED') ?? failures[0];
    return {
      status: undecided ? 'error' : 'fail',
      code: first?.code ?? 'SIGNATURE_INVALID',
      message: `${undecided ? 'no signature auditpack can verify' : 'no signature verifies with a trusted key or identity'} (${failures.map((f) => `${f.label}: ${f.reason}`).join('; ')})`,
      details: { ...(first?.details ?? {}), ...claims },
      evidence: signatures.flatMap((s) => s.evidence),
    };
  },
};

/** The operator's own `cosign verify` run, shown beside the verdict as a claim. */
function operatorClaimDetails(analysis: SubjectAnalysis): Record<string, string> {
  const claims = analysis.operatorClaims();
  if (claims.length === 0) return {};
  const text = claims
    .map((c) => `${c.source} claims ${c.signatures} verified signature${c.signatures === 1 ? '' : 's'}${c.digests.length > 0 ? ` for ${c.digests.map(shortDigest).join(', ')}` : ''}`)
    .join('; ');
  return { "operator's cosign verify output": `${text} (the operator's claim, not relied on)` };
}

function withDetails(outcome: CheckOutcome, details: Record<string, string>): CheckOutcome {
  return Object.keys(details).length === 0 ? outcome : { ...outcome, details: { ...(outcome.details ?? {}), ...details } };
}

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
