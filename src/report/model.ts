/**
 * The report model: the one contract between the engine and every renderer.
 *
 * Renderers (JSON, HTML, PDF) read only a `Report`. Any change to these types
 * is a change of `SCHEMA_VERSION` and of `src/report/report.schema.json`, which
 * `npm run schema` generates from this file (descriptions from these comments,
 * constraints from the `@pattern`/`@format`/`@asType`/`@minimum` tags); a
 * contract test fails when the committed schema is not the generated one.
 */

import type { ErrorCode } from '../errors.js';

export type { ErrorCode } from '../errors.js';
import type { ReportDiff } from '../history/diff-model.js';

export const REPORT_FORMAT = 'auditpack-report';
export const SCHEMA_VERSION = '1.2.0';

// Constrained scalars: plain strings and numbers to TypeScript, with their JSON
// Schema constraint in the tag (copied into every property of that type).

/** @pattern ^[0-9a-f]{64}$ */
export type Sha256Hex = string;

/** @pattern ^sha256:[0-9a-f]{64}$ */
export type ImageDigest = string;

/** @format date-time */
export type IsoInstant = string;

/**
 * @asType integer
 * @minimum 0
 */
export type Count = number;

// A string to TypeScript: renderers must print whatever a report holds.
/**
 * SBOM quality grade, A (best) to F.
 * @pattern ^[A-F]$
 */
export type SbomGrade = string;

/** Outcomes of one check for one subject, in the order every count lists them. */
export const FINDING_STATUSES = ['pass', 'fail', 'error', 'not-applicable'] as const;

/** Outcome of one check for one subject. */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * Derived status of one control (clause) over the whole population: coverage
 * (how many images passed) times strength (how strongly the mappings that
 * passed bear on the clause). `supported` needs a passing `full` mapping for
 * every image; `relevant-not-sufficient` is a pass of `supporting` mappings
 * only, which never reads as support. Words for each: src/report/vocabulary.ts.
 */
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** Control statuses, in the order every count lists them (strongest support first). */
export const CONTROL_STATUSES = ['supported', 'partially-supported', 'relevant-not-sufficient', 'not-supported', 'not-assessed', 'not-applicable'] as const;

/**
 * How strongly a passing check supports a clause: `full`, direct evidence of the
 * clause's technical element for the image in scope (never of its policy or
 * governance parts); `partial`, one element of several, or only for the images
 * covered; `supporting`, corroborating context only.
 */
export type Strength = (typeof STRENGTHS)[number];

/** Mapping strengths, strongest first. */
export const STRENGTHS = ['full', 'partial', 'supporting'] as const;

/** What a file of evidence is, as recognised by its content (or its role: trust material, manual documents, the waiver file). */
export const EVIDENCE_KINDS = [
  'image-manifest',
  'cosign-verify-output',
  'cosign-signature',
  'dsse-attestation',
  'sigstore-bundle',
  'simple-signing-payload',
  'oci-layout',
  'oci-blob',
  'sbom',
  'pipeline-run',
  'pipeline-log',
  'ci-repository',
  // `redactions.json` of `auditpack collect woodpecker`: the originals' SHA-256 of redacted CI exports.
  'ci-redactions',
  // `kubectl get pods -A -o json` (config population.kubernetes): what runs, unsigned operator evidence.
  'kubernetes-pods',
  // `registry-listing.json` of `auditpack collect registry` (config population.registry): what a registry
  // published, unsigned operator evidence. Added in 1.2.0 with population.registry.
  'registry-listing',
  'public-key',
  'trusted-root',
  'manual-document',
  'waiver-file',
  'unrecognised',
] as const;

