import type { LoadedTrustedRoot, TrustSet } from '../trust/load.js';
import type { ErrorCode } from '../errors.js';

/** Which root a bundle is checked against, and whether it is dated by a timestamp authority alone. */
export type InstanceChoice =
  { ok: true; trustedRoot?: LoadedTrustedRoot; timestampOnly: boolean; note?: Record<string, string> } | { ok: false; code: ErrorCode; reason: string };

const UNLOGGED =
  "the bundle is keyless but carries no transparency-log entry, as GitHub's own Sigstore instance signs (artifact attestations of private repositories); such a bundle verifies only when the configuration trusts that instance explicitly (trust.githubInstance). A public-good bundle stripped of its log entry never verifies";

const NOTE = {
  'Sigstore instance':
    "GitHub's own instance, trusted explicitly (trust.githubInstance): no transparency log and no SCT; the certificate chains to its CA and its RFC 3161 timestamp dates the signature",
};

/**
 * A keyless bundle with a transparency-log entry is checked against the
 * configured trusted root, log and SCT required. One without (GitHub's
 * instance) is checked against the GitHub-instance root alone, dated by its
 * TSA; without that root configured it is refused, never checked with less.
 * Key-signed bundles keep the configured root.
 */
export function chooseInstance(bundle: Record<string, unknown>, keyless: boolean, trust: TrustSet): InstanceChoice {
  const root = trust.trustedRoot === undefined ? {} : { trustedRoot: trust.trustedRoot };
  if (!keyless || hasLogEntry(bundle)) return { ok: true, ...root, timestampOnly: false };
  if (trust.githubInstance === undefined) return { ok: false, code: 'TRUST_INVALID', reason: UNLOGGED };
  return { ok: true, trustedRoot: trust.githubInstance, timestampOnly: true, note: NOTE };
}

/** Reads, without trusting, whether the bundle lists a transparency-log entry. */
function hasLogEntry(bundle: Record<string, unknown>): boolean {
  const vm = bundle.verificationMaterial;
  const entries = typeof vm === 'object' && vm !== null ? (vm as { tlogEntries?: unknown }).tlogEntries : undefined;
  return Array.isArray(entries) && entries.length > 0;
}
