/**
 * Compares two reports (pure): what `auditpack diff` prints and what a report
 * made with `--previous` carries as its changes since the previous period.
 * Images, findings and controls are matched by their stable ids (image name,
 * `<checkId>:<image>`, `framework/control`), waivers by id, catalogs by id.
 */
import type { ControlStatus, FindingStatus, Report, SubjectResult, WaiverRecord } from '../report/model.js';
import { diffComponents } from './diff-components.js';
import { byKey, sortedUnion } from './keys.js';
import type { ControlChange, DiffImage, DiffSide, FindingChange, ReportDiff, WaiverBrief } from './diff-model.js';
import type { EstateInventory } from './inventory.js';

export interface DiffInput {
  old: Report;
  new: Report;
  /** The bundles' inventory.csv, parsed; without both, components are not compared. */
  oldInventory?: EstateInventory;
  newInventory?: EstateInventory;
}

const FAILING = new Set<FindingStatus | undefined>(['fail', 'error']);
const SUBJECT_RANK: Record<SubjectResult['status'], number> = { verified: 0, incomplete: 1, failed: 2 };
/** Worse is higher; not-applicable is outside the scale (no regression either way). */
const CONTROL_RANK: Partial<Record<ControlStatus, number>> = {
  supported: 0,
  'partially-supported': 1,
  'relevant-not-sufficient': 2,
  'not-assessed': 3,
  'not-supported': 4,
};

export function diffReports(input: DiffInput): ReportDiff {
  const { old: a, new: b } = input;
  const images = diffImages(a, b);
  const findings = diffFindings(a, b);
  const controls = diffControls(a, b);
  const waivers = diffWaivers(a.waivers, b.waivers);
  const catalogs = diffCatalogs(a, b);
  const components = input.oldInventory && input.newInventory ? diffComponents(a, b, input.oldInventory, input.newInventory) : undefined;
  const regression = findings.newFailures.length > 0 || images.status.some((s) => s.worse) || controls.some((c) => c.worse) || waivers.expired.length > 0;
  const changed =
    [
      images.added,
      images.removed,
      images.changed,
      images.status,
      findings.newFailures,
      findings.fixed,
      findings.otherChanges,
      controls,
      waivers.added,
      waivers.removed,
      waivers.expired,
      waivers.changed,
      catalogs.added,
      catalogs.removed,
      catalogs.changed,
    ].some((l) => l.length > 0) || (components ?? []).length > 0;
  return { old: side(a), new: side(b), images, findings, controls, ...(components ? { components } : {}), waivers, catalogs, regression, changed };
}

function side(r: Report): DiffSide {
  return {
    organisation: r.run.organisation,
    period: r.run.period.label,
    start: r.run.period.start,
    end: r.run.period.end,
    generatedAt: r.run.generatedAt,
    schemaVersion: r.schemaVersion,
    configSha256: r.run.configSha256,
    verdict: r.summary.verdict,
    images: r.summary.subjects.total,
    verified: r.summary.subjects.verified,
  };
}

function diffImages(a: Report, b: Report): ReportDiff['images'] {
  const before = byKey(a.subjects, (s) => s.id);
  const after = byKey(b.subjects, (s) => s.id);
  const brief = (s: SubjectResult): DiffImage => ({ id: s.id, ref: s.ref, digest: s.digest, status: s.status });
  const both = [...after.values()].filter((s) => before.has(s.id));
  return {
    added: [...after.values()].filter((s) => !before.has(s.id)).map(brief),
    removed: [...before.values()].filter((s) => !after.has(s.id)).map(brief),
    changed: both
      .map((s) => ({ s, o: before.get(s.id) as SubjectResult }))
      .filter(({ s, o }) => s.digest !== o.digest || s.ref !== o.ref)
      .map(({ s, o }) => ({ id: s.id, old: { ref: o.ref, digest: o.digest }, new: { ref: s.ref, digest: s.digest } })),
    status: both
      .map((s) => ({ id: s.id, old: (before.get(s.id) as SubjectResult).status, new: s.status }))
      .filter((c) => c.old !== c.new)
      .map((c) => ({ ...c, worse: SUBJECT_RANK[c.new] > SUBJECT_RANK[c.old] })),
  };
}

