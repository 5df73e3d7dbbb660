import { otherSubjectsNote } from '../verify/binding.js';
import { defineCheck } from './types.js';
import { noEvidence } from './missing.js';

export const signatureBindsDigest = defineCheck({
  id: 'signature.binds-digest',
  title: 'Signed payload names this image digest',
  description:
    "A verified signature names exactly the image digest in scope: a simple-signing payload of type 'cosign container image signature', or a cosign sign/v1 in-toto statement with the digest among its subjects (every subject is listed; others do not fail the check).",
  run({ analysis, image }) {
    const signatures = analysis.signatures();
    if (signatures.length === 0) return noEvidence(analysis, 'signature evidence');
    const verified = signatures.filter((s) => s.verdict.ok);
    if (verified.length === 0) {
      return {
        status: 'fail',
        code: 'SIGNATURE_INVALID',
        message: 'no verified signature, so no trusted payload to read',
        evidence: signatures.flatMap((s) => s.evidence),
      };
    }
    const bound = verified.find((s) => s.bound.binds);
    if (bound?.bound.binds) {
      const statement = bound.content.format === 'in-toto';
      return {
        status: 'pass',
        message: `signed ${statement ? "statement's subject" : 'payload'} names ${image.digest}${otherSubjectsNote(bound.bound)}`,
        details: bound.bound.details,
        evidence: bound.evidence,
      };
    }
    const problems = verified.map((s) => `${s.label}: ${s.bound.binds ? '' : s.bound.reason}`);
    const names = [...new Set(verified.flatMap((s) => (s.bound.binds ? [] : s.bound.names)))];
    return {
      status: 'fail',
      code: names.length > 0 ? 'DIGEST_MISMATCH' : 'PAYLOAD_INVALID',
      message: `no verified signature binds ${image.digest} (${problems.join('; ')})`,
      details: { 'digest in scope': image.digest, ...(names.length > 0 ? { 'digests signed instead': names.join(', ') } : {}) },
      evidence: verified.flatMap((s) => s.evidence),
    };
  },
});
