/** The citation check: the organisation's own clause citations against what the clauses are. */
import type { ClaimCheck, Report } from '../../report/model.js';
import { anchor } from './anchors.js';
import { controlKey, controlLink, type Lookups } from './lookups.js';

export function viewClaims(report: Report, lookups: Lookups) {
  return report.claims.map((claim, index) => viewClaim(claim, index, lookups));
}

function viewClaim(claim: ClaimCheck, index: number, lookups: Lookups) {
  return {
    ...claim,
    // Claims have no id of their own; their position in the report is stable.
    anchor: anchor('claim', String(index + 1)),
    number: index + 1,
    actually: claim.actually === '' ? null : claim.actually,
    reason: claim.reason === '' ? null : claim.reason,
    source: claim.source === '' ? null : claim.source,
    instead: claim.instead.map((provision) => ({
      ...provision,
      // The claim's own status for the provision is shown; the link goes to the row only if the report has it.
      anchor: controlLink(controlKey(provision.framework, provision.control), lookups).anchor,
      // A provision outside this report's frameworks is still shown with its text.
      outside: provision.status === 'not-in-report',
    })),
  };
}
