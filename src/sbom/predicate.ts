import { isRecord } from '../util/wire.js';
import type { ErrorCode } from '../errors.js';
import { isCycloneDxPredicate, readSubjects, sha256Digests } from '../verify/payloads.js';

export type SbomFormat = 'cyclonedx' | 'spdx';

/** The layers an SBOM was found in, outermost first. */
export type Wrapping = 'sigstore-bundle' | 'dsse-envelope' | 'in-toto-statement' | 'cosign-data-wrapper';

/** What one document, envelope, bundle or JSON line of a file turned out to hold. */
export type ExtractedItem =
  | { kind: 'sbom'; location: string; format: SbomFormat; document: unknown; wrapping: Wrapping[]; predicateType?: string; subjectDigests: string[] }
  | { kind: 'other'; location: string; reason: string }
  | { kind: 'unreadable'; location: string; code: ErrorCode; reason: string };

/** cosign's default `--type custom` predicate: `{"Data": "<file as a string>", "Timestamp": …}`. */
const COSIGN_CUSTOM_PREDICATE = 'https://cosign.sigstore.dev/attestation/v1';

export function isSpdxPredicate(predicateType: string): boolean {
  return predicateType === 'https://spdx.dev/Document' || predicateType.startsWith('https://spdx.dev/Document/');
}

/** CycloneDX by its `bomFormat`/`specVersion` (a wrong bomFormat is the validator's to report), SPDX by `spdxVersion`. */
export function documentFormat(value: unknown): SbomFormat | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.spdxVersion === 'string') return 'spdx';
  if (value.bomFormat !== undefined || value.specVersion !== undefined) return 'cyclonedx';
  return undefined;
}

/**
 * The SBOM inside an in-toto statement. Accepts the CycloneDX predicate types
 * (`https://cyclonedx.org/bom`, versioned `…/bom/v1.x`, legacy
 * `https://cyclonedx.org/schema`), SPDX (`https://spdx.dev/Document`), and
 * cosign's `{Data, Timestamp}` wrapper, which cosign ≤ 1.13 put around SBOM
 * predicates (cosign #2126) and still puts around `--type custom` ones, with
 * Data as an object or as a JSON string.
 */
export function sbomFromStatement(statement: Record<string, unknown>, location: string, wrapping: Wrapping[]): ExtractedItem {
  const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType : '';
  const outer: Wrapping[] = [...wrapping, 'in-toto-statement'];
  const subjectDigests = sha256Digests(readSubjects(statement.subject));
  const found = (format: SbomFormat, document: unknown, layers: Wrapping[]): ExtractedItem => ({
    kind: 'sbom',
    location,
    format,
    document,
    wrapping: layers,
    predicateType,
    subjectDigests,
  });
  const unwrapped = unwrapCosignData(statement.predicate);
  if (unwrapped.kind === 'not-json') {
    if (isSpdxPredicate(predicateType)) return found('spdx', unwrapped.data, [...outer, 'cosign-data-wrapper']);
    return { kind: 'unreadable', location, code: 'PAYLOAD_INVALID', reason: `the predicate's cosign Data field is a string but not JSON (${predicateType})` };
  }
  const layers = unwrapped.kind === 'wrapped' ? [...outer, 'cosign-data-wrapper' as const] : outer;
  if (isCycloneDxPredicate(predicateType)) return found(documentFormat(unwrapped.value) ?? 'cyclonedx', unwrapped.value, layers);
  if (isSpdxPredicate(predicateType)) return found('spdx', unwrapped.value, layers);
  const format = predicateType === COSIGN_CUSTOM_PREDICATE ? documentFormat(unwrapped.value) : undefined;
  if (format !== undefined) return found(format, unwrapped.value, layers);
  return { kind: 'other', location, reason: `an attestation of predicate type '${predicateType || '(none)'}', not an SBOM` };
}

type Unwrapped = { kind: 'plain' | 'wrapped'; value: unknown } | { kind: 'not-json'; data: string };

function unwrapCosignData(predicate: unknown): Unwrapped {
  if (!isRecord(predicate) || !('Data' in predicate) || 'bomFormat' in predicate || 'spdxVersion' in predicate) return { kind: 'plain', value: predicate };
  const data = predicate.Data;
  if (typeof data !== 'string') return { kind: 'wrapped', value: data };
  try {
    return { kind: 'wrapped', value: JSON.parse(data) };
  } catch {
    return { kind: 'not-json', data };
  }
}
