import type { Check } from './types.js';
import { noEvidence } from './missing.js';

export const attestationVerified: Check = {
  id: 'attestation.verified',
  title: 'SBOM attestation signature verifies with a trusted key',
  description: "An attestation's DSSE envelope signature verifies with a configured trusted key (a downloaded envelope carries no log entry, so none is checked).",
  run({ analysis }) {
    const attestations = analysis.attestations();
    if (attestations.length === 0) return noEvidence(analysis, 'attestation evidence');
    const good = attestations.find((a) => a.verdict.ok);
    if (good?.verdict.ok) {
      const { key } = good.verdict;
      return {
        status: 'pass',
        message: `attestation signature verified with trusted key ${key.id}`,
        details: { key: key.id, 'key fingerprint (SHA-256 of SPKI)': key.fingerprint, 'payload type': good.envelope.payloadType, 'transparency log': 'not in a downloaded envelope; not checked' },
        evidence: [good.evidence],
      };
    }
    const first = attestations[0]?.verdict;
    const reasons = attestations.map((a) => (a.verdict.ok ? '' : `envelope ${a.line}: ${a.verdict.reason}`));
    return {
      status: 'fail',
      code: first && !first.ok ? first.code : 'SIGNATURE_INVALID',
      message: `no attestation verifies with a trusted key (${reasons.join('; ')})`,
      evidence: [...new Set(attestations.map((a) => a.evidence))],
    };
  },
};
