import { createHash } from 'node:crypto';
import { decodeStrictBase64 } from '../verify/base64.js';
import { describeThrown } from '../errors.js';
import { IN_TOTO_PAYLOAD_TYPE, isDsseEnvelope, isInTotoStatement, isRecord, isSigstoreBundle } from '../util/wire.js';
import { documentFormat, sbomFromStatement, type ExtractedItem, type Wrapping } from './predicate.js';

export type { ExtractedItem, SbomFormat, Wrapping } from './predicate.js';

/**
 * Finds the SBOMs in one file's bytes: a plain CycloneDX or SPDX document, an
 * in-toto statement, a DSSE envelope, a Sigstore bundle, or JSON lines of
 * envelopes or bundles (as `cosign download attestation` prints them). Never
 * throws: every document or line becomes an item, readable or not.
 * Pure; signatures are not verified here.
 */
export function extractSboms(bytes: Buffer): ExtractedItem[] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return [{ kind: 'unreadable', location: '', code: 'EVIDENCE_MALFORMED', reason: 'the file is empty' }];
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (thrown) {
    return (
      extractJsonLines(text) ?? [{ kind: 'unreadable', location: '', code: 'EVIDENCE_MALFORMED', reason: `not JSON: ${describeThrown(thrown)} (truncated?)` }]
    );
  }
  return [fromValue(whole, '')];
}

/** JSON lines, if the first non-empty line is a JSON document by itself (else the file is one broken document). */
function extractJsonLines(text: string): ExtractedItem[] | undefined {
  const lines = text.split('\n');
  const items: ExtractedItem[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const location = `line ${index + 1}`;
    try {
      items.push(fromValue(JSON.parse(line), location));
    } catch (thrown) {
      if (items.length === 0) return undefined;
      items.push({ kind: 'unreadable', location, code: 'EVIDENCE_MALFORMED', reason: `not JSON: ${describeThrown(thrown)} (truncated?)` });
    }
  }
  return items.length > 1 ? items : undefined;
}

function fromValue(value: unknown, location: string): ExtractedItem {
  if (isRecord(value)) {
    if (isSigstoreBundle(value)) return fromBundle(value, location);
    if (isDsseEnvelope(value)) return fromEnvelope(value, location, []);
    if (isInTotoStatement(value)) return sbomFromStatement(value, location, []);
    const format = documentFormat(value);
    if (format !== undefined) return { kind: 'sbom', location, format, document: value, wrapping: [], subjectDigests: [] };
  }
  return { kind: 'unreadable', location, code: 'EVIDENCE_UNRECOGNISED', reason: 'JSON, but not an SBOM, in-toto statement, DSSE envelope or Sigstore bundle' };
}

function fromBundle(bundle: Record<string, unknown>, location: string): ExtractedItem {
  if (isDsseEnvelope(bundle.dsseEnvelope)) return fromEnvelope(bundle.dsseEnvelope, location, ['sigstore-bundle']);
  return { kind: 'other', location, reason: 'a Sigstore bundle without a DSSE envelope (a signature over a blob, not an attestation)' };
}

function fromEnvelope(envelope: { payloadType: string; payload: string }, location: string, wrapping: Wrapping[]): ExtractedItem {
  const layers: Wrapping[] = [...wrapping, 'dsse-envelope'];
  const bytes = decodeStrictBase64(envelope.payload);
  if (bytes === undefined) return { kind: 'unreadable', location, code: 'EVIDENCE_MALFORMED', reason: 'the DSSE payload is not standard base64' };
  let payload: unknown;
  try {
    payload = JSON.parse(bytes.toString('utf8'));
  } catch (thrown) {
    return {
      kind: 'unreadable',
      location,
      code: 'PAYLOAD_INVALID',
      reason: `the DSSE payload (${envelope.payloadType}) is not JSON: ${describeThrown(thrown)}`,
    };
  }
  if (envelope.payloadType === IN_TOTO_PAYLOAD_TYPE) {
    if (isInTotoStatement(payload)) return sbomFromStatement(payload, location, layers);
    return { kind: 'unreadable', location, code: 'PAYLOAD_INVALID', reason: 'the DSSE payload is typed in-toto but is not an in-toto statement' };
  }
  // Some tools sign the SBOM itself, with a CycloneDX or SPDX payload type.
  const format = documentFormat(payload);
  if (format !== undefined) return { kind: 'sbom', location, format, document: payload, wrapping: layers, subjectDigests: [] };
  return { kind: 'other', location, reason: `a DSSE envelope of payload type '${envelope.payloadType}', not an SBOM` };
}

/**
 * Memoises extraction by the SHA-256 of the bytes so that each input is
 * parsed once per run, however often it is named. Cached inputs are bounded
 * by their total size (oldest dropped first): the parsed form of a big SBOM
 * costs several times its bytes.
 */
export class SbomReader {
  private readonly cache = new Map<string, { items: ExtractedItem[]; size: number }>();
  private cachedBytes = 0;
  parses = 0;

  constructor(private readonly maxCachedBytes = 256 * 2 ** 20) {}

  read(bytes: Buffer): { sha256: string; items: ExtractedItem[] } {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const hit = this.cache.get(sha256);
    if (hit) return { sha256, items: hit.items };
    this.parses += 1;
    const items = extractSboms(bytes);
    this.remember(sha256, items, bytes.length);
    return { sha256, items };
  }

  private remember(sha256: string, items: ExtractedItem[], size: number): void {
    if (size > this.maxCachedBytes) return;
    while (this.cachedBytes + size > this.maxCachedBytes) {
      const [oldest, entry] = this.cache.entries().next().value as [string, { size: number }];
      this.cache.delete(oldest);
      this.cachedBytes -= entry.size;
    }
    this.cache.set(sha256, { items, size });
    this.cachedBytes += size;
  }
}
