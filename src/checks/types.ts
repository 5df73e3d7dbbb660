import type { ImageConfig } from '../config/schema.js';
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
  sbomPolicy: SbomPolicy;
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
export interface Check {
  id: string;
  title: string;
  /** What a pass means, in one sentence, for the report and `--help`. */
  description: string;
  run(context: CheckContext): Promise<CheckOutcome> | CheckOutcome;
}
