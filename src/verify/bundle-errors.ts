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
 * The one translator from what verification throws to auditpack codes, so the
 * same fault gives the same code whatever format the evidence came in.
 * Every thrown value becomes a stable code, a one-line reason and the original
 * error. Plain `TypeError`/`SyntaxError`/OpenSSL errors come from sigstore-js
 * choking on malformed input, so they count as malformed evidence, not as bugs.
 */
export function translateThrown(thrown: unknown): TranslatedError {
  const cause = describeCause(thrown);
  const code = codeFor(thrown);
  const reason = code === 'SIGNING_TIME_UNVERIFIED' && !(thrown instanceof AuditpackError) ? NO_TIME_REASON : (cause.message.split('\n')[0] ?? cause.name);
  return { code, reason, cause };
}

const NO_TIME_REASON = 'no verified signing time: the signature has neither a transparency-log entry with a signed entry timestamp nor an RFC 3161 timestamp';

/** sigstore-js's words when fewer verified times than required were found (`Verifier.verifyTimestamps`). */
const NO_VERIFIED_TIME = /^expected \d+ timestamps, got 0$/;

function codeFor(thrown: unknown): ErrorCode {
  if (thrown instanceof AuditpackError) return thrown.code;
  if (thrown instanceof PolicyError) return 'IDENTITY_MISMATCH';
  if (thrown instanceof VerificationError) {
    // No time at all is a missing time, not a bad one: the same fault as a signature without log entry.
    if (thrown.code === 'TIMESTAMP_ERROR' && NO_VERIFIED_TIME.test(thrown.message)) return 'SIGNING_TIME_UNVERIFIED';
    return VERIFICATION_CODES[thrown.code] ?? 'SIGNATURE_INVALID';
  }
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
