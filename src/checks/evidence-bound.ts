import { defineCheck } from './types.js';
import { cannotTell, notBoundReason } from './missing.js';

export const evidenceBound = defineCheck({
  id: 'evidence.bound',
  title: "Every signature and attestation in the image's folder verifies and binds this digest",
  description:
    "Every signature and attestation found in the image's evidence folder verifies with trusted material and binds the digest in scope. One that binds another digest (copied from another image's folder, or left from a previous build) or does not verify is named here with its reason; it never counts for the image, and is never silently ignored.",
  run({ analysis, image }) {
    const units = [...analysis.signatures(), ...analysis.attestations()];
    if (units.length === 0) return { status: 'not-applicable', message: "no signature or attestation in the image's folder" };
    const uncounted = analysis.uncountedUnits();
    if (uncounted.length === 0) {
      return {
        status: 'pass',
        message: `all ${units.length} signatures and attestations verify and bind ${image.digest}`,
        evidence: units.flatMap((u) => u.evidence),
      };
    }
    const foreign = uncounted.filter((u) => u.verdict.ok);
    const failed = uncounted.flatMap((u) => (u.verdict.ok ? [] : [u.verdict]));
    // A proven fault (binds another digest, or fails verification) fails; only "cannot tell" everywhere is an error.
    const someUnreadable = analysis.unreadableFiles().length > 0;
    const decided = foreign.length > 0 || failed.some((f) => !cannotTell(f.code, someUnreadable));
    const firstFailure = failed.find((f) => !cannotTell(f.code, someUnreadable)) ?? failed[0];
    return {
      status: decided ? 'fail' : 'error',
      code: foreign.some((u) => !u.bound.binds && u.bound.names.length > 0)
        ? 'DIGEST_MISMATCH'
        : foreign.length > 0
          ? 'PAYLOAD_INVALID'
          : (firstFailure?.code ?? 'SIGNATURE_INVALID'),
      message: `${uncounted.length} of ${units.length} signed evidence items do not count for this image: ${uncounted.map((u) => `${u.label}: ${notBoundReason(u)}`).join('; ')}`,
      details: Object.fromEntries(uncounted.map((u) => [u.label, `${notBoundReason(u)}${u.verdict.ok ? '' : ` [${u.verdict.code}]`}`])),
      evidence: uncounted.flatMap((u) => u.evidence),
    };
  },
});
