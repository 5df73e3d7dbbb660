import type { ClaimConfig } from '../config/schema.js';
import type { ClaimCheck, FrameworkResult } from '../report/model.js';

/** Placeholder until the claims data lands: every claim is reported as not checked. */
export async function checkClaims(claims: ClaimConfig[] | undefined, _frameworks: FrameworkResult[]): Promise<ClaimCheck[]> {
  return (claims ?? []).map((c) => ({
    claimed: c.citation,
    claimedMeaning: c.meaning,
    madeIn: c.madeIn,
    verdict: 'unknown',
    actually: '',
    reason: '',
    source: '',
    instead: [],
  }));
}
