/**
 * What auditpack observed, as OSCAL observations: one per check result (a
 * check on one image), one per manual statement (recorded, never verified),
 * one per input problem (what runs is in oscal/population.ts). Each points
 * at its evidence files, which the back-matter lists with their SHA-256.
 */
import type { EvidenceRef, Finding, InputProblem, ManualEvidence, Report, SubjectResult } from '../../report/model.js';
import { timingOf, type TimingWord } from '../content/timing.js';
import { oneLine, prop, type Component, type Observation, type Origin, type Resource } from './types.js';
import { AUDITPACK_NAMESPACE, uuidV5 } from './uuid.js';

/** Stable across runs: the same image (name and digest) is the same component every quarter. */
export function imageUuid(subject: SubjectResult): string {
  return uuidV5(`image/${subject.id}/${subject.digest}`, AUDITPACK_NAMESPACE);
}

/** Content-addressed like the evidence itself. */
export function evidenceUuid(e: { sha256: string; path: string }): string {
  return uuidV5(`evidence/${e.sha256}/${e.path}`, AUDITPACK_NAMESPACE);
}

export function imageComponents(report: Report): Component[] {
  return report.subjects.map((s) => ({
    uuid: imageUuid(s),
    type: 'software',
    title: s.ref,
    description: `Container image ${s.ref} at digest ${s.digest}, in scope for ${report.run.period.label}.`,
    props: [prop('image', s.id), prop('digest', s.digest), prop('status', s.status)],
    status: { state: 'operational' },
  }));
}

/** Every evidence file, kept verbatim in the bundle at `path`. */
export function evidenceResources(report: Report): Resource[] {
  return report.evidence.map((e) => ({
    uuid: evidenceUuid(e),
    title: e.path,
    description: `${e.kind} read from ${e.source}${e.subject === undefined ? '' : ` for image ${e.subject}`}${e.dated ? `, ${e.dated.what} ${e.dated.at}${TIMING_NOTE[timingOf(e.dated)]}` : ''}.`,
    props: [prop('evidence-kind', e.kind), prop('size', String(e.size))],
    rlinks: [{ href: pathHref(e.path), hashes: [{ algorithm: 'SHA-256', value: e.sha256 }] }],
  }));
}

/** Where an evidence time stands against the period (see content/timing.ts), in the export's English; flagged times say so. */
const TIMING_NOTE: Readonly<Record<TimingWord, string>> = {
  'in-period': '',
  'before-period': ' (before the period, still current)',
  'after-period': ' (after the period: flagged)',
  'too-old': ' (older than the maximum age at the period end: flagged)',
  invalid: ' (unreadable time: flagged)',
  outside: ' (outside the period)',
};

/** A bundle path as a relative URI reference: each segment percent-encoded (`#`, `?`, `%`, spaces). */
export function pathHref(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function observationUuid(docUuid: string, kind: 'check' | 'manual' | 'problem' | 'population', id: string): string {
  return uuidV5(`${docUuid}/observation/${kind}/${id}`, AUDITPACK_NAMESPACE);
}

export function observations(report: Report, docUuid: string, origin: Origin): Observation[] {
  const bySha = new Map(report.evidence.map((e) => [e.sha256, e]));
  const subjects = new Map(report.subjects.map((s) => [s.id, s]));
  return [
    ...report.findings.map((f) => checkObservation(report, docUuid, origin, f, bySha, subjects.get(f.subject))),
    ...report.manualEvidence.map((m) => manualObservation(report, docUuid, m)),
    ...report.problems.map((p, i) => problemObservation(report, docUuid, origin, p, i, subjects.get(p.subject ?? ''))),
  ];
}

function checkObservation(
  report: Report,
  docUuid: string,
  origin: Origin,
  f: Finding,
  bySha: Map<string, EvidenceRef>,
  subject: SubjectResult | undefined,
): Observation {
  const evidence = f.evidence.map((sha) => bySha.get(sha)).filter((e): e is EvidenceRef => e !== undefined);
  const details = Object.entries(f.details).map(([k, v]) => `${k}: ${v}`);
  const remarks = [...details, ...(f.quotes ?? []).map((q) => `quoted from evidence: ${q}`)].join('\n');
  return {
    uuid: observationUuid(docUuid, 'check', f.id),
    title: `${f.checkTitle}: ${f.subject}`,
    description: f.message,
    props: [
      prop('check-id', f.checkId),
      prop('result', f.status),
      ...(f.code === undefined ? [] : [prop('code', f.code)]),
      ...(f.waiver ? [prop('waiver', f.waiver.id), prop('waiver-in-force', String(f.waiver.inForce))] : []),
    ],
    methods: ['TEST'],
    origins: [origin],
    ...(subject ? { subjects: [{ 'subject-uuid': imageUuid(subject), type: 'component' as const, title: subject.ref }] } : {}),
    ...(evidence.length > 0
      ? { 'relevant-evidence': evidence.map((e) => ({ href: `#${evidenceUuid(e)}`, description: `${e.kind} ${e.path} (SHA-256 ${e.sha256})` })) }
      : {}),
    collected: report.run.generatedAt,
    ...(remarks === '' ? {} : { remarks }),
  };
}

function manualObservation(report: Report, docUuid: string, m: ManualEvidence): Observation {
  return {
    uuid: observationUuid(docUuid, 'manual', m.id),
    title: `Manual statement ${m.id} (recorded, not verified by auditpack)`,
    description: m.statement,
    props: [prop('given-by', m.givenBy), prop('given-at', m.givenAt), prop('verified', 'false'), ...m.controls.map((c) => prop('control', c))],
    methods: ['EXAMINE'],
    ...(m.document
      ? { 'relevant-evidence': [{ href: `#${evidenceUuid(m.document)}`, description: `document ${m.document.path} (SHA-256 ${m.document.sha256})` }] }
      : {}),
    collected: report.run.generatedAt,
    ...(m.reference === undefined ? {} : { remarks: `Reference: ${oneLine(m.reference)}` }),
  };
}

function problemObservation(report: Report, docUuid: string, origin: Origin, p: InputProblem, index: number, subject: SubjectResult | undefined): Observation {
  return {
    uuid: observationUuid(docUuid, 'problem', `${index}/${p.code}/${p.file}`),
    title: `Input problem: ${p.file}`,
    description: p.reason,
    props: [prop('code', p.code), prop('file', p.file)],
    methods: ['TEST'],
    origins: [origin],
    ...(subject ? { subjects: [{ 'subject-uuid': imageUuid(subject), type: 'component' as const, title: subject.ref }] } : {}),
    collected: report.run.generatedAt,
  };
}
