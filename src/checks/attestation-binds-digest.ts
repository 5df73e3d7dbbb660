import { otherSubjectsNote } from '../verify/binding.js';
import { isCycloneDxPredicate } from '../verify/payloads.js';
import { defineCheck } from './types.js';
import { noEvidence } from './missing.js';

export const attestationBindsDigest = defineCheck({
  id: 'attestation.binds-digest',
  title: 'SBOM attestation is bound to this image digest',
  description:
    'A verified attestation is an in-toto Statement with a CycloneDX predicate type whose subjects include the image digest in scope (every subject is listed; others do not fail the check).',
  run({ analysis, image }) {
    const attestations = analysis.attestations();
    if (attestations.length === 0) return noEvidence(analysis, 'attestation evidence');
    const verified = attestations.filter((a) => a.verdict.ok);
    if (verified.length === 0) {
      return {
        status: 'fail',
        code: 'SIGNATURE_INVALID',
        message: 'no verified attestation, so no trusted statement to read',
        evidence: attestations.flatMap((a) => a.evidence),
      };
    }
    const problems: string[] = [];
    const attested = new Set<string>();
    for (const a of verified) {
      if (!a.statement.ok) {
        problems.push(`${a.label}: ${a.statement.reason}`);
        continue;
      }
      const st = a.statement.value;
      if (!isCycloneDxPredicate(st.predicateType)) {
        problems.push(`${a.label}: predicate type '${st.predicateType}' is not CycloneDX`);
        continue;
      }
      if (a.bound.binds) {
        return {
          status: 'pass',
          message: `attestation subject is ${image.digest}${otherSubjectsNote(a.bound)}`,
          details: a.bound.details,
          evidence: a.evidence,
        };
      }
      a.bound.names.forEach((d) => attested.add(d));
      problems.push(`${a.label}: ${a.bound.reason}`);
    }
    const other = [...attested];
    return {
      status: 'fail',
      code: other.length > 0 ? 'DIGEST_MISMATCH' : 'PAYLOAD_INVALID',
      message:
        other.length > 0
          ? `SBOM attestation is bound to another digest: ${other.join(', ')}, not ${image.digest}`
          : `no CycloneDX attestation for ${image.digest} (${problems.join('; ')})`,
      details: other.length > 0 ? { 'attested digest': other.join(', '), 'digest in scope': image.digest } : {},
      evidence: verified.flatMap((a) => a.evidence),
    };
  },
});
