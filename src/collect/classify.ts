import type { CosignSignatureLine, DsseEnvelope, Evidence, ParsedEvidence } from './evidence.js';

export type Classified =
  | { ok: true; parsed: ParsedEvidence }
  | { ok: false; code: 'EVIDENCE_MALFORMED' | 'EVIDENCE_UNRECOGNISED'; reason: string };

/**
 * Tells what a file is by its content, never by its name: operators rename
 * files, and a `.json` can hold JSON lines. The order matters: a whole-file
 * JSON document is tried first, then JSON lines.
 */
export function classifyEvidence(evidence: Evidence): Classified {
  const text = evidence.bytes.toString('utf8');
  if (text.trim() === '') return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'the file is empty' };
  const whole = tryParseJson(text);
  if (whole.ok) return classifyDocument(evidence, whole.value);
  const verifyOutput = cosignVerifyCapture(text);
  if (verifyOutput !== undefined) return { ok: true, parsed: { kind: 'cosign-verify-output', evidence: { ...evidence, kind: 'cosign-verify-output' }, claims: verifyOutput } };
  return classifyJsonLines(evidence, text);
}

function classifyDocument(evidence: Evidence, value: unknown): Classified {
  if (Array.isArray(value) && value.length > 0 && value.every(isSimpleSigningClaim)) {
    return { ok: true, parsed: { kind: 'cosign-verify-output', evidence: { ...evidence, kind: 'cosign-verify-output' }, claims: value } };
  }
  if (isRecord(value)) {
    if (isImageManifest(value)) {
      const digest = `sha256:${evidence.sha256}`;
      return { ok: true, parsed: { kind: 'image-manifest', evidence: { ...evidence, kind: 'image-manifest' }, digest } };
    }
    if (isSignatureLine(value)) return signatures(evidence, [value]);
    if (isDsseEnvelope(value)) return envelopes(evidence, [value]);
    if (value.bomFormat !== undefined || value.specVersion !== undefined) {
      return { ok: true, parsed: { kind: 'sbom', evidence: { ...evidence, kind: 'sbom' }, document: value } };
    }
    if (isSimpleSigningClaim(value)) {
      return { ok: true, parsed: { kind: 'simple-signing-payload', evidence: { ...evidence, kind: 'simple-signing-payload' } } };
    }
    if (isSigstoreBundle(value)) return bundles(evidence, [value]);
  }
  return { ok: false, code: 'EVIDENCE_UNRECOGNISED', reason: 'valid JSON, but not a kind of evidence auditpack reads' };
}

function classifyJsonLines(evidence: Evidence, text: string): Classified {
  const values: unknown[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = tryParseJson(line);
    if (!parsed.ok) {
      const what = index === 0 && lines.filter((l) => l.trim() !== '').length === 1 ? 'not JSON' : `line ${index + 1} is not JSON`;
      return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `${what} (${parsed.error}); truncated or not evidence` };
    }
    values.push(parsed.value);
  }
  if (values.every(isSignatureLine)) return signatures(evidence, values);
  if (values.every(isDsseEnvelope)) return envelopes(evidence, values);
  if (values.every(isSigstoreBundle)) return bundles(evidence, values);
  return { ok: false, code: 'EVIDENCE_UNRECOGNISED', reason: 'JSON lines, but neither cosign signatures, DSSE envelopes nor Sigstore bundles' };
}

/**
 * `cosign verify` captured with its stderr: the "Verification for <ref> --"
 * header and the list of checks, then the JSON array of claims.
 */
function cosignVerifyCapture(text: string): unknown[] | undefined {
  if (!text.trimStart().startsWith('Verification for ')) return undefined;
  const start = text.search(/^\s*\[/m);
  const parsed = start < 0 ? undefined : tryParseJson(text.slice(start));
  return parsed?.ok && Array.isArray(parsed.value) && parsed.value.length > 0 && parsed.value.every(isSimpleSigningClaim) ? parsed.value : undefined;
}

function signatures(evidence: Evidence, lines: CosignSignatureLine[]): Classified {
  return { ok: true, parsed: { kind: 'cosign-signature', evidence: { ...evidence, kind: 'cosign-signature' }, lines } };
}

function envelopes(evidence: Evidence, list: DsseEnvelope[]): Classified {
  return { ok: true, parsed: { kind: 'dsse-attestation', evidence: { ...evidence, kind: 'dsse-attestation' }, envelopes: list } };
}

function bundles(evidence: Evidence, list: Record<string, unknown>[]): Classified {
  return { ok: true, parsed: { kind: 'sigstore-bundle', evidence: { ...evidence, kind: 'sigstore-bundle' }, bundles: list } };
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (thrown) {
    return { ok: false, error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSimpleSigningClaim(value: unknown): boolean {
  return isRecord(value) && isRecord(value.critical);
}

function isImageManifest(value: Record<string, unknown>): boolean {
  return value.schemaVersion === 2 && Array.isArray(value.layers) && isRecord(value.config);
}

function isSignatureLine(value: unknown): value is CosignSignatureLine {
  return isRecord(value) && typeof value.Base64Signature === 'string' && typeof value.Payload === 'string';
}

/** Any Sigstore bundle media type (v0.1–v0.3 and later): verification, not classification, judges the version. */
export function isSigstoreBundle(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.mediaType === 'string' && value.mediaType.startsWith('application/vnd.dev.sigstore.bundle');
}

export function isDsseEnvelope(value: unknown): value is DsseEnvelope {
  return isRecord(value) && typeof value.payloadType === 'string' && typeof value.payload === 'string' && Array.isArray(value.signatures);
}
