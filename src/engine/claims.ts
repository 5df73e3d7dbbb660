import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ClaimConfig } from '../config/schema.js';
import { AuditpackError, describeThrown } from '../errors.js';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog, type Catalog } from '../frameworks/catalog.js';
import type { ClaimCheck, FrameworkResult } from '../report/model.js';
import { compileSchema, formatSchemaErrors } from '../util/ajv.js';

interface ClaimEntry {
  id: string;
  patterns: string[];
  claimedAs: string;
  actually: { citation: string; title: string; paraphrase: string; source: string; unverified?: boolean };
  verdict: 'correct' | 'imprecise' | 'wrong' | 'unverifiable';
  reason: string;
  instead: { framework: string; control: string }[];
  examples?: string[];
}

interface ClaimsData {
  claims: ClaimEntry[];
}

const DATA_URL = new URL('../frameworks/claims.yaml', import.meta.url);
const SCHEMA_URL = new URL('../frameworks/claims.schema.json', import.meta.url);

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
export async function checkClaims(claims: ClaimConfig[] | undefined, frameworks: FrameworkResult[]): Promise<ClaimCheck[]> {
  const data = await loadClaimsData();
  const catalogs = await Promise.all(BUILT_IN_FRAMEWORKS.map((id) => loadBuiltInCatalog(id)));
  return (claims ?? DEFAULT_CLAIMS).map((claim) => checkOne(claim, data, frameworks, catalogs));
}

/** The first entry whose patterns match the citation as written (flags `iu`: Unicode, any case). */
function matchClaim<T extends { patterns: string[] }>(entries: readonly T[], citation: string): T | undefined {
  return entries.find((e) => e.patterns.some((p) => new RegExp(p, 'iu').test(citation)));
}

function checkOne(claim: ClaimConfig, data: ClaimsData, frameworks: FrameworkResult[], catalogs: Catalog[]): ClaimCheck {
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

let cached: ClaimsData | undefined;

export async function loadClaimsData(): Promise<ClaimsData> {
  if (cached) return cached;
  const file = DATA_URL.pathname;
  let data: unknown;
  try {
    data = parse(await readFile(DATA_URL, 'utf8'));
  } catch (thrown) {
    throw new AuditpackError('FRAMEWORK_INVALID', `cannot read the citation data: ${describeThrown(thrown)}`, { file });
  }
  const validate = compileSchema<ClaimsData>(JSON.parse(await readFile(SCHEMA_URL, 'utf8')) as object);
  if (!validate(data)) throw new AuditpackError('FRAMEWORK_INVALID', `invalid citation data:\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`, { file });
  cached = data;
  return data;
}
