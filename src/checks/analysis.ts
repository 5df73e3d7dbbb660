import type { DsseEnvelope, ParsedEvidence, PipelineRun, SubjectEvidence } from '../collect/evidence.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import type { TrustSet } from '../trust/load.js';
import { extractSbom, isCycloneDxPredicate, parseInTotoStatement, parseSimpleSigning, type InTotoStatement, type Parsed, type SimpleSigningClaim } from '../verify/payloads.js';
import { verifyCosignSignature, verifyDsseEnvelope, type SignatureVerdict } from '../verify/sigstore.js';

export interface VerifiedSignature {
  evidence: string;
  line: number;
  verdict: SignatureVerdict;
  claim: Parsed<SimpleSigningClaim>;
}

export interface VerifiedAttestation {
  evidence: string;
  line: number;
  envelope: DsseEnvelope;
  verdict: SignatureVerdict;
  statement: Parsed<InTotoStatement>;
}

export interface AttestedSbom {
  evidence: string;
  document: unknown;
  subjectDigests: string[];
}

const SIGNING_TROUBLE = /^(?:WARN(?:ING)?\b|Error:).*\b(?:sign|signing|signature|attest|attestation)\b|\bskipp(?:ing|ed) (?:signing|attestation)\b/i;

/**
 * The verification work several checks share for one subject, done once and
 * memoised. Pure: it reads collected evidence and injected trust, nothing else.
 */
export class SubjectAnalysis {
  private memo = new Map<string, unknown>();

  constructor(
    readonly image: ImageConfig,
    readonly evidence: SubjectEvidence,
    readonly runs: PipelineRun[],
    readonly trust: TrustSet,
    readonly mainBranch = 'main',
  ) {}

  get problems(): InputProblem[] {
    return this.evidence.problems;
  }

  itemsOf<K extends ParsedEvidence['kind']>(kind: K): Extract<ParsedEvidence, { kind: K }>[] {
    return this.evidence.items.filter((i): i is Extract<ParsedEvidence, { kind: K }> => i.kind === kind);
  }

  signatures(): VerifiedSignature[] {
    return this.once('signatures', () =>
      this.itemsOf('cosign-signature').flatMap((item) =>
        item.lines.map((line, index) => ({
          evidence: item.evidence.sha256,
          line: index + 1,
          verdict: verifyCosignSignature(line, this.trust),
          claim: parseSimpleSigning(line.Payload),
        })),
      ),
    );
  }

  attestations(): VerifiedAttestation[] {
    return this.once('attestations', () =>
      this.itemsOf('dsse-attestation').flatMap((item) =>
        item.envelopes.map((envelope, index) => ({
          evidence: item.evidence.sha256,
          line: index + 1,
          envelope,
          verdict: verifyDsseEnvelope(envelope, this.trust),
          statement: parseInTotoStatement(envelope.payloadType, envelope.payload),
        })),
      ),
    );
  }

  /** The SBOM from the first CycloneDX attestation whose signature verified (fail closed: none otherwise). */
  attestedSbom(): AttestedSbom | undefined {
    return this.once('sbom', () => {
      for (const a of this.attestations()) {
        if (a.verdict.ok && a.statement.ok && isCycloneDxPredicate(a.statement.value.predicateType)) {
          return { evidence: a.evidence, document: extractSbom(a.statement.value.predicate), subjectDigests: a.statement.value.subjectDigests };
        }
      }
      return undefined;
    });
  }

  /** Pipeline runs whose logs mention this image's digest. */
  runsMentioningDigest(): PipelineRun[] {
    return this.once('runs', () => this.runs.filter((r) => r.digestsMentioned.has(this.image.digest)));
  }

  /** Successful runs on the main branch that mention this digest. */
  successfulBuilds(): PipelineRun[] {
    return this.runsMentioningDigest().filter((r) => r.status === 'success' && r.branch === this.mainBranch);
  }

  /** Log lines of a run that report a signing or attestation failure, verbatim. */
  signingTrouble(run: PipelineRun): { lines: string[]; evidence: string[] } {
    const lines: string[] = [];
    const evidence = new Set<string>();
    for (const workflow of run.workflows) {
      for (const step of workflow.steps) {
        for (const line of step.log ?? []) {
          if (SIGNING_TROUBLE.test(line)) {
            lines.push(line);
            if (step.logEvidence) evidence.add(step.logEvidence);
          }
        }
      }
    }
    return { lines, evidence: [...evidence] };
  }

  /** Files of this subject that exist but could not be read or parsed: a check cannot decide without them. */
  unreadableFiles(): InputProblem[] {
    return this.problems.filter((p) => p.code === 'EVIDENCE_MALFORMED' || p.code === 'EVIDENCE_UNREADABLE');
  }

  private once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }
}
