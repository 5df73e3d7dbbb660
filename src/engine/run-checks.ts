import { SubjectAnalysis, type AttestedSbom } from '../checks/analysis.js';
import { datedEvidence, type DatedEvidence } from '../checks/dates.js';
import { CHECKS } from '../checks/index.js';
import { populationCovered } from '../checks/population-covered.js';
import type { Check, CheckOutcome, SbomPolicy } from '../checks/types.js';
import type { Duration } from 'luxon';
import type { Collection, SubjectEvidence } from '../collect/evidence.js';
import type { Population } from '../collect/population-model.js';
import { parseMaxAge } from '../config/max-age.js';
import type { Config, ImageConfig, ProvenanceConfig } from '../config/schema.js';
import type { Period } from '../config/period.js';
import { describeThrown } from '../errors.js';
import type { Finding } from '../report/model.js';
import type { TrustSet } from '../trust/load.js';
import type { CiEvidence } from '../verify/ci-runs.js';
import type { VerificationOptions, VerificationTrust } from '../verify/sigstore.js';
import { draftCustody, type CustodyDraft } from './custody.js';

export interface VerifyInput {
  config: Config;
  collection: Collection;
  trust: TrustSet;
  period: Period;
  checks?: readonly Check[];
  progress?: (message: string) => void;
}

export interface VerifyResult {
  findings: Finding[];
  /** Evidence sha256 → the time it is dated by, from verified sources only. */
  dates: Map<string, DatedEvidence>;
  /** Subject → the SBOM of its verified CycloneDX attestation, as parsed once during verification. */
  sboms: Map<string, AttestedSbom>;
  /** Subject → its chain of custody up to the attestations (the build stage adds the gate). */
  custody: Map<string, CustodyDraft>;
}

/**
 * Verify stage: every check for every configured image, and the population
 * check for every running image the configuration does not name; a check that
 * throws becomes an `error` finding.
 */
export async function runChecks(input: VerifyInput): Promise<VerifyResult> {
  const { config, collection } = input;
  const context = verifyContext({ ...input, ...(collection.population ? { population: collection.population } : {}) });
  const ci = ciEvidence(config, collection);
  const findings: Finding[] = [];
  const dates = new Map<string, DatedEvidence>();
  const sboms = new Map<string, AttestedSbom>();
  const custody = new Map<string, CustodyDraft>();
  const subjects = [
    ...config.images.map((image) => ({ image, configured: true })),
    ...(collection.population?.uncovered ?? []).map((image) => ({ image, configured: false })),
  ];
  for (const [index, { image, configured }] of subjects.entries()) {
    input.progress?.(`verify ${index + 1}/${subjects.length}: ${image.name}`);
    const evidence = collection.subjects.get(image.name) ?? { subject: image.name, items: [], problems: [] };
    const result = await verifySubject(context, { image, evidence, ci, configured });
    findings.push(...result.findings);
    for (const d of result.dates) dates.set(d.evidence, d);
    if (result.sbom) sboms.set(image.name, result.sbom);
    if (result.custody) custody.set(image.name, result.custody);
  }
  return { findings, dates, sboms, custody };
}

/** What verifying any one subject needs besides its evidence and CI runs: the same for every image of a run. */
export interface VerifyContext {
  checks: readonly Check[];
  period: Period;
  /** How old dated evidence may be at the end of the period (config `evidence.maxAge`). */
  maxEvidenceAge: Duration;
  sbomPolicy: SbomPolicy;
  trust: VerificationTrust;
  verification: VerificationOptions;
  /** What runs, from the population exports; absent without them. */
  population?: Population;
  /** The top-level provenance expectations (an image's own replace them); absent when none are configured. */
  provenance?: ProvenanceConfig;
}

