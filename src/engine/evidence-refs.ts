import type { Duration } from 'luxon';
import { evidenceTiming, type DatedEvidence } from '../checks/dates.js';
import type { Evidence, EvidenceRecord } from '../collect/evidence.js';
import { isInPeriod, type Period } from '../config/period.js';
import { evidencePath, trustPath } from '../report/bundle-paths.js';
import type { EvidenceRef } from '../report/model.js';
import type { TrustSet } from '../trust/load.js';
import { trustedRootFiles } from '../trust/root-files.js';

/**
 * Every file the report rests on, as the report lists it: each collected
 * evidence file (as read, or as recorded once written to the bundle) with
 * its bundle path and, when verification dated it, when, whether that falls
 * in the period and whether it may date the image (see `evidenceTiming`);
 * then the trust material. Pure; sorted by bundle path.
 */
export function evidenceRefs(
  evidence: readonly (Evidence | EvidenceRecord)[],
  trust: TrustSet,
  dates: ReadonlyMap<string, DatedEvidence>,
  period: Period,
  maxEvidenceAge: Duration,
): EvidenceRef[] {
  const refs: EvidenceRef[] = evidence.map((e) => {
    const dated = dates.get(e.sha256);
    return {
      sha256: e.sha256,
      kind: e.kind,
      source: e.source,
      path: evidencePath(e.source),
      size: 'bytes' in e ? e.bytes.length : e.size,
      ...(e.subject === undefined ? {} : { subject: e.subject }),
      ...(dated
        ? { dated: { at: dated.at, what: dated.what, inPeriod: isInPeriod(period, dated.at), timing: evidenceTiming(period, maxEvidenceAge, dated.at) } }
        : {}),
    };
  });
  for (const k of trust.keys) refs.push({ sha256: k.sha256, kind: 'public-key', source: k.source, path: trustPath(k.source), size: k.bytes.length });
  for (const f of trustedRootFiles(trust)) {
    refs.push({ sha256: f.sha256, kind: 'trusted-root', source: f.source, path: trustPath(f.source), size: f.bytes.length });
  }
  return refs.sort((a, b) => a.path.localeCompare(b.path));
}
