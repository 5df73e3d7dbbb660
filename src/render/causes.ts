/**
 * One root cause per fault: an image's failing and undecided findings grouped
 * so that each fault is stated once, with the findings it brings down with it.
 *
 * Today's checks run in a fixed order (src/checks/index.ts) and some can only
 * pass when an earlier one did: the SBOM can only be valid if its attestation
 * verified and binds the digest. So a stale attestation fails five checks for
 * one reason. Findings are one cause when
 *   - one check needs the other (PREREQUISITES below, by check id), or
 *   - they rest on a common evidence file, or
 *   - the CI log of the build logged the signing or attestation failure
 *     that the signature or attestation checks found (the log says why).
 * The root is the cause's finding in the checks' order; the others are its
 * consequences. Grouping never drops a finding: every one is in exactly one
 * cause, and an image's causes keep the findings' order.
 */
import type { Finding } from '../report/model.js';

/** Check id → the check it needs to have passed. Check ids are part of the report contract. */
const PREREQUISITES: Readonly<Record<string, string>> = {
  'signature.binds-digest': 'signature.verified',
  'attestation.binds-digest': 'attestation.verified',
  'sbom.valid': 'attestation.verified',
  'sbom.quality': 'sbom.valid',
  'pipeline.signing-clean': 'pipeline.built',
};

/** The checks in the order they run (the report lists findings in this order too); others come after, as met. */
const CHECK_ORDER = [
  'signature.verified',
  'signature.binds-digest',
  'attestation.verified',
  'attestation.binds-digest',
  'sbom.valid',
  'sbom.quality',
  'pipeline.built',
  'pipeline.signing-clean',
  'evidence.bound',
  'evidence.in-period',
];

/** A CI log that reports a signing failure explains a failing signature or attestation of the same image. */
const LOG_EXPLAINS = new Set(['signature.verified', 'signature.binds-digest', 'attestation.verified', 'attestation.binds-digest', 'evidence.bound']);
const LOG_CHECK = 'pipeline.signing-clean';

export interface Cause {
  /** The finding that states the fault. */
  root: Finding;
  /** Findings that fail because of it, in the checks' order. */
  consequences: Finding[];
}

/** Failing and undecided findings (status fail or error) of one image, as causes. */
export function causesOf(findings: readonly Finding[]): Cause[] {
  const faults = findings.filter((f) => f.status === 'fail' || f.status === 'error');
  if (faults.length === 0) return [];
  const parent = faults.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byCheck = new Map(faults.map((f, i) => [f.checkId, i]));
  const byEvidence = new Map<string, number>();
  faults.forEach((finding, i) => {
    const needed = byCheck.get(PREREQUISITES[finding.checkId] ?? '');
    if (needed !== undefined) join(i, needed);
    for (const sha of finding.evidence) {
      const seen = byEvidence.get(sha);
      if (seen === undefined) byEvidence.set(sha, i);
      else join(i, seen);
    }
  });
  const log = byCheck.get(LOG_CHECK);
  if (log !== undefined) {
    const explained = faults.findIndex((f) => LOG_EXPLAINS.has(f.checkId));
    if (explained !== -1) join(log, explained);
  }
  const groups = new Map<number, Finding[]>();
  faults.forEach((finding, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(finding);
    else groups.set(root, [finding]);
  });
  return [...groups.values()].map((group) => {
    const [root, ...consequences] = [...group].sort((a, b) => checkRank(a.checkId) - checkRank(b.checkId));
    return { root: root!, consequences };
  });
}

function checkRank(checkId: string): number {
  const rank = CHECK_ORDER.indexOf(checkId);
  return rank === -1 ? CHECK_ORDER.length : rank;
}

/** Findings by subject, in the report's order. */
export function findingsBySubject(findings: readonly Finding[]): Map<string, Finding[]> {
  const bySubject = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = bySubject.get(finding.subject);
    if (list) list.push(finding);
    else bySubject.set(finding.subject, [finding]);
  }
  return bySubject;
}