export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The report model: the one contract between the auditpack engine and its renderers. */
export interface Report {
  reportFormat: typeof REPORT_FORMAT;
  schemaVersion: typeof SCHEMA_VERSION;
  generator: { name: string; version: string; libraries: Record<string, string> };
  run: RunInfo;
  trust: TrustInfo;
  summary: Summary;
  subjects: SubjectResult[];
  findings: Finding[];
  frameworks: FrameworkResult[];
  evidence: EvidenceRef[];
  problems: InputProblem[];
  /** The organisation's own clause citations, checked against what the clauses really are. */
  claims: ClaimCheck[];
  /** Statements a person gave for what automation cannot show; never verified by auditpack. */
  manualEvidence: ManualEvidence[];
  /** Exceptions from the waiver file, with whether each was in force at the end of the period (or the clock, if earlier). */
  waivers: WaiverRecord[];
  /** For each check, the controls it supports in every framework of the report. */
  crosswalk: CrosswalkRow[];
  /** Quality and inventory of the SBOMs from verified attestations. */
  sboms: SbomSection;
  /**
   * Changes since the previous period's report (`report --previous`), whose
   * bundle's seal verified with a pinned key. Absent without `--previous`.
   */
  changes?: ReportDiff;
  /** The key that seals the bundle this report belongs to; absent when the bundle is not sealed. */
  seal?: SealInfo;
  /**
   * What runs in production, read from the population exports (config
   * `population`) and matched with the configured images by digest. Every
   * image found running is also a subject; absent without population exports.
   */
  population?: PopulationSection;
}

/**
 * The population: every digest found running, where it runs and whether the
 * configuration covers it, and every container whose digest is unknown.
 * Digests come from the containers' `imageID`, never from a tag. With a
 * registry listing (config population.registry, since 1.2.0), also every
 * digest a listed tag resolved to, with the tags (`publishedAs`): published,
 * which says nothing of whether it runs. With filters (population.namespaces,
 * excludeNamespaces, repositories, excludeRepositories), what they leave out
 * is in `exclusions`.
 */
export interface PopulationSection {
  /** Each export and listing read. They are unsigned operator evidence: whoever writes one can list any image. */
  sources: PopulationSourceInfo[];
  /** Every source was read whole: only then does "not found" mean an image does not run (or is not published). */
  complete: boolean;
  counts: {
    /** Containers read, with a digest or without. */
    containers: Count;
    /** Distinct digests found running. */
    images: Count;
    /** Running digests a configured image names (its evidence is judged). */
    covered: Count;
    /** Running digests no configured image names, nor any of their repository. */
    uncovered: Count;
    /** Running digests no configured image names, where one of the same repository names another digest. */
    digestDiffers: Count;
    /** Containers without a registry digest (pending, not pulled, a local image id). */
    unresolved: Count;
    /** Configured images whose digest is not found running (nor, with a registry listing, published at a listed tag). */
    configuredNotRunning: Count;
    /** Registry tags read from the listings (resolved, absent or unresolved); absent without a listing. */
    tags?: Count;
    /** Registry tags the collection could not resolve (what they publish is unknown); absent without a listing. */
    unresolvedTags?: Count;
    /** Containers and tags the filters left out; absent without filters. */
    excluded?: Count;
  };
  images: PopulationImage[];
  /** Containers without a registry digest, with why (the first 200; `counts.unresolved` has them all). */
  unresolved: (PopulationPlace & { image: string; reason: string; source: string })[];
  /** Configured images whose digest is not found running (nor, with a registry listing, published at a listed tag). */
  configuredNotRunning: string[];
  /** Listed tags the collection could not resolve, with why (the first 200; `counts.unresolvedTags` has them all); absent without a listing. */
  unresolvedTags?: (PopulationTag & { code: ErrorCode; reason: string; source: string })[];
  /** What the filters left out, by which rule; absent without filters. */
  exclusions?: PopulationExclusions;
}

export interface PopulationSourceInfo {
  /** `kubernetes`: a kubectl pods export (what runs); `registry`: a registry listing (what is published; since 1.2.0). */
  kind: 'kubernetes' | 'registry';
  /** Path relative to the configuration's folder. */
  source: string;
  /** SHA-256 of the file (absent when it could not be read); the bundle keeps it under `path`. */
  sha256?: Sha256Hex;
  path?: string;
  /** Always false: an export or listing carries no signature. */
  signed: false;
  /** Pods and containers of a kubectl export (0 for a listing). */
  pods: Count;
  containers: Count;
  /** A registry listing: repositories and tags it lists, and when it was collected (as it states, unsigned). */
  repositories?: Count;
  tags?: Count;
  collectedAt?: string;
  /** Why the source was not read whole; absent when it was. */
  failure?: { code: ErrorCode; reason: string };
}

