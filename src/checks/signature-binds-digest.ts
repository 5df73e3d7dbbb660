import { SIMPLE_SIGNING_TYPE } from '../verify/payloads.js';
import type { Check } from './types.js';
import { noEvidence } from './missing.js';

export const signatureBindsDigest: Check = {
  id: 'signature.binds-digest',
  title: 'Signed payload names this image digest',
  description: "A verified signature's simple-signing payload has type 'cosign container image signature' and names exactly the image digest in scope.",
  run({ analysis, image }) {
    const signatures = analysis.signatures();
    if (signatures.length === 0) return noEvidence(analysis, 'signature evidence');
    const verified = signatures.filter((s) => s.verdict.ok);
    if (verified.length === 0) {
      return { status: 'fail', code: 'SIGNATURE_INVALID', message: 'no verified signature, so no trusted payload to read', evidence: [...new Set(signatures.map((s) => s.evidence))] };
    }
    const problems: string[] = [];
    for (const s of verified) {
      if (!s.claim.ok) {
        problems.push(`signature ${s.line}: ${s.claim.reason}`);
      } else if (s.claim.value.type !== SIMPLE_SIGNING_TYPE) {
        problems.push(`signature ${s.line}: payload type is '${s.claim.value.type}'`);
      } else if (s.claim.value.digest !== image.digest) {
        problems.push(`signature ${s.line}: payload names ${s.claim.value.digest || 'no digest'}`);
      } else {
        return {
          status: 'pass',
          message: `signed payload names ${image.digest}`,
          details: { 'signed digest': s.claim.value.digest, 'docker-reference': s.claim.value.dockerReference },
          evidence: [s.evidence],
        };
      }
    }
    return { status: 'fail', code: 'DIGEST_MISMATCH', message: `no verified signature binds ${image.digest} (${problems.join('; ')})`, evidence: [...new Set(verified.map((s) => s.evidence))] };
  },
};
