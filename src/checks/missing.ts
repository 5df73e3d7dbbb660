import type { ErrorCode } from '../errors.js';
import type { VerifiedUnit } from './analysis.js';
import type { SubjectAnalysis } from './analysis.js';
import type { CheckOutcome } from './types.js';

/**
 * The outcome when a check finds no evidence of the kind it needs. If some of
 * the subject's files could not be read, the check cannot decide (`error`);
 * otherwise the evidence is missing (`fail`). Neither is ever a pass.
 */
export function noEvidence(analysis: SubjectAnalysis, what: string): CheckOutcome {
  const unreadable = analysis.unreadableFiles();
  if (unreadable.length > 0) {
    return {
      status: 'error',
      code: 'EVIDENCE_MALFORMED',
      message: `no readable ${what}; ${unreadable.map((p) => `${p.file}: ${p.reason}`).join('; ')}`,
    };
  }
  return { status: 'fail', code: 'EVIDENCE_MISSING', message: `no ${what} found` };
}

/**
 * When some units verify but none binds the digest in scope: a failure naming
 * each and what it binds instead (evidence copied from another image's
 * folder, or an image's previous build). Undefined when none verifies.
 */
export function foreignFailure(units: VerifiedUnit[], digest: string, what: 'signature' | 'attestation'): CheckOutcome | undefined {
  const foreign = units.filter((u) => u.verdict.ok && !u.bound.binds);
  if (foreign.length === 0) return undefined;
  const names = [...new Set(foreign.flatMap((u) => (u.bound.binds ? [] : u.bound.names)))];
  return {
    status: 'fail',
    code: names.length > 0 ? 'DIGEST_MISMATCH' : 'PAYLOAD_INVALID',
    message: `${what === 'signature' ? 'a signature' : 'an attestation'} verifies, but none binds ${digest} (${foreign.map((u) => `${u.label}: ${u.bound.binds ? '' : u.bound.reason}`).join('; ')})`,
    details: { 'digest in scope': digest, ...(names.length > 0 ? { 'digests bound instead': names.join(', ') } : {}) },
    evidence: foreign.flatMap((u) => u.evidence),
  };
}

/** When no unit verifies: the first definite failure's code, or `error` when no failure is a proven fault. */
export function verificationFailure(analysis: SubjectAnalysis, units: VerifiedUnit[], what: 'signature' | 'attestation'): CheckOutcome {
  const failures = units.flatMap((u) => (u.verdict.ok ? [] : [{ label: u.label, ...u.verdict }]));
  const unreadable = analysis.unreadableFiles();
  const undecided = failures.every((f) => cannotTell(f.code, unreadable.length > 0));
  const first = failures.find((f) => !cannotTell(f.code, unreadable.length > 0)) ?? failures[0];
  const also = unreadable.length > 0 ? `; unreadable: ${unreadable.map((p) => `${p.file}: ${p.reason}`).join('; ')}` : '';
  return {
    status: undecided ? 'error' : 'fail',
    code: undecided && unreadable.length > 0 ? 'EVIDENCE_MALFORMED' : (first?.code ?? 'SIGNATURE_INVALID'),
    message: `${undecided ? `no ${what} auditpack can verify` : `no ${what} verifies with a trusted key or identity`} (${failures.map((f) => `${f.label}: ${f.reason}`).join('; ')}${also})`,
    details: first?.details ?? {},
    evidence: units.flatMap((u) => u.evidence),
  };
}

/**
 * "Cannot tell", never a pass and not a proven fault: evidence of a kind
 * auditpack cannot check, or a blob a manifest names that is missing while
 * some file of the folder could not be read (it may be that blob).
 */
export function cannotTell(code: ErrorCode, someUnreadable: boolean): boolean {
  return code === 'EVIDENCE_UNSUPPORTED' || (code === 'EVIDENCE_MISSING' && someUnreadable);
}

/** Why a unit does not count: its verification failure, or what it binds instead. */
export function notBoundReason(unit: VerifiedUnit): string {
  if (!unit.verdict.ok) return unit.verdict.reason;
  return unit.bound.binds ? 'it counts' : `it verifies, but ${unit.bound.reason}`;
}

/** No SBOM counts for the image; if a verified one binds another digest, name it (it is not this image's SBOM). */
export function noBoundSbom(analysis: SubjectAnalysis): CheckOutcome {
  const foreign = analysis.foreignSboms();
  const message = 'no SBOM in a verified CycloneDX attestation bound to this digest';
  if (foreign.length === 0) return { status: 'fail', code: 'EVIDENCE_MISSING', message };
  return {
    status: 'fail',
    code: 'EVIDENCE_MISSING',
    message: `${message} (${foreign.map((a) => `${a.label}: ${a.bound.binds ? '' : a.bound.reason}`).join('; ')}; another image's SBOM is not read)`,
    evidence: foreign.flatMap((a) => a.evidence),
  };
}

export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}