/** A registry tag of the population. */
export interface PopulationTag {
  /** `harbor.example/akko/cockpit:2026.04`. */
  reference: string;
  /** `harbor.example/akko/cockpit`. */
  repository: string;
  tag: string;
}

/** The population's filters as configured, and what each rule left out. */
export interface PopulationExclusions {
  filters: { namespaces?: string[]; excludeNamespaces?: string[]; repositories?: string[]; excludeRepositories?: string[] };
  /** Per rule (`population.excludeNamespaces: kube-system`, `outside population.namespaces`), the containers and tags it left out; each is counted under the first rule that excludes it. */
  byRule: { rule: string; containers: Count; tags: Count }[];
  /** The containers and tags left out (the first 200, sorted by rule; `byRule` counts them all). `place` for a container, `tag` for a registry tag. */
  entries: { rule: string; image: string; source: string; digest?: ImageDigest; place?: PopulationPlace; tag?: PopulationTag }[];
}

export interface PopulationImage {
  /** The report subject: the configured image's name, or one made from the repository and digest. */
  subject: string;
  digest: ImageDigest;
  status: 'covered' | 'uncovered' | 'digest-differs';
  repositories: string[];
  /** The images as the pods name them (tags included: shown, never a source of the digest) and the listed tags' references. */
  images: string[];
  /** For `digest-differs`: the configured images of the same repository, and the digests they name. */
  configuredAs?: { name: string; digest: ImageDigest }[];
  containers: Count;
  /** Where it runs (the first 50 containers, sorted); empty for a digest only a registry listing has. */
  runsIn: PopulationPlace[];
  /** Registry tags that resolve to it (the first 50, sorted), and how many; absent without a registry listing. Published, not necessarily running. */
  tags?: Count;
  publishedAs?: PopulationTag[];
}

export interface PopulationPlace {
  namespace: string;
  pod: string;
  container: string;
  kind: 'container' | 'init' | 'ephemeral';
}

/**
 * The seal as the run that wrote the report made it. The report is rendered
 * before the seal exists, so this names the key, not a signature: an auditor
 * compares the fingerprint with the one the organisation gave them, then
 * pins it (`auditpack verify --key-fingerprint`).
 */
export interface SealInfo {
  /** SHA-256 of the seal key's SubjectPublicKeyInfo (DER), hex. */
  keyFingerprint: Sha256Hex;
  /** e.g. `Ed25519`, `ECDSA P-256`. */
  algorithm: string;
  /**
   * The RFC 3161 timestamp authority asked to date the seal (`seal.timestampUrl`).
   * Absent: the sealing time is the signer's own claim (the run's clock).
   */
  timestampAuthority?: string;
}

export interface RunInfo {
  organisation: string;
  /** The clock the run was given (ISO 8601, UTC). Nothing else in the report reads the wall clock. */
  generatedAt: IsoInstant;
  /**
   * The period, half-open: `start` is in it, `end` is not. Both are UTC
   * instants; `zone` is the time zone the period's boundaries were drawn in.
   * The label is `2026-Q2`, `2026-H1`, `2026` or `2026-04-01..2026-06-30`.
   */
  period: {
    /** @pattern ^[0-9]{4}(-Q[1-4]|-H[12]|-[0-9]{2}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}-[0-9]{2})?$ */
    label: string;
    start: IsoInstant;
    end: IsoInstant;
    zone: string;
  };
  /** SHA-256 of the configuration file's bytes. */
  configSha256: Sha256Hex;
  /**
   * How old dated evidence may be at the end of the period (config
   * `evidence.maxAge`, ISO 8601 duration). Evidence made before the period
   * and within it dates an image that ran unchanged; older evidence, and
   * evidence dated after the period, is flagged. Absent in reports before it existed.
   */
  maxEvidenceAge?: string;
  frameworks: string[];
  /** The entity profile the catalogs were chosen for, as given in the config. */
  profile: string[];
}

