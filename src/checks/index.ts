import { attestationBindsDigest } from './attestation-binds-digest.js';
import { attestationVerified } from './attestation-verified.js';
import { evidenceBound } from './evidence-bound.js';
import { evidenceInPeriod } from './evidence-in-period.js';
import { pipelineBuilt } from './pipeline-built.js';
import { pipelineSigningClean } from './pipeline-signing-clean.js';
import { sbomQuality } from './sbom-quality.js';
import { sbomValid } from './sbom-valid.js';
import { signatureBindsDigest } from './signature-binds-digest.js';
import { signatureVerified } from './signature-verified.js';
import type { Check } from './types.js';

/** The registry: the only list of checks. A new check is one file plus one line here. */
export const CHECKS: readonly Check[] = [
  signatureVerified,
  signatureBindsDigest,
  attestationVerified,
  attestationBindsDigest,
  sbomValid,
  sbomQuality,
  pipelineBuilt,
  pipelineSigningClean,
  evidenceBound,
  evidenceInPeriod,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
