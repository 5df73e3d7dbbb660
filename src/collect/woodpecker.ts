import { lstat } from 'node:fs/promises';
import { join, resolve, relative } from 'node:path';
import { DateTime } from 'luxon';
import { describeThrown } from '../errors.js';
import type { EvidenceKind, InputProblem } from '../report/model.js';
import { isRecord } from '../util/wire.js';
import type { CiRepository, Evidence, PipelineRun, PipelineStep, PipelineWorkflow } from './evidence.js';
import { listFiles, readEvidenceFile } from './read-file.js';

/** What `auditpack collect woodpecker` records of its redactions: each redacted file's original SHA-256 and size. */
export const REDACTIONS_FILE = 'redactions.json';

export interface WoodpeckerCollection {
  runs: PipelineRun[];
  repository?: CiRepository;
  /** Every file read, verbatim; empty when a sink took them (see CollectSink). */
  evidence: Evidence[];
  problems: InputProblem[];
}

/**
 * Where a streaming run sends what it reads instead of holding it: each
 * evidence file as soon as it is read and parsed (to be written into the
 * bundle and dropped), and, when `pipeline` is given, each pipeline export to
 * be read there (e.g. in a worker thread, which writes its files into the
 * bundle and keeps the run judged, without its log lines). Thousands of
 * pipelines then never sit in memory at once.
 */
export interface CollectSink {
  keep(evidence: Evidence): Promise<void>;
  pipeline?: (file: string, root: string, repository: CiRepository | undefined) => Promise<{ run: PipelineRun | undefined; problems: InputProblem[] }>;
}

/** One pipeline export read: the run (absent when the export is not a pipeline), every file read for it (the export and its step logs), and the problems. */
export interface PipelineReading {
  run: PipelineRun | undefined;
  evidence: Evidence[];
  problems: InputProblem[];
}

/** Reads one `pipelines/<number>.json` and the logs of its steps. */
export async function readPipelineExport(baseDir: string, root: string, file: string): Promise<PipelineReading> {
  const own: Reading = { runs: [], evidence: [], problems: [], keep: (e) => void own.evidence.push(e) };
  return { run: await readPipeline(baseDir, root, file, own), evidence: own.evidence, problems: own.problems };
}

/**
 * Reads Woodpecker API exports: `repo.json` (GET /api/repos/lookup/{owner}/{name}),
 * `pipelines/<number>.json` (GET /api/repos/{id}/pipelines/{number}) and
 * `logs/<number>/<step_id>.json` (GET /api/repos/{id}/logs/{number}/{step_id}),
 * plus `redactions.json` when `auditpack collect woodpecker` wrote the folder.
 * Accepts v3 and v2 field names. Whether a run counts for an image is for
 * verification to judge: these exports are unsigned.
 */
export async function collectWoodpecker(baseDir: string, folder: string, sink?: CollectSink): Promise<WoodpeckerCollection> {
  const root = resolve(baseDir, folder);
  const out: Reading = { runs: [], evidence: [], problems: [], keep: sink ? (e) => sink.keep(e) : (e) => void out.evidence.push(e) };
  const repository = await readRepository(baseDir, join(root, 'repo.json'), out);
  if (repository) out.repository = repository;
  await readRedactions(baseDir, join(root, REDACTIONS_FILE), out);
  let files: string[];
  try {
    files = (await listFiles(join(root, 'pipelines'))).filter((f) => f.endsWith('.json'));
  } catch (thrown) {
    out.problems.push({
      code: 'EVIDENCE_MISSING',
      file: relative(baseDir, join(root, 'pipelines')),
      reason: `no pipeline exports (${describeThrown(thrown)})`,
    });
    return collected(out);
  }
  // Several pipelines are read at once (reading is latency-bound: thousands of small files), each into
  // its own buffer; they are handed on in file order, so the result does not depend on timing.
  const pipeline = sink?.pipeline;
  await mapInOrder(
    files,
    PIPELINES_AT_ONCE,
    async (file): Promise<PipelineReading> =>
      pipeline ? { evidence: [], ...(await pipeline(file, root, out.repository)) } : readPipelineExport(baseDir, root, file),
    async ({ run, evidence, problems }) => {
      for (const e of evidence) await out.keep(e);
      out.problems.push(...problems);
      if (run) out.runs.push(run);
    },
  );
  out.runs.sort((a, b) => a.number - b.number);
  return collected(out);
}

