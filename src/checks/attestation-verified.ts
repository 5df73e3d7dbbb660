import { otherSubjectsNote } from '../verify/binding.js';
import { isCycloneDxPredicate } from '../verify/payloads.js';
import { defineCheck } from './types.js';
import { counts } from './analysis.js';
import { foreignFailure, noEvidence, verificationFailure } from './missing.js';

export const attestationVerified = defineCheck({
  id: 'attestation.verified',
  title: 'SBOM attestation verifies with a trusted key and binds this digest',
  description:
    'A CycloneDX SBOM attestation (DSSE envelope with its .att manifest, Sigstore bundle or cosign save layout) verifies with a configured trusted key or keyless identity, with a verified signing time (transparency-log entry or RFC 3161 timestamp) unless trust.requireTransparencyLog is false, and the digest in scope is among its in-toto subjects. An attestation that verifies but binds another digest does not count.',
  run({ analysis, image }) {
    const attestations = analysis.attestations();
    if (attestations.length === 0) return noEvidence(analysis, 'attestation evidence');
    const bound = attestations.filter(counts);
    const good = bound.find((a) => a.statement.ok && isCycloneDxPredicate(a.statement.value.predicateType));
    if (good?.verdict.ok && good.bound.binds) {
      return {
        status: 'pass',
        message: `attestation signature verified with ${good.verdict.signer} and binds ${image.digest}${otherSubjectsNote(good.bound)}`,
        details: { format: good.format, source: good.label, 'payload type': good.payloadType, ...good.verdict.details, ...good.bound.details },
        evidence: good.evidence,
      };
    }
    const foreign = foreignFailure(attestations, image.digest, 'attestation');
    if (foreign) return foreign;
    if (bound.length > 0) {
      const types = bound.map((a) => (a.statement.ok ? `'${a.statement.value.predicateType}'` : a.statement.reason));
      return {
        status: 'fail',
        code: 'PAYLOAD_INVALID',
        message: `attestations verify and bind this digest, but none is a CycloneDX SBOM (${[...new Set(types)].join(', ')})`,
        evidence: bound.flatMap((a) => a.evidence),
      };
    }
    return verificationFailure(analysis, attestations, 'attestation');
  },
});
