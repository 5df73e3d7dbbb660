import type { ErrorCode } from '../errors.js';
import {
  DSSE_ENVELOPE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  isDsseEnvelope,
  isImageIndex,
  isImageManifest,
  isRecord,
  isSignatureLine,
  isSigstoreBundle,
  isSimpleSigningClaim,
  layerDescriptors,
  type CosignSignatureLine,
  type DsseEnvelope,
} from '../util/wire.js';
import type { Evidence, ParsedEvidence } from './evidence.js';

export type Classified =
  { ok: true; parsed: ParsedEvidence } | { ok: false; code: Extract<ErrorCode, 'EVIDENCE_MALFORMED' | 'EVIDENCE_UNRECOGNISED'>; reason: string };

/**
 * Tells what a file is by its content, never by its name: operators rename
 * files, and a `.json` can hold JSON lines. The order matters: a whole-file
 * JSON document is tried first, then JSON lines. Nothing is decoded or
 * trusted here; verification reads the parts kept.
 */
export function classifyEvidence(evidence: Evidence): Classified {
  const text = evidence.bytes.toString('utf8');
  if (text.trim() === '') return { ok: false, code: 'EVIDENCE_MALFORMED', reason: 'the file is empty' };
  // A first line that is JSON on its own, with more after it, cannot be one JSON document: skip
  // parsing the whole file only to fail (an attestation line carries a whole SBOM).
  const first = firstOfJsonLines(text);
  if (first !== undefined) return classifyJsonLines(evidence, text, first);
  const whole = tryParseJson(text);
  if (whole.ok) return classifyDocument(evidence, whole.value);
  const verifyOutput = cosignVerifyCapture(text);
  if (verifyOutput !== undefined)
    return { ok: true, parsed: { kind: 'cosign-verify-output', evidence: { ...evidence, kind: 'cosign-verify-output' }, claims: verifyOutput } };
  return classifyJsonLines(evidence, text);
}

/** The first line parsed, when it is JSON on its own and more follows it; else undefined. */
function firstOfJsonLines(text: string): { value: unknown } | undefined {
  const end = text.indexOf('\n');
  if (end < 0 || text.slice(end).trim() === '') return undefined;
  const parsed = tryParseJson(text.slice(0, end));
  return parsed.ok ? { value: parsed.value } : undefined;
}

function classifyDocument(evidence: Evidence, value: unknown): Classified {
  if (Array.isArray(value) && value.length > 0 && value.every(isSimpleSigningClaim)) {
    return { ok: true, parsed: { kind: 'cosign-verify-output', evidence: { ...evidence, kind: 'cosign-verify-output' }, claims: value } };
  }
  if (isRecord(value)) {
    if (isImageManifest(value)) return manifest(evidence, value);
    if (isImageIndex(value)) return imageManifest(evidence);
    if (isSignatureLine(value)) return signatures(evidence, [value]);
    // The envelope's exact bytes: the file, less the newline a shell redirect adds.
    if (isDsseEnvelope(value)) return envelopes(evidence, [value], [withoutFinalNewline(evidence.bytes)]);
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

/**
 * JSON lines, each line's exact bytes kept (a view of the file's, less a
 * final CR) for the envelope's digest; `first`: line 1 already parsed. The
 * text's lines and the bytes' lines pair up: an LF byte is never part of a
 * multi-byte UTF-8 sequence, and nothing else decodes to LF.
 */
function classifyJsonLines(evidence: Evidence, text: string, first?: { value: unknown }): Classified {
  const values: unknown[] = [];
  const raw: Buffer[] = [];
  const lines = text.split('\n');
  const bytes = byteLines(evidence.bytes);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = index === 0 && first !== undefined ? { ok: true as const, value: first.value } : tryParseJson(line);
    if (!parsed.ok) {
      const what = index === 0 && lines.filter((l) => l.trim() !== '').length === 1 ? 'not JSON' : `line ${index + 1} is not JSON`;
      return { ok: false, code: 'EVIDENCE_MALFORMED', reason: `${what} (${parsed.error}); truncated or not evidence` };
    }
    values.push(parsed.value);
    const exact = bytes[index] ?? Buffer.alloc(0);
    raw.push(exact[exact.length - 1] === 0x0d ? exact.subarray(0, -1) : exact);
  }
  if (values.every(isSignatureLine)) return signatures(evidence, values);
  if (values.every(isDsseEnvelope)) return envelopes(evidence, values, raw);
  if (values.every(isSigstoreBundle)) return bundles(evidence, values);
  return { ok: false, code: 'EVIDENCE_UNRECOGNISED', reason: 'JSON lines, but neither cosign signatures, DSSE envelopes nor Sigstore bundles' };
}

/** The file split at each LF byte, each line a view of the file's bytes. */
function byteLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  lines.push(bytes.subarray(start));
  return lines;
}

/**
 * An OCI manifest is the image's own, unless every layer is a cosign
 * simple-signing payload (a `.sig` image) or a DSSE envelope (an `.att`
 * image): then it is signature evidence whose layers name their blobs.
 */
function manifest(evidence: Evidence, value: Record<string, unknown> & { layers: unknown[] }): Classified {
  const layers = layerDescriptors(value);
  const all = (mediaType: string) => layers.length > 0 && layers.every((l) => l.mediaType === mediaType);
  if (all(SIMPLE_SIGNING_MEDIA_TYPE)) {
    return { ok: true, parsed: { kind: 'signature-manifest', evidence: { ...evidence, kind: 'cosign-signature' }, role: 'signatures', layers } };
  }
  if (all(DSSE_ENVELOPE_MEDIA_TYPE)) {
    return { ok: true, parsed: { kind: 'signature-manifest', evidence: { ...evidence, kind: 'dsse-attestation' }, role: 'attestations', layers } };
  }
  return imageManifest(evidence);
}

/** The image's own manifest, or the index of a multi-platform image: the SHA-256 of its bytes is the image digest. */
function imageManifest(evidence: Evidence): Classified {
  return { ok: true, parsed: { kind: 'image-manifest', evidence: { ...evidence, kind: 'image-manifest' }, digest: `sha256:${evidence.sha256}` } };
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

function envelopes(evidence: Evidence, list: DsseEnvelope[], raw: Buffer[]): Classified {
  return { ok: true, parsed: { kind: 'dsse-attestation', evidence: { ...evidence, kind: 'dsse-attestation' }, envelopes: list, raw } };
}

function bundles(evidence: Evidence, list: Record<string, unknown>[]): Classified {
  return { ok: true, parsed: { kind: 'sigstore-bundle', evidence: { ...evidence, kind: 'sigstore-bundle' }, bundles: list } };
}

function withoutFinalNewline(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end -= 1;
  if (bytes[end - 1] === 0x0d) end -= 1;
  return bytes.subarray(0, end);
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (thrown) {
    return { ok: false, error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}
