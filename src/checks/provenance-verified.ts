import type { ProvenanceConfig } from '../config/schema.js';
import { otherSubjectsNote } from '../verify/binding.js';
import { sameRepository, type ProvenanceClaim } from '../verify/provenance.js';
import { counts, type SubjectAnalysis, type VerifiedProvenance } from './analysis.js';
import { foreignFailure, noEvidence, verificationFailure } from './missing.js';
import { defineCheck, type CheckOutcome } from './types.js';

/** What the report says of custody when it rests on CI exports, because no signed provenance does. */
const CI_FALLBACK = 'custody rests on the CI exports, which are unsigned operator evidence (see pipeline.built)';

export const provenanceVerified = defineCheck({
  id: 'provenance.verified',
  title: 'Signed SLSA provenance binds this digest to an expected builder, source repository and commit',
  description:
    'A SLSA provenance attestation (predicate https://slsa.dev/provenance/v0.2 or v1, e.g. a GitHub artifact attestation) verifies with a configured trusted key or keyless identity, binds the digest in scope as an in-toto subject, and names a builder id in provenance.builders, a source repository in provenance.sourceRepositories and a source commit. Where it passes, the signed provenance is the custody evidence and the unsigned CI exports only corroborate it. An image without provenance fails when provenance.required is true, and is not applicable otherwise.',
  run({ analysis, image, provenance }) {
    const candidates = analysis.provenances();
    if (candidates.length === 0) return noProvenance(analysis, provenance);
    const bound = candidates.filter(counts);
    if (bound.length === 0) {
      return foreignFailure(candidates, image.digest, 'attestation') ?? verificationFailure(analysis, candidates, 'attestation');
    }
    const readable = bound.flatMap((p) => (p.claim.ok ? [{ unit: p, claim: p.claim.value }] : []));
    if (readable.length === 0) {
      return {
        status: 'fail',
        code: 'PAYLOAD_INVALID',
        message: `provenance verifies and binds ${image.digest}, but its predicate cannot be read (${bound.map((p) => `${p.label}: ${p.claim.ok ? '' : p.claim.reason}`).join('; ')})`,
        evidence: bound.flatMap((p) => p.evidence),
      };
    }
    if (provenance === undefined) {
      const [first] = readable;
      return {
        status: 'error',
        code: 'PROVENANCE_UNPINNED',
        message: `provenance verifies and binds ${image.digest}, but no expected builders and source repositories are configured (provenance.builders, provenance.sourceRepositories): a builder id nobody pinned proves nothing`,
        details: first ? claimDetails(first.claim) : {},
        evidence: readable.flatMap((r) => r.unit.evidence),
      };
    }
    const judged = readable.map((r) => ({ ...r, mismatches: mismatches(r.claim, provenance) }));
    const good = judged.find((j) => j.mismatches.length === 0);
    if (good === undefined) {
      return {
        status: 'fail',
        code: 'PROVENANCE_MISMATCH',
        message: `provenance verifies and binds ${image.digest}, but not as expected: ${judged.map((j) => `${j.unit.label}: ${j.mismatches.join('; ')}`).join(' | ')}`,
        details: { 'expected builders': provenance.builders.join(', '), 'expected source repositories': provenance.sourceRepositories.join(', ') },
        evidence: judged.flatMap((j) => j.unit.evidence),
      };
    }
    return passed(good.unit, good.claim, analysis, image.digest);
  },
});

function noProvenance(analysis: SubjectAnalysis, provenance: ProvenanceConfig | undefined): CheckOutcome {
  if (provenance?.required === true) {
    const missing = noEvidence(analysis, 'SLSA provenance attestation');
    return { ...missing, details: { required: 'provenance.required is true', custody: CI_FALLBACK } };
  }
  // Not required, so the image is not judged on it; the code keeps it a gap for every clause the check supports.
  return {
    status: 'not-applicable',
    code: 'EVIDENCE_MISSING',
    message: `no SLSA provenance attestation, and none is required (${provenance === undefined ? 'no provenance expectations configured' : 'provenance.required is false'}): ${CI_FALLBACK}`,
    details: { custody: CI_FALLBACK },
  };
}

/** Why a claim does not meet the expectations: each field named with what it says. Empty when it does. */
export function mismatches(claim: ProvenanceClaim, expected: ProvenanceConfig): string[] {
  const found: string[] = [];
  if (!expected.builders.includes(claim.builderId)) found.push(`builder id ${claim.builderId} is not an expected builder`);
  if (!expected.sourceRepositories.some((r) => sameRepository(r, claim.sourceRepository))) {
    found.push(`source repository ${claim.sourceRepository} is not an expected source repository`);
  }
  return found;
}

function passed(unit: VerifiedProvenance, claim: ProvenanceClaim, analysis: SubjectAnalysis, digest: string): CheckOutcome {
  const signer = unit.verdict.ok ? unit.verdict.signer : '';
  return {
    status: 'pass',
    message: `provenance signed by ${signer} binds ${digest} to builder ${claim.builderId}, ${claim.sourceRepository} at commit ${claim.commit}${otherSubjectsNote(unit.bound)}`,
    details: {
      format: unit.format,
      source: unit.label,
      ...(unit.verdict.ok ? unit.verdict.details : {}),
      ...(unit.bound.binds ? unit.bound.details : {}),
      ...claimDetails(claim),
      ...ciCorroboration(analysis, claim),
      custody: 'signed provenance (the CI exports, unsigned, only corroborate it)',
    },
    evidence: unit.evidence,
  };
}

function claimDetails(claim: ProvenanceClaim): Record<string, string> {
  return {
    'provenance predicate': `${claim.predicateType} (SLSA ${claim.slsaVersion})`,
    'builder id': claim.builderId,
    'build type': claim.buildType,
    'source repository': claim.sourceRepository,
    ...(claim.sourceRef === undefined ? {} : { 'source ref': claim.sourceRef }),
    'source commit': claim.commit,
    ...(claim.invocationId === undefined ? {} : { 'build invocation': claim.invocationId }),
    ...(claim.startedOn === undefined ? {} : { 'build started (provenance)': claim.startedOn }),
    ...(claim.finishedOn === undefined ? {} : { 'build finished (provenance)': claim.finishedOn }),
  };
}

/** What the unsigned CI exports say of the same build: shown beside the signed claim, never relied on. */
function ciCorroboration(analysis: SubjectAnalysis, claim: ProvenanceClaim): Record<string, string> {
  const [built] = analysis.builds();
  if (built === undefined) return { 'CI export': 'no bound CI run pushed this digest' };
  const { run } = built;
  const agrees = run.commit !== '' && claim.commit.startsWith(run.commit.toLowerCase());
  return {
    'CI export': `run #${run.number} (unsigned) reports commit ${run.commit}: ${agrees ? 'the same commit' : 'a different commit than the signed provenance'}`,
  };
}
