import type { KeyObject } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { archivePathFor, inspectArchiveTarget } from './bundle/archive.js';
import { bundleFiles, sealFiles, sealInfo } from './bundle/assemble.js';
import { acquireLock, type LockOwner } from './bundle/lock.js';
import { inspectOutput, recoverInterruptedRun, writeBundleAtomically, writeFileAtomically } from './bundle/output.js';
import { tarGz } from './bundle/tar.js';
import { collect } from './collect/index.js';
import type { Collection } from './collect/evidence.js';
import { findOutsideLinks } from './collect/links.js';
import { collectManualEvidence } from './collect/manual.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { evidenceAfterClock, parsePeriod, type Period } from './config/period.js';
import type { OutputFormat } from './config/schema.js';
import { CHECKS } from './checks/index.js';
import { buildReport } from './engine/build-report.js';
import { checkClaims } from './engine/claims.js';
import { buildCrosswalk } from './engine/crosswalk.js';
import { mapToControls } from './engine/map.js';
import { runChecks, type VerifyResult } from './engine/run-checks.js';
import { INVENTORY_CSV, buildSbomSection } from './engine/sbom-section.js';
import { AuditpackError, describeThrown } from './errors.js';
import { profileTypes, selectCatalogs } from './frameworks/select.js';
import { loadPreviousBundle, withChanges, type PreviousOption } from './history/previous.js';
import { renderOutputs } from './render/outputs.js';
import { pdfSigningFromConfig } from './render/pdf-signing/identity.js';
import type { Locale } from './report/i18n.js';
import type { ManualEvidence, Report } from './report/model.js';
import { keyAlgorithm, keyFingerprint, loadSealKey, type Environment } from './seal/keys.js';
import { sha256Hex } from './seal/manifest.js';
import { rfc3161Timestamper } from './seal/timestamp.js';
import { loadTrust, type TrustSet } from './trust/load.js';
import { loadWaivers } from './waivers/load.js';

export interface ReportOptions {
  configPath: string;
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
  /** Who holds the output lock; lets a lock left by a killed run be taken over. */
  lockOwner?: LockOwner;
  /** Unlocks the PDF signing PKCS#12 file or encrypted PEM key. */
  pdfPassphrase?: string;
  /** Overrides the config's `locale`: the language of the PDF and HTML. */
  locale?: Locale;
  progress?: (message: string) => void;
  /** The previous period's sealed bundle and the key its seal must verify with: adds `changes` to the report. */
  previous?: PreviousOption;
}

export interface ReportRun {
  report: Report;
  /** The language the outputs were written in (the CLI summary follows it). */
  locale: Locale;
  outDir: string;
  files: string[];
  sealed: boolean;
  archive?: string;
}

