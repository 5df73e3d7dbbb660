import { DateTime } from 'luxon';
import type { Period } from '../config/period.js';
import type { Finding, FrameworkResult, WaiverRecord } from '../report/model.js';
import type { Waiver } from './load.js';

export interface WaiverOutcome {
  findings: Finding[];
  records: WaiverRecord[];
}

/** When and in which zone waivers are judged: see `waiverJudgement`. */
export interface WaiverJudgement {
  /** The instant a waiver must be in force at to cover a failure. */
  at: DateTime;
  /** The zone a waiver's start and expiry days are read in: the period's. */
  zone: string;
}

/**
 * Waivers are judged against the period, never the wall clock: at the last
 * instant of the period, or at the clock when the period has not ended yet
 * (an interim report). A report on Q2 rerun in December judges Q2's waivers
 * as they stood on 30 June. A waiver that lapsed during the period does not
 * cover the failures still there at its end; one that starts after the
 * period's end does not cover them either.
 */
export function waiverJudgement(period: Period, clock: string): WaiverJudgement {
  const lastInstant = period.interval.end.minus({ milliseconds: 1 });
  const now = DateTime.fromISO(clock, { zone: 'utc' });
  return { at: now < lastInstant ? now : lastInstant, zone: period.zone };
}

/**
 * Marks failing findings covered by a waiver. Pure. The finding's status never
 * changes: a waived failure stays a failure, shown as waived. A waiver is in
 * force from the start of its start day to the end of its expiry day, both in
 * the period's zone; one not in force at the judgement instant covers
 * nothing, and one whose expiry day has passed by then is flagged as expired.
 */
export function applyWaivers(
  waivers: Waiver[],
  findings: Finding[],
  frameworks: FrameworkResult[],
  digests: Map<string, string>,
  judgement: WaiverJudgement,
): WaiverOutcome {
  const { at, zone } = judgement;
  const records: WaiverRecord[] = waivers.map((w) => {
    const starts = DateTime.fromISO(w.start, { zone });
    const ends = DateTime.fromISO(w.expires, { zone }).plus({ days: 1 });
    return { ...w, scope: { ...w.scope }, inForce: at >= starts && at < ends, expired: at >= ends, covers: [] };
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
  return [...bySubject.entries()]
    .filter(([, covered]) => covered)
    .map(([s]) => s)
    .sort();
}
