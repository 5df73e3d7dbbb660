import { counts, type SubjectAnalysis, type VerifiedProvenance, type VerifiedUnit } from '../checks/analysis.js';
import type { CustodyLink, CustodyTimeline, Finding, SubjectResult } from '../report/model.js';
import { isCycloneDxPredicate } from '../verify/payloads.js';
import type { ProvenanceClaim } from '../verify/provenance.js';

/** A link before the report is built: evidence by SHA-256 only (bundle paths are the build stage's). */
export type DraftLink = Omit<CustodyLink, 'evidence'> & { evidence: string[] };

/** The chain up to the attestations; the gate is the report's verdict, added when the report is built. */
export interface CustodyDraft {
  basis: CustodyTimeline['basis'];
  links: DraftLink[];
}

const CI = 'CI export (unsigned): the run finished';

/**
 * Drafts an image's chain of custody from the evidence that verification
 * judged. Where provenance.verified passed, the signed provenance carries the
 * commit, build and push links; otherwise a bound CI run that pushed the
 * digest does, labelled unsigned. Signing and attestation come from units
 * that verify and bind the digest. Pure.
 */
export function draftCustody(analysis: SubjectAnalysis, findings: readonly Finding[]): CustodyDraft {
  const name = analysis.image.name;
  const provenanceFinding = findings.find((f) => f.checkId === 'provenance.verified' && f.subject === name);
  const provenance = provenanceFinding?.status === 'pass' ? passedProvenance(analysis, provenanceFinding) : undefined;
  const [built] = analysis.builds();
  const ids = (check: string) => findings.filter((f) => f.checkId === check && f.subject === name).map((f) => f.id);
  const { digest } = analysis.image;
  // The image's own manifest, when saved: content-addressed, its SHA-256 is the digest.
  const manifest = analysis.itemsOf('image-manifest').find((m) => m.digest === digest)?.evidence.sha256;
  const fromProvenance =
    provenance === undefined ? undefined : provenanceLinks(provenance.unit, provenance.claim, ids('provenance.verified'), digest, built?.run.commit);
  const fromCi = built === undefined ? undefined : ciLinks(built.run, built.pushedBy, ids('pipeline.built'), digest);
  const chain = withManifest(fromProvenance ?? fromCi ?? missingBuild(analysis.provenances().length > 0, ids('provenance.verified')), manifest);
  return {
    basis: fromProvenance ? 'signed-provenance' : fromCi ? 'unsigned-ci-export' : 'none',
    links: [...chain, signLink(analysis.signatures(), ids('signature.verified')), attestLink(analysis.attestations(), ids('attestation.verified'))],
  };
}

function passedProvenance(analysis: SubjectAnalysis, finding: Finding): { unit: VerifiedProvenance; claim: ProvenanceClaim } | undefined {
  const unit = analysis.provenances().find((p) => counts(p) && p.claim.ok && p.evidence.every((e) => finding.evidence.includes(e)));
  return unit?.claim.ok ? { unit, claim: unit.claim.value } : undefined;
}

function provenanceLinks(unit: VerifiedProvenance, claim: ProvenanceClaim, findings: string[], digest: string, ciCommit: string | undefined): DraftLink[] {
  const signed = { status: 'verified' as const, signed: true, evidence: unit.evidence, findings };
  const disagrees = ciCommit !== undefined && ciCommit !== '' && !claim.commit.startsWith(ciCommit.toLowerCase());
  const finished = claim.finishedOn ?? claim.startedOn;
  return [
    {
      step: 'commit',
      ...signed,
      summary: `commit ${claim.commit} of ${claim.sourceRepository}${claim.sourceRef ? ` (${claim.sourceRef})` : ''}${disagrees ? `; the unsigned CI export names commit ${ciCommit}` : ''}`,
    },
    {
      step: 'build',
      ...signed,
      summary: `built by ${claim.builderId}${claim.invocationId ? `, run ${claim.invocationId}` : ''} (SLSA ${claim.slsaVersion} provenance)`,
      ...(finished !== undefined && isInstant(finished) ? { at: new Date(finished).toISOString(), datedBy: 'provenance (signed)' } : {}),
    },
    { step: 'push', ...signed, summary: `the signed provenance names ${digest} as what the build produced` },
  ];
}

