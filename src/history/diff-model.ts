/**
 * What changed between two reports: the value `auditpack diff` prints and the
 * report's optional `changes` section (the changes since the previous
 * period). Plain data, sorted, so the same two reports always give the same
 * bytes. Part of the report model (src/report/model.ts refers to it).
 */
import type { ControlStatus, FindingStatus, SubjectResult } from '../report/model.js';

export interface ReportDiff {
  old: DiffSide;
  new: DiffSide;
  images: {
    added: DiffImage[];
    removed: DiffImage[];
    /** Same image name, another digest (or reference): the image was rebuilt or redeployed. */
    changed: { id: string; old: { ref: string; digest: string }; new: { ref: string; digest: string } }[];
    /** Images in both reports whose status changed; `worse` from verified towards incomplete and failed. */
    status: { id: string; old: SubjectResult['status']; new: SubjectResult['status']; worse: boolean }[];
  };
  findings: {
    /** Failing or erroring now, and not before (a pass, or the finding did not exist). */
    newFailures: FindingChange[];
    /** Failing or erroring before, passing (or not applicable) now. */
    fixed: FindingChange[];
    /**
     * Every other change of status, e.g. a failure that became an error, or a
     * finding no longer made. An added image's passes and a removed image's
     * findings are not repeated here: the image is listed once.
     */
    otherChanges: FindingChange[];
  };
  /** Controls whose status or coverage changed, or that exist in one report only. */
  controls: ControlChange[];
  /**
   * Per image in both reports: packages and licences added and removed, from
   * the bundles' inventory.csv, and the SBOM grade and size from the reports.
   * Absent when either bundle has no inventory to compare.
   */
  components?: ComponentChange[];
  waivers: {
    added: WaiverBrief[];
    removed: WaiverBrief[];
    /** Not expired in the old report, expired in the new one. */
    expired: WaiverBrief[];
    /** Same id, another scope, start or expiry. */
    changed: { id: string; old: WaiverBrief; new: WaiverBrief }[];
  };
  catalogs: {
    added: { id: string; version: string }[];
    removed: { id: string; version: string }[];
    changed: { id: string; oldVersion: string; newVersion: string }[];
  };
  /** True when something got worse: a new failure, a worse image or control status, a waiver that expired. */
  regression: boolean;
  /** True when anything at all differs. */
  changed: boolean;
}

export interface DiffSide {
  organisation: string;
  period: string;
  start: string;
  end: string;
  generatedAt: string;
  schemaVersion: string;
  configSha256: string;
  verdict: 'pass' | 'fail';
  images: number;
  verified: number;
}

export interface DiffImage {
  id: string;
  ref: string;
  digest: string;
  status: SubjectResult['status'];
}

export interface FindingChange {
  /** `<checkId>:<subject>`. */
  id: string;
  checkId: string;
  subject: string;
  /** Absent: the finding was not made in that report. */
  old?: FindingStatus;
  new?: FindingStatus;
  /** The new report's message (the old one's when the finding is gone). */
  message: string;
  // A plain string, not ErrorCode: the older report may come from another
  // auditpack 1.x, whose codes this version need not know.
  code?: string;
}

export interface ControlChange {
  framework: string;
  control: string;
  citation: string;
  old?: { status: ControlStatus; passed: number; total: number };
  new?: { status: ControlStatus; passed: number; total: number };
  /** The status moved down the scale supported → partially supported → relevant but not sufficient → not assessed → not supported. */
  worse: boolean;
}

export interface ComponentChange {
  subject: string;
  /** Packages (purl without version and qualifiers, else group/name) only in the new SBOM, with their versions. */
  added: { package: string; versions: string[] }[];
  removed: { package: string; versions: string[] }[];
  /** In both, with other versions. */
  versions: { package: string; old: string[]; new: string[] }[];
  licencesAdded: string[];
  licencesRemoved: string[];
  sbom?: { old: { grade: string; components: number }; new: { grade: string; components: number } };
}

export interface WaiverBrief {
  id: string;
  scope: { image?: string; digest?: string; check?: string; control?: string };
  start: string;
  expires: string;
  inForce: boolean;
  expired: boolean;
  /** How many failing findings it covered in its report. */
  covers: number;
}
