import { attestationBindsDigest } from './attestation-binds-digest.js';
import { attestationVerified } from './attestation-verified.js';
import { evidenceBound } from './evidence-bound.js';
import { evidenceInPeriod } from './evidence-in-period.js';
import { pipelineBuilt } from './pipeline-built.js';
import { pipelineSigningClean } from './pipeline-signing-clean.js';
import { populationCovered } from './population-covered.js';
import { provenanceVerified } from './provenance-verified.js';
import { sbomQuality } from './sbom-quality.js';
import { sbomValid } from './sbom-valid.js';
import { signatureBindsDigest } from './signature-binds-digest.js';
import { signatureVerified } from './signature-verified.js';
import type { Check } from './types.js';

/**
 * The registry: the only list of checks, in report order. A new check is one
 * file plus one line here; its id then belongs to CheckId, which catalogs,
 * the engine and the crosswalk are typed with.
 */
export const CHECKS = [
  signatureVerified,
  signatureBindsDigest,
  attestationVerified,
  attestationBindsDigest,
  sbomValid,
  sbomQuality,
  pipelineBuilt,
  pipelineSigningClean,
  provenanceVerified,
  evidenceBound,
  evidenceInPeriod,
  populationCovered,
] as const satisfies readonly Check[];

/** The id of a registered check. */
export type CheckId = (typeof CHECKS)[number]['id'];

/** Every check id, in registry order. */
export const CHECK_IDS: readonly CheckId[] = CHECKS.map((c) => c.id);

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id);
}

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
