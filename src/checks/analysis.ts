import type { ParsedEvidence, PipelineRun, SubjectEvidence } from '../collect/evidence.js';
import type { ImageConfig } from '../config/schema.js';
import type { InputProblem } from '../report/model.js';
import { attestationBinding, signatureBinding, type Binding } from '../verify/binding.js';
import { buildingRuns, judgedRuns, runTrouble, runsForDigest, type CiEvidence, type RunForDigest, type SigningTrouble } from '../verify/ci-runs.js';
import { extractSbom, isCycloneDxPredicate, type Parsed } from '../verify/payloads.js';
import { isProvenancePredicate, readProvenance, type ProvenanceClaim } from '../verify/provenance.js';
import { DEFAULT_VERIFICATION, verifyInput, type SignatureVerdict, type VerificationOptions, type VerificationTrust } from '../verify/sigstore.js';
import { subjectUnits, type AttestationUnit, type SignatureUnit, type SubjectUnits } from '../verify/units.js';

export interface VerifiedSignature extends SignatureUnit {
  verdict: SignatureVerdict;
  /** Whether its signed content names this image's digest (trusted only when the verdict is ok). */
  bound: Binding;
}

export interface VerifiedAttestation extends AttestationUnit {
  verdict: SignatureVerdict;
  bound: Binding;
}

export type VerifiedUnit = VerifiedSignature | VerifiedAttestation;

/** An attestation whose statement is SLSA provenance, with what its predicate says (trusted only when it counts). */
export interface VerifiedProvenance extends VerifiedAttestation {
  claim: Parsed<ProvenanceClaim>;
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

export interface AnalysisInput {
  image: ImageConfig;
  evidence: SubjectEvidence;
  ci: CiEvidence;
  trust: VerificationTrust;
  verification?: VerificationOptions;
}

/** A unit counts for the image only when it verifies and binds the image's digest. */
export function counts(unit: VerifiedUnit): boolean {
  return unit.verdict.ok && unit.bound.binds;
}

/**
 * The verification work several checks share for one subject, done once and
 * memoised. Pure and synchronous: it reads collected evidence and injected
 * trust, nothing else. Everything derived from signed evidence (SBOM,
 * signing times) comes from units that verify and bind this image's digest.
 */
export class SubjectAnalysis {
  readonly image: ImageConfig;
  readonly evidence: SubjectEvidence;
  readonly ci: CiEvidence;
  readonly trust: VerificationTrust;
  readonly verification: VerificationOptions;
  private memo = new Map<string, unknown>();

  constructor(input: AnalysisInput) {
    this.image = input.image;
    this.evidence = input.evidence;
    this.ci = input.ci;
    this.trust = input.trust;
    this.verification = input.verification ?? DEFAULT_VERIFICATION;
  }

  get problems(): InputProblem[] {
    return this.evidence.problems;
  }

  itemsOf<K extends ParsedEvidence['kind']>(kind: K): Extract<ParsedEvidence, { kind: K }>[] {
    return this.evidence.items.filter((i): i is Extract<ParsedEvidence, { kind: K }> => i.kind === kind);
  }

  /** Image signatures of every format, each with its verdict and whether it binds this digest. */
  signatures(): VerifiedSignature[] {
    return this.once('signatures', () =>
      this.units().signatures.map((unit) => ({ ...unit, verdict: this.verify(unit), bound: signatureBinding(unit.content, this.image.digest) })),
    );
  }

  /** Attestations (DSSE in-toto statements other than cosign image signatures), each with its verdict and binding. */
  attestations(): VerifiedAttestation[] {
    return this.once('attestations', () =>
      this.units().attestations.map((unit) => ({ ...unit, verdict: this.verify(unit), bound: attestationBinding(unit.statement, this.image.digest) })),
    );
  }

  /** Signed evidence in the image's folder that does not count for it: it fails to verify, or binds another digest. */
  uncountedUnits(): VerifiedUnit[] {
    return [...this.signatures(), ...this.attestations()].filter((u) => !counts(u));
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

  /** The SBOM of the first CycloneDX attestation that verifies and binds this digest (fail closed: none otherwise). */
  attestedSbom(): AttestedSbom | undefined {
    return this.once('sbom', () => {
      const a = this.attestations().find((u) => counts(u) && u.statement.ok && isCycloneDxPredicate(u.statement.value.predicateType));
      if (a === undefined || !a.statement.ok) return undefined;
      return { evidence: a.evidence[0] ?? '', document: extractSbom(a.statement.value.predicate), subjectDigests: a.statement.value.subjectDigests };
    });
  }

  /** Verified CycloneDX attestations that bind another digest: why no SBOM counts, when that is the reason. */
  foreignSboms(): VerifiedAttestation[] {
    return this.attestations().filter((u) => u.verdict.ok && !u.bound.binds && u.statement.ok && isCycloneDxPredicate(u.statement.value.predicateType));
  }

  /** Attestations whose statement has a SLSA provenance predicate type, verified or not, each with its predicate read. */
  provenances(): VerifiedProvenance[] {
    return this.once('provenances', () =>
      this.attestations().flatMap((a) =>
        a.statement.ok && isProvenancePredicate(a.statement.value.predicateType)
          ? [{ ...a, claim: readProvenance(a.statement.value.predicateType, a.statement.value.predicate) }]
          : [],
      ),
    );
  }

  /** Every CI run whose logs name this digest, with whether it is bound and what its logs show about the digest. */
  runs(): RunForDigest[] {
    return this.once('runs', () => runsForDigest(this.ci, this.image.digest));
  }

  /** Bound runs with a successful step that pushed this digest. */
  builds(): RunForDigest[] {
    return buildingRuns(this.runs());
  }

  /** The building runs and every bound run that signed this digest. */
  signingRuns(): RunForDigest[] {
    return judgedRuns(this.runs());
  }

  /** Signing failures a green run's logs report, verbatim, with the log files they are in. */
  trouble(run: PipelineRun): SigningTrouble {
    return runTrouble(this.ci, run);
  }

  /** Files of this subject that exist but could not be read or parsed: a check cannot decide without them. */
  unreadableFiles(): InputProblem[] {
    return this.problems.filter((p) => p.code === 'EVIDENCE_MALFORMED' || p.code === 'EVIDENCE_UNREADABLE');
  }

  private units(): SubjectUnits {
    return this.once('units', () => subjectUnits(this.evidence.items));
  }

  private verify(unit: SignatureUnit | AttestationUnit): SignatureVerdict {
    return verifyInput(unit.input, this.trust, this.verification);
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
