import { SubjectAnalysis, type AttestedSbom } from '../checks/analysis.js';
import { datedEvidence, type DatedEvidence } from '../checks/dates.js';
import { CHECKS } from '../checks/index.js';
import { populationCovered } from '../checks/population-covered.js';
import type { Check, CheckOutcome, SbomPolicy } from '../checks/types.js';
import type { Collection } from '../collect/evidence.js';
import { parseMaxAge } from '../config/max-age.js';
import type { Config } from '../config/schema.js';
import type { Period } from '../config/period.js';
import { describeThrown } from '../errors.js';
import type { Finding } from '../report/model.js';
import type { TrustSet } from '../trust/load.js';
import type { CiEvidence } from '../verify/ci-runs.js';
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
  const { config, collection, trust, period } = input;
  const checks = input.checks ?? CHECKS;
  const sbomPolicy: SbomPolicy = { minLicenceCoverage: config.sbom.minLicenceCoverage, minPurlCoverage: config.sbom.minPurlCoverage };
  const maxEvidenceAge = parseMaxAge(config.evidence.maxAge);
  const findings: Finding[] = [];
  const verificationTrust = { ...trust, identities: config.trust.identities ?? [] };
  const verification = { requireSignedTime: config.trust.requireTransparencyLog };
  const ci = ciEvidence(config, collection);
  const dates = new Map<string, DatedEvidence>();
  const sboms = new Map<string, AttestedSbom>();
  const population = collection.population === undefined ? {} : { population: collection.population };
  // A running image the configuration does not name has no evidence to judge: only the population check says so.
  const custody = new Map<string, CustodyDraft>();
  const subjects = [
    ...config.images.map((image) => ({ image, checks, configured: true })),
    ...(collection.population?.uncovered ?? []).map((image) => ({
      image,
      checks: checks.filter((c) => c.id === populationCovered.id),
      configured: false,
    })),
  ];
  for (const [index, { image, checks, configured }] of subjects.entries()) {
    input.progress?.(`verify ${index + 1}/${subjects.length}: ${image.name}`);
    const evidence = collection.subjects.get(image.name) ?? { subject: image.name, items: [], problems: [] };
    const analysis = new SubjectAnalysis({ image, evidence, ci, trust: verificationTrust, verification });
    const provenance = image.provenance ?? config.provenance;
    const first = findings.length;
    for (const check of checks) {
      const outcome = await runOne(check, { image, period, maxEvidenceAge, sbomPolicy, analysis, ...population, ...(provenance ? { provenance } : {}) });
      findings.push(toFinding(check, image.name, outcome));
    }
    for (const d of datedEvidence(analysis)) dates.set(d.evidence, d);
    const sbom = analysis.attestedSbom();
    if (sbom) sboms.set(image.name, sbom);
    // A running image the configuration does not name has no custody to draw: it has no evidence.
    if (configured) custody.set(image.name, draftCustody(analysis, findings.slice(first)));
  }
  return { findings, dates, sboms, custody };
}

/** The estate's CI runs, with the repository their export names and the policy from the config that binds them. */
export function ciEvidence(config: Config, collection: Collection): CiEvidence {
  const { repository, events, branches } = config.evidence;
  return {
    runs: collection.runs,
    ...(collection.repository ? { repository: collection.repository } : {}),
    policy: { ...(repository ? { repository } : {}), events, branches },
  };
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
