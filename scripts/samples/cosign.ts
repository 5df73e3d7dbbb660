/**
 * What cosign v2 writes, byte for byte: the simple-signing payload it signs,
 * the Rekor bundle (hashedrekord body and SignedEntryTimestamp), the lines of
 * `cosign download signature` and `cosign download attestation`, and the
 * stdout of `cosign verify`. Field order follows cosign's Go structs.
 */
import type { EcdsaKey } from './keys.ts';
import { canonicalJson, goJson, sortKeysDeep } from './json.ts';
import { sha256Hex } from './prng.ts';

export interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

/** One signature as cosign stores it: payload, signature and its transparency-log proof. */
export interface CosignSignature {
  payload: Buffer;
  base64Signature: string;
  bundle: RekorBundle;
}

export const IN_TOTO = 'application/vnd.in-toto+json';

/** The bytes `cosign sign` signs for an image (no annotations, so "optional":null). */
export function simpleSigningPayload(repo: string, digest: string): Buffer {
  return Buffer.from(
    `{"critical":{"identity":{"docker-reference":"${repo}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`,
  );
}

/** A hashedrekord/0.0.1 entry for `payload`, logged and promised (SET) by the demo Rekor. */
export function rekorBundle(
  keys: { cosign: EcdsaKey; rekor: EcdsaKey },
  payload: Buffer,
  base64Signature: string,
  integratedTime: number,
  logIndex: number,
): RekorBundle {
  const entry = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256Hex(payload) } },
      signature: { content: base64Signature, publicKey: { content: Buffer.from(keys.cosign.publicPem).toString('base64') } },
    },
  };
  const body = Buffer.from(canonicalJson(entry)).toString('base64');
  const logID = sha256Hex(keys.rekor.spkiDer);
  const set = keys.rekor.sign(Buffer.from(canonicalJson({ body, integratedTime, logID, logIndex })));
  return { SignedEntryTimestamp: set.toString('base64'), Payload: { body, integratedTime, logIndex, logID } };
}

export function signImage(
  keys: { cosign: EcdsaKey; rekor: EcdsaKey },
  repo: string,
  digest: string,
  integratedTime: number,
  logIndex: number,
): CosignSignature {
  const payload = simpleSigningPayload(repo, digest);
  const base64Signature = keys.cosign.sign(payload).toString('base64');
  return { payload, base64Signature, bundle: rekorBundle(keys, payload, base64Signature, integratedTime, logIndex) };
}

/** One line of `cosign download signature` (Go struct field names, key-based: no certificate). */
export function downloadSignatureLine(sig: CosignSignature): string {
  return goJson({
    Base64Signature: sig.base64Signature,
    Payload: sig.payload.toString('base64'),
    Cert: null,
    Chain: null,
    Bundle: sig.bundle,
    RFC3161Timestamp: null,
  });
}

