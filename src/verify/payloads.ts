import { isRecord } from '../collect/classify.js';
import type { ErrorCode } from '../errors.js';
import { decodeStrictBase64 } from './base64.js';

export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
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

export interface InTotoStatement {
  type: string;
  predicateType: string;
  subjectDigests: string[];
  predicate: unknown;
}

export function parseInTotoStatement(payloadType: string, payloadBase64: string): Parsed<InTotoStatement> {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `payloadType is '${payloadType}', not ${IN_TOTO_PAYLOAD_TYPE}` };
  }
  const json = decodeJson(payloadBase64);
  if (!json.ok) return json;
  const st = json.value;
  if (!isRecord(st) || typeof st._type !== 'string' || !STATEMENT_TYPES.has(st._type)) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: 'payload is not an in-toto Statement' };
  }
  const subjects = Array.isArray(st.subject) ? st.subject : [];
  const subjectDigests = subjects
    .map((s) => (isRecord(s) && isRecord(s.digest) && typeof s.digest.sha256 === 'string' ? `sha256:${s.digest.sha256}` : undefined))
    .filter((d): d is string => d !== undefined);
  return {
    ok: true,
    value: { type: st._type, predicateType: typeof st.predicateType === 'string' ? st.predicateType : '', subjectDigests, predicate: st.predicate },
  };
}

/** CycloneDX predicate types as cosign and other tools write them. */
export function isCycloneDxPredicate(predicateType: string): boolean {
  return predicateType === 'https://cyclonedx.org/bom' || predicateType.startsWith('https://cyclonedx.org/bom/') || predicateType === 'https://cyclonedx.org/schema';
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

function decodeJson(base64: string): Parsed<unknown> {
  const bytes = decodeStrictBase64(base64);
  if (bytes === undefined) return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'payload is not strict base64' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (thrown) {
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `payload is not JSON (${thrown instanceof Error ? thrown.message : String(thrown)})` };
  }
}
