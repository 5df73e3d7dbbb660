import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { archivePathFor, inspectArchiveTarget, writeArchive } from './bundle/archive.js';
import { refuseOutputInsideEvidence } from './bundle/output-place.js';
import { configPath, stageTrust } from './bundle/assemble.js';
import { acquireLock, type LockOwner } from './bundle/lock.js';
import { asOutputError } from './bundle/output-error.js';
import { inspectOutput, recoverInterruptedRun } from './bundle/output.js';
import { refuseAnotherPeriod } from './bundle/period-name.js';
import { sealStaging } from './bundle/seal-staging.js';
import { stagePdf, stageReports } from './bundle/stage-reports.js';
import { BundleStaging } from './bundle/staging.js';
import { CHECKS } from './checks/index.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { parseMaxAge } from './config/max-age.js';
import { evidenceAfterClock, parsePeriod, type Period } from './config/period.js';
import type { Config } from './config/schema.js';
import { buildReport } from './engine/build-report.js';
import { checkClaims, type ClaimsReference } from './engine/claims.js';
import { buildCrosswalk } from './engine/crosswalk.js';
import { evidenceRefs } from './engine/evidence-refs.js';
import { mapToControls } from './engine/map.js';
import { populationSection } from './engine/population-section.js';
import { INVENTORY_CSV, SHARED_SHOWN, sbomSection } from './engine/sbom-section.js';
import { trustInfo } from './engine/trust-info.js';
import { AuditpackError } from './errors.js';
import { loadBuiltInCatalogs, type Catalog } from './frameworks/catalog.js';
import { loadClaimsData } from './frameworks/claims.js';
import { profileTypes, selectCatalogs } from './frameworks/select.js';
import type { ComparedBundle } from './history/bundle.js';
import { loadPreviousBundle, withChanges, type PreviousOption } from './history/previous.js';
import type { OutputFormat } from './render/formats.js';
import type { PdfSigningIdentity } from './render/pdf-signing/identity.js';
import type { Locale } from './report/i18n.js';
import type { PreparedPdf } from './render/pdf.js';
import type { Report } from './report/model.js';
import { outcomeOf, type ReportOutcome } from './report/outcome.js';
import { loadSealKey, type Environment } from './seal/keys.js';
import { pdfSigningFromConfig } from './seal/pdf-identity.js';
import { sealInfo, sealSpec } from './seal/seal-bundle.js';
import type { InventoryTotals, InventoryWriter } from './sbom/inventory-writer.js';
import { loadTrust, type TrustSet } from './trust/load.js';
import { GENERATOR } from './util/generator.js';
import { verifyEstate } from './estate/verify-estate.js';
import { loadWaivers, type Waiver } from './waivers/load.js';

export interface ReportOptions {
  configPath: string;
  /**
   * The configuration at `configPath`, when the caller has read it already
   * (the CLI reads it to name the bundle folder after the organisation and
   * the period): the run uses it instead of reading the file again, so that
   * the folder's name and the report come from the same bytes.
   */
  loadedConfig?: LoadedConfig;
  outDir: string;
  /** ISO 8601 instant: the only clock the run reads. */
  clock: string;
  /** Overrides the config's period: `2026-Q2`, `2026-H1`, `2026`, `2026-04-01..2026-06-30`, `previous`, `current`. */
  period?: string;
  outputs?: OutputFormat[];
  /** Overrides the config's seal key; resolved against the working directory (the config's `seal.key` against the config's folder). */
  sealKey?: string;
  /** Also write `<outDir>.tar.gz`, a deterministic archive of the bundle. */
  archive?: boolean;
  /** Where passphrases are read from (AUDITPACK_KEY_PASSPHRASE, COSIGN_PASSWORD). */
  env?: Environment;
  /** Worker threads verifying images (0: in this thread); by default one per core from 48 images on. Same bytes either way. */
  workers?: number;
  /** Who holds the output lock; lets a lock left by a killed run be taken over. */
  lockOwner?: LockOwner;
  /** Unlocks the PDF signing PKCS#12 file or encrypted PEM key. */
  pdfPassphrase?: string;
  /** Overrides the config's `locale`: the language of the PDF and HTML. */
  locale?: Locale;
  progress?: (message: string) => void;
  /**
   * Aborted to stop the run (the CLI: SIGINT or SIGTERM): checked at each
   * step up to the bundle's commit; the run then throws the signal's reason
   * after removing its staging, as for any failure. Once the bundle is
   * committed the run completes.
   */
  signal?: AbortSignal;
  /** The previous period's sealed bundle and the key its seal must verify with: adds `changes` to the report. */
  previous?: PreviousOption;
}

