import type { ImageConfig } from '../config/schema.js';
import type { Period } from '../config/period.js';
import {
  CONTROL_STATUSES,
  FINDING_STATUSES,
  REPORT_FORMAT,
  SCHEMA_VERSION,
  type ClaimCheck,
  type ControlStatus,
  type CrosswalkRow,
  type EvidenceRef,
  type Finding,
  type FindingStatus,
  type FrameworkResult,
  type InputProblem,
  type ManualEvidence,
  type PopulationSection,
  type Report,
  type SubjectResult,
  type Summary,
  type SbomSection,
  type WaiverRecord,
} from '../report/model.js';
import { gateLink, type CustodyDraft } from './custody.js';

/** The results of every earlier stage, and the facts of the run: what the report is built from. */
export interface BuildInput {
  /** Who made the report (src/util/generator.ts, passed in: the engine reads no file). */
  generator: Report['generator'];
  organisation: string;
  clock: string;
  period: Period;
  /** SHA-256 of the configuration file's bytes. */
  configSha256: string;
  /** The configured `evidence.maxAge` (ISO 8601 duration). */
  maxEvidenceAge?: string;
  profile: string[];
  /** The images in scope, in the configuration's order, then the running images it does not name. */
  images: readonly ImageConfig[];
  /** What runs, when population exports are configured. */
  population?: PopulationSection;
  trust: Report['trust'];
  findings: Finding[];
  frameworks: FrameworkResult[];
  evidence: EvidenceRef[];
  problems: readonly InputProblem[];
  claims: ClaimCheck[];
  manualEvidence: ManualEvidence[];
  waivers: WaiverRecord[];
  crosswalk: CrosswalkRow[];
  sboms: SbomSection;
  /** Subject → its chain of custody as verification drafted it; the gate link is this report's verdict. */
  custody?: ReadonlyMap<string, CustodyDraft>;
}

/** Build stage: pure, from the stages' results to the versioned report model. */
export function buildReport(input: BuildInput): Report {
  const { period, findings, frameworks } = input;
  const paths = new Map(input.evidence.map((e) => [e.sha256, e.path]));
  // Each subject's findings, grouped once: filtering the estate's findings per subject is quadratic in the estate.
  const bySubject = Map.groupBy(findings, (f) => f.subject);
  const subjects = input.images.map((image) => {
    const own = bySubject.get(image.name) ?? [];
    return withCustody(subjectResult(image, own), input.custody?.get(image.name), input.clock, own, paths);
  });
  const problems = [...input.problems].sort((a, b) => a.file.localeCompare(b.file) || a.reason.localeCompare(b.reason));
  return {
    reportFormat: REPORT_FORMAT,
    schemaVersion: SCHEMA_VERSION,
    generator: input.generator,
    run: {
      organisation: input.organisation,
      generatedAt: input.clock,
      period: { label: period.label, start: period.interval.start.toUTC().toISO(), end: period.interval.end.toUTC().toISO(), zone: period.zone },
      configSha256: input.configSha256,
      ...(input.maxEvidenceAge === undefined ? {} : { maxEvidenceAge: input.maxEvidenceAge }),
      frameworks: frameworks.map((f) => f.id),
      profile: input.profile,
    },
    trust: input.trust,
    summary: summarise(subjects, findings, frameworks, problems.length),
    subjects,
    findings,
    frameworks,
    evidence: input.evidence,
    problems,
    claims: input.claims,
    manualEvidence: input.manualEvidence,
    waivers: input.waivers,
    crosswalk: input.crosswalk,
    sboms: input.sboms,
    ...(input.population === undefined ? {} : { population: input.population }),
  };
}

/** A subject's result from its own findings. */
function subjectResult(image: { name: string; ref: string; digest: string }, own: Finding[]): SubjectResult {
  const status = own.some((f) => f.status === 'fail') ? 'failed' : own.some((f) => f.status === 'error') ? 'incomplete' : 'verified';
  const headlines = [
    ...new Set(
      own.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => (f.waiver?.inForce ? `${f.message} (waived: ${f.waiver.id})` : f.message)),
    ),
  ];
  return { id: image.name, ref: image.ref, digest: image.digest, status, headlines };
}

function withCustody(
  subject: SubjectResult,
  draft: CustodyDraft | undefined,
  clock: string,
  own: Finding[],
  paths: ReadonlyMap<string, string>,
): SubjectResult {
  if (draft === undefined) return subject;
  const links = draft.links.map((l) => ({ ...l, evidence: l.evidence.map((sha256) => ({ path: paths.get(sha256) ?? '', sha256 })) }));
  const gate = gateLink(subject.status, clock, own);
  return { ...subject, custody: { basis: draft.basis, links: [...links, gate] } };
}

function summarise(subjects: SubjectResult[], findings: Finding[], frameworks: FrameworkResult[], problems: number): Summary {
  const findingCounts = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
  for (const f of findings) findingCounts[f.status] += 1;
  const controls = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const fw of frameworks) for (const c of fw.controls) controls[c.status] += 1;
  const clean = findingCounts.fail === 0 && findingCounts.error === 0 && problems === 0;
  return {
    verdict: clean ? 'pass' : 'fail',
    waived: findings.filter((f) => f.waiver?.inForce === true).length,
    subjects: {
      total: subjects.length,
      verified: subjects.filter((s) => s.status === 'verified').length,
      withFailures: subjects.filter((s) => s.status === 'failed').length,
      withErrors: subjects.filter((s) => s.status === 'incomplete').length,
    },
    findings: findingCounts,
    controls,
    problems,
  };
}
