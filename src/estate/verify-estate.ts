/**
 * Collect and verify, streamed: the CI exports first (each file written into
 * the staged bundle as it is read, each run judged and kept without its log
 * lines), the population exports (what runs), then every image as one job
 * (image-job.ts), in worker threads when `workers` > 0 (the configured
 * images, then the running images the configuration does not name), then the
 * manual evidence and the waiver file. What stays in
 * memory is the report's material: findings, dated evidence, the files'
 * digests, SBOM entries, and the inventory's per-package counts (its rows go
 * to a scratch file). Results are placed by image, never by finishing order,
 * so the bundle is byte for byte the same with any number of workers.
 */
import type { BundleStaging } from '../bundle/staging.js';
import type { DatedEvidence } from '../checks/dates.js';
import { recordOf, type EvidenceRecord } from '../collect/evidence.js';
import { notNamedIn, scanOutsideLinks } from '../collect/links.js';
import { collectManualEvidence } from '../collect/manual.js';
import { collectPopulation } from '../collect/population.js';
import type { Population } from '../collect/population-model.js';
import type { LoadedConfig } from '../config/load.js';
import type { Period } from '../config/period.js';
import type { ImageConfig } from '../config/schema.js';
import type { CustodyDraft } from '../engine/custody.js';
import { verifyContext } from '../engine/run-checks.js';
import { evidencePath } from '../report/bundle-paths.js';
import type { Finding, InputProblem, ManualEvidence, SbomEntry } from '../report/model.js';
import { InventoryWriter } from '../sbom/inventory-writer.js';
import type { TrustSet } from '../trust/load.js';
import { sha256Hex } from '../util/manifest.js';
import { AuditpackError } from '../errors.js';
import { ciForDigest, type CiEvidence } from '../verify/ci-runs.js';
import { collectCi } from './collect-ci.js';
import { processImage, type ImageJobContext, type ImageOutcome, type ImageTask } from './image-job.js';
import { StringPool } from '../util/string-pool.js';
import { WorkerPool } from '../util/worker-pool.js';
import { workerSpec } from './spec.js';

export interface EstateInput {
  loaded: LoadedConfig;
  trust: TrustSet;
  period: Period;
  staging: BundleStaging;
  /** The waiver file as read and validated: kept verbatim like any evidence. */
  waiverFile?: { bytes: Buffer; source: string };
  /** Worker threads for the images; 0 verifies them in this thread. */
  workers: number;
  progress: (message: string) => void;
}

export interface EstateResult {
  /** One per check per image, in configuration order, then the running images the configuration does not name. */
  findings: Finding[];
  /** What runs, from the config's population exports; absent without them. */
  population?: Population;
  /** Subject → its chain of custody up to the attestations (configured images only). */
  custody: Map<string, CustodyDraft>;
  dates: Map<string, DatedEvidence>;
  /** Every evidence file (images, CI exports, manual documents, waivers), as the report lists it. */
  evidence: EvidenceRecord[];
  problems: InputProblem[];
  manualEvidence: ManualEvidence[];
  /** One per image whose attested SBOM counts, in configuration order (weakens still empty). */
  sbomEntries: SbomEntry[];
  /** The inventory rows written so far; `finish` writes inventory.csv. */
  inventory: InventoryWriter;
}

export async function verifyEstate(input: EstateInput): Promise<EstateResult> {
  const { loaded, staging, progress } = input;
  const { config, baseDir } = loaded;
  // What the worker threads send back arrives with its own copy of every string; the report keeps one of each.
  const strings = new StringPool();
  const ci = await collectCi({ loaded: input.loaded, staging, workers: input.workers, progress, strings });
  if (!staging.syncsAtOnce) staging.syncAhead(ci.staged.map((s) => s.entry.path));
  const running = await collectRunning(input);
  const { population } = running;
  const result: EstateResult = {
    findings: [],
    ...(population ? { population } : {}),
    custody: new Map(),
    dates: new Map(),
    evidence: [],
    problems: [],
    manualEvidence: [],
    sbomEntries: [],
    inventory: new InventoryWriter(`${staging.dir}.inventory-rows`),
  };
  const subjects = [
    ...config.images.map((image) => ({ image, configured: true })),
    ...(population?.uncovered ?? []).map((image) => ({ image, configured: false })),
  ];
  // Each image's job gets the CI runs bearing on its digest, made as it is handed out.
  const tasks: Tasks = { count: subjects.length, at: (index) => subjectTask(subjects[index], ci.evidence) };
  // The images' files, synced to disk in batches while the next images are verified (unless synced at once after them).
  const toSync: string[] = [];
  const place = (outcome: ImageOutcome, index: number, image: ImageConfig): void => {
    progress(`verify ${index + 1}/${tasks.count}: ${image.name}`);
    for (const { entry, origin } of outcome.staged) {
      staging.record(entry, origin);
      if (!staging.syncsAtOnce) toSync.push(entry.path);
    }
    if (toSync.length >= SYNC_BATCH) staging.syncAhead(toSync.splice(0));
    result.evidence.push(...outcome.evidence);
    result.problems.push(...outcome.problems);
    result.findings.push(...outcome.findings);
    for (const d of outcome.dates) result.dates.set(d.evidence, d);
    if (outcome.custody) result.custody.set(image.name, outcome.custody);
    if (outcome.sbom) {
      result.sbomEntries.push(outcome.sbom.entry);
      result.inventory.add(outcome.sbom.inventory, index);
    }
  };
  const context: ImageJobContext = {
    baseDir,
    imagesPattern: config.evidence.images,
    stagingDir: staging.dir,
    verify: verifyContext({ config, trust: input.trust, period: input.period, ...(population ? { population } : {}) }),
    minGrade: config.sbom.minGrade,
  };
  // The CI folder's outside links are looked for while the images are read (listing folders: waiting, not work).
  const links = config.evidence.woodpecker === undefined ? undefined : scanOutsideLinks(baseDir, config.evidence.woodpecker);
  try {
    if (input.workers > 0 && tasks.count > 1) {
      const spec = workerSpec({ baseDir, stagingDir: staging.dir, config, period: input.period, ...(population ? { population } : {}), trust: input.trust });
      await inWorkers(tasks, Math.min(input.workers, tasks.count), spec, (outcome, index, image) => place(strings.intern(outcome), index, image));
    } else {
      for (let index = 0; index < tasks.count; index++) {
        const task = tasks.at(index);
        place(await processImage(context, task), index, task.image);
      }
    }
  } catch (thrown) {
    await result.inventory.discard();
    throw thrown;
  }
  for (const { entry, origin } of ci.staged) staging.record(entry, origin);
  result.evidence.push(...ci.records, ...running.records);
  result.problems.push(...ci.problems, ...running.problems);
  if (links !== undefined) result.problems.push(...notNamedIn(await links, result.problems));
  const manual = await collectManualEvidence(baseDir, config.manualEvidence ?? []);
  for (const e of manual.evidence) {
    await staging.add(evidencePath(e.source), e.bytes, e.source);
    result.evidence.push(recordOf(e));
  }
  result.manualEvidence = manual.records;
  const waivers = input.waiverFile;
  if (waivers) {
    await staging.add(evidencePath(waivers.source), waivers.bytes, waivers.source);
    result.evidence.push({ sha256: sha256Hex(waivers.bytes), kind: 'waiver-file', source: waivers.source, size: waivers.bytes.length });
  }
  return result;
}

