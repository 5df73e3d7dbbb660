import type { ErrorCode } from '../errors.js';
import { IN_TOTO_PAYLOAD_TYPE, isRecord } from '../util/wire.js';
import { decodeStrictBase64 } from './base64.js';

export { IN_TOTO_PAYLOAD_TYPE } from '../util/wire.js';
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
/** cosign v3 signs images with a DSSE in-toto statement of this predicate type (`--new-bundle-format`). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
const STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; reason: string };

export interface SimpleSigningClaim {
  type: string;
  digest: string;
  dockerReference: string;
}

/** Reads the exact signed simple-signing bytes (never a re-serialised copy). */
export function parseSimpleSigning(payloadBase64: string): Parsed<SimpleSigningClaim> {
  const json = decodeJson(payloadBase64);
  if (!json.ok) return json;
  const critical = isRecord(json.value) ? json.value.critical : undefined;
  if (!isRecord(critical)) return { ok: false, code: 'PAYLOAD_INVALID', reason: 'payload has no `critical` section' };
  const image = isRecord(critical.image) ? critical.image : {};
  const identity = isRecord(critical.identity) ? critical.identity : {};
  return {
    ok: true,
    value: {
      type: typeof critical.type === 'string' ? critical.type : '',
      digest: typeof image['docker-manifest-digest'] === 'string' ? image['docker-manifest-digest'] : '',
      dockerReference: typeof identity['docker-reference'] === 'string' ? identity['docker-reference'] : '',
    },
  };
}

/** One in-toto subject: an artifact named by its digests (`{sha256: <hex>, …}`). */
export interface StatementSubject {
  name: string;
  digests: Record<string, string>;
}

export interface InTotoStatement {
  type: string;
  predicateType: string;
  /** Every subject, as the statement lists them. */
  subjects: StatementSubject[];
  /** The subjects' SHA-256 digests as `sha256:<hex>`: what an image digest is compared with. */
  subjectDigests: string[];
  predicate: unknown;
}

/** `payload`: the envelope's base64 text, or the bytes `decodeStrictBase64` already read from it. */
export function parseInTotoStatement(payloadType: string, payload: string | Buffer): Parsed<InTotoStatement> {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `payloadType is '${payloadType}', not ${IN_TOTO_PAYLOAD_TYPE}` };
  }
  const json = decodeJson(payload);
  if (!json.ok) return json;
  const st = json.value;
  if (!isRecord(st) || typeof st._type !== 'string' || !STATEMENT_TYPES.has(st._type)) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: 'payload is not an in-toto Statement' };
  }
  const subjects = readSubjects(st.subject);
  const subjectDigests = sha256Digests(subjects);
  return {
    ok: true,
    value: { type: st._type, predicateType: typeof st.predicateType === 'string' ? st.predicateType : '', subjects, subjectDigests, predicate: st.predicate },
  };
}

/** Every subject, for the report: `name@sha256:<hex>` (the name omitted when the statement gives none). */
export function describeSubjects(subjects: StatementSubject[]): string {
  if (subjects.length === 0) return 'none';
  return subjects
    .map((s) => {
      const digests =
        Object.entries(s.digests)
          .map(([alg, hex]) => `${alg}:${hex}`)
          .join(', ') || 'no digest';
      return s.name === '' ? digests : `${s.name}@${digests}`;
    })
    .join('; ');
}

/** An in-toto statement's `subject` list, read without trusting its shape. */
export function readSubjects(subject: unknown): StatementSubject[] {
  return (Array.isArray(subject) ? subject : []).filter(isRecord).map((s) => {
    const digest = isRecord(s.digest) ? s.digest : {};
    const digests = Object.fromEntries(Object.entries(digest).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return { name: typeof s.name === 'string' ? s.name : '', digests };
  });
}

/** The subjects' SHA-256 digests as `sha256:<hex>`. */
export function sha256Digests(subjects: StatementSubject[]): string[] {
  return subjects.flatMap((s) => (s.digests.sha256 === undefined ? [] : [`sha256:${s.digests.sha256.toLowerCase()}`]));
}

/** CycloneDX predicate types as cosign and other tools write them. */
export function isCycloneDxPredicate(predicateType: string): boolean {
  return (
    predicateType === 'https://cyclonedx.org/bom' || predicateType.startsWith('https://cyclonedx.org/bom/') || predicateType === 'https://cyclonedx.org/schema'
  );
}

/**
 * The SBOM inside a CycloneDX predicate. cosign ≤ 1.13 wrapped it as
 * `{"Data": <bom or JSON string>, "Timestamp": …}` (cosign #2126).
 */
export function extractSbom(predicate: unknown): unknown {
  if (isRecord(predicate) && 'Data' in predicate && !('bomFormat' in predicate)) {
    const data = predicate.Data;
    if (typeof data !== 'string') return data;
    try {
      return JSON.parse(data);
    } catch {
      return data;
    }
  }
  return predicate;
}

function decodeJson(payload: string | Buffer): Parsed<unknown> {
  const bytes = typeof payload === 'string' ? decodeStrictBase64(payload) : payload;
  if (bytes === undefined) return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'payload is not strict base64' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (thrown) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `payload is not JSON (${thrown instanceof Error ? thrown.message : String(thrown)})` };
  }
}
