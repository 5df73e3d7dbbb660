// Estate benchmark (not a test): builds synthetic estates of N images with the
// sample generator, then measures in the same run, on the same inputs, the
// single-pass floor (bench/floor.mjs) and the full built `auditpack report`,
// each as a child process, and prints one table row per size, then the
// median of each phase of the report's runs (bench/phases.ts), from its
// progress lines.
//
//   npm run bench:estate                       # 100, 1,000 and 5,000 images, 3 pairs of runs each
//   npm run bench:estate -- --sizes 100,1000 --runs 3
//
// Options: --sizes LIST, --runs K (pairs of runs per size, each a floor run
// then a report run; the medians of the walls and of each pair's ratio are
// reported), --work DIR (estates are kept there and reused on the next run;
// default a temporary folder, deleted at the end; each report run writes a
// bundle of its own there, all removed when the bench ends), --rss-cap-gb G (a report
// whose resident memory passes G GiB is stopped and reported as such, default
// 12: the machine may be shared), --output LIST (the reports to write, e.g.
// json,html: the report without its PDF), --workers N (auditpack's
// --workers), --json (also print the rows as JSON), --help. Each size's line gives the report's image verdicts: the sample's
// faults come along, so 13 of every 16 images verify; an estate in which no
// image verifies is a broken generator, and that size is reported as failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { demoKeys, demoPdfCertificate } from '../scripts/samples/keys.ts';
import { scaledImages, writeEstate } from '../scripts/samples/write-estate.ts';
import { medianPhases, PHASES, phasesOf } from './phases.ts';

const CLOCK = '2026-07-01T08:00:00.000Z';
const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    runs: { type: 'string', default: '3' },
    work: { type: 'string' },
    'rss-cap-gb': { type: 'string', default: '12' },
    output: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
const USAGE = 'usage: node bench/estate.mjs [--sizes 100,1000,5000] [--runs 3] [--work DIR] [--rss-cap-gb 12] [--output json,html,pdf] [--workers N] [--json]';
if (values.help) {
  console.log(`${USAGE}\n\nBuilds N-image estates from the sample generator and times the single-pass floor and auditpack report on them, in pairs of runs.`);
  process.exit(0);
}
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const runs = Number(values.runs);
const rssCapKb = Number(values['rss-cap-gb']) * 1024 * 1024;
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1 || !(rssCapKb > 0)) {
  console.error(USAGE);
  process.exit(2);
}
const work = values.work ?? mkdtempSync(join(tmpdir(), 'auditpack-bench-estate-'));
// The reports to write (default: the estate config's json, html and pdf) and the worker threads (default: auditpack's).
const reportArgs = [
  ...(values.output ? ['--output', ...values.output.split(',')] : []),
  ...(values.workers === undefined ? [] : ['--workers', values.workers]),
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
const size = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : mb(bytes));
const seconds = (s) => `${s.toFixed(s < 10 ? 2 : 1)} s`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function treeBytes(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Builds (or reuses, when --work already holds it) the estate of `n` images. */
async function estate(n) {
  const dir = join(work, `estate-${n}`);
  if (existsSync(join(dir, '.complete'))) return { dir, generated: undefined };
  rmSync(dir, { recursive: true, force: true });
  const start = performance.now();
  const { images, trainSlot } = scaledImages(n);
  const keys = demoKeys();
  writeEstate({ out: dir, keys, pdfCertificate: await demoPdfCertificate(keys), images, trainSlot });
  writeFileSync(join(dir, '.complete'), '');
  return { dir, generated: (performance.now() - start) / 1000 };
}

/**
 * Runs a node child process; returns wall seconds, its exit code, its peak RSS
 * (KiB), stopping it above the cap, and when each of its progress lines on
 * stderr (`auditpack: …`, from `--progress plain`) arrived, in seconds.
 */
function measure(args, rssFile) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const progress = [];
    let partial = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const at = (performance.now() - start) / 1000;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('auditpack: ')) progress.push({ at, step: line.slice('auditpack: '.length) });
    });
    let capped = false;
    let polledKb = 0;
    const watch = setInterval(() => {
      try {
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        polledKb = Math.max(polledKb, hwm);
        if (hwm > rssCapKb) {
          capped = true;
          child.kill('SIGKILL');
        }
      } catch {
        // The child has exited between two samples.
      }
    }, 200);
    child.on('close', (code) => {
      clearInterval(watch);
      const wall = (performance.now() - start) / 1000;
      // The child's own figure at exit; the last sample when it was stopped or crashed.
      const rssKb = rssFile && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : polledKb || undefined;
      resolve({ wall, code, capped, rssKb, stdout, stderr, progress });
    });
  });
}

