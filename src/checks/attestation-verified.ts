import { isCycloneDxPredicate } from '../verify/payloads.js';
import type { Check } from './types.js';
import { noEvidence } from './missing.js';

export const attestationVerified: Check = {
  id: 'attestation.verified',
  title: 'SBOM attestation signature verifies with a trusted key',
  description:
    "A CycloneDX SBOM attestation (DSSE envelope, Sigstore bundle or cosign save layout) verifies with a configured trusted key or keyless identity, and its transparency-log entry when it has one (a downloaded envelope carries none).",
  run({ analysis }) {
    const attestations = analysis.attestations();
    if (attestations.length === 0) return noEvidence(analysis, 'attestation evidence');
    const verified = attestations.filter((a) => a.verdict.ok);
    const good = verified.find((a) => a.statement.ok && isCycloneDxPredicate(a.statement.value.predicateType));
    if (good?.verdict.ok) {
      return {
        status: 'pass',
        message: `attestation signature verified with ${good.verdict.signer}`,
        details: { format: good.format, source: good.label, 'payload type': good.payloadType, ...good.verdict.details },
        evidence: good.evidence,
      };
    }
    if (verified.length > 0) {
      const types = verified.map((a) => (a.statement.ok ? `'${a.statement.value.predicateType}'` : a.statement.reason));
      return {
        status: 'fail',
        code: 'PAYLOAD_INVALID',
        message: `attestations verify, but none is a CycloneDX SBOM (${[...new Set(types)].join(', ')})`,
        evidence: verified.flatMap((a) => a.evidence),
      };
    }
    const failures = attestations.flatMap((a) => (a.verdict.ok ? [] : [{ label: a.label, ...a.verdict }]));
    const undecided = failures.every((f) => f.code === 'EVIDENCE_UNSUPPORTED');
    const first = failures.find((f) => f.code !== 'EVIDENCE_UNSUPPORTED') ?? failures[0];
    return {
      status: undecided ? 'error' : 'fail',
      code: first?.code ?? 'SIGNATURE_INVALID',
      message: `${undecided ? 'no attestation auditpack can verify' : 'no attestation verifies with a trusted key or identity'} (${failures.map((f) => `${f.label}: ${f.reason}`).join('; ')})`,
      details: first?.details ?? {},
      evidence: attestations.flatMap((a) => a.evidence),
    };
  },
};
