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

/** Evidence with the parsed view a check needs; parsing happens once, here. */
export type ParsedEvidence =
  | { kind: 'image-manifest'; evidence: Evidence; digest: string }
  | { kind: 'cosign-verify-output'; evidence: Evidence; claims: unknown[] }
  | { kind: 'cosign-signature'; evidence: Evidence; lines: CosignSignatureLine[] }
  | { kind: 'dsse-attestation'; evidence: Evidence; envelopes: DsseEnvelope[] }
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
