import type { ErrorCode } from '../errors.js';
import type { ParsedEvidence } from '../collect/evidence.js';
import { isRecord, type DsseEnvelope, type LayerDescriptor } from '../util/wire.js';
import { claimedEnvelopes, digestHex, digestOf, envelopeBlobs, envelopeDigests, messageDigestHex, signedPayloads, type Blob } from './blobs.js';
import { decodeStrictBase64 } from './base64.js';
import { materialFromAnnotations, signatureLineFromLayer } from './cosign-annotations.js';
import { COSIGN_SIGN_PREDICATE, parseInTotoStatement, parseSimpleSigning, type InTotoStatement, type Parsed, type SimpleSigningClaim } from './payloads.js';
import type { VerificationInput } from './sigstore.js';

/** What a signature says it is about, read from its exact signed bytes (trusted only once it verifies). */
export type SignedContent =
  | { format: 'simple-signing'; claim: Parsed<SimpleSigningClaim> }
  | { format: 'in-toto'; statement: Parsed<InTotoStatement> }
  | { format: 'unknown'; reason: string };

interface Unit {
  /** Where it was read, for messages: a file and line, a manifest layer, a layout layer. */
  label: string;
  /** How it was delivered, for the report: "Sigstore bundle", "legacy cosign signature (…)". */
  format: string;
  /** Files (sha256) it was read from, the one holding the signed content first. */
  evidence: string[];
  input: VerificationInput;
}

export interface SignatureUnit extends Unit {
  content: SignedContent;
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
  manifestSignature: 'legacy cosign signature (.sig manifest and payload blob)',
  layoutSignature: 'legacy cosign signature (.sig image in a cosign save layout)',
  downloadEnvelope: 'DSSE envelope (cosign download attestation)',
  manifestEnvelope: 'DSSE envelope (.att manifest and envelope blob)',
  layoutEnvelope: 'DSSE envelope (.att image in a cosign save layout)',
  bundle: 'Sigstore bundle',
  layoutBundle: 'Sigstore bundle (OCI 1.1 referrer in a cosign save layout)',
};

/**
 * Sorts a subject's signed evidence into image signatures and attestations by
 * content, never by file name: a DSSE statement of type cosign sign/v1 is an
 * image signature, any other statement an attestation; a message-signature
 * bundle is an image signature only when the exact bytes it signs are present.
 * A `.sig`/`.att` manifest is paired with the blobs its layers name by digest;
 * an envelope an `.att` manifest names is verified with the manifest's
 * certificate and log entry instead of bare.
 */
