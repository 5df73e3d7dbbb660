import { basename } from 'node:path';
import type { Collection } from '../collect/evidence.js';
import type { LoadedConfig } from '../config/load.js';
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
import type { TrustSet } from '../trust/load.js';
import type { DatedEvidence } from '../checks/dates.js';
import { GENERATOR } from './generator.js';

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
    trust: trustInfo(trust),
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
  const headlines = [...new Set(own.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => (f.waiver?.inForce ? `${f.message} (waived: ${f.waiver.id})` : f.message)))];
  return { id: image.name, ref: image.ref, digest: image.digest, status, headlines };
}

function summarise(subjects: SubjectResult[], findings: Finding[], frameworks: FrameworkResult[], problems: number): Summary {
  const findingCounts: Record<FindingStatus, number> = { pass: 0, fail: 0, error: 0, 'not-applicable': 0 };
  for (const f of findings) findingCounts[f.status] += 1;
  const controls: Record<ControlStatus, number> = { supported: 0, 'partially-supported': 0, 'not-supported': 0, 'not-assessed': 0, 'not-applicable': 0 };
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

function trustInfo(trust: TrustSet): Report['trust'] {
  return {
    keys: trust.keys.map((k) => ({
      id: k.id,
      path: trustPath(k.source),
      fingerprint: k.fingerprint,
      algorithm: k.algorithm,
      ...(k.validFrom ? { validFrom: k.validFrom.toISOString() } : {}),
      ...(k.validUntil ? { validUntil: k.validUntil.toISOString() } : {}),
    })),
    ...(trust.trustedRoot
      ? { trustedRoot: { path: trustPath(trust.trustedRoot.source), sha256: trust.trustedRoot.sha256, tlogs: trust.trustedRoot.root.tlogs.length } }
      : {}),
  };
}

/** Where the bundle keeps a copy of a trust file. */
export function trustPath(source: string): string {
  return `trust/${basename(source)}`;
}

/** Where the bundle keeps the verbatim copy of an evidence file. */
export function evidencePath(source: string): string {
  return `evidence/${source.split('\\').join('/')}`;
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
  if (trust.trustedRoot) {
    const r = trust.trustedRoot;
    refs.push({ sha256: r.sha256, kind: 'trusted-root', source: r.source, path: trustPath(r.source), size: r.bytes.length });
  }
  return refs.sort((a, b) => a.path.localeCompare(b.path));
}
