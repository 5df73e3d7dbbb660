import type { DatedEvidence } from '../checks/dates.js';
import type { Evidence } from '../collect/evidence.js';
import { isInPeriod, type Period } from '../config/period.js';
import { evidencePath, trustPath } from '../report/bundle-paths.js';
import type { EvidenceRef } from '../report/model.js';
import type { TrustSet } from '../trust/load.js';

/**
 * Every file the report rests on, as the report lists it: each collected
 * evidence file with its bundle path and, when verification dated it, when
 * and whether that falls in the period; then the trust material. Pure;
 * sorted by bundle path.
 */
export function evidenceRefs(evidence: readonly Evidence[], trust: TrustSet, dates: ReadonlyMap<string, DatedEvidence>, period: Period): EvidenceRef[] {
  const refs: EvidenceRef[] = evidence.map((e) => {
    const dated = dates.get(e.sha256);
    return {
      sha256: e.sha256,
      kind: e.kind,
      source: e.source,
      path: evidencePath(e.source),
      size: e.bytes.length,
      ...(e.subject === undefined ? {} : { subject: e.subject }),
      ...(dated ? { dated: { at: dated.at, what: dated.what, inPeriod: isInPeriod(period, dated.at) } } : {}),
    };
  });
  for (const k of trust.keys) refs.push({ sha256: k.sha256, kind: 'public-key', source: k.source, path: trustPath(k.source), size: k.bytes.length });
  for (const f of trust.trustedRoot?.files ?? []) {
    refs.push({ sha256: f.sha256, kind: 'trusted-root', source: f.source, path: trustPath(f.source), size: f.bytes.length });
  }
  return refs.sort((a, b) => a.path.localeCompare(b.path));
}
