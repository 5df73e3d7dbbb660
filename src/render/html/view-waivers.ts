/** Waivers: exceptions people approved, whether each was in force, and what each covers. */
import type { Report, WaiverRecord } from '../../report/model.js';
import { anchor } from './anchors.js';
import type { WaiverState } from './helpers.js';
import { checkLink, controlLink, evidenceLink, findingLink, subjectLink, type Lookups } from './lookups.js';

export function viewWaivers(report: Report, lookups: Lookups) {
  return {
    list: report.waivers.map((waiver) => viewWaiver(waiver, lookups)),
    /** The waiver file as kept in the bundle, if the inventory has it. */
    files: report.evidence.filter((e) => e.kind === 'waiver-file').map((e) => evidenceLink(e.sha256, lookups)),
  };
}

function viewWaiver(waiver: WaiverRecord, lookups: Lookups) {
  const state: WaiverState = waiver.inForce ? 'in-force' : waiver.expired ? 'expired' : 'not-yet-in-force';
  const covered = new Set(waiver.covers);
  // Failing findings that name this waiver but that it does not cover (it was not in force).
  const uncovered = (lookups.findingsByWaiver.get(waiver.id) ?? []).filter((f) => !covered.has(f.id));
  return {
    ...waiver,
    anchor: anchor('waiver', waiver.id),
    state,
    expired: state === 'expired',
    notYetInForce: state === 'not-yet-in-force',
    scope: viewScope(waiver.scope, lookups),
    covers: waiver.covers.map((id) => findingLink(id, lookups)),
    uncovered: uncovered.map((f) => findingLink(f.id, lookups)),
  };
}

/** Each part of the scope that is set, in a fixed order, linked where the report has the target. */
function viewScope(scope: WaiverRecord['scope'], lookups: Lookups) {
  return {
    any: Object.values(scope).some((v) => v !== undefined),
    image: scope.image === undefined ? null : subjectLink(scope.image, lookups),
    digest: scope.digest ?? null,
    check: scope.check === undefined ? null : checkLink(scope.check, lookups),
    control: scope.control === undefined ? null : controlLink(scope.control, lookups),
  };
}