export function verifyContext(input: { config: Config; trust: TrustSet; period: Period; population?: Population; checks?: readonly Check[] }): VerifyContext {
  const { config, population } = input;
  return {
    checks: input.checks ?? CHECKS,
    period: input.period,
    maxEvidenceAge: parseMaxAge(config.evidence.maxAge),
    sbomPolicy: { minLicenceCoverage: config.sbom.minLicenceCoverage, minPurlCoverage: config.sbom.minPurlCoverage },
    trust: { ...input.trust, identities: config.trust.identities ?? [] },
    verification: { requireSignedTime: config.trust.requireTransparencyLog },
    ...(population === undefined ? {} : { population }),
    ...(config.provenance === undefined ? {} : { provenance: config.provenance }),
  };
}

/** One subject's findings (one per check, in registry order), the times its evidence is dated by, its attested SBOM and its custody draft. */
export interface SubjectResult {
  findings: Finding[];
  dates: DatedEvidence[];
  sbom: AttestedSbom | undefined;
  /** Absent for a running image the configuration does not name: it has no evidence, so no custody to draw. */
  custody: CustodyDraft | undefined;
}

/** One subject to verify: the image, its evidence, the CI runs (every run, or those bearing on its digest: `ciForDigest`) and whether the configuration names it. */
export interface SubjectToVerify {
  image: ImageConfig;
  evidence: SubjectEvidence;
  ci: CiEvidence;
  configured: boolean;
}

/**
 * Every check for one subject: the unit a streaming run (and a worker
 * thread) handles, so that nothing of one image's evidence is held while the
 * next is verified.
 */
export async function verifySubject(context: VerifyContext, subject: SubjectToVerify): Promise<SubjectResult> {
  const { image, evidence, ci, configured } = subject;
  const { period, maxEvidenceAge, sbomPolicy, trust, verification, population } = context;
  const analysis = new SubjectAnalysis({ image, evidence, ci, trust, verification });
  const provenance = image.provenance ?? context.provenance;
  // A running image the configuration does not name has no evidence to judge: only the population check says so.
  const checks = configured ? context.checks : context.checks.filter((c) => c.id === populationCovered.id);
  const findings: Finding[] = [];
  for (const check of checks) {
    const outcome = await runOne(check, {
      image,
      period,
      maxEvidenceAge,
      sbomPolicy,
      analysis,
      ...(population ? { population } : {}),
      ...(provenance ? { provenance } : {}),
    });
    findings.push(toFinding(check, image.name, outcome));
  }
  return {
    findings,
    dates: datedEvidence(analysis),
    sbom: analysis.attestedSbom(),
    custody: configured ? draftCustody(analysis, findings) : undefined,
  };
}

/** The estate's CI runs, with the repository their export names and the policy from the config that binds them. */
export function ciEvidence(config: Config, collection: Pick<Collection, 'runs' | 'repository'>): CiEvidence {
  return {
    runs: collection.runs,
    ...(collection.repository ? { repository: collection.repository } : {}),
    policy: ciPolicy(config),
  };
}

/** Which runs may count as builds, from the config (evidence.repository, events, branches). */
export function ciPolicy(config: Config): CiEvidence['policy'] {
  const { repository, events, branches } = config.evidence;
  return { ...(repository ? { repository } : {}), events, branches };
}

async function runOne(check: Check, context: Parameters<Check['run']>[0]): Promise<CheckOutcome> {
  try {
    return await check.run(context);
  } catch (thrown) {
    return { status: 'error', code: 'INTERNAL', message: `the check failed to run: ${describeThrown(thrown)}` };
  }
}

function toFinding(check: Check, subject: string, outcome: CheckOutcome): Finding {
  return {
    id: `${check.id}:${subject}`,
    checkId: check.id,
    checkTitle: check.title,
    subject,
    status: outcome.status,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    message: outcome.message,
    ...(outcome.quotes === undefined || outcome.quotes.length === 0 ? {} : { quotes: outcome.quotes }),
    details: outcome.details ?? {},
    evidence: [...new Set(outcome.evidence ?? [])].sort(),
  };
}
