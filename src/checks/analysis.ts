import type { ParsedEvidence, PipelineRun, SubjectEvidence } from '../collect/evidence.js';
import { subjectUnits, type AttestationUnit, type SignatureUnit, type SubjectUnits } from '../collect/units.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import { extractSbom, isCycloneDxPredicate } from '../verify/payloads.js';
import { verifyInput, type SignatureVerdict, type VerificationTrust } from '../verify/sigstore.js';

export type { SignatureBinding } from '../collect/units.js';

export interface VerifiedSignature extends SignatureUnit {
  verdict: SignatureVerdict;
}

export interface VerifiedAttestation extends AttestationUnit {
  verdict: SignatureVerdict;
}

export interface AttestedSbom {
  evidence: string;
  document: unknown;
  subjectDigests: string[];
}

/** What an operator's saved `cosign verify` output claims: shown beside auditpack's verdict, never relied on. */
export interface OperatorClaim {
  evidence: string;
  source: string;
  signatures: number;
  digests: string[];
}

const SIGNING_TROUBLE = /^(?:WARN(?:ING)?\b|Error:).*\b(?:sign|signing|signature|attest|attestation)\b|\bskipp(?:ing|ed) (?:signing|attestation)\b/i;

/**
 * The verification work several checks share for one subject, done once and
 * memoised. Pure: it reads collected evidence and injected trust, nothing else.
 */
export class SubjectAnalysis {
  private memo = new Map<string, unknown>();
  private verdicts = new Map<SignatureUnit | AttestationUnit, SignatureVerdict>();

  constructor(
    readonly image: ImageConfig,
    readonly evidence: SubjectEvidence,
    readonly runs: PipelineRun[],
    readonly trust: VerificationTrust,
    /** Branches whose successful runs count as builds (the protected release branches). */
    readonly branches: readonly string[] = ['main'],
  ) {}

  /**
   * Does the asynchronous verification (Sigstore bundles, certificates) once,
   * before the checks run; the checks then read verdicts synchronously.
   */
  async prepare(): Promise<void> {
    const units = this.units();
    for (const unit of [...units.signatures, ...units.attestations]) {
      if (!this.verdicts.has(unit)) this.verdicts.set(unit, await verifyInput(unit.input, this.trust));
    }
    this.memo.delete('signatures');
    this.memo.delete('attestations');
    this.memo.delete('sbom');
  }

  get problems(): InputProblem[] {
    return this.evidence.problems;
  }

  itemsOf<K extends ParsedEvidence['kind']>(kind: K): Extract<ParsedEvidence, { kind: K }>[] {
    return this.evidence.items.filter((i): i is Extract<ParsedEvidence, { kind: K }> => i.kind === kind);
  }

  /** Image signatures of every format, each with its verdict. */
  signatures(): VerifiedSignature[] {
    return this.once('signatures', () => this.units().signatures.map((unit) => ({ ...unit, verdict: this.verdictOf(unit) })));
  }

  /** Attestations (DSSE in-toto statements other than cosign image signatures), each with its verdict. */
  attestations(): VerifiedAttestation[] {
    return this.once('attestations', () => this.units().attestations.map((unit) => ({ ...unit, verdict: this.verdictOf(unit) })));
  }

  /** Saved `cosign verify` outputs: what the operator's run claimed. */
  operatorClaims(): OperatorClaim[] {
    return this.itemsOf('cosign-verify-output').map((item) => ({
      evidence: item.evidence.sha256,
      source: item.evidence.source,
      signatures: item.claims.length,
      digests: [...new Set(item.claims.map(claimedDigest).filter((d): d is string => d !== undefined))],
    }));
  }

  /** The SBOM from the first CycloneDX attestation whose signature verified (fail closed: none otherwise). */
  attestedSbom(): AttestedSbom | undefined {
    return this.once('sbom', () => {
      for (const a of this.attestations()) {
        if (a.verdict.ok && a.statement.ok && isCycloneDxPredicate(a.statement.value.predicateType)) {
          return { evidence: a.evidence[0] ?? '', document: extractSbom(a.statement.value.predicate), subjectDigests: a.statement.value.subjectDigests };
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
    return this.runsMentioningDigest().filter((r) => r.status === 'success' && this.branches.includes(r.branch));
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

  private units(): SubjectUnits {
    return this.once('units', () => subjectUnits(this.evidence.items));
  }

  /** The prepared verdict; synchronous verification (legacy key signatures, bare envelopes) may run here. */
  private verdictOf(unit: SignatureUnit | AttestationUnit): SignatureVerdict {
    const prepared = this.verdicts.get(unit);
    if (prepared) return prepared;
    const verdict = verifyInput(unit.input, this.trust);
    if (verdict instanceof Promise) {
      throw new Error(`${unit.label}: verifying a ${unit.format} is asynchronous; await SubjectAnalysis.prepare() before running checks`);
    }
    this.verdicts.set(unit, verdict);
    return verdict;
  }

  private once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }
}

function claimedDigest(claim: unknown): string | undefined {
  const critical = typeof claim === 'object' && claim !== null ? (claim as { critical?: { image?: Record<string, unknown> } }).critical : undefined;
  const digest = critical?.image?.['docker-manifest-digest'];
  return typeof digest === 'string' ? digest : undefined;
}
