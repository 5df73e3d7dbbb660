/**
 * What a report run says about itself once its bundle is written: the
 * summary, each image's status and faults, the problems, waivers, citation
 * checks and the changes' counts. It is what the command prints and what
 * `--summary` writes; the whole report is in the bundle (report.json).
 *
 * A run returns this and not the report model so that the model can be let
 * go once the reports that read it are rendered: held to the end of the run,
 * the model (about 17 kB an image: every finding, evidence record and SBOM
 * entry) stayed in memory while the PDF was laid out and the bundle sealed.
 */
import type { ClaimCheck, Finding, InputProblem, Report, RunInfo, SealInfo, SubjectResult, Summary, WaiverRecord } from './model.js';

export interface ReportOutcome {
  generator: Report['generator'];
  run: RunInfo;
  summary: Summary;
  /** The key the bundle is sealed with; absent when it is not sealed. */
  seal?: SealInfo;
  /** How many evidence files the bundle holds. */
  evidenceFiles: number;
  /** Every image, in the report's order, without its chain of custody. */
  subjects: Pick<SubjectResult, 'id' | 'ref' | 'digest' | 'status' | 'headlines'>[];
  /** Every finding that fails or errs (waived or not), in the report's order: the passes and the rest are in report.json. */
  faults: Finding[];
  problems: InputProblem[];
  waivers: WaiverRecord[];
  claims: ClaimCheck[];
  /** Counts of the changes since the previous period (`--previous`); the changes themselves are in the reports. */
  changes?: ChangeCounts;
}

export interface ChangeCounts {
  /** The previous period's label. */
  period: string;
  /** Some image or finding got worse. */
  regression: boolean;
  imagesAdded: number;
  imagesRemoved: number;
  imagesChanged: number;
  newFailures: number;
  fixed: number;
  waiversExpired: number;
}

export function outcomeOf(report: Report): ReportOutcome {
  const d = report.changes;
  return {
    generator: report.generator,
    run: report.run,
    summary: report.summary,
    ...(report.seal === undefined ? {} : { seal: report.seal }),
    evidenceFiles: report.evidence.length,
    subjects: report.subjects.map(({ id, ref, digest, status, headlines }) => ({ id, ref, digest, status, headlines })),
    faults: report.findings.filter((f) => f.status === 'fail' || f.status === 'error'),
    problems: report.problems,
    waivers: report.waivers,
    claims: report.claims,
    ...(d === undefined
      ? {}
      : {
          changes: {
            period: d.old.period,
            regression: d.regression,
            imagesAdded: d.images.added.length,
            imagesRemoved: d.images.removed.length,
            imagesChanged: d.images.changed.length,
            newFailures: d.findings.newFailures.length,
            fixed: d.findings.fixed.length,
            waiversExpired: d.waivers.expired.length,
          },
        }),
  };
}