export interface TrustInfo {
  keys: TrustedKeyInfo[];
  /**
   * The trusted root the run used. With several root files, `sha256` is that
   * of the merged root and `files` lists each file with its own digest.
   */
  trustedRoot?: { path: string; sha256: Sha256Hex; tlogs: Count; files?: { path: string; sha256: Sha256Hex }[] };
  /**
   * GitHub's own Sigstore instance, trusted explicitly (`trust.githubInstance`):
   * its roots without transparency log, from these files. Bundles without a log
   * entry were verified against it alone, dated by its timestamp authority.
   */
  githubInstance?: { files: { path: string; sha256: Sha256Hex }[]; certificateAuthorities: Count; timestampAuthorities: Count };
  /**
   * Whether every signature and attestation needed a verified signing time, a
   * transparency-log entry or an RFC 3161 timestamp (config
   * `trust.requireTransparencyLog`). When false, key-only signatures count and
   * their findings say that no independent time exists.
   */
  requireSignedTime?: boolean;
  /** The CI exports read, and how their runs were bound to builds. They are unsigned operator evidence. */
  ci?: CiTrustInfo;
}

export interface CiTrustInfo {
  system: 'woodpecker';
  /** The configured repository (forge URL) runs must belong to, with Woodpecker's id when configured. */
  repository: string;
  repositoryId?: number;
  /** Events and release branches whose successful runs may count as builds. */
  events: string[];
  branches: string[];
  /** Always false: CI exports carry no signature, so they weigh less than a signed provenance attestation. */
  signed: false;
}

export interface TrustedKeyInfo {
  id: string;
  /** Path of the copy inside the bundle. */
  path: string;
  /** SHA-256 of the key's SubjectPublicKeyInfo (DER), hex. */
  fingerprint: Sha256Hex;
  algorithm: string;
  validFrom?: IsoInstant;
  validUntil?: IsoInstant;
}

export interface Summary {
  verdict: 'pass' | 'fail';
  /** Failing findings covered by a waiver in force; they still count as failures. */
  waived: Count;
  subjects: { total: Count; verified: Count; withFailures: Count; withErrors: Count };
  findings: Record<FindingStatus, Count>;
  controls: Record<ControlStatus, Count>;
  problems: Count;
}

export interface SubjectResult {
  /** Short name, e.g. `cockpit`. Unique within a report. */
  id: string;
  /** Reference as published, e.g. `harbor.akko-ai.com/akko/cockpit:2026.04`. */
  ref: string;
  /** The digest in scope (`sha256:<64 hex>`). */
  digest: ImageDigest;
  /** `verified` only when every check for it passed. */
  status: 'verified' | 'failed' | 'incomplete';
  /** One line per finding that is not a pass, in plain words, for summaries. */
  headlines: string[];
  /**
   * The image's chain of custody, commit → build → push → sign → attest →
   * gate, each link with the evidence it rests on. Optional (added within
   * 1.2.0): absent in reports written before it.
   */
  custody?: CustodyTimeline;
}

/** The links of a chain of custody, in order. */
export const CUSTODY_STEPS = ['commit', 'build', 'push', 'sign', 'attest', 'gate'] as const;

/** One link of the chain: the source commit, the build run, the push of the digest, its signing, its attestations, the gate that judged it. */
export type CustodyStep = (typeof CUSTODY_STEPS)[number];

/** How a link stands, strongest first. */
export const CUSTODY_LINK_STATUSES = ['verified', 'claimed', 'failed', 'missing'] as const;

/**
 * `verified`: signed evidence auditpack verified and bound to the digest (for
 * the gate: every check passed); `claimed`: only unsigned operator evidence (a
 * CI export bound to the configured repository, event, branch and pushing
 * step) says so; `failed`: evidence exists but does not verify, bind or meet
 * the expectations (for the gate: a check failed or could not decide);
 * `missing`: no evidence.
 */
export type CustodyLinkStatus = (typeof CUSTODY_LINK_STATUSES)[number];

export interface CustodyTimeline {
  /**
   * What the chain rests on: `signed-provenance` when provenance.verified
   * passed (signed SLSA provenance is the custody evidence); otherwise
   * `unsigned-ci-export` when a bound CI run built the digest (the fallback,
   * weaker: operator evidence); otherwise `none`.
   */
  basis: 'signed-provenance' | 'unsigned-ci-export' | 'none';
  /** Always six links, in CUSTODY_STEPS order. */
  links: CustodyLink[];
}