export interface ReportRun {
  /** What the report says, in short (the whole report is the bundle's report.json). */
  outcome: ReportOutcome;
  /** The language the outputs were written in (the CLI summary follows it). */
  locale: Locale;
  outDir: string;
  files: string[];
  sealed: boolean;
  archive?: string;
}

/**
 * The whole job: load every input (so that a bad key, catalog or waiver file
 * stops the run before anything is read or written), then, under the output
 * lock, collect → verify → map → build → render → seal → write the bundle.
 */
export async function runReport(options: ReportOptions): Promise<ReportRun> {
  const inputs = await loadInputs(options);
  refuseOutputInsideEvidence(options.outDir, inputs.config, inputs.loaded.baseDir);
  try {
    return await writeBundle(options, inputs);
  } catch (thrown) {
    // The file system refusing to write where the bundle goes (no space left, read-only): named, exit 2, not a bug.
    throw asOutputError(thrown, options.outDir);
  }
}

/** Under the output lock: stage, seal and commit the bundle (and its archive), or leave the output folder as it was. */
async function writeBundle(options: ReportOptions, inputs: RunInputs): Promise<ReportRun> {
  const progress = options.progress ?? (() => {});
  const { sealKey } = inputs;
  const archive = options.archive === true ? archivePathFor(options.outDir) : undefined;
  const release = await acquireLock(options.outDir, options.lockOwner);
  try {
    await recoverInterruptedRun(options.outDir);
    const state = await inspectOutput(options.outDir);
    if (archive !== undefined) await inspectArchiveTarget(archive);
    await refuseAnotherPeriod({ dir: options.outDir, state, ...(archive === undefined ? {} : { archive }) }, inputs.period);
    const locale = options.locale ?? inputs.config.locale;
    const staging = await BundleStaging.open(options.outDir);
    let outcome: ReportOutcome;
    try {
      outcome = await stageBundle(options, inputs, locale, staging, (message) => {
        options.signal?.throwIfAborted();
        progress(message);
      });
      options.signal?.throwIfAborted();
      await staging.commit();
    } catch (thrown) {
      await staging.discard();
      throw thrown;
    }
    if (archive !== undefined) {
      progress('archive');
      await writeArchive(
        archive,
        options.outDir,
        staging.list().map((e) => e.path),
        options.clock,
      );
    }
    const files = staging.list().map((e) => e.path);
    return { outcome, locale, outDir: options.outDir, files, sealed: sealKey !== undefined, ...(archive === undefined ? {} : { archive }) };
  } finally {
    await release();
  }
}

/**
 * Collect → verify → map → build → render → seal, writing every file of the
 * bundle into the staging folder as soon as it is known (inputs as they are
 * read, the inventory, each report as it is rendered, the seal last), so
 * that no stage holds the estate's bytes: the staging folder does.
 */
