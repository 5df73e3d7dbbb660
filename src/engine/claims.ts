import type { ClaimConfig } from '../config/schema.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { ClaimsData } from '../frameworks/claims.js';
import type { ClaimCheck, FrameworkResult } from '../report/model.js';

/** What the citation check reads, loaded next to the catalogs (src/frameworks/): claims.yaml and every built-in catalog. */
export interface ClaimsReference {
  data: ClaimsData;
  /** Every built-in catalog, to name a provision whose framework is not part of the report. */
  builtInCatalogs: readonly Catalog[];
}

/** The citations an operator page typically makes (signatures, SBOMs and CI logs said to "satisfy" them): checked when the config names none. */
export const DEFAULT_CLAIMS: ClaimConfig[] = [
  { citation: 'DORA Article 6', meaning: 'ICT supply-chain integrity', madeIn: 'default check (no claims in the configuration)' },
  { citation: 'NIS2 Annex II', meaning: 'SBOM for essential entities', madeIn: 'default check (no claims in the configuration)' },
  { citation: 'HDS Section 6.7', meaning: 'provenance verification', madeIn: 'default check (no claims in the configuration)' },
];

/**
 * The citation check: each citation the organisation makes is matched against
 * the data in claims.yaml (first matching entry wins) and reported with what
 * the clause really is and which provisions the evidence supports instead,
 * with those controls' status in this report. A provision whose catalog is not
 * part of the report is still named with its citation and text, from the
 * built-in catalog, and reads `not-in-report`.
 */
export function checkClaims(claims: ClaimConfig[] | undefined, frameworks: FrameworkResult[], reference: ClaimsReference): ClaimCheck[] {
  return (claims ?? DEFAULT_CLAIMS).map((claim) => checkOne(claim, reference.data, frameworks, reference.builtInCatalogs));
}

/** The first entry whose patterns match the citation as written (flags `iu`: Unicode, any case). */
function matchClaim<T extends { patterns: string[] }>(entries: readonly T[], citation: string): T | undefined {
  return entries.find((e) => e.patterns.some((p) => new RegExp(p, 'iu').test(citation)));
}

function checkOne(claim: ClaimConfig, data: ClaimsData, frameworks: FrameworkResult[], catalogs: readonly Catalog[]): ClaimCheck {
  const entry = matchClaim(data.claims, claim.citation);
  const base = { claimed: claim.citation, claimedMeaning: claim.meaning, madeIn: claim.madeIn };
  if (!entry) {
    return {
      ...base,
      verdict: 'unknown',
      actually: '',
      reason: 'auditpack has no data on this citation; check it against the legal text',
      source: '',
      instead: [],
    };
  }
  return {
    ...base,
    verdict: entry.verdict,
    actually: `${entry.actually.citation}: ${entry.actually.title}${entry.actually.unverified ? ' (UNVERIFIED)' : ''}. ${entry.actually.paraphrase.trim()}`,
    reason: entry.reason.trim(),
    source: entry.actually.source,
    instead: entry.instead.map((ref) => {
      const inReport = frameworks.find((f) => f.id === ref.framework)?.controls.find((c) => c.id === ref.control);
      const described = inReport ?? catalogs.find((c) => c.id === ref.framework)?.controls.find((c) => c.id === ref.control);
      return {
        framework: ref.framework,
        control: ref.control,
        citation: described?.citation ?? `${ref.framework}/${ref.control}`,
        title: described?.title ?? '',
        text: described?.paraphrase.trim() ?? '',
        status: inReport?.status ?? 'not-in-report',
      };
    }),
  };
}