export interface CustodyLink {
  step: CustodyStep;
  status: CustodyLinkStatus;
  /** Whether the link rests on signed evidence auditpack verified (false: unsigned CI export, content-addressed file, or nothing). */
  signed: boolean;
  /** What the link says, in one line (commit and repository, run or builder, digest, signer, predicate types, verdict). */
  summary: string;
  /** When it happened, as its evidence dates it. */
  at?: IsoInstant;
  /** What dates it: `transparency log`, `timestamp authority`, `provenance (signed)`, `CI export (unsigned): the run finished`, `report clock`. */
  datedBy?: string;
  /** The evidence files behind the link, by bundle path and SHA-256 (empty for a missing link and for the gate). */
  evidence: { path: string; sha256: Sha256Hex }[];
  /** Ids of the findings that judged the link (`<checkId>:<subjectId>`). */
  findings: string[];
}

export interface Finding {
  /** Stable id: `<checkId>:<subjectId>`. */
  id: string;
  checkId: string;
  checkTitle: string;
  subject: string;
  status: FindingStatus;
  /** A waiver that covers this non-passing finding. The status is unchanged: a waiver never makes a pass. */
  waiver?: { id: string; expires: string; inForce: boolean };
  /** Stable error code (see src/errors.ts) when status is not `pass`. */
  code?: ErrorCode;
  message: string;
  /** Lines quoted verbatim from evidence (e.g. a CI log warning). */
  quotes?: string[];
  /** Facts the check established, as display-ready strings (key → value). */
  details: Record<string, string>;
  /** SHA-256 ids of the evidence this finding rests on. */
  evidence: Sha256Hex[];
}

export interface FrameworkResult {
  id: string;
  title: string;
  version: string;
  source: string;
  applicability: string;
  appliesTo: string[];
  celex?: string;
  controls: ControlResult[];
}

export interface ControlResult {
  id: string;
  /** Exact citation, e.g. `Regulation (EU) 2022/2554, Art. 9(4)(e)`. */
  citation: string;
  title: string;
  titleFr?: string;
  paraphrase: string;
  source: string;
  status: ControlStatus;
  /** Why the status is what it is, in one sentence (e.g. "applies from 2027-12-11"). */
  statusReason: string;
  /**
   * The strongest strength among the control's mappings as they apply to this
   * run's entity profile; null for a manual-only control. Shown apart from the coverage.
   */
  strength: Strength | null;
  /** The date from which the clause applies (ISO date), as the catalog sources it. */
  appliesFrom?: string;
  /** No automated check supports it; only manual evidence can be recorded. */
  manualOnly: boolean;
  /** Subjects whose failures under this control are covered by a waiver in force. */
  waivedSubjects: string[];
  /** Ids of manual evidence recorded against this control. */
  manualEvidence: string[];
  /** For how many of the images in scope (subjects) every supporting check passed: "N of M images". */
  coverage: { passed: Count; total: Count };
  support: ControlSupport[];
  notCovered: string[];
  /** Ids of the findings behind the status. */
  findings: string[];
}

export interface ControlSupport {
  checkId: string;
  checkTitle: string;
  /** The strength as it applies to this run's entity profile. */
  strength: Strength;
  reasoning: string;
  /** The mapping is `full` only under this entity-profile condition; whether the run's profile states it. */
  fullWhen?: { condition: string; met: boolean };
}

export interface EvidenceRef {
  /** SHA-256 of the raw bytes, hex. Doubles as the evidence id. */
  sha256: Sha256Hex;
  kind: EvidenceKind;
  /** Where it was read from, relative to the config file's folder. */
  source: string;
  /** Where the verbatim copy sits in the bundle. */
  path: string;
  size: Count;
  subject?: string;
  /**
   * Evidence time if known (ISO 8601), and whether it falls in the period.
   * `timing` (added in 1.2.0, optional for older reports) says whether the
   * time may date the image: `in-period` and `before-period` may (an image
   * running unchanged is judged on the evidence of its build), `after-period`,
   * `too-old` (older than `run.maxEvidenceAge` at the period's end) and
   * `invalid` are flagged. Renderers should flag on `timing`, not `inPeriod`.
   */
  dated?: { at: IsoInstant; what: string; inPeriod: boolean; timing?: EvidenceTiming };
}

