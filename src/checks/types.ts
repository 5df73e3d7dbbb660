import type { Duration } from 'luxon';
import type { Population } from '../collect/population-model.js';
import type { ImageConfig, ProvenanceConfig } from '../config/schema.js';
import type { Period } from '../config/period.js';
import type { ErrorCode } from '../errors.js';
import type { FindingStatus } from '../report/model.js';
import type { SubjectAnalysis } from './analysis.js';

export interface SbomPolicy {
  minLicenceCoverage: number;
  minPurlCoverage: number;
}

export interface CheckContext {
  image: ImageConfig;
  period: Period;
  /** How old dated evidence may be at the end of the period (config `evidence.maxAge`). */
  maxEvidenceAge: Duration;
  sbomPolicy: SbomPolicy;
  /** What runs, from the config's population exports, matched with its images; absent without them. */
  population?: Population;
  /** The provenance expectations for this image (its own, else the top-level ones); absent when none are configured. */
  provenance?: ProvenanceConfig;
  /** Shared, memoised verification work for this subject (signatures, attestations, runs). */
  analysis: SubjectAnalysis;
}

export interface CheckOutcome {
  status: FindingStatus;
  code?: ErrorCode;
  message: string;
  details?: Record<string, string>;
  quotes?: string[];
  evidence?: string[];
}

/** One check: one file, one question about one subject. */
export interface Check<Id extends string = string> {
  /** Stable: it names the check in findings, catalogs, waivers and the README (src/checks/index.ts lists every one). */
  id: Id;
  title: string;
  /** What a pass means, in one sentence, for the report and `--help`. */
  description: string;
  run(context: CheckContext): Promise<CheckOutcome> | CheckOutcome;
}

/** Declares a check, keeping its id as a literal type: the registry derives CheckId from them. */
export function defineCheck<const Id extends string>(check: Check<Id>): Check<Id> {
  return check;
}
