import { ValidationError } from '@sigstore/bundle';
import { PolicyError, VerificationError } from '@sigstore/verify';
import { AuditpackError, type ErrorCode } from '../errors.js';

/** What was thrown, kept verbatim so an auditor can see the library's own words. */
export interface ThrownFact {
  name: string;
  /** The library's code (`TLOG_BODY_ERROR`, `ERR_OSSL_…`), when it had one. */
  code?: string;
  message: string;
  /** `ValidationError` only: the bundle fields that failed validation. */
  fields?: string[];
}

export interface TranslatedError {
  code: ErrorCode;
  reason: string;
  cause: ThrownFact;
}

/** sigstore-js `VerificationError` codes → auditpack codes (stable, part of the contract). */
const VERIFICATION_CODES: Record<string, ErrorCode> = {
  SIGNATURE_ERROR: 'SIGNATURE_INVALID',
  PUBLIC_KEY_ERROR: 'SIGNATURE_UNTRUSTED_KEY',
  CERTIFICATE_ERROR: 'CERTIFICATE_INVALID',
  TIMESTAMP_ERROR: 'TIMESTAMP_INVALID',
  TLOG_ERROR: 'TLOG_INVALID',
  TLOG_BODY_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROMISE_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROOF_ERROR: 'TLOG_INVALID',
  TLOG_MISSING_INCLUSION_ERROR: 'TLOG_INVALID',
  NOT_IMPLEMENTED_ERROR: 'EVIDENCE_UNSUPPORTED',
};

/**
 * Every thrown value becomes a stable code, a one-line reason and the original
 * error. Plain `TypeError`/`SyntaxError`/OpenSSL errors come from sigstore-js
 * choking on malformed input, so they count as malformed evidence, not as bugs.
 */
export function translateThrown(thrown: unknown): TranslatedError {
  const cause = describeCause(thrown);
  return { code: codeFor(thrown), reason: cause.message.split('\n')[0] ?? cause.name, cause };
}

function codeFor(thrown: unknown): ErrorCode {
  if (thrown instanceof AuditpackError) return thrown.code;
  if (thrown instanceof PolicyError) return 'IDENTITY_MISMATCH';
  if (thrown instanceof VerificationError) return VERIFICATION_CODES[thrown.code] ?? 'SIGNATURE_INVALID';
  return 'EVIDENCE_MALFORMED';
}

function describeCause(thrown: unknown): ThrownFact {
  if (!(thrown instanceof Error)) return { name: typeof thrown, message: String(thrown) };
  const code = (thrown as { code?: unknown }).code;
  return {
    // ValidationError does not set `name`; say what it is.
    name: thrown instanceof ValidationError ? 'ValidationError' : thrown.name,
    ...(typeof code === 'string' && code !== '' ? { code } : {}),
    message: thrown.message,
    ...(thrown instanceof ValidationError ? { fields: [...thrown.fields] } : {}),
  };
}