/** Where an evidence time stands against the period and the maximum age (see `EvidenceRef.dated`). */
export type EvidenceTiming = (typeof EVIDENCE_TIMINGS)[number];

/** Evidence timings; the first two may date an image in the period, the others are flagged. */
export const EVIDENCE_TIMINGS = ['in-period', 'before-period', 'after-period', 'too-old', 'invalid'] as const;

export interface InputProblem {
  code: ErrorCode;
  /** The file, relative to the config file's folder. */
  file: string;
  reason: string;
  subject?: string;
}

export interface ClaimCheck {
  /** The citation as the organisation wrote it. */
  claimed: string;
  /** What the organisation said the clause is about. */
  claimedMeaning: string;
  /** Where the organisation made the claim. */
  madeIn: string;
  verdict: 'correct' | 'imprecise' | 'wrong' | 'unverifiable' | 'unknown';
  /** What the cited provision really is. */
  actually: string;
  reason: string;
  source: string;
  /**
   * Provisions the evidence supports instead, as `framework/control` ids with
   * their citation, title and text (our paraphrase), also when their catalog
   * is not part of this report (status `not-in-report`).
   */
  instead: { framework: string; control: string; citation: string; title: string; text: string; status: ControlStatus | 'not-in-report' }[];
}

export interface ManualEvidence {
  id: string;
  /** `framework/control` ids the statement is recorded against. */
  controls: string[];
  statement: string;
  givenBy: string;
  givenAt: string;
  /** A document the statement refers to, kept in the bundle, with its SHA-256. */
  document?: { source: string; path: string; sha256: Sha256Hex };
  reference?: string;
}

export interface WaiverRecord {
  id: string;
  scope: { image?: string; digest?: string; check?: string; control?: string };
  justification: string;
  approver: string;
  ticket: string;
  start: string;
  expires: string;
  /** In force at the end of the period (or at the clock, if the period has not ended): started and not expired. */
  inForce: boolean;
  expired: boolean;
  /** Ids of the findings it covers. */
  covers: string[];
}

export interface CrosswalkRow {
  checkId: string;
  checkTitle: string;
  /** framework id → controls (id, citation, strength) the check supports there. */
  controls: Record<string, { control: string; citation: string; strength: Strength }[]>;
}

export interface SbomSection {
  /** The lowest acceptable quality grade (config `sbom.minGrade`). */
  minGrade: SbomGrade;
  entries: SbomEntry[];
  estate: {
    /** Component rows over all SBOMs. */
    components: Count;
    /** Distinct packages over all SBOMs. */
    distinct: Count;
    /** Packages listed by the most images (at most 25). */
    shared: { component: string; images: string[] }[];
    /** Bundle path of the estate inventory CSV, when there are SBOMs. */
    inventoryCsv?: string;
  };
}

export interface SbomEntry {
  subject: string;
  /** SHA-256 of the attestation the SBOM came from. */
  evidence: Sha256Hex;
  specVersion: string;
  components: Count;
  grade: SbomGrade;
  /**
   * Overall score 0–100 (the mean of the CISA 2025 and BSI TR-03183-2 v2.1.0
   * scores) and per framework (NTIA 2021 minimum elements shown for reference).
   */
  score: number;
  ntia: number;
  cisa: number;
  bsi: number;
  meetsMinimum: boolean;
  /** Each field with the requirement it belongs to (document, section, name), so a gap can be traced to its text. */
  fields: { id: string; framework: string; label: string; requirement: string; percent: number | null }[];
  byType: Record<string, Count>;
  byEcosystem: Record<string, Count>;
  licences: { distinctSpdxIds: Count; expressions: Count; named: Count; unknown: Count; top: { licence: string; components: Count }[] };
  copyleft: Record<string, Count>;
  /** Citations of the controls an SBOM below the minimum grade weakens. */
  weakens: string[];
}