/** One floor run: its wall time and what it counted. */
async function floorRun(dir) {
  const r = await measure([join(ROOT, 'bench/floor.mjs'), dir]);
  if (r.code !== 0) throw new Error(`floor failed on ${dir}: ${r.stderr}`);
  const counts = JSON.parse(r.stdout);
  if (counts.invalid > 0) throw new Error(`floor: ${counts.invalid} signatures did not verify in ${dir}`);
  return { wall: r.wall, counts };
}

/**
 * The bundles the report runs wrote, removed only when the bench ends: on an
 * ext4 file system without a journal (this machine's), creating a file right
 * after many were deleted is slow (the kernel skips inodes deleted in the
 * last minutes, reading their table blocks; `perf` showed ext4's
 * recently_deleted at 14 % of a run's CPU), so a run that followed the
 * removal of the previous run's 13,000 files measured that, not auditpack.
 */
const bundles = [];

/**
 * K pairs of runs, each a floor run then a report run, so that both see the
 * machine as it is at that moment (on a shared VM the same run varies by
 * 15 % and more over minutes, and the floor with it): the ratio is the median
 * of each pair's ratio, the walls the medians of each kind.
 */
async function pairedRuns(dir, n) {
  const rssFile = join(work, `rss-${n}`);
  const walls = [];
  const floors = [];
  const ratios = [];
  const rss = [];
  const phases = [];
  let counts;
  let subjects;
  let out;
  // One untimed floor run first: otherwise the first pair's floor reads the estate from disk (cold after building
  // it, or after another size's runs) and its report, right after, from the page cache: 14 and 17 s against 10 to
  // 12 s for the later floors at 1,000 images, flattering that pair's ratio.
  await floorRun(dir);
  for (let i = 0; i < runs; i++) {
    const floor = await floorRun(dir);
    floors.push(floor.wall);
    counts ??= floor.counts;
    out = join(mkdtempSync(join(work, `bundles-${n}-`)), 'bundle');
    bundles.push(dirname(out));
    rmSync(rssFile, { force: true });
    const r = await measure(
      [
        join(ROOT, 'bench/measured.mjs'),
        rssFile,
        'report',
        '--config',
        join(dir, 'auditpack.yaml'),
        '--out',
        out,
        '--clock',
        CLOCK,
        '--format',
        'json',
        '--progress',
        'plain',
        ...reportArgs,
      ],
      rssFile,
    );
    const soFar = { walls, floors, ratios, counts };
    if (r.capped) return { ...soFar, failed: `stopped above ${values['rss-cap-gb']} GiB`, rss: [...rss, r.rssKb ?? 0] };
    // Exit 0 or 1 is a report written; anything else (a crash, the heap limit) is the result for this size.
    if (r.code !== 0 && r.code !== 1) {
      const why = /heap out of memory/i.test(r.stderr) ? 'JavaScript heap out of memory' : `exit ${r.code}`;
      console.log(`  ${n} images: auditpack report failed after ${seconds(r.wall)} (${why}):\n${r.stderr.split('\n').slice(-6).join('\n')}`);
      return { ...soFar, failed: `failed after ${seconds(r.wall)}: ${why}`, rss: [...rss, r.rssKb ?? 0] };
    }
    // The JSON summary on stdout (schema/report-summary.schema.json): how many images the report verified.
    subjects ??= JSON.parse(r.stdout).counts.subjects;
    if (subjects.verified === 0) return { ...soFar, failed: `no image verified (${subjects.total} images)`, rss, subjects };
    walls.push(r.wall);
    ratios.push(r.wall / floor.wall);
    rss.push(r.rssKb ?? 0);
    phases.push(phasesOf(r.progress, r.wall, n));
  }
  return { failed: undefined, walls, floors, ratios, counts, rss, out, subjects, phases: medianPhases(phases) };
}

function pdfPages(file) {
  if (!existsSync(file)) return undefined;
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  return r.status === 0 ? Number(/Pages:\s+(\d+)/.exec(r.stdout)?.[1]) : undefined;
}