/** The whole job: collect → verify → map → build → render → seal, writing one bundle folder. */
export async function runReport(options: ReportOptions): Promise<ReportRun> {
  const progress = options.progress ?? (() => {});
  const loaded = await loadConfig(options.configPath);
  const { config, baseDir } = loaded;
  const period = parsePeriod(options.period ?? config.period, config.zone, options.clock);
  const trust = await loadTrust(baseDir, config.trust.keys, config.trust.trustedRoot);
  const sealKeyPath =
    options.sealKey === undefined ? (config.seal.key === undefined ? undefined : resolve(baseDir, config.seal.key)) : resolve(options.sealKey);
  const sealKey = sealKeyPath === undefined ? undefined : await loadSealKey(sealKeyPath, options.env ?? {});
  const pdfSigning = await pdfSigningFromConfig(config.seal, baseDir, options.clock, options.pdfPassphrase);
  const catalogs = await selectCatalogs(config, baseDir, options.configPath);
  const waiverFile = config.waivers === undefined ? undefined : await loadWaivers(baseDir, config.waivers);
  const previous = options.previous === undefined ? undefined : await loadPreviousBundle(options.previous, period);
  const archive = options.archive === true ? archivePathFor(options.outDir) : undefined;

  const release = await acquireLock(options.outDir, options.lockOwner);
  try {
    await recoverInterruptedRun(options.outDir);
    await inspectOutput(options.outDir);
    if (archive !== undefined) await inspectArchiveTarget(archive);
    const { collection, manual, verified } = await collectAndCheck({ loaded, period, trust, progress, ...(waiverFile === undefined ? {} : { waiverFile }) });
    collection.problems.push(...evidenceAfterClock(verified.dates.values(), collection.evidence, options.clock));
    const mapped = withConfigFile(options.configPath, () =>
      mapToControls({
        config,
        period,
        clock: options.clock,
        catalogs,
        findings: verified.findings,
        waivers: waiverFile?.waivers ?? [],
        manualEvidence: manual,
      }),
    );
    const claims = await checkClaims(config.claims, mapped.frameworks);
    const sboms = buildSbomSection({ attested: verified.sboms, frameworks: mapped.frameworks, minGrade: config.sbom.minGrade });
    const built = withChanges(
      buildReport({
        loaded,
        period,
        clock: options.clock,
        profile: profileTypes(config.entity),
        collection,
        trust,
        findings: mapped.findings,
        dates: verified.dates,
        frameworks: mapped.frameworks,
        claims,
        manualEvidence: manual,
        waivers: mapped.waivers,
        crosswalk: buildCrosswalk(CHECKS, catalogs, config.entity),
        sboms: sboms.section,
      }),
      previous,
      sboms.csv,
    );
    const report: Report =
      sealKey === undefined ? built : { ...built, seal: sealInfo(keyFingerprint(sealKey), keyAlgorithm(sealKey), config.seal.timestampUrl) };

    const generated = new Map<string, Uint8Array>();
    if (sboms.csv !== undefined) generated.set(INVENTORY_CSV, Buffer.from(sboms.csv, 'utf8'));
    const inputs = bundleFiles({ loaded, collection, trust, generated });
    // The PDF carries every other file of the bundle as an attachment, so it is rendered over them.
    const rendered = await renderOutputs({
      report,
      formats: options.outputs ?? config.outputs,
      bundleFiles: inputs.toMap(),
      progress,
      locale: options.locale ?? config.locale,
      pdfAttachments: config.pdfAttachments,
      ...(pdfSigning ? { pdfSigning } : {}),
    });
    for (const [path, bytes] of rendered) inputs.add(path, bytes);
    if (sealKey) progress('seal');
    const files = await sealFiles(inputs, options.clock, sealSpec(sealKey, config.organisation, period, config.seal.timestampUrl));
    await writeBundleAtomically(options.outDir, files);
    if (archive !== undefined) {
      progress('archive');
      await writeFileAtomically(archive, tarGz(files, { prefix: basename(resolve(options.outDir)), mtime: new Date(options.clock) }));
    }
    return {
      report,
      locale: options.locale ?? config.locale,
      outDir: options.outDir,
      files: [...files.keys()],
      sealed: sealKey !== undefined,
      ...(archive === undefined ? {} : { archive }),
    };
  } finally {
    await release();
  }
}

export interface CollectAndCheckInput {
  loaded: LoadedConfig;
  period: Period;
  trust: TrustSet;
  waiverFile?: { bytes: Buffer; source: string };
  progress?: (message: string) => void;
}

/**
 * Collect and verify stages, shared by `auditpack report` and `auditpack
 * verify --deep` (which runs them again on a bundle's own copy of the
 * evidence): every evidence file read, links out of the configuration's
 * folder named, manual documents and the waiver file kept, every check run.
 */
export async function collectAndCheck(input: CollectAndCheckInput): Promise<{ collection: Collection; manual: ManualEvidence[]; verified: VerifyResult }> {
  const { loaded, period, trust } = input;
  const { config, baseDir } = loaded;
  const progress = input.progress ?? (() => {});
  const collection = await collect(loaded, progress);
  if (config.evidence.woodpecker !== undefined) collection.problems.push(...(await findOutsideLinks(baseDir, config.evidence.woodpecker, collection.problems)));
  const manual = await collectManualEvidence(baseDir, config.manualEvidence ?? []);
  collection.evidence.push(...manual.evidence);
  if (input.waiverFile)
    collection.evidence.push({
      sha256: sha256Hex(input.waiverFile.bytes),
      kind: 'waiver-file',
      source: input.waiverFile.source,
      bytes: input.waiverFile.bytes,
    });
  const verified = await runChecks({ config, collection, trust, period, progress });
  return { collection, manual: manual.records, verified };
}

function sealSpec(key: KeyObject | undefined, organisation: string, period: Period, timestampUrl: string | undefined) {
  if (key === undefined) return undefined;
  return { key, predicate: { organisation, period: period.label }, ...(timestampUrl === undefined ? {} : { timestamper: rfc3161Timestamper(timestampUrl) }) };
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