async function stageBundle(
  options: ReportOptions,
  inputs: RunInputs,
  locale: Locale,
  staging: BundleStaging,
  progress: (message: string) => void,
): Promise<ReportOutcome> {
  const { config, period, sealKey } = inputs;
  const { outcome, pdf } = await stageModelReports(options, inputs, locale, staging, progress);
  if (pdf !== undefined) await stagePdf(staging, pdf);

  if (sealKey) progress('seal');
  const predicate = { organisation: config.organisation, period: period.label };
  await sealStaging(staging, options.clock, sealKey === undefined ? undefined : sealSpec(sealKey, predicate, config.seal.timestampUrl));
  return outcome;
}

/**
 * The report built and every report but the PDF staged; the PDF prepared.
 * A function of its own so that the report model is let go when it returns:
 * the PDF's layout and the seal read nothing of it (at 5,000 images the
 * model is 86 MB of the heap), and the run's caller gets its outcome.
 */
async function stageModelReports(
  options: ReportOptions,
  inputs: RunInputs,
  locale: Locale,
  staging: BundleStaging,
  progress: (message: string) => void,
): Promise<{ outcome: ReportOutcome; pdf: PreparedPdf | undefined }> {
  const report = await verifiedReport(options, inputs, staging, progress);
  const pdf = await stageReports(staging, report, {
    formats: options.outputs ?? inputs.config.outputs,
    locale,
    pdfAttachments: inputs.config.pdfAttachments,
    progress,
    ...(inputs.pdfSigning ? { pdfSigning: inputs.pdfSigning } : {}),
  });
  return { outcome: outcomeOf(report), pdf };
}

/**
 * Collect → verify → map → build: the report, its inputs staged. A function
 * of its own so that what the estate's verification left (findings,
 * evidence records, custody drafts, dates, SBOM entries) is freed once the
 * report is built from it, not held while the reports are rendered (at 5,000
 * images, after a full collection before the PDF: 138 MB live instead of 153).
 */
async function verifiedReport(options: ReportOptions, inputs: RunInputs, staging: BundleStaging, progress: (message: string) => void): Promise<Report> {
  const { loaded, config, period, trust, sealKey } = inputs;
  await staging.add(configPath(loaded.path), loaded.bytes, loaded.path);
  const workers = options.workers ?? (config.images.length >= WORKERS_FROM ? availableParallelism() : 0);
  const estate = await verifyEstate({ loaded, trust, period, staging, workers, progress, ...(inputs.waiverFile ? { waiverFile: inputs.waiverFile } : {}) });
  await stageTrust(staging, trust);
  // Written before the last sync starts, so that it is synced with the rest while the reports are rendered.
  const inventory = estate.inventory.empty ? undefined : await writeInventory(staging, estate.inventory);
  staging.syncWritten(); // what is not yet synced of the evidence, and the inventory: the disk syncs it while the reports are rendered
  const uncovered = estate.population?.uncovered ?? [];
  const mapped = withConfigFile(options.configPath, () =>
    mapToControls({
      config,
      period,
      clock: options.clock,
      catalogs: inputs.catalogs,
      findings: estate.findings,
      waivers: inputs.waivers,
      manualEvidence: estate.manualEvidence,
      uncovered,
    }),
  );
  const totals = inventory ?? { components: 0, distinct: 0, shared: [] };
  const sboms = sbomSection(estate.sbomEntries, { ...totals, ...(inventory ? { inventoryCsv: INVENTORY_CSV } : {}) }, mapped.frameworks, config.sbom.minGrade);
  const built = buildReport({
    generator: GENERATOR,
    organisation: config.organisation,
    clock: options.clock,
    period,
    configSha256: loaded.sha256,
    maxEvidenceAge: config.evidence.maxAge,
    profile: profileTypes(config.entity),
    images: [...config.images, ...uncovered],
    ...(estate.population ? { population: populationSection(estate.population, config.images) } : {}),
    trust: trustInfo(trust, config),
    findings: mapped.findings,
    frameworks: mapped.frameworks,
    evidence: evidenceRefs(estate.evidence, trust, estate.dates, period, parseMaxAge(config.evidence.maxAge)),
    problems: [...estate.problems, ...evidenceAfterClock(estate.dates.values(), estate.evidence, options.clock)],
    claims: checkClaims(config.claims, mapped.frameworks, inputs.claims),
    manualEvidence: estate.manualEvidence,
    waivers: mapped.waivers,
    crosswalk: buildCrosswalk(CHECKS, inputs.catalogs, config.entity),
    sboms,
    custody: estate.custody,
  });
  // The diff reads this run's inventory back from the bundle (only with --previous).
  const csv = inputs.previous !== undefined && inventory !== undefined ? staging.read(INVENTORY_CSV).toString('utf8') : undefined;
  const changed = withChanges(built, inputs.previous, csv);
  return sealKey === undefined ? changed : { ...changed, seal: sealInfo(sealKey, config.seal.timestampUrl) };
}

