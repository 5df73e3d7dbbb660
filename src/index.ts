/** The small public API: run the whole job, or use one stage. */
export { runReport, type ReportOptions, type ReportRun } from './run-report.js';
export { outcomeOf, type ReportOutcome, type ChangeCounts } from './report/outcome.js';
export { verifyBundle, type SealVerdict, type SealProblem, type SealAnchor } from './bundle/verify.js';
export { deepVerify } from './verify-deep.js';
export { loadConfig, type LoadedConfig } from './config/load.js';
export type { Config } from './config/schema.js';
export { parsePeriod, type Period } from './config/period.js';
export { diffReports, type DiffInput } from './history/diff.js';
export type * from './history/diff-model.js';
export { CHECKS } from './checks/index.js';
export type { Check, CheckOutcome } from './checks/types.js';
export { loadBuiltInCatalog, parseCatalog, BUILT_IN_FRAMEWORKS, type Catalog } from './frameworks/catalog.js';
export { AuditpackError, ERROR_CODES, type ErrorCode } from './errors.js';
export * from './report/model.js';
export { verifySigstoreBundle, type BundleVerdict, type SignerPolicy } from './verify/bundle.js';
export { validateCycloneDx } from './sbom/validate.js';
export { scoreSbom, type SbomScore } from './sbom/score.js';
