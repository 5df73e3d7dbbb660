import { createHash } from 'node:crypto';
import type { ParsedEvidence } from './evidence.js';
import { isRecord } from './classify.js';
import { decodeStrictBase64 } from '../verify/base64.js';
import { parseInTotoStatement, parseSimpleSigning, type InTotoStatement, type Parsed, type SimpleSigningClaim } from '../verify/payloads.js';
import type { VerificationInput } from '../verify/sigstore.js';

/** cosign v3 signs images with a DSSE in-toto statement of this predicate type (`--new-bundle-format`). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/** What a verified signature says it is about. */
export type SignatureBinding =
  | { format: 'simple-signing'; claim: Parsed<SimpleSigningClaim> }
  | { format: 'in-toto'; statement: Parsed<InTotoStatement> }
  | { format: 'unknown'; reason: string };

interface Unit {
  /** Where it was read, for messages: a file and line, or a layout layer. */
  label: string;
  /** How it was delivered, for the report: "Sigstore bundle", "legacy cosign signature (…)". */
  format: string;
  /** Files (sha256) it was read from, the one holding the signed content first. */
  evidence: string[];
  input: VerificationInput;
}

export interface SignatureUnit extends Unit {
  binding: SignatureBinding;
}

export interface AttestationUnit extends Unit {
  payloadType: string;
  statement: Parsed<InTotoStatement>;
}

export interface SubjectUnits {
  signatures: SignatureUnit[];
  attestations: AttestationUnit[];
}

const FORMAT = {
  downloadSignature: 'legacy cosign signature (cosign download signature)',
  layoutSignature: 'legacy cosign signature (.sig image in a cosign save layout)',
  downloadEnvelope: 'DSSE envelope (cosign download attestation)',
  layoutEnvelope: 'DSSE envelope (.att image in a cosign save layout)',
  bundle: 'Sigstore bundle',
  layoutBundle: 'Sigstore bundle (OCI 1.1 referrer in a cosign save layout)',
};

/**
 * Sorts a subject's signed evidence into image signatures and attestations by
 * content, never by file name: a DSSE statement of type cosign sign/v1 is an
 * image signature, any other statement an attestation; a message-signature
 * bundle is an image signature only when the exact bytes it signs are present.
 */
export function subjectUnits(items: ParsedEvidence[]): SubjectUnits {
  const units: SubjectUnits = { signatures: [], attestations: [] };
  const payloads = signedPayloads(items);
  for (const item of items) {
    const at = (index: number, count: number) => (count > 1 ? `${item.evidence.source} line ${index + 1}` : item.evidence.source);
    switch (item.kind) {
      case 'cosign-signature':
        item.lines.forEach((line, i) =>
          units.signatures.push({ label: at(i, item.lines.length), format: FORMAT.downloadSignature, evidence: [item.evidence.sha256], input: { kind: 'legacy-signature', line }, binding: { format: 'simple-signing', claim: parseSimpleSigning(line.Payload) } }),
        );
        break;
      case 'dsse-attestation':
        item.envelopes.forEach((envelope, i) =>
          addDsse(units, { label: at(i, item.envelopes.length), format: FORMAT.downloadEnvelope, evidence: [item.evidence.sha256], input: { kind: 'dsse-envelope', envelope } }, envelope.payloadType, envelope.payload),
        );
        break;
      case 'sigstore-bundle':
        item.bundles.forEach((bundle, i) => addBundle(units, bundle, { label: at(i, item.bundles.length), format: FORMAT.bundle, evidence: [item.evidence.sha256] }, payloads));
        break;
      case 'oci-layout':
        for (const s of item.layout.signatures) {
          units.signatures.push({ label: s.label, format: FORMAT.layoutSignature, evidence: s.evidence, input: { kind: 'legacy-signature', line: s.line }, binding: { format: 'simple-signing', claim: parseSimpleSigning(s.line.Payload) } });
        }
        for (const a of item.layout.attestations) {
          addDsse(units, { label: a.label, format: FORMAT.layoutEnvelope, evidence: a.evidence, input: { kind: 'dsse-envelope', envelope: a.envelope, material: a.material } }, a.envelope.payloadType, a.envelope.payload);
        }
        for (const b of item.layout.bundles) {
          if (isRecord(b.bundle)) addBundle(units, b.bundle, { label: b.label, format: FORMAT.layoutBundle, evidence: b.evidence }, payloads);
        }
        break;
      case 'image-manifest':
      case 'cosign-verify-output':
      case 'simple-signing-payload':
      case 'sbom':
        break;
    }
  }
  return units;
}

