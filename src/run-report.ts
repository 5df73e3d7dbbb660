import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { prepareOutputDir, writeBundleFiles } from './bundle/write.js';
import { collect } from './collect/index.js';
import { loadConfig } from './config/load.js';
import { evidenceAfterClock, parsePeriod } from './config/period.js';
import type { OutputFormat } from './config/schema.js';
import { evidencePath, trustPath } from './bundle/paths.js';
import { buildReport } from './engine/build-report.js';
import { runChecks } from './engine/run-checks.js';
import { AuditpackError, describeThrown } from './errors.js';
import { CHECKS } from './checks/index.js';
import { collectManualEvidence } from './collect/manual.js';
import { checkClaims } from './engine/claims.js';
import { buildCrosswalk } from './engine/crosswalk.js';
import { INVENTORY_CSV, buildSbomSection } from './engine/sbom-section.js';
import { mapToControls } from './engine/map.js';
import { profileTypes, selectCatalogs } from './frameworks/select.js';
import { loadWaivers } from './waivers/load.js';
import { loadPreviousBundle, withChanges, type PreviousOption } from './history/previous.js';
import { renderHtml } from './render/html.js';
import { renderJson } from './render/json.js';
import { renderPdf } from './render/pdf.js';
import type { Report } from './report/model.js';
import { MANIFEST_FILE, SEAL_FILE, SEAL_KEY_FILE, buildManifest, serialiseManifest, sha256Hex } from './seal/manifest.js';
import { publicKeyPem, signManifest } from './seal/sign.js';
import { loadTrust } from './trust/load.js';

export interface ReportOptions {
  configPath: string;
  outDir: string;
  /** ISO 8601 instant: the only clock the run reads. */
  clock: string;
  /** Overrides the config's period: `2026-Q2`, `2026-H1`, `2026`, `2026-04-01..2026-06-30`, `previous`, `current`. */
  period?: string;
  outputs?: OutputFormat[];
  /** Overrides the config's seal key (PEM private key file). */
  sealKey?: string;
  progress?: (message: string) => void;
  /** The previous period's sealed bundle and the key its seal must verify with: adds `changes` to the report. */
  previous?: PreviousOption;
}

export interface ReportRun {
  report: Report;
  outDir: string;
  files: string[];
  sealed: boolean;
}

/** The whole job: collect → verify → map → build → render → seal, writing one bundle folder. */
export async function runReport(options: ReportOptions): Promise<ReportRun> {
  const progress = options.progress ?? (() => {});
  const loaded = await loadConfig(options.configPath);
  const { config, baseDir } = loaded;
  const period = parsePeriod(options.period ?? config.period, config.zone, options.clock);
  const trust = await loadTrust(baseDir, config.trust.keys, config.trust.trustedRoot);
  const sealKeyPath = options.sealKey ?? config.seal.key;
  const sealKey = sealKeyPath === undefined ? undefined : await loadSealKey(resolve(baseDir, sealKeyPath));
  const catalogs = await selectCatalogs(config, baseDir, options.configPath);
  const waiverFile = config.waivers === undefined ? undefined : await loadWaivers(baseDir, config.waivers);
  const previous = options.previous === undefined ? undefined : await loadPreviousBundle(options.previous, period);

  const collection = await collect(loaded, progress);
  const manual = await collectManualEvidence(baseDir, config.manualEvidence ?? []);
  collection.evidence.push(...manual.evidence);
  if (waiverFile) collection.evidence.push({ sha256: sha256Hex(waiverFile.bytes), kind: 'waiver-file', source: waiverFile.source, bytes: waiverFile.bytes });
  const verified = await runChecks({ config, collection, trust, period, progress });
  collection.problems.push(...evidenceAfterClock(verified.dates.values(), collection.evidence, options.clock));
  const mapped = withConfigFile(options.configPath, () => mapToControls({
    config,
    period,
    clock: options.clock,
    catalogs,
    findings: verified.findings,
    waivers: waiverFile?.waivers ?? [],
    manualEvidence: manual.records,
  }));
  const claims = await checkClaims(config.claims, mapped.frameworks);
  const sboms = buildSbomSection({ attested: verified.sboms, frameworks: mapped.frameworks, minGrade: config.sbom.minGrade });
  const report = withChanges(buildReport({
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
    manualEvidence: manual.records,
    waivers: mapped.waivers,
    crosswalk: buildCrosswalk(CHECKS, catalogs),
    sboms: sboms.section,
  }), previous, sboms.csv);

  const files = new Map<string, Uint8Array>();
  for (const e of collection.evidence) files.set(evidencePath(e.source), e.bytes);
  for (const k of trust.keys) files.set(trustPath(k.source), k.bytes);
  for (const f of trust.trustedRoot?.files ?? []) files.set(trustPath(f.source), f.bytes);
  if (sboms.csv !== undefined) files.set(INVENTORY_CSV, Buffer.from(sboms.csv, 'utf8'));
  for (const format of options.outputs ?? config.outputs) {
    progress(`render ${format}`);
    files.set(`report.${format}`, await render(format, report));
  }

  await prepareOutputDir(options.outDir);
  let sealed = false;
  if (sealKey) {
    files.set(SEAL_KEY_FILE, publicKeyPem(sealKey));
  }
  const manifestBytes = serialiseManifest(buildManifest(files, options.clock));
  files.set(MANIFEST_FILE, manifestBytes);
  if (sealKey) {
    progress('seal');
    const predicate = { organisation: config.organisation, period: period.label, files: files.size - 1 };
    files.set(SEAL_FILE, signManifest(manifestBytes, sealKey, predicate));
    sealed = true;
  }
  await writeBundleFiles(options.outDir, files);
  return { report, outDir: options.outDir, files: [...files.keys()].sort(), sealed };
}

async function render(format: OutputFormat, report: Report): Promise<Uint8Array> {
  try {
    switch (format) {
      case 'json':
        return renderJson(report);
      case 'html':
        return Buffer.from(renderHtml(report), 'utf8');
      case 'pdf':
        return await renderPdf(report);
    }
  } catch (thrown) {
    throw new AuditpackError('RENDER_FAILED', `the ${format} renderer failed: ${describeThrown(thrown)}`, { cause: thrown });
  }
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

async function loadSealKey(path: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(path));
  } catch (thrown) {
    throw new AuditpackError('TRUST_INVALID', `cannot read the seal key: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
}
