import { join, resolve, relative } from 'node:path';
import { DateTime } from 'luxon';
import { describeThrown } from '../errors.js';
import type { InputProblem } from '../report/model.js';
import { isRecord } from './classify.js';
import type { Evidence, PipelineRun, PipelineStep, PipelineWorkflow } from './evidence.js';
import { listFiles, readEvidenceFile } from './read-file.js';

const DIGEST_PATTERN = /sha256:[0-9a-f]{64}/g;

export interface WoodpeckerCollection {
  runs: PipelineRun[];
  evidence: Evidence[];
  problems: InputProblem[];
}

/**
 * Reads Woodpecker API exports: `pipelines/<number>.json` (GET
 * /api/repos/{id}/pipelines/{number}) and `logs/<number>/<step_id>.json`
 * (GET /api/repos/{id}/logs/{number}/{step_id}). Accepts v3 and v2 field names.
 */
export async function collectWoodpecker(baseDir: string, folder: string): Promise<WoodpeckerCollection> {
  const root = resolve(baseDir, folder);
  const out: WoodpeckerCollection = { runs: [], evidence: [], problems: [] };
  let files: string[];
  try {
    files = (await listFiles(join(root, 'pipelines'))).filter((f) => f.endsWith('.json'));
  } catch (thrown) {
    out.problems.push({ code: 'EVIDENCE_MISSING', file: relative(baseDir, join(root, 'pipelines')), reason: `no pipeline exports (${describeThrown(thrown)})` });
    return out;
  }
  for (const file of files) {
    const run = await readPipeline(baseDir, root, file, out);
    if (run) out.runs.push(run);
  }
  out.runs.sort((a, b) => a.number - b.number);
  return out;
}

async function readPipeline(baseDir: string, root: string, file: string, out: WoodpeckerCollection): Promise<PipelineRun | undefined> {
  const read = await readEvidenceFile(baseDir, file);
  if (!read.ok) {
    out.problems.push({ code: 'EVIDENCE_UNREADABLE', file: relative(baseDir, file), reason: read.reason });
    return undefined;
  }
  const evidence: Evidence = { ...read.evidence, kind: 'pipeline-run' };
  out.evidence.push(evidence);
  let json: unknown;
  try {
    json = JSON.parse(evidence.bytes.toString('utf8'));
  } catch (thrown) {
    out.problems.push({ code: 'EVIDENCE_MALFORMED', file: evidence.source, reason: `not JSON (${describeThrown(thrown)})` });
    return undefined;
  }
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
    commit: stringField(json, 'commit'),
    startedAt: epochField(json, 'started', 'started_at'),
    finishedAt: epochField(json, 'finished', 'finished_at'),
    workflows: [],
    digestsMentioned: new Set(),
    evidence: evidence.sha256,
  };
  for (const workflow of Array.isArray(json.workflows) ? json.workflows : []) {
    if (isRecord(workflow)) run.workflows.push(await readWorkflow(baseDir, root, run, workflow, out));
  }
  return run;
}

async function readWorkflow(
  baseDir: string,
  root: string,
  run: PipelineRun,
  workflow: Record<string, unknown>,
  out: WoodpeckerCollection,
): Promise<PipelineWorkflow> {
  const steps: PipelineStep[] = [];
  for (const child of Array.isArray(workflow.children) ? workflow.children : []) {
    if (!isRecord(child) || typeof child.id !== 'number') continue;
    const log = await readStepLog(baseDir, join(root, 'logs', String(run.number), `${child.id}.json`), out);
    for (const line of log?.lines ?? []) for (const d of line.match(DIGEST_PATTERN) ?? []) run.digestsMentioned.add(d);
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

async function readStepLog(
  baseDir: string,
  file: string,
  out: WoodpeckerCollection,
): Promise<{ lines: string[]; sha256: string } | undefined> {
  const read = await readEvidenceFile(baseDir, file);
  if (!read.ok) return undefined; // a step without an exported log is shown as such by the checks
  const evidence: Evidence = { ...read.evidence, kind: 'pipeline-log' };
  out.evidence.push(evidence);
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
