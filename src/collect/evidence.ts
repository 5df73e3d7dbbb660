import type { EvidenceKind, InputProblem, ManualEvidence } from '../report/model.js';
import type { Population } from './population-model.js';
import type { CosignSignatureLine, DsseEnvelope, LayerDescriptor } from '../util/wire.js';

/** One collected input, kept verbatim and addressed by the SHA-256 of its bytes. */
export interface Evidence {
  sha256: string;
  kind: EvidenceKind;
  /** Path relative to the config folder. */
  source: string;
  bytes: Buffer;
  subject?: string;
}

/** Evidence once its bytes are written to the bundle: what the report lists of it, without holding the bytes. */
export interface EvidenceRecord {
  sha256: string;
  kind: EvidenceKind;
  source: string;
  size: number;
  subject?: string;
}

export function recordOf(evidence: Evidence): EvidenceRecord {
  const { sha256, kind, source, subject } = evidence;
  return { sha256, kind, source, size: evidence.bytes.length, ...(subject === undefined ? {} : { subject }) };
}

/** Where a signature read from a layout came from: every file (sha256) it was read from, the signed content first. */
export interface LayoutOrigin {
  label: string;
  evidence: string[];
}

/**
 * What `cosign save --dir` wrote for one image, as read: the blobs of the
 * `.sig` and `.att` images with their layer annotations, and the Sigstore
 * bundles of OCI 1.1 referrers. Nothing here is decoded or trusted yet.
 */
export interface OciLayoutContents {
  /** The layout folder, relative to the config folder. */
  dir: string;
  /** Digest of the `kind=dev.cosignproject.cosign/image` manifest, when the index names one. */
  imageDigest?: string;
  /** Layers of the `.sig` image: the exact payload bytes and the layer's annotations. */
  signatures: (LayoutOrigin & { payload: Buffer; annotations: Record<string, string> })[];
  /** Layers of the `.att` image: the DSSE envelope and the layer's annotations. */
  attestations: (LayoutOrigin & { envelope: DsseEnvelope; annotations: Record<string, string> })[];
  /** Sigstore bundles of OCI 1.1 referrers whose subject is the image (cosign v3). */
  bundles: (LayoutOrigin & { bundle: unknown })[];
}

/** Evidence as recognised by its content: the kind, and the parts of it verification will read. */
export type ParsedEvidence =
  | { kind: 'image-manifest'; evidence: Evidence; digest: string }
  | { kind: 'cosign-verify-output'; evidence: Evidence; claims: unknown[] }
  | { kind: 'cosign-signature'; evidence: Evidence; lines: CosignSignatureLine[] }
  /** `raw` holds each envelope's exact bytes (its line, or the file), which a `.att` layer names by digest. */
  | { kind: 'dsse-attestation'; evidence: Evidence; envelopes: DsseEnvelope[]; raw: Buffer[] }
  /** One bundle per file, or JSON lines as cosign 3's `download signature|attestation` print them. */
  | { kind: 'sigstore-bundle'; evidence: Evidence; bundles: Record<string, unknown>[] }
  /** The exact signed bytes of a simple-signing payload (what a message-signature bundle may sign). */
  | { kind: 'simple-signing-payload'; evidence: Evidence }
  /** `crane manifest IMAGE:sha256-<hex>.sig` (or `.att`): cosign's signature or attestation image, whose layers name blobs by digest. */
  | { kind: 'signature-manifest'; evidence: Evidence; role: 'signatures' | 'attestations'; layers: LayerDescriptor[] }
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
  /** The git ref (`refs/heads/main`, `refs/tags/v1`, `refs/pull/12/head`). */
  ref: string;
  commit: string;
  /** The forge link of the run's commit, pull request or tag: it names the repository the run belongs to. */
  forgeUrl: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  workflows: PipelineWorkflow[];
  evidence: string;
}

/** The repository the CI exports say they come from (Woodpecker `GET /api/repos/lookup/{owner}/{name}`). */
export interface CiRepository {
  id: number | undefined;
  fullName: string;
  forgeUrl: string;
  /** SHA-256 and path of the `repo.json` export. */
  evidence: string;
  source: string;
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
  /** Absent when no CI exports are configured, or their `repo.json` is missing or unreadable. */
  repository?: CiRepository;
  problems: InputProblem[];
  /** The statements of the config's manualEvidence, as the report records them (their documents are in `evidence`). */
  manualEvidence: ManualEvidence[];
  /** What runs, from the config's `population` exports (in `evidence`), matched with its images; absent without one. */
  population?: Population;
}