function diffFindings(a: Report, b: Report): ReportDiff['findings'] {
  const before = byKey(a.findings, (f) => f.id);
  const after = byKey(b.findings, (f) => f.id);
  const removedImages = new Set(a.subjects.map((s) => s.id).filter((id) => !b.subjects.some((s) => s.id === id)));
  const addedImages = new Set(b.subjects.map((s) => s.id).filter((id) => !a.subjects.some((s) => s.id === id)));
  const out: ReportDiff['findings'] = { newFailures: [], fixed: [], otherChanges: [] };
  for (const id of sortedUnion(before.keys(), after.keys())) {
    const o = before.get(id);
    const n = after.get(id);
    if (o?.status === n?.status) continue;
    const f = n ?? o;
    if (!f || (!n && removedImages.has(f.subject))) continue; // a removed image's findings are said once, as the image
    if (!o && addedImages.has(f.subject) && !FAILING.has(n?.status)) continue; // an added image's passes likewise
    const change: FindingChange = {
      id,
      checkId: f.checkId,
      subject: f.subject,
      ...(o ? { old: o.status } : {}),
      ...(n ? { new: n.status } : {}),
      message: f.message,
      ...(f.code ? { code: f.code } : {}),
    };
    if (FAILING.has(n?.status) && !FAILING.has(o?.status)) out.newFailures.push(change);
    else if (FAILING.has(o?.status) && n !== undefined && !FAILING.has(n.status)) out.fixed.push(change);
    else out.otherChanges.push(change);
  }
  return out;
}

function diffControls(a: Report, b: Report): ControlChange[] {
  type Entry = { citation: string; status: ControlStatus; passed: number; total: number };
  const index = (r: Report): Map<string, Entry> =>
    new Map(r.frameworks.flatMap((fw) => fw.controls.map((c) => [`${fw.id}/${c.id}`, { citation: c.citation, status: c.status, ...c.coverage }] as const)));
  const before = index(a);
  const after = index(b);
  const changes: ControlChange[] = [];
  for (const key of sortedUnion(before.keys(), after.keys())) {
    const o = before.get(key);
    const n = after.get(key);
    if (o && n && o.status === n.status && o.passed === n.passed && o.total === n.total) continue;
    const [framework = '', ...rest] = key.split('/');
    const state = (e: Entry) => ({ status: e.status, passed: e.passed, total: e.total });
    const citation = n?.citation ?? o?.citation ?? '';
    const worse = o !== undefined && n !== undefined && (CONTROL_RANK[n.status] ?? -1) > (CONTROL_RANK[o.status] ?? Infinity);
    changes.push({ framework, control: rest.join('/'), citation, ...(o ? { old: state(o) } : {}), ...(n ? { new: state(n) } : {}), worse });
  }
  return changes;
}

function diffWaivers(a: WaiverRecord[], b: WaiverRecord[]): ReportDiff['waivers'] {
  const before = byKey(a, (w) => w.id);
  const after = byKey(b, (w) => w.id);
  const brief = (w: WaiverRecord): WaiverBrief => ({
    id: w.id,
    scope: { ...w.scope },
    start: w.start,
    expires: w.expires,
    inForce: w.inForce,
    expired: w.expired,
    covers: w.covers.length,
  });
  const both = [...after.values()].filter((w) => before.has(w.id)).map((w) => ({ o: before.get(w.id) as WaiverRecord, n: w }));
  const terms = (w: WaiverRecord) => JSON.stringify([w.scope.image, w.scope.digest, w.scope.check, w.scope.control, w.start, w.expires]);
  return {
    added: [...after.values()].filter((w) => !before.has(w.id)).map(brief),
    removed: [...before.values()].filter((w) => !after.has(w.id)).map(brief),
    expired: both.filter(({ o, n }) => !o.expired && n.expired).map(({ n }) => brief(n)),
    changed: both.filter(({ o, n }) => terms(o) !== terms(n)).map(({ o, n }) => ({ id: n.id, old: brief(o), new: brief(n) })),
  };
}

function diffCatalogs(a: Report, b: Report): ReportDiff['catalogs'] {
  const before = byKey(a.frameworks, (f) => f.id);
  const after = byKey(b.frameworks, (f) => f.id);
  return {
    added: [...after.values()].filter((f) => !before.has(f.id)).map((f) => ({ id: f.id, version: f.version })),
    removed: [...before.values()].filter((f) => !after.has(f.id)).map((f) => ({ id: f.id, version: f.version })),
    changed: [...after.values()]
      .filter((f) => before.has(f.id) && before.get(f.id)?.version !== f.version)
      .map((f) => ({ id: f.id, oldVersion: before.get(f.id)?.version ?? '', newVersion: f.version })),
  };
}