const PIPELINES_AT_ONCE = 8;

/** `read` over every item, at most `limit` at once, each result handed to `use` in item order. */
async function mapInOrder<T, R>(items: readonly T[], limit: number, read: (item: T) => Promise<R>, use: (result: R) => Promise<void>): Promise<void> {
  const started = new Map<number, Promise<R>>();
  const start = (i: number) => {
    const item = items[i];
    if (item === undefined) return;
    const reading = read(item);
    reading.catch(() => undefined); // awaited in order below
    started.set(i, reading);
  };
  for (let i = 0; i < Math.min(limit, items.length); i++) start(i);
  for (let i = 0; i < items.length; i++) {
    const result = await started.get(i);
    started.delete(i);
    start(i + limit);
    if (result !== undefined) await use(result);
  }
}

function collected({ runs, repository, evidence, problems }: Reading): WoodpeckerCollection {
  return { runs, ...(repository ? { repository } : {}), evidence, problems };
}

/** The collection being read, and where each evidence file goes once read and parsed. */
interface Reading extends WoodpeckerCollection {
  keep: (evidence: Evidence) => void | Promise<void>;
}

async function readRepository(baseDir: string, file: string, out: Reading): Promise<CiRepository | undefined> {
  const missing = (reason: string): InputProblem => ({
    code: 'EVIDENCE_MISSING',
    file: relative(baseDir, file),
    reason: `no repository export (GET /api/repos/lookup/{owner}/{name}), so no run can be bound to the repository (${reason})`,
  });
  const read = await readJsonExport(baseDir, file, 'ci-repository', out, missing);
  if (read === undefined) return undefined;
  const { evidence, json } = read;
  if (!isRecord(json) || typeof json.forge_url !== 'string' || json.forge_url === '') {
    out.problems.push({ code: 'EVIDENCE_MALFORMED', file: evidence.source, reason: 'not a Woodpecker repository (no forge_url)' });
    return undefined;
  }
  return {
    id: typeof json.id === 'number' ? json.id : undefined,
    fullName: stringField(json, 'full_name'),
    forgeUrl: json.forge_url,
    evidence: evidence.sha256,
    source: evidence.source,
  };
}

/**
 * The redaction record is kept as evidence, so the sealed bundle carries the
 * SHA-256 of every original the CI server sent that was redacted before it
 * was written: whoever holds an original can show it is the one the evidence
 * was redacted from. Hand exports have none: its absence is no problem.
 */
async function readRedactions(baseDir: string, file: string, out: Reading): Promise<void> {
  if (
    !(await lstat(file).then(
      () => true,
      () => false,
    ))
  )
    return;
  const read = await readJsonExport(baseDir, file, 'ci-redactions', out, (reason) => ({ code: 'EVIDENCE_UNREADABLE', file: relative(baseDir, file), reason }));
  if (read !== undefined && !(isRecord(read.json) && read.json.redactionFormat === 'auditpack-redactions' && Array.isArray(read.json.files))) {
    out.problems.push({
      code: 'EVIDENCE_MALFORMED',
      file: read.evidence.source,
      reason: 'not a redaction record of auditpack collect woodpecker (redactionFormat auditpack-redactions with a files list)',
    });
  }
}

/** One exported API response, kept verbatim as evidence and parsed; a missing or broken file is a problem naming it. */
async function readJsonExport(
  baseDir: string,
  file: string,
  kind: EvidenceKind,
  out: Reading,
  unreadable: (reason: string) => InputProblem,
): Promise<{ evidence: Evidence; json: unknown } | undefined> {
  const read = await readEvidenceFile(baseDir, file);
  if (!read.ok) {
    out.problems.push(unreadable(read.reason));
    return undefined;
  }
  const evidence: Evidence = { ...read.evidence, kind };
  await out.keep(evidence);
  try {
    return { evidence, json: JSON.parse(evidence.bytes.toString('utf8')) };
  } catch (thrown) {
    out.problems.push({ code: 'EVIDENCE_MALFORMED', file: evidence.source, reason: `not JSON (${describeThrown(thrown)})` });
    return undefined;
  }
}

