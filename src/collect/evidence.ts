import type { EvidenceKind, InputProblem } from '../report/model.js';

/** One collected input, kept verbatim and addressed by the SHA-256 of its bytes. */
export interface Evidence {
  sha256: string;
  kind: EvidenceKind;
  /** Path relative to the config folder. */
  source: string;
  bytes: Buffer;
  subject?: string;
}

/** `cosign download signature` line (Go field names, as cosign prints them). */
export interface CosignSignatureLine {
  Base64Signature: string;
  Payload: string;
  Cert?: { Raw?: string } | null;
  Chain?: { Raw?: string }[] | null;
  Bundle?: RekorBundle | null;
  RFC3161Timestamp?: { SignedRFC3161Timestamp: string } | null;
}

export interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

/** The signing material cosign keeps beside a signature: layer annotations, or the fields of a download line. */
export type SigningMaterial = Pick<CosignSignatureLine, 'Cert' | 'Chain' | 'Bundle' | 'RFC3161Timestamp'>;

/** Where a signature read from a layout came from: every file (sha256) it was read from, the signed content first. */
export interface LayoutOrigin {
  label: string;
  evidence: string[];
}

/** What `cosign save --dir` wrote for one image, reduced to what verification needs. */
export interface OciLayoutContents {
  /** The layout folder, relative to the config folder. */
  dir: string;
  /** Digest of the `kind=dev.cosignproject.cosign/image` manifest, when the index names one. */
  imageDigest?: string;
  /** Layers of the `.sig` image, as `cosign download signature` would print them. */
  signatures: (LayoutOrigin & { line: CosignSignatureLine })[];
  /** Layers of the `.att` image: DSSE envelopes with the certificate and log entry from their annotations. */
  attestations: (LayoutOrigin & { envelope: DsseEnvelope; material: SigningMaterial })[];
  /** Sigstore bundles of OCI 1.1 referrers whose subject is the image (cosign v3). */
  bundles: (LayoutOrigin & { bundle: unknown })[];
}

/** Evidence with the parsed view a check needs; parsing happens once, here. */
export type ParsedEvidence =
  | { kind: 'image-manifest'; evidence: Evidence; digest: string }
  | { kind: 'cosign-verify-output'; evidence: Evidence; claims: unknown[] }
  | { kind: 'cosign-signature'; evidence: Evidence; lines: CosignSignatureLine[] }
  | { kind: 'dsse-attestation'; evidence: Evidence; envelopes: DsseEnvelope[] }
  /** One bundle per file, or JSON lines as cosign 3's `download signature|attestation` print them. */
  | { kind: 'sigstore-bundle'; evidence: Evidence; bundles: Record<string, unknown>[] }
  /** The exact signed bytes of a simple-signing payload (what a message-signature bundle may sign). */
  | { kind: 'simple-signing-payload'; evidence: Evidence }
  /** An OCI image layout; `evidence` is its `index.json`, the blobs used are separate evidence. */
  | { kind: 'oci-layout'; evidence: Evidence; layout: OciLayoutContents }
  | { kind: 'sbom'; evidence: Evidence; document: unknown };

export interface PipelineStep {
  id: number;
  name: string;
  state: string;
  exitCode: number | undefined;
  /** Log lines, when an export of the step's log was found. */
  log: string[] | undefined;
  logEvidence: string | undefined;
}

export interface PipelineWorkflow {
  name: string;
  state: string;
  environ: Record<string, string>;
  steps: PipelineStep[];
}

/** A CI pipeline run, reduced to what checks read; the raw API JSON stays in the evidence. */
export interface PipelineRun {
  system: 'woodpecker';
  number: number;
  status: string;
  event: string;
  branch: string;
  commit: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  workflows: PipelineWorkflow[];
  /** Image digests (`sha256:<hex>`) that any of the run's logs mention. */
  digestsMentioned: Set<string>;
  evidence: string;
}

export interface SubjectEvidence {
  subject: string;
  items: ParsedEvidence[];
  problems: InputProblem[];
}

export interface Collection {
  evidence: Evidence[];
  subjects: Map<string, SubjectEvidence>;
  runs: PipelineRun[];
  problems: InputProblem[];
}