function addDsse(units: SubjectUnits, unit: Unit, payloadType: string, payload: string): void {
  const statement = parseInTotoStatement(payloadType, payload);
  if (statement.ok && statement.value.predicateType === COSIGN_SIGN_PREDICATE) {
    units.signatures.push({ ...unit, binding: { format: 'in-toto', statement } });
  } else {
    units.attestations.push({ ...unit, payloadType, statement });
  }
}

function addBundle(units: SubjectUnits, bundle: Record<string, unknown>, where: Omit<Unit, 'input'>, payloads: Map<string, { bytes: Buffer; evidence?: string }>): void {
  const dsse = bundle.dsseEnvelope;
  if (isRecord(dsse) && typeof dsse.payloadType === 'string' && typeof dsse.payload === 'string') {
    addDsse(units, { ...where, input: { kind: 'bundle', bundle, artifact: { kind: 'none' } } }, dsse.payloadType, dsse.payload);
    return;
  }
  const message = isRecord(bundle.messageSignature) ? bundle.messageSignature : undefined;
  if (message === undefined) {
    // Neither content: verification says why the bundle is malformed.
    units.signatures.push({ ...where, input: { kind: 'bundle', bundle, artifact: { kind: 'none' } }, binding: { format: 'unknown', reason: 'the bundle has no signed content' } });
    return;
  }
  const digest = messageDigestHex(message);
  const payload = digest === undefined ? undefined : payloads.get(digest);
  if (payload === undefined) {
    units.signatures.push({
      ...where,
      input: {
        kind: 'unsupported',
        code: 'EVIDENCE_UNSUPPORTED',
        reason: `a message-signature bundle signs ${digest === undefined ? 'an artifact of unknown digest' : `sha256:${digest}`}; without those exact bytes (the simple-signing payload) it cannot be tied to an image`,
      },
      binding: { format: 'unknown', reason: 'the signed artifact is not in the evidence' },
    });
    return;
  }
  units.signatures.push({
    ...where,
    evidence: payload.evidence === undefined ? where.evidence : [...where.evidence, payload.evidence],
    input: { kind: 'bundle', bundle, artifact: { kind: 'bytes', bytes: payload.bytes } },
    binding: { format: 'simple-signing', claim: parseSimpleSigning(payload.bytes.toString('base64')) },
  });
}

/** Every simple-signing payload in the subject's evidence, by the hex SHA-256 of its exact bytes. */
function signedPayloads(items: ParsedEvidence[]): Map<string, { bytes: Buffer; evidence?: string }> {
  const payloads = new Map<string, { bytes: Buffer; evidence?: string }>();
  const add = (bytes: Buffer | undefined, evidence?: string) => {
    if (bytes !== undefined) payloads.set(createHash('sha256').update(bytes).digest('hex'), evidence === undefined ? { bytes } : { bytes, evidence });
  };
  for (const item of items) {
    if (item.kind === 'simple-signing-payload') add(item.evidence.bytes, item.evidence.sha256);
    if (item.kind === 'cosign-signature') item.lines.forEach((l) => add(decodeStrictBase64(l.Payload), item.evidence.sha256));
    if (item.kind === 'oci-layout') item.layout.signatures.forEach((s) => add(decodeStrictBase64(s.line.Payload), s.evidence[0]));
  }
  return payloads;
}

function messageDigestHex(message: Record<string, unknown>): string | undefined {
  const md = isRecord(message.messageDigest) ? message.messageDigest : undefined;
  if (md === undefined || (md.algorithm !== undefined && md.algorithm !== 'SHA2_256')) return undefined;
  const bytes = typeof md.digest === 'string' ? decodeStrictBase64(md.digest) : undefined;
  return bytes?.length === 32 ? bytes.toString('hex') : undefined;
}