async function readPipeline(baseDir: string, root: string, file: string, out: Reading): Promise<PipelineRun | undefined> {
  const read = await readJsonExport(baseDir, file, 'pipeline-run', out, (reason) => ({ code: 'EVIDENCE_UNREADABLE', file: relative(baseDir, file), reason }));
  if (read === undefined) return undefined;
  const { evidence, json } = read;
  if (!isRecord(json) || typeof json.number !== 'number' || typeof json.status !== 'string') {
    out.problems.push({ code: 'EVIDENCE_MALFORMED', file: evidence.source, reason: 'not a Woodpecker pipeline (no number or status)' });
    return undefined;
  }
  const run: PipelineRun = {
    system: 'woodpecker',
    number: json.number,
    status: json.status,
    event: stringField(json, 'event'),
    branch: stringField(json, 'branch'),
    ref: stringField(json, 'ref'),
    commit: stringField(json, 'commit'),
    forgeUrl: stringField(json, 'forge_url'),
    startedAt: epochField(json, 'started', 'started_at'),
    finishedAt: epochField(json, 'finished', 'finished_at'),
    workflows: [],
    evidence: evidence.sha256,
  };
  for (const workflow of Array.isArray(json.workflows) ? json.workflows : []) {
    if (isRecord(workflow)) run.workflows.push(await readWorkflow(baseDir, root, run, workflow, out));
  }
  return run;
}

async function readWorkflow(baseDir: string, root: string, run: PipelineRun, workflow: Record<string, unknown>, out: Reading): Promise<PipelineWorkflow> {
  const steps: PipelineStep[] = [];
  for (const child of Array.isArray(workflow.children) ? workflow.children : []) {
    if (!isRecord(child) || typeof child.id !== 'number') continue;
    const log = await readStepLog(baseDir, join(root, 'logs', String(run.number), `${child.id}.json`), out);
    steps.push({
      id: child.id,
      name: stringField(child, 'name'),
      state: stringField(child, 'state'),
      exitCode: typeof child.exit_code === 'number' ? child.exit_code : undefined,
      log: log?.lines,
      logEvidence: log?.sha256,
    });
  }
  const environ = isRecord(workflow.environ) ? workflow.environ : {};
  return {
    name: stringField(workflow, 'name'),
    state: stringField(workflow, 'state'),
    environ: Object.fromEntries(Object.entries(environ).map(([k, v]) => [k, String(v)])),
    steps,
  };
}

async function readStepLog(baseDir: string, file: string, out: Reading): Promise<{ lines: string[]; sha256: string } | undefined> {
  const read = await readEvidenceFile(baseDir, file);
  if (!read.ok) return undefined; // a step without an exported log is shown as such by the checks
  const evidence: Evidence = { ...read.evidence, kind: 'pipeline-log' };
  await out.keep(evidence);
  try {
    const entries: unknown = JSON.parse(evidence.bytes.toString('utf8'));
    if (!Array.isArray(entries)) throw new Error('expected an array of log entries');
    const lines = entries
      .filter(isRecord)
      .sort((a, b) => Number(a.line) - Number(b.line))
      // `data` is Go []byte, so base64 on the wire (the Swagger file says otherwise).
      .map((e) => Buffer.from(typeof e.data === 'string' ? e.data : '', 'base64').toString('utf8'));
    return { lines, sha256: evidence.sha256 };
  } catch (thrown) {
    out.problems.push({ code: 'EVIDENCE_MALFORMED', file: evidence.source, reason: `not a Woodpecker step log (${describeThrown(thrown)})` });
    return undefined;
  }
}

function stringField(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function epochField(o: Record<string, unknown>, v3: string, v2: string): string | undefined {
  const v = o[v3] ?? o[v2];
  if (typeof v !== 'number' || v <= 0) return undefined;
  return DateTime.fromSeconds(v, { zone: 'utc' }).toISO() ?? undefined;
}