/** From this many images on, a run verifies them in worker threads (one per core) unless told otherwise. */
const WORKERS_FROM = 48;

/** Writes inventory.csv into the bundle from the rows the images left, hashing it as it goes. */
async function writeInventory(staging: BundleStaging, writer: InventoryWriter): Promise<InventoryTotals> {
  let totals: InventoryTotals | undefined;
  await staging.addStreamed(INVENTORY_CSV, async (write) => {
    totals = await writer.finish(write, SHARED_SHOWN);
  });
  if (totals === undefined) throw new AuditpackError('INTERNAL', 'the inventory was not written');
  return totals;
}

/** Everything a run reads before it collects: each loader names its file when it fails. */
interface RunInputs {
  loaded: LoadedConfig;
  config: Config;
  period: Period;
  trust: TrustSet;
  sealKey: KeyObject | undefined;
  pdfSigning: PdfSigningIdentity | undefined;
  catalogs: Catalog[];
  claims: ClaimsReference;
  waivers: Waiver[];
  waiverFile: { bytes: Buffer; source: string } | undefined;
  previous: ComparedBundle | undefined;
}

async function loadInputs(options: ReportOptions): Promise<RunInputs> {
  const loaded = options.loadedConfig ?? (await loadConfig(options.configPath));
  const { config, baseDir } = loaded;
  const period = parsePeriod(options.period ?? config.period, config.zone, options.clock);
  const trust = await loadTrust(baseDir, config.trust.keys, config.trust.trustedRoot, config.trust.githubInstance?.trustedRoot);
  const sealKeyPath =
    options.sealKey === undefined ? (config.seal.key === undefined ? undefined : resolve(baseDir, config.seal.key)) : resolve(options.sealKey);
  const sealKey = sealKeyPath === undefined ? undefined : await loadSealKey(sealKeyPath, options.env ?? {});
  const pdfSigning = await pdfSigningFromConfig(config.seal, baseDir, options.clock, options.pdfPassphrase);
  const catalogs = await selectCatalogs(config, baseDir, options.configPath);
  const claims = { data: await loadClaimsData(), builtInCatalogs: await loadBuiltInCatalogs() };
  const waiverFile = config.waivers === undefined ? undefined : await loadWaivers(baseDir, config.waivers);
  const previous = options.previous === undefined ? undefined : await loadPreviousBundle(options.previous, period);
  return {
    loaded,
    config,
    period,
    trust,
    sealKey,
    pdfSigning,
    catalogs,
    claims,
    waivers: waiverFile?.waivers ?? [],
    waiverFile: waiverFile === undefined ? undefined : { bytes: waiverFile.bytes, source: waiverFile.source },
    previous,
  };
}

/** Names the config file in a configuration error raised by a pure stage that does not know it. */
function withConfigFile<T>(configPath: string, stage: () => T): T {
  try {
    return stage();
  } catch (thrown) {
    if (thrown instanceof AuditpackError && thrown.code === 'CONFIG_INVALID' && thrown.file === undefined) {
      throw new AuditpackError(thrown.code, thrown.message, { file: configPath, cause: thrown });
    }
    throw thrown;
  }
}
