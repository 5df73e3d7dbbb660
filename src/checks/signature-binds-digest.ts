import { COSIGN_SIGN_PREDICATE } from '../collect/units.js';
import { SIMPLE_SIGNING_TYPE } from '../verify/payloads.js';
import type { Check, CheckOutcome } from './types.js';
import type { VerifiedSignature } from './analysis.js';
import { noEvidence } from './missing.js';

export const signatureBindsDigest: Check = {
  id: 'signature.binds-digest',
  title: 'Signed payload names this image digest',
  description:
    "A verified signature names exactly the image digest in scope: a simple-signing payload of type 'cosign container image signature', or a cosign sign/v1 in-toto statement whose subject is the digest.",
  run({ analysis, image }) {
    const signatures = analysis.signatures();
    if (signatures.length === 0) return noEvidence(analysis, 'signature evidence');
    const verified = signatures.filter((s) => s.verdict.ok);
    if (verified.length === 0) {
      return { status: 'fail', code: 'SIGNATURE_INVALID', message: 'no verified signature, so no trusted payload to read', evidence: signatures.flatMap((s) => s.evidence) };
    }
    const problems: string[] = [];
    for (const s of verified) {
      const bound = bindsDigest(s, image.digest);
      if (typeof bound !== 'string') return bound;
      problems.push(`${s.label}: ${bound}`);
    }
    return { status: 'fail', code: 'DIGEST_MISMATCH', message: `no verified signature binds ${image.digest} (${problems.join('; ')})`, evidence: verified.flatMap((s) => s.evidence) };
  },
};

/** A pass when this verified signature names the digest, otherwise the reason it does not. */
function bindsDigest(s: VerifiedSignature, digest: string): CheckOutcome | string {
  const binding = s.binding;
  switch (binding.format) {
    case 'simple-signing': {
      if (!binding.claim.ok) return binding.claim.reason;
      const claim = binding.claim.value;
      if (claim.type !== SIMPLE_SIGNING_TYPE) return `payload type is '${claim.type}'`;
      if (claim.digest !== digest) return `payload names ${claim.digest || 'no digest'}`;
      return {
        status: 'pass',
        message: `signed payload names ${digest}`,
        details: { 'signed digest': claim.digest, 'docker-reference': claim.dockerReference, 'signed content': 'simple-signing payload' },
        evidence: s.evidence,
      };
    }
    case 'in-toto': {
      if (!binding.statement.ok) return binding.statement.reason;
      const statement = binding.statement.value;
      if (statement.predicateType !== COSIGN_SIGN_PREDICATE) return `predicate type is '${statement.predicateType}'`;
      if (!statement.subjectDigests.includes(digest)) return `statement subject is ${statement.subjectDigests.join(', ') || 'empty'}`;
      return {
        status: 'pass',
        message: `signed statement's subject is ${digest}`,
        details: { 'signed digest': digest, 'signed content': `in-toto statement (${statement.type})`, 'predicate type': statement.predicateType },
        evidence: s.evidence,
      };
    }
    case 'unknown':
      return binding.reason;
  }
}