export function subjectUnits(items: ParsedEvidence[]): SubjectUnits {
  const units: SubjectUnits = { signatures: [], attestations: [] };
  const payloads = signedPayloads(items);
  const digests = envelopeDigests(items);
  const envelopes = envelopeBlobs(items, digests);
  const claimed = claimedEnvelopes(items, envelopes);
  for (const item of items) {
    const at = (index: number, count: number) => (count > 1 ? `${item.evidence.source} line ${index + 1}` : item.evidence.source);
    switch (item.kind) {
      case 'cosign-signature':
        item.lines.forEach((line, i) =>
          units.signatures.push(
            legacyUnit(at(i, item.lines.length), FORMAT.downloadSignature, [item.evidence.sha256], { kind: 'legacy-signature', line }, line.Payload),
          ),
        );
        break;
      case 'dsse-attestation':
        item.envelopes.forEach((envelope, i) => {
          if (claimed.has(digestOf(digests, item.raw[i]))) return;
          addDsse(
            units,
            {
              label: at(i, item.envelopes.length),
              format: FORMAT.downloadEnvelope,
              evidence: [item.evidence.sha256],
              input: { kind: 'dsse-envelope', envelope },
            },
            envelope,
          );
        });
        break;
      case 'signature-manifest':
        item.layers.forEach((layer, i) => {
          const where = { label: `${item.evidence.source} layer ${i + 1}`, manifest: item.evidence.sha256 };
          if (item.role === 'signatures') units.signatures.push(manifestSignature(layer, where, payloads));
          else addManifestEnvelope(units, layer, where, envelopes);
        });
        break;
      case 'sigstore-bundle':
        item.bundles.forEach((bundle, i) =>
          addBundle(units, bundle, { label: at(i, item.bundles.length), format: FORMAT.bundle, evidence: [item.evidence.sha256] }, payloads),
        );
        break;
      case 'oci-layout':
        addLayout(units, item.layout, payloads);
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

function addLayout(units: SubjectUnits, layout: Extract<ParsedEvidence, { kind: 'oci-layout' }>['layout'], payloads: Map<string, Blob<Buffer>>): void {
  for (const s of layout.signatures) {
    const line = signatureLineFromLayer(s.payload, s.annotations);
    const input: VerificationInput = line.ok ? { kind: 'legacy-signature', line: line.line } : refused('EVIDENCE_MALFORMED', line.reason);
    units.signatures.push(legacyUnit(s.label, FORMAT.layoutSignature, s.evidence, input, s.payload.toString('base64')));
  }
  for (const a of layout.attestations) {
    const material = materialFromAnnotations(a.annotations);
    const input: VerificationInput = material.ok
      ? { kind: 'dsse-envelope', envelope: a.envelope, material: material.material }
      : refused('EVIDENCE_MALFORMED', material.reason);
    addDsse(units, { label: a.label, format: FORMAT.layoutEnvelope, evidence: a.evidence, input }, a.envelope);
  }
  for (const b of layout.bundles) {
    if (isRecord(b.bundle)) addBundle(units, b.bundle, { label: b.label, format: FORMAT.layoutBundle, evidence: b.evidence }, payloads);
  }
}

function legacyUnit(label: string, format: string, evidence: string[], input: VerificationInput, payloadBase64: string): SignatureUnit {
  return { label, format, evidence, input, content: { format: 'simple-signing', claim: parseSimpleSigning(payloadBase64) } };
}

/** A `.sig` manifest layer: its annotations carry the signature and log entry, its blob (found by digest) is the payload. */
function manifestSignature(layer: LayerDescriptor, where: { label: string; manifest: string }, payloads: Map<string, Blob<Buffer>>): SignatureUnit {
  const payload = payloads.get(digestHex(layer.digest) ?? '');
  if (payload === undefined) {
    const reason = missingBlob('simple-signing payload', layer.digest);
    return {
      label: where.label,
      format: FORMAT.manifestSignature,
      evidence: [where.manifest],
      input: refused('EVIDENCE_MISSING', reason),
      content: { format: 'unknown', reason },
    };
  }
  const line = signatureLineFromLayer(payload.value, layer.annotations);
  const input: VerificationInput = line.ok ? { kind: 'legacy-signature', line: line.line } : refused('EVIDENCE_MALFORMED', line.reason);
  return legacyUnit(where.label, FORMAT.manifestSignature, [payload.evidence, where.manifest], input, payload.value.toString('base64'));
}

function addManifestEnvelope(
  units: SubjectUnits,
  layer: LayerDescriptor,
  where: { label: string; manifest: string },
  envelopes: Map<string, Blob<DsseEnvelope>>,
): void {
  const blob = envelopes.get(digestHex(layer.digest) ?? '');
  if (blob === undefined) {
    const reason = missingBlob('DSSE envelope', layer.digest);
    units.attestations.push({
      label: where.label,
      format: FORMAT.manifestEnvelope,
      evidence: [where.manifest],
      input: refused('EVIDENCE_MISSING', reason),
      payloadType: '',
      statement: { ok: false, code: 'EVIDENCE_MISSING', reason },
    });
    return;
  }
  const material = materialFromAnnotations(layer.annotations);
  const input: VerificationInput = material.ok
    ? { kind: 'dsse-envelope', envelope: blob.value, material: material.material }
    : refused('EVIDENCE_MALFORMED', material.reason);
  addDsse(
    units,
    { label: `${blob.label ?? 'envelope'} (logged per ${where.label})`, format: FORMAT.manifestEnvelope, evidence: [blob.evidence, where.manifest], input },
    blob.value,
  );
}

/**
 * The envelope's payload is decoded once: the statement is read from those
 * bytes, and verification is handed them to check, so what the report says
 * the statement claims is what the signature was checked over.
 */
function addDsse(units: SubjectUnits, signed: Unit, envelope: { payloadType: string; payload: string }): void {
  const payload = decodeStrictBase64(envelope.payload);
  const statement = parseInTotoStatement(envelope.payloadType, payload ?? envelope.payload);
  const unit =
    payload !== undefined && (signed.input.kind === 'dsse-envelope' || signed.input.kind === 'bundle')
      ? { ...signed, input: { ...signed.input, payload } }
      : signed;
  if (statement.ok && statement.value.predicateType === COSIGN_SIGN_PREDICATE) {
    units.signatures.push({ ...unit, content: { format: 'in-toto', statement } });
  } else {
    units.attestations.push({ ...unit, payloadType: envelope.payloadType, statement });
  }
}

function addBundle(units: SubjectUnits, bundle: Record<string, unknown>, where: Omit<Unit, 'input'>, payloads: Map<string, Blob<Buffer>>): void {
  const dsse = bundle.dsseEnvelope;
  if (isRecord(dsse) && typeof dsse.payloadType === 'string' && typeof dsse.payload === 'string') {
    addDsse(units, { ...where, input: { kind: 'bundle', bundle, artifact: { kind: 'none' } } }, { payloadType: dsse.payloadType, payload: dsse.payload });
    return;
  }
  const message = isRecord(bundle.messageSignature) ? bundle.messageSignature : undefined;
  if (message === undefined) {
    // Neither content: verification says why the bundle is malformed.
    units.signatures.push({
      ...where,
      input: { kind: 'bundle', bundle, artifact: { kind: 'none' } },
      content: { format: 'unknown', reason: 'the bundle has no signed content' },
    });
    return;
  }
  const digest = messageDigestHex(message);
  const payload = digest === undefined ? undefined : payloads.get(digest);
  if (payload === undefined) {
    const reason = `a message-signature bundle signs ${digest === undefined ? 'an artifact of unknown digest' : `sha256:${digest}`}; without those exact bytes (the simple-signing payload) it cannot be tied to an image`;
    units.signatures.push({
      ...where,
      input: refused('EVIDENCE_UNSUPPORTED', reason),
      content: { format: 'unknown', reason: 'the signed artifact is not in the evidence' },
    });
    return;
  }
  units.signatures.push({
    ...where,
    evidence: [...where.evidence, payload.evidence],
    input: { kind: 'bundle', bundle, artifact: { kind: 'bytes', bytes: payload.value } },
    content: { format: 'simple-signing', claim: parseSimpleSigning(payload.value.toString('base64')) },
  });
}

function refused(code: ErrorCode, reason: string): VerificationInput {
  return { kind: 'refused', code, reason };
}

function missingBlob(what: string, digest: string): string {
  return `the manifest names its ${what} blob ${digest || '(no digest)'}, which is not in the evidence folder (save it with \`crane blob REPO@${digest || 'sha256:…'}\`)`;
}
