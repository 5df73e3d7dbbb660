/**
 * One error class with stable string codes, in the style of sigstore-js.
 * Codes are part of the public contract: they appear in findings, in
 * report.json and in CLI messages. Never rename one; add new ones.
 */

export const ERROR_CODES = {
  CONFIG_INVALID: 'the configuration file is missing, unreadable or invalid',
  PERIOD_INVALID: 'the reporting period is not a valid period, or starts after the clock',
  CLOCK_INVALID: 'the clock is not a valid ISO 8601 instant',
  TRUST_INVALID: 'trust material (key or trusted root) is missing or invalid',
  EVIDENCE_MISSING: 'expected evidence was not found',
  EVIDENCE_MALFORMED: 'evidence could not be parsed',
  EVIDENCE_UNREADABLE: 'an evidence file exists but could not be read',
  EVIDENCE_UNRECOGNISED: 'a file is not a kind of evidence auditpack knows',
  EVIDENCE_OUT_OF_PERIOD: 'evidence is dated after the reporting period (it cannot be what the image was judged on during it)',
  SIGNATURE_INVALID: 'a signature did not verify',
  SIGNATURE_UNTRUSTED_KEY: 'a signature was not made by a trusted key',
  DIGEST_MISMATCH: 'signed content names another image digest',
  PAYLOAD_INVALID: 'a signed payload is not of the expected type',
  SBOM_INVALID: 'an SBOM is not valid CycloneDX',
  SBOM_LOW_QUALITY: 'an SBOM lacks required fields',
  PIPELINE_NOT_FOUND: 'no successful pipeline run built this digest',
  PIPELINE_WARNING: 'a green pipeline run logged a signing failure',
  FRAMEWORK_INVALID: 'a framework catalog is invalid',
  RENDER_FAILED: 'a renderer failed',
  SEAL_MISSING: 'the bundle has no seal',
  SEAL_MISMATCH: 'a file in the bundle differs from the sealed manifest',
  SEAL_SIGNATURE_INVALID: 'the seal signature does not verify',
  OUTPUT_INVALID: 'the output folder cannot be used',
  INTERNAL: 'an unexpected internal error',
  TLOG_INVALID: 'a transparency-log entry or its inclusion proof did not verify',
  TIMESTAMP_INVALID: 'a signed timestamp is missing or did not verify',
  CERTIFICATE_INVALID: 'a signing certificate does not chain to a trusted CA at the signing time',
  IDENTITY_MISMATCH: 'the signing certificate names another identity or OIDC issuer',
  EVIDENCE_UNSUPPORTED: 'evidence of a kind or version auditpack cannot verify (never a pass)',
  EVIDENCE_LINK_OUTSIDE: 'a symbolic link leads outside the configuration folder; it was not followed',
  EVIDENCE_TOO_LARGE: 'an evidence file is over the size limit; it was not read',
  OUTPUT_LOCKED: 'another auditpack run is writing the same output folder',
  SEAL_KEY_INVALID: 'the seal key cannot sign: a public key, a wrong passphrase or an unsupported key',
  SEAL_UNPINNED: 'the seal was not checked against a key or identity the verifier chose',
  FINDING_MISMATCH: "a finding re-derived from the bundle's own evidence differs from the report",
  ARCHIVE_INVALID: 'a bundle archive is truncated, malformed or holds an entry auditpack refuses',
  PDF_SIGNING_INVALID: "the certificate or key that signs report.pdf is missing, unreadable, mismatched or not valid at the run's clock",
  COLLECT_UNREACHABLE: 'a registry or CI server could not be reached (connection refused or reset, DNS, TLS)',
  COLLECT_TIMEOUT: 'a registry or CI server did not answer within the timeout',
  COLLECT_AUTH_FAILED: 'a registry or CI server asked for credentials that are missing, or refused the ones given',
  COLLECT_NOT_FOUND: 'a requested repository, tag, pipeline or log does not exist on the server',
  COLLECT_SERVER_ERROR: 'a registry or CI server answered with an error status',
  COLLECT_BAD_RESPONSE: 'an answer was not what the API describes (an HTML page, not JSON, cut off, wrong shape)',
  COLLECT_TOO_LARGE: 'an answer was larger than the configured limit and was not read',
  COLLECT_DIGEST_MISMATCH: 'content fetched by digest does not hash to that digest',
  SIGNING_TIME_UNVERIFIED:
    'a signature has no verified signing time (transparency-log entry or RFC 3161 timestamp), which the policy or the key validity window requires',
  PIPELINE_UNBOUND: 'pipeline runs name the digest, but none belongs to the configured repository, an allowed event and a release branch',
  CLOCK_BEFORE_EVIDENCE: "the run's clock is earlier than evidence the report relies on",
  EVIDENCE_STALE: "evidence is older than the maximum age (evidence.maxAge) at the period's end, or its time cannot be read",
  IMAGE_RUNNING_UNCOVERED: 'an image runs (population) with a digest no image of the configuration names: no evidence is judged for it',
  IMAGE_RUNNING_DIGEST_DIFFERS: 'the digest that runs differs from the one the configuration names for that repository',
  IMAGE_RUNNING_DIGEST_UNKNOWN: 'a container of the population has no registry digest (pending, not pulled, or a local image id): what runs there is unknown',
  IMAGE_PUBLISHED_UNCOVERED:
    'a registry listing (population) publishes a digest no image of the configuration names: no evidence is judged for it (published, not necessarily running)',
  IMAGE_PUBLISHED_DIGEST_DIFFERS: 'the digest a listed registry tag resolves to differs from the one the configuration names for that repository',
  IMAGE_PUBLISHED_DIGEST_UNKNOWN:
    'a registry listing (population) is incomplete, or one of its tags was not resolved when it was collected: what is published there is unknown',
  REPORT_UNREADABLE: 'a bundle named for comparison has no readable auditpack report.json or inventory.csv',
  OUTPUT_OTHER_PERIOD: 'the output folder or archive is the sealed bundle of another period (or states none): it is never replaced',
  PROVENANCE_MISMATCH: 'signed provenance bound to the digest names a builder or source repository the configuration does not expect',
  PROVENANCE_UNPINNED: 'signed provenance verifies and binds the digest, but no expected builders and source repositories are configured to judge it',
  INTERRUPTED: 'the run was stopped by SIGINT or SIGTERM before it finished; what it had written was removed',
} as const;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export type ErrorCode = keyof typeof ERROR_CODES;

export class AuditpackError extends Error {
  readonly code: ErrorCode;
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;

  constructor(code: ErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditpackError';
    this.code = code;
    this.file = options.file;
  }
}

/**
 * A short, human-readable reason from anything thrown (library errors
 * included): its code once (Node's file errors already start their message
 * with it), and its first line without the colon that introduces what
 * followed (the YAML parser's excerpt of the file).
 */
export function describeThrown(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const code = (thrown as { code?: unknown }).code;
  const first = (thrown.message.split('\n')[0] ?? '').trim().replace(/:$/, '');
  const prefix = typeof code === 'string' && code !== '' && !first.startsWith(`${code}:`) ? `${code}: ` : '';
  const text = `${prefix}${first}`;
  return text === '' ? thrown.name : text;
}