/** The JSON array `cosign verify` prints: each payload re-marshalled with the bundle under "optional". */
export function verifyJson(repo: string, digest: string, sigs: CosignSignature[]): string {
  return goJson(
    sigs.map((sig) => ({
      critical: { identity: { 'docker-reference': repo }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: { Bundle: sig.bundle },
    })),
  );
}

/** `cosign verify` stdout: an empty line, the one-line array, a newline. */
export function verifyStdout(repo: string, digest: string, sigs: CosignSignature[]): string {
  return `\n${verifyJson(repo, digest, sigs)}\n`;
}

/** `cosign verify --key` stderr header, before the JSON. */
export function verifyHeader(ref: string): string[] {
  return [
    `Verification for ${ref} --`,
    'The following checks were performed on each of these signatures:',
    '  - The cosign claims were validated',
    '  - Existence of the claims in the transparency log was verified offline',
    '  - The signatures were verified against the specified public key',
  ];
}

/**
 * The in-toto v0.1 statement `cosign attest --type cyclonedx` signs. cosign
 * decodes the SBOM into a Go map and re-encodes it, so its keys come out sorted.
 */
export function attestationStatement(repo: string, digestHex: string, sbom: object): Buffer {
  return Buffer.from(
    goJson({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://cyclonedx.org/bom',
      subject: [{ name: repo, digest: { sha256: digestHex } }],
      predicate: sortKeysDeep(sbom),
    }),
  );
}

/** DSSE pre-authentication encoding: "DSSEv1 <len> <type> <len> <payload>". */
export function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/** One line of `cosign download attestation`: the DSSE envelope. */
export function attestationLine(key: EcdsaKey, statement: Buffer): string {
  const sig = key.sign(pae(IN_TOTO, statement)).toString('base64');
  return goJson({ payloadType: IN_TOTO, payload: statement.toString('base64'), signatures: [{ keyid: '', sig }] });
}

/** A dsse/0.0.1 entry for an attestation envelope (cosign ≥ 2.2's default), logged and promised (SET) by the demo Rekor. */
export function rekorDsseBundle(keys: { cosign: EcdsaKey; rekor: EcdsaKey }, envelopeLine: string, integratedTime: number, logIndex: number): RekorBundle {
  const env = JSON.parse(envelopeLine) as { payload: string; signatures: { sig: string }[] };
  const entry = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(envelopeLine)) },
      payloadHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(env.payload, 'base64')) },
      signatures: [{ signature: env.signatures[0]?.sig ?? '', verifier: Buffer.from(keys.cosign.publicPem).toString('base64') }],
    },
  };
  const body = Buffer.from(canonicalJson(entry)).toString('base64');
  const logID = sha256Hex(keys.rekor.spkiDer);
  const set = keys.rekor.sign(Buffer.from(canonicalJson({ body, integratedTime, logID, logIndex })));
  return { SignedEntryTimestamp: set.toString('base64'), Payload: { body, integratedTime, logIndex, logID } };
}

/** One layer of cosign's `.sig` or `.att` image: the blob's bytes and its annotations (Go marshals them sorted). */
export interface SignatureImageLayer {
  blob: Buffer;
  annotations: Record<string, string>;
}

/**
 * What `crane manifest <repo>:sha256-<hex>.sig` (or `.att`) prints: the OCI
 * manifest cosign pushed for the image's signatures or attestations, its
 * config listing the layers' diff ids (cosign `pkg/oci/static`, sigstore-formats.md §4.2–4.3).
 */
export function signatureImageManifest(role: 'sig' | 'att', layers: SignatureImageLayer[]): Buffer {
  const mediaType = role === 'sig' ? 'application/vnd.dev.cosign.simplesigning.v1+json' : 'application/vnd.dsse.envelope.v1+json';
  const descriptors = layers.map((l) => ({ mediaType, size: l.blob.length, digest: `sha256:${sha256Hex(l.blob)}`, annotations: sortKeysDeep(l.annotations) }));
  const config = Buffer.from(
    goJson({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.digest) },
      config: {},
    }),
  );
  return Buffer.from(
    goJson({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: `sha256:${sha256Hex(config)}` },
      layers: descriptors,
    }),
  );
}

/** The `.sig` layer of a key-signed signature: the payload blob, its signature and Rekor bundle as annotations. */
export function signatureImageLayer(sig: CosignSignature): SignatureImageLayer {
  return { blob: sig.payload, annotations: { 'dev.cosignproject.cosign/signature': sig.base64Signature, 'dev.sigstore.cosign/bundle': goJson(sig.bundle) } };
}

/** The `.att` layer of an attestation: the envelope blob, an empty signature annotation, the predicate type and Rekor bundle. */
export function attestationImageLayer(envelopeLine: string, bundle: RekorBundle, predicateType: string): SignatureImageLayer {
  return { blob: Buffer.from(envelopeLine), annotations: { 'dev.cosignproject.cosign/signature': '', 'dev.sigstore.cosign/bundle': goJson(bundle), predicateType } };
}
