import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { readBundleFile } from './bundle/read.js';
import { walkTree, type TreeEntry } from './bundle/walk.js';
import { collect } from './collect/index.js';
import { isInside } from './collect/read-file.js';
import { parseConfig } from './config/load.js';
import { parsePeriod } from './config/period.js';
import { describeThrown } from './errors.js';
import { runChecks } from './engine/run-checks.js';
import { evidencePath, trustPath } from './report/bundle-paths.js';
import type { Finding, Report } from './report/model.js';
import type { SealProblem } from './seal/check-seal.js';
import { loadTrust } from './trust/load.js';
import { sha256Hex } from './util/manifest.js';

const REPORT = 'report.json';

/**
 * `auditpack verify --deep`: runs every evidence verification again from the
 * bundle alone, offline: the configuration copy in `config/`, the evidence
 * and trust files laid out again where the configuration expects them (in a
 * private temporary folder), then the same collect and verify stages as
 * `auditpack report` (this composes the pipeline, so it sits beside
 * run-report.ts, not in a stage). Each finding must come out as report.json states it;
 * any difference is a problem naming the finding. Waiver annotations are the
 * map stage's, not verification's, and are not compared. Given the verified
 * manifest's digests (`signed`), report.json must still be the verified file;
 * the configuration and evidence are then checked against the digests it lists.
 */
export async function deepVerify(dir: string, signed?: (path: string) => string | undefined): Promise<SealProblem[]> {
  const tree = new Map((await walkTree(dir)).map((e) => [e.path, e]));
  const reportBytes = await readBundleFile(dir, REPORT, tree);
  if (!Buffer.isBuffer(reportBytes)) return [problem(`--deep needs ${REPORT} in the bundle: it ${reportBytes}`)];
  // Everything else read here is checked against the digests report.json lists: report.json itself must be the verified one.
  if (signed !== undefined && signed(REPORT) !== sha256Hex(reportBytes)) {
    return [{ code: 'SEAL_MISMATCH', file: REPORT, reason: 'changed since the bundle was verified: not verified again' }];
  }
  let report: Report;
  try {
    report = JSON.parse(reportBytes.toString('utf8')) as Report;
  } catch (thrown) {
    return [problem(`not JSON: ${describeThrown(thrown)}`)];
  }
  const work = await mkdtemp(join(tmpdir(), 'auditpack-deep-'));
  try {
    const laid = await layOut(dir, tree, report, work);
    if (typeof laid === 'string') return [problem(laid)];
    const loaded = parseConfig(laid.configBytes, laid.configFile);
    const period = parsePeriod(report.run.period.label, report.run.period.zone);
    if (period.interval.start.toUTC().toISO() !== report.run.period.start || period.interval.end.toUTC().toISO() !== report.run.period.end) {
      return [problem(`the period ${report.run.period.label} does not give the start and end the report states`)];
    }
    await createFolders(loaded.baseDir, loaded.config, report);
    const trust = await loadTrust(loaded.baseDir, loaded.config.trust.keys, loaded.config.trust.trustedRoot, loaded.config.trust.githubInstance?.trustedRoot);
    const verified = await runChecks({ config: loaded.config, collection: await collect(loaded), trust, period });
    return compareFindings(report.findings, verified.findings);
  } catch (thrown) {
    return [problem(`the evidence could not be verified again: ${describeThrown(thrown)}`)];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes the configuration and every evidence and trust file under `work`, deep enough for their `..` paths. */
async function layOut(dir: string, tree: Map<string, TreeEntry>, report: Report, work: string): Promise<{ configFile: string; configBytes: Buffer } | string> {
  const config = await findConfig(dir, tree, report.run.configSha256);
  if (config === undefined) return `no file in config/ has the configuration SHA-256 the report states (${report.run.configSha256})`;
  const refs = report.evidence;
  const depth = Math.max(0, ...refs.map((r) => r.source.split(/[\\/]/).filter((s) => s === '..').length));
  const baseDir = join(work, ...Array<string>(depth).fill('up'));
  for (const ref of refs) {
    const expected = ref.kind === 'public-key' || ref.kind === 'trusted-root' ? trustPath(ref.source) : evidencePath(ref.source);
    const target = resolve(baseDir, ref.source);
    if (expected !== ref.path || !isInside(target, work)) return `evidence ${ref.path} has a source path (${ref.source}) that does not lead to it`;
    const bytes = await readBundleFile(dir, ref.path, tree);
    if (!Buffer.isBuffer(bytes) || sha256Hex(bytes) !== ref.sha256)
      return `evidence ${ref.path} ${Buffer.isBuffer(bytes) ? 'is not the file the report lists' : bytes}`;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' }).catch((thrown: NodeJS.ErrnoException) => {
      if (thrown.code !== 'EEXIST') throw thrown;
    });
  }
  const configFile = join(baseDir, config.name);
  await writeFile(configFile, config.bytes);
  return { configFile, configBytes: config.bytes };
}

async function findConfig(dir: string, tree: Map<string, TreeEntry>, sha: string): Promise<{ name: string; bytes: Buffer } | undefined> {
  const names = await readdir(join(dir, 'config')).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const bytes = await readBundleFile(dir, `config/${name}`, tree);
    if (Buffer.isBuffer(bytes) && sha256Hex(bytes) === sha) return { name, bytes };
  }
  return undefined;
}

/** Evidence folders that existed at report time but held nothing kept (an empty folder is not in the bundle). */
async function createFolders(baseDir: string, config: ReturnType<typeof parseConfig>['config'], report: Report): Promise<void> {
  const missing = new Set(report.problems.filter((p) => p.code === 'EVIDENCE_MISSING').map((p) => p.file));
  const folders = config.images.map((image) => resolve(baseDir, config.evidence.images.replaceAll('{image}', image.name)));
  if (config.evidence.woodpecker !== undefined) folders.push(resolve(baseDir, config.evidence.woodpecker, 'pipelines'));
  for (const folder of folders) if (!missing.has(relative(baseDir, folder))) await mkdir(folder, { recursive: true });
}

function compareFindings(reported: Finding[], again: Finding[]): SealProblem[] {
  const problems: SealProblem[] = [];
  const now = new Map(again.map((f) => [f.id, f]));
  for (const f of reported) {
    const g = now.get(f.id);
    now.delete(f.id);
    if (g === undefined) problems.push(problem(`finding ${f.id}: in the report, but verifying the bundle's evidence again gives no such finding`));
    else if (comparable(f) !== comparable(g))
      problems.push(problem(`finding ${f.id}: the report says ${summary(f)}; verifying the bundle's evidence again gives ${summary(g)}`));
  }
  for (const id of now.keys()) problems.push(problem(`finding ${id}: verifying the bundle's evidence again gives it, but the report does not list it`));
  return problems;
}

function comparable(f: Finding): string {
  return JSON.stringify([f.checkId, f.checkTitle, f.subject, f.status, f.code ?? null, f.message, f.quotes ?? [], f.details, f.evidence]);
}

function summary(f: Finding): string {
  return `${f.status}${f.code === undefined ? '' : ` (${f.code})`}: ${f.message}`;
}

function problem(reason: string): SealProblem {
  return { code: 'FINDING_MISMATCH', file: REPORT, reason };
}