async function benchSize(n) {
  const loadBefore = load();
  const { dir, generated } = await estate(n);
  const evidence = treeBytes(dir);
  const report = await pairedRuns(dir, n);
  const fileSize = (f) => (report.out && existsSync(join(report.out, f)) ? statSync(join(report.out, f)).size : undefined);
  const row = {
    images: n,
    evidenceBytes: evidence,
    generatedSeconds: generated,
    floorSeconds: median(report.floors),
    floorCounts: report.counts,
    floorRuns: report.floors,
    reportSeconds: report.failed ? undefined : median(report.walls),
    reportRuns: report.walls,
    ratio: report.failed ? undefined : median(report.ratios),
    failed: report.failed,
    subjects: report.subjects,
    peakRssBytes: report.rss.some((kb) => kb > 0) ? Math.max(...report.rss) * 1024 : undefined,
    pdfPages: report.out ? pdfPages(join(report.out, 'report.pdf')) : undefined,
    htmlBytes: fileSize('report.html'),
    pdfBytes: fileSize('report.pdf'),
    jsonBytes: fileSize('report.json'),
    bundleBytes: report.out && existsSync(report.out) ? treeBytes(report.out) : undefined,
    load: { before: loadBefore, after: load() },
    phases: report.phases,
  };
  return row;
}

const verdicts = (s) => (s ? `${s.verified} verified / ${s.withFailures} with failures / ${s.withErrors} with errors of ${s.total}` : '—');

function printRow(r) {
  const ratio = r.ratio === undefined ? '—' : `${r.ratio.toFixed(1)}×`;
  const wall = r.failed ?? seconds(r.reportSeconds);
  const rss = r.peakRssBytes === undefined ? '—' : `${(r.peakRssBytes / 2 ** 30).toFixed(2)} GB`;
  console.log(
    `| ${r.images.toLocaleString('en')} | ${size(r.evidenceBytes)} | ${wall} | ${seconds(r.floorSeconds)} | ${ratio} | ${rss} | ${r.pdfPages?.toLocaleString('en') ?? '—'} | ${r.htmlBytes === undefined ? '—' : mb(r.htmlBytes)} |`,
  );
}

console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; node ${process.version}; load average ${load()}`,
);
console.log(
  `work folder: ${work}; an untimed floor run, then ${runs} pairs of runs (floor, then report) per size (medians shown; ratio: the median of the pairs'); clock ${CLOCK}; report options: ${reportArgs.join(' ') || 'none'}\n`,
);
const rows = [];
for (const n of sizes) {
  const row = await benchSize(n);
  rows.push(row);
  console.log(
    `  ${n} images: ${row.generatedSeconds === undefined ? 'estate reused from --work' : `generated in ${seconds(row.generatedSeconds)}`}, floor ${row.floorCounts.files} files / ${row.floorCounts.verifies} verifications, images ${verdicts(row.subjects)}, runs (floor / report) ${row.floorRuns.map((f, i) => `${seconds(f)} / ${row.reportRuns[i] === undefined ? '—' : seconds(row.reportRuns[i])}`).join(', ')}, PDF ${row.pdfBytes === undefined ? '—' : mb(row.pdfBytes)}, JSON ${row.jsonBytes === undefined ? '—' : mb(row.jsonBytes)}, bundle ${row.bundleBytes === undefined ? '—' : size(row.bundleBytes)}, load ${row.load.before} → ${row.load.after}`,
  );
}
console.log('| images | evidence | `report` wall (median) | single-pass floor | ratio | peak RSS | PDF pages | HTML |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) printRow(row);
console.log(`\nWhere the report's time went (seconds, the median of each phase over the runs; from its progress lines):\n`);
console.log(`| images | ${PHASES.join(' | ')} |`);
console.log(`|---|${PHASES.map(() => '---').join('|')}|`);
for (const row of rows) {
  if (row.phases === undefined) continue;
  console.log(`| ${row.images.toLocaleString('en')} | ${PHASES.map((p) => (row.phases[p] === undefined ? '—' : row.phases[p].toFixed(2))).join(' | ')} |`);
}
if (values.json) console.log(JSON.stringify(rows));
for (const folder of bundles) rmSync(folder, { recursive: true, force: true });
if (!values.work) rmSync(work, { recursive: true, force: true });
