import { otherSubjectsNote } from '../verify/binding.js';
import { defineCheck, type CheckOutcome } from './types.js';
import { counts, type SubjectAnalysis } from './analysis.js';
import { foreignFailure, noEvidence, shortDigest, verificationFailure } from './missing.js';

export const signatureVerified = defineCheck({
  id: 'signature.verified',
  title: 'Image signature verifies with a trusted key and binds this digest',
  description:
    'A signature of the image (legacy cosign signature, .sig manifest, Sigstore bundle or cosign save layout) verifies with a configured trusted key or keyless identity, with a verified signing time (transparency-log entry or RFC 3161 timestamp) unless trust.requireTransparencyLog is false, and its signed payload names exactly the digest in scope. A signature that verifies but binds another digest does not count.',
  run({ analysis, image }) {
    const signatures = analysis.signatures();
    const claims = operatorClaimDetails(analysis);
    if (signatures.length === 0) return withDetails(explainMissingSignature(analysis), claims);
    const good = signatures.find(counts);
    if (good?.verdict.ok && good.bound.binds) {
      return {
        status: 'pass',
        message: `signature verified with ${good.verdict.signer} and binds ${image.digest}${otherSubjectsNote(good.bound)}`,
        details: { format: good.format, source: good.label, ...good.verdict.details, ...good.bound.details, ...claims },
        evidence: good.evidence,
      };
    }
    return withDetails(foreignFailure(signatures, image.digest, 'signature') ?? verificationFailure(analysis, signatures, 'signature'), claims);
  },
});

/** The operator's own `cosign verify` run, shown beside the verdict as a claim. */
function operatorClaimDetails(analysis: SubjectAnalysis): Record<string, string> {
  const claims = analysis.operatorClaims();
  if (claims.length === 0) return {};
  const text = claims
    .map(
      (c) =>
        `${c.source} claims ${c.signatures} verified signature${c.signatures === 1 ? '' : 's'}${c.digests.length > 0 ? ` for ${c.digests.map(shortDigest).join(', ')}` : ''}`,
    )
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
  for (const { run, trouble } of analysis.signingRuns().map((r) => ({ run: r.run, trouble: analysis.trouble(r.run) }))) {
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