function ciLinks(run: SubjectAnalysis['ci']['runs'][number], pushedBy: string[], findings: string[], digest: string): DraftLink[] {
  const claimed = { status: 'claimed' as const, signed: false, evidence: [run.evidence], findings };
  const dated = run.finishedAt !== undefined && isInstant(run.finishedAt) ? { at: new Date(run.finishedAt).toISOString(), datedBy: CI } : {};
  return [
    { step: 'commit', ...claimed, summary: `commit ${run.commit} (${run.event === 'tag' ? run.ref : `branch ${run.branch}`}), per the unsigned CI export` },
    { step: 'build', ...claimed, summary: `run #${run.number} (${run.event}, ${run.status}), per the unsigned CI export`, ...dated },
    { step: 'push', ...claimed, summary: `step ${pushedBy.join(', ')} pushed ${digest}, per the unsigned CI export` },
  ];
}

/** Adds the image manifest to the push link's evidence: whatever says the digest was pushed, this is what it names. */
function withManifest(links: DraftLink[], manifest: string | undefined): DraftLink[] {
  if (manifest === undefined) return links;
  return links.map((l) => (l.step === 'push' ? { ...l, evidence: [...new Set([...l.evidence, manifest])] } : l));
}

function missingBuild(provenanceSeen: boolean, findings: string[]): DraftLink[] {
  const status = provenanceSeen ? ('failed' as const) : ('missing' as const);
  const summary = provenanceSeen
    ? 'provenance exists but does not count (see provenance.verified), and no bound CI run pushed the digest'
    : 'no signed provenance and no bound CI run that pushed the digest';
  return (['commit', 'build', 'push'] as const).map((step) => ({
    step,
    status,
    signed: false,
    summary,
    evidence: [],
    findings: provenanceSeen ? findings : [],
  }));
}

function signLink(signatures: VerifiedUnit[], findings: string[]): DraftLink {
  return unitLink('sign', signatures, findings, (u) => `signed by ${u.verdict.ok ? u.verdict.signer : ''} (${u.format})`);
}

function attestLink(attestations: VerifiedUnit[], findings: string[]): DraftLink {
  const good = attestations.filter(counts);
  // The SBOM attestation dates the link; every attestation that counts is named.
  const ordered = [...good.filter((a) => 'statement' in a && a.statement.ok && isCycloneDxPredicate(a.statement.value.predicateType)), ...good];
  const types = [...new Set(good.map((a) => ('statement' in a && a.statement.ok ? a.statement.value.predicateType : '')))].join(', ');
  return unitLink(
    'attest',
    ordered.length > 0 ? ordered : attestations,
    findings,
    () => `attested: ${types}`,
    good.flatMap((a) => a.evidence),
  );
}

function unitLink(step: 'sign' | 'attest', units: VerifiedUnit[], findings: string[], describe: (u: VerifiedUnit) => string, evidence?: string[]): DraftLink {
  const good = units.find(counts);
  if (good === undefined || !good.verdict.ok) {
    if (units.length === 0)
      return { step, status: 'missing', signed: false, summary: `no ${step === 'sign' ? 'signature' : 'attestation'}`, evidence: [], findings };
    return {
      step,
      status: 'failed',
      signed: false,
      summary: `${units.length} ${step === 'sign' ? 'signature' : 'attestation'}${units.length === 1 ? '' : 's'}, none verifies and binds the digest`,
      evidence: [...new Set(units.flatMap((u) => u.evidence))],
      findings,
    };
  }
  const time = good.verdict.signedAt;
  return {
    step,
    status: 'verified',
    signed: true,
    summary: describe(good),
    ...(time ? { at: time.at, datedBy: time.by } : {}),
    evidence: [...new Set(evidence ?? good.evidence)],
    findings,
  };
}

/** The last link: the verdict this report gives the image, dated by the run's clock. */
export function gateLink(status: SubjectResult['status'], clock: string, findings: readonly Finding[]): CustodyLink {
  const own = findings.filter((f) => f.status === 'fail' || f.status === 'error');
  return {
    step: 'gate',
    status: status === 'verified' ? 'verified' : 'failed',
    signed: false,
    summary:
      status === 'verified'
        ? 'auditpack verified every link above offline: every check passed'
        : `auditpack: ${own.length} check${own.length === 1 ? '' : 's'} failed or could not decide (${own.map((f) => f.checkId).join(', ')})`,
    at: clock,
    datedBy: 'report clock',
    evidence: [],
    findings: own.map((f) => f.id),
  };
}

function isInstant(text: string): boolean {
  return !Number.isNaN(Date.parse(text));
}
