import { evidencePath, trustPath } from '../bundle/paths.js';
import type { Collection } from '../collect/evidence.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { isInPeriod, type Period } from '../config/period.js';
import {
  REPORT_FORMAT,
  SCHEMA_VERSION,
  type ClaimCheck,
  type ControlStatus,
  type CrosswalkRow,
  type EvidenceRef,
  type Finding,
  type FindingStatus,
  type FrameworkResult,
  type ManualEvidence,
  type Report,
  type SubjectResult,
  type Summary,
  type SbomSection,
  type WaiverRecord,
} from '../report/model.js';
import type { LoadedTrustedRoot, TrustSet } from '../trust/load.js';
import type { DatedEvidence } from '../checks/dates.js';
import { GENERATOR } from './generator.js';
import { CONTROL_STATUS_ORDER } from '../report/vocabulary.js';

export interface BuildInput {
  loaded: LoadedConfig;
  period: Period;
  clock: string;
  profile: string[];
  collection: Collection;
  trust: TrustSet;
  findings: Finding[];
  dates: Map<string, DatedEvidence>;
  frameworks: FrameworkResult[];
  claims: ClaimCheck[];
  manualEvidence: ManualEvidence[];
  waivers: WaiverRecord[];
  crosswalk: CrosswalkRow[];
  sboms: SbomSection;
}

/** Build stage: pure, from mapped results to the versioned report model. */
export function buildReport(input: BuildInput): Report {
  const { loaded, period, collection, trust, findings, frameworks } = input;
  const subjects = loaded.config.images.map((image) => subjectResult(image, findings));
  const problems = [...collection.problems].sort((a, b) => a.file.localeCompare(b.file) || a.reason.localeCompare(b.reason));
  return {
    reportFormat: REPORT_FORMAT,
    schemaVersion: SCHEMA_VERSION,
    generator: GENERATOR,
    run: {
      organisation: loaded.config.organisation,
      generatedAt: input.clock,
      period: { label: period.label, start: period.interval.start.toUTC().toISO(), end: period.interval.end.toUTC().toISO(), zone: period.zone },
      configSha256: loaded.sha256,
      frameworks: frameworks.map((f) => f.id),
      profile: input.profile,
    },
    trust: trustInfo(trust, loaded.config),
    summary: summarise(subjects, findings, frameworks, problems.length),
    subjects,
    findings,
    frameworks,
    evidence: evidenceRefs(collection, trust, input.dates, period),
    problems,
    claims: input.claims,
    manualEvidence: input.manualEvidence,
    waivers: input.waivers,
    crosswalk: input.crosswalk,
    sboms: input.sboms,
  };
}

function subjectResult(image: { name: string; ref: string; digest: string }, findings: Finding[]): SubjectResult {
  const own = findings.filter((f) => f.subject === image.name);
  const status = own.some((f) => f.status === 'fail') ? 'failed' : own.some((f) => f.status === 'error') ? 'incomplete' : 'verified';
  const headlines = [
    ...new Set(
      own.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => (f.waiver?.inForce ? `${f.message} (waived: ${f.waiver.id})` : f.message)),
    ),
  ];
  return { id: image.name, ref: image.ref, digest: image.digest, status, headlines };
}

function summarise(subjects: SubjectResult[], findings: Finding[], frameworks: FrameworkResult[], problems: number): Summary {
  const findingCounts: Record<FindingStatus, number> = { pass: 0, fail: 0, error: 0, 'not-applicable': 0 };
  for (const f of findings) findingCounts[f.status] += 1;
  const controls = Object.fromEntries(CONTROL_STATUS_ORDER.map((s) => [s, 0])) as Record<ControlStatus, number>;
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

function trustInfo(trust: TrustSet, config: Config): Report['trust'] {
  const { woodpecker, repository, events, branches } = config.evidence;
  return {
    keys: trust.keys.map((k) => ({
      id: k.id,
      path: trustPath(k.source),
      fingerprint: k.fingerprint,
      algorithm: k.algorithm,
      ...(k.validFrom ? { validFrom: k.validFrom.toISOString() } : {}),
      ...(k.validUntil ? { validUntil: k.validUntil.toISOString() } : {}),
    })),
    ...(trust.trustedRoot ? { trustedRoot: trustedRootInfo(trust.trustedRoot) } : {}),
    requireSignedTime: config.trust.requireTransparencyLog,
    ...(woodpecker !== undefined && repository !== undefined
      ? {
          ci: {
            system: 'woodpecker' as const,
            repository: repository.url,
            ...(repository.id === undefined ? {} : { repositoryId: repository.id }),
            events,
            branches,
            signed: false as const,
          },
        }
      : {}),
  };
}

/** One root: its file. Several: the merged root's digest, with every file listed. */
function trustedRootInfo(root: LoadedTrustedRoot): NonNullable<Report['trust']['trustedRoot']> {
  const [only] = root.files;
  const info = {
    path: only && root.files.length === 1 ? trustPath(only.source) : root.files.map((f) => trustPath(f.source)).join(', '),
    sha256: root.sha256,
    tlogs: root.root.tlogs.length,
  };
  return root.files.length === 1 ? info : { ...info, files: root.files.map((f) => ({ path: trustPath(f.source), sha256: f.sha256 })) };
}

function evidenceRefs(collection: Collection, trust: TrustSet, dates: Map<string, DatedEvidence>, period: Period): EvidenceRef[] {
  const refs: EvidenceRef[] = collection.evidence.map((e) => {
    const dated = dates.get(e.sha256);
    return {
      sha256: e.sha256,
      kind: e.kind,
      source: e.source,
      path: evidencePath(e.source),
      size: e.bytes.length,
      ...(e.subject === undefined ? {} : { subject: e.subject }),
      ...(dated ? { dated: { at: dated.at, what: dated.what, inPeriod: isInPeriod(period, dated.at) } } : {}),
    };
  });
  for (const k of trust.keys) refs.push({ sha256: k.sha256, kind: 'public-key', source: k.source, path: trustPath(k.source), size: k.bytes.length });
  for (const f of trust.trustedRoot?.files ?? []) {
    refs.push({ sha256: f.sha256, kind: 'trusted-root', source: f.source, path: trustPath(f.source), size: f.bytes.length });
  }
  return refs.sort((a, b) => a.path.localeCompare(b.path));
}
