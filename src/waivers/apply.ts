import { DateTime } from 'luxon';
import type { Finding, FrameworkResult, WaiverRecord } from '../report/model.js';
import type { Waiver } from './load.js';

export interface WaiverOutcome {
  findings: Finding[];
  records: WaiverRecord[];
}

/**
 * Marks failing findings covered by a waiver. Pure. The finding's status never
 * changes: a waived failure stays a failure, shown as waived. A waiver is in
 * force from the start of its start day to the end of its expiry day (UTC);
 * an expired one is recorded and flagged, and covers nothing.
 */
export function applyWaivers(
  waivers: Waiver[],
  findings: Finding[],
  frameworks: FrameworkResult[],
  digests: Map<string, string>,
  clock: string,
): WaiverOutcome {
  const now = DateTime.fromISO(clock, { zone: 'utc' });
  const records: WaiverRecord[] = waivers.map((w) => {
    const inForce = now >= DateTime.fromISO(w.start, { zone: 'utc' }) && now < DateTime.fromISO(w.expires, { zone: 'utc' }).plus({ days: 1 });
    const expired = now >= DateTime.fromISO(w.expires, { zone: 'utc' }).plus({ days: 1 });
    return { ...w, scope: { ...w.scope }, inForce, expired, covers: [] };
  });
  const controlFindings = indexControlFindings(frameworks);
  const out = findings.map((finding) => {
    if (finding.status === 'pass' || finding.status === 'not-applicable') return finding;
    const matching = records.filter((r) => matches(r, finding, digests, controlFindings));
    const chosen = matching.find((r) => r.inForce) ?? matching[0];
    if (!chosen) return finding;
    if (chosen.inForce) chosen.covers.push(finding.id);
    return { ...finding, waiver: { id: chosen.id, expires: chosen.expires, inForce: chosen.inForce } };
  });
  return { findings: out, records };
}

function matches(w: WaiverRecord, f: Finding, digests: Map<string, string>, controlFindings: Map<string, Set<string>>): boolean {
  if (w.scope.image !== undefined && w.scope.image !== f.subject) return false;
  if (w.scope.digest !== undefined && w.scope.digest !== digests.get(f.subject)) return false;
  if (w.scope.check !== undefined && w.scope.check !== f.checkId) return false;
  if (w.scope.control !== undefined && !(controlFindings.get(w.scope.control)?.has(f.id) ?? false)) return false;
  return true;
}

function indexControlFindings(frameworks: FrameworkResult[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const fw of frameworks) for (const c of fw.controls) index.set(`${fw.id}/${c.id}`, new Set(c.findings));
  return index;
}

/** Subjects whose every failing finding behind a control is covered by a waiver in force. */
export function waivedSubjects(controlFindingIds: string[], findings: Map<string, Finding>): string[] {
  const bySubject = new Map<string, boolean>();
  for (const id of controlFindingIds) {
    const f = findings.get(id);
    if (!f || f.status === 'pass' || f.status === 'not-applicable') continue;
    const covered = f.waiver?.inForce === true;
    bySubject.set(f.subject, (bySubject.get(f.subject) ?? true) && covered);
  }
  return [...bySubject.entries()].filter(([, covered]) => covered).map(([s]) => s).sort();
}
