/**
 * One image of a report run, start to finish: read its evidence folder,
 * write every file into the bundle being staged, verify, score and
 * inventory its SBOM, and keep only what the report needs (findings, dates,
 * the SBOM's entry and inventory rows, the files' digests). Nothing of the
 * image's evidence outlives the job, so a run holds one image at a time per
 * thread whatever the size of the estate. The same function runs in the
 * main thread and in worker threads (worker.ts): its input and output are
 * plain data.
 */
import { writeStagedFile } from '../bundle/staging.js';
import type { DatedEvidence } from '../checks/dates.js';
import type { CustodyDraft } from '../engine/custody.js';
import { recordOf, type EvidenceRecord } from '../collect/evidence.js';
import { collectImageFolder } from '../collect/image-folder.js';
import type { ImageConfig } from '../config/schema.js';
import { verifySubject, type VerifyContext } from '../engine/run-checks.js';
import { summariseSbom } from '../engine/sbom-section.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { Finding, InputProblem, SbomEntry } from '../report/model.js';
import { inventoryChunk, type InventoryChunk } from '../sbom/inventory-writer.js';
import type { Grade } from '../sbom/score.js';
import type { ManifestEntry } from '../util/manifest.js';
import type { CiEvidence } from '../verify/ci-runs.js';

export interface ImageJobContext {
  /** The configuration's folder, and its `evidence.images` pattern. */
  baseDir: string;
  imagesPattern: string;
  /** The staging folder of the bundle (BundleStaging.dir). */
  stagingDir: string;
  verify: VerifyContext;
  minGrade: Grade;
}

/** A bundle file the job wrote, with the input it was read from (for the bundle's clash check). */
export interface StagedFile {
  entry: ManifestEntry;
  origin: string;
}

export interface ImageOutcome {
  /** The image's evidence files, as the report lists them. */
  evidence: EvidenceRecord[];
  staged: StagedFile[];
  problems: InputProblem[];
  findings: Finding[];
  dates: DatedEvidence[];
  /** Absent for a running image the configuration does not name. */
  custody: CustodyDraft | undefined;
  sbom: { entry: SbomEntry; inventory: InventoryChunk } | undefined;
}

/** One subject of the report: a configured image, or a running image the configuration does not name (no evidence is read for it). */
export interface ImageTask {
  image: ImageConfig;
  configured: boolean;
  /**
   * The CI runs bearing on the image's digest (`ciForDigest`): a thread is
   * given the runs of the image in hand, not every run of the estate.
   */
  ci: CiEvidence;
}

export async function processImage(context: ImageJobContext, { image, configured, ci }: ImageTask): Promise<ImageOutcome> {
  const { subject, evidence } = configured
    ? await collectImageFolder(context.baseDir, context.imagesPattern, image)
    : { subject: { subject: image.name, items: [], problems: [] }, evidence: [] };
  const staged: StagedFile[] = await Promise.all(
    evidence.map(async (e) => ({ entry: await writeStagedFile(context.stagingDir, evidencePath(e.source), e.bytes, e.sha256), origin: e.source })),
  );
  const verified = await verifySubject(context.verify, { image, evidence: subject, ci, configured });
  const sbom = verified.sbom === undefined ? undefined : summariseSbom(image.name, verified.sbom, context.minGrade);
  return {
    evidence: evidence.map(recordOf),
    staged,
    problems: subject.problems,
    findings: verified.findings,
    dates: verified.dates,
    custody: verified.custody,
    sbom: sbom === undefined ? undefined : { entry: sbom.entry, inventory: inventoryChunk(sbom.inventory) },
  };
}