/**
 * The images in worker threads, each result placed in configuration order.
 * Up to WINDOW images per thread are handed to the pool ahead of the next one
 * to place, so a thread that finishes early takes the next image at once
 * instead of waiting for a slower image ahead of it; the results waiting to be
 * placed (findings and summaries, not evidence) stay few whatever the estate.
 */
async function inWorkers(
  tasks: Tasks,
  size: number,
  spec: ReturnType<typeof workerSpec>,
  place: (outcome: ImageOutcome, index: number, image: ImageConfig) => void,
): Promise<void> {
  const pool = new WorkerPool<ImageTask, ImageOutcome>(new URL('./worker.js', import.meta.url), size, spec, 2);
  const inFlight = new Map<number, { outcome: Promise<ImageOutcome>; image: ImageConfig }>();
  let next = 0;
  const submitUpTo = (end: number) => {
    for (; next < Math.min(end, tasks.count); next++) {
      const task = tasks.at(next);
      const outcome = pool.run(task);
      outcome.catch(() => undefined); // awaited in order below; a later failure must not go unhandled meanwhile
      inFlight.set(next, { outcome, image: task.image });
    }
  };
  try {
    submitUpTo(WINDOW * size);
    for (let index = 0; index < tasks.count; index++) {
      const submitted = inFlight.get(index);
      if (submitted === undefined) throw new AuditpackError('INTERNAL', `image ${index} was never submitted`);
      const outcome = await submitted.outcome;
      inFlight.delete(index);
      submitUpTo(index + 1 + WINDOW * size);
      place(outcome, index, submitted.image);
    }
  } finally {
    await pool.close();
  }
}

/** The run's image jobs, in configuration order, each made when it is handed out. */
interface Tasks {
  count: number;
  at(index: number): ImageTask;
}

function subjectTask(subject: { image: ImageConfig; configured: boolean } | undefined, ci: CiEvidence): ImageTask {
  if (subject === undefined) throw new AuditpackError('INTERNAL', 'an image job past the end of the estate was asked for');
  return { ...subject, ci: ciForDigest(ci, subject.image.digest) };
}

/** Images handed to the pool per thread ahead of the next one to place. */
const WINDOW = 8;

/**
 * Where each file is synced on its own (no program to sync the whole file
 * system: staging.syncsAtOnce), files are synced while the images are
 * verified (staging.syncAhead), so that the run does not wait for the disk
 * at the end: the CI exports once read, the images' files by batches of
 * this many. Measured at 1,000 images (bench/README.md): the commit's wait
 * for the disk 1.7 s to 0.1 s. The syncs run in a thread of their own
 * (bundle/sync-thread.ts), not on Node's thread pool, which the run's own
 * reads and writes use. Where the whole file system is synced at once, it
 * is done after the images (run-report.ts, staging.syncWritten): syncing
 * while the images' files are created slowed their creation.
 */
const SYNC_BATCH = 500;

/** The population exports (what runs), each written into the bundle; absent when none are configured. */
async function collectRunning(input: EstateInput): Promise<{ population?: Population; records: EvidenceRecord[]; problems: InputProblem[] }> {
  const { config, baseDir } = input.loaded;
  if (config.population === undefined) return { records: [], problems: [] };
  input.progress('collect: population (what runs)');
  const found = await collectPopulation(baseDir, config.population, config.images);
  for (const e of found.evidence) await input.staging.add(evidencePath(e.source), e.bytes, e.source);
  return { population: found.population, records: found.evidence.map(recordOf), problems: found.problems };
}
