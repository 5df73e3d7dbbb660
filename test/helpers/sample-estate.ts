/**
 * Attacks on a copy of the sample estate: copy samples/akko, change files as
 * someone with write access to the evidence folders could (no keys), run the
 * built CLI on it, and compare the report with the one without the change.
 * Nothing about the verdict, an image's status, a finding or a control may
 * get better.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { Finding, Report } from '../../src/report/model.js';
import { GOLDEN_CLOCK, ROOT, auditpack } from '../e2e/cli.js';
import type { KeyPair } from './estate.js';

export const SAMPLE = `${ROOT}samples/akko`;

export interface EstateRun {
  status: number | null;
  stderr: string;
  report: Report | undefined;
}

/** A private copy of the sample estate. */
export class EstateCopy {
  private runs = 0;

  private constructor(readonly dir: string) {}

  static async create(): Promise<EstateCopy> {
    const work = await mkdtemp(join(tmpdir(), 'auditpack-attack-'));
    const dir = join(work, 'akko');
    await cp(SAMPLE, dir, { recursive: true, filter: (src) => !src.startsWith(join(SAMPLE, 'golden')) });
    return new EstateCopy(dir);
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  async read(...parts: string[]): Promise<string> {
    return readFile(this.path(...parts), 'utf8');
  }

  async write(relative: string, content: string | Buffer): Promise<void> {
    await writeFile(this.path(relative), content);
  }

  async remove(relative: string): Promise<void> {
    await rm(this.path(relative), { recursive: true, force: true });
  }

  async copy(from: string, to: string): Promise<void> {
    await cp(this.path(from), this.path(to), { recursive: true });
  }

  async editConfig(edit: (yaml: string) => string): Promise<void> {
    await this.write('auditpack.yaml', edit(await this.read('auditpack.yaml')));
  }

  /** A Woodpecker pipeline export as JSON, to change and write back. */
  async pipeline(n: number): Promise<Record<string, any>> {
    return JSON.parse(await this.read('woodpecker', 'pipelines', `${n}.json`)) as Record<string, any>;
  }

  async writePipeline(n: number, json: Record<string, unknown>): Promise<void> {
    await this.write(join('woodpecker', 'pipelines', `${n}.json`), JSON.stringify(json));
  }

  /** The decoded lines of one step's log export. */
  async log(n: number, stepId: number): Promise<string[]> {
    const entries = JSON.parse(await this.read('woodpecker', 'logs', String(n), `${stepId}.json`)) as { data: string }[];
    return entries.map((e) => Buffer.from(e.data, 'base64').toString('utf8'));
  }

  async writeLog(n: number, stepId: number, lines: string[]): Promise<void> {
    const entries = lines.map((text, line) => ({
      id: 90_000_000 + line,
      step_id: stepId,
      time: line,
      line,
      data: Buffer.from(text).toString('base64'),
      type: 0,
    }));
    await this.write(join('woodpecker', 'logs', String(n), `${stepId}.json`), JSON.stringify(entries));
  }

  /** Copies run `from` (its export and every step log) as run `to`, with new step ids, and lets the caller change it. */
  async cloneRun(from: number, to: number, change: (run: Record<string, any>, logs: Map<number, string[]>) => void): Promise<void> {
    const run = await this.pipeline(from);
    const logs = new Map<number, string[]>();
    for (const workflow of run.workflows as { children: { id: number }[] }[]) {
      for (const step of workflow.children) {
        const id = step.id + 1_000_000;
        logs.set(id, await this.log(from, step.id));
        step.id = id;
      }
    }
    run.number = to;
    change(run, logs);
    await this.writePipeline(to, run);
    await mkdir(this.path('woodpecker', 'logs', String(to)), { recursive: true });
    for (const [id, lines] of logs) await this.writeLog(to, id, lines);
  }

  async removeRun(n: number): Promise<void> {
    await this.remove(join('woodpecker', 'pipelines', `${n}.json`));
    await this.remove(join('woodpecker', 'logs', String(n)));
  }

  async files(relative: string): Promise<string[]> {
    return (await readdir(this.path(relative))).sort();
  }

  /** Runs `auditpack report` on the copy (JSON output only) with the golden clock, and any further options. */
  run(...options: string[]): EstateRun {
    const out = join(this.dir, '..', `out-${(this.runs += 1)}`);
    const r = auditpack('report', '--config', this.path('auditpack.yaml'), '--out', out, '--clock', GOLDEN_CLOCK, '--output', 'json', ...options);
    let report: Report | undefined;
    try {
      report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    } catch {
      report = undefined;
    }
    return { status: r.status, stderr: r.stderr, report };
  }

  async dispose(): Promise<void> {
    await rm(join(this.dir, '..'), { recursive: true, force: true });
  }
}

/** Makes estate copies for one test file; each is removed after the file's tests. */
export function estateCopies(): () => Promise<EstateCopy> {
  const copies: EstateCopy[] = [];
  afterAll(async () => {
    await Promise.all(copies.map((c) => c.dispose()));
  });
  return async () => {
    const copy = await EstateCopy.create();
    copies.push(copy);
    return copy;
  };
}

/** The DEMO-ONLY keys of the sample (cosign signing key, demo transparency log), to build honest setups an attacker could not. */
export async function demoKeys(): Promise<{ cosign: KeyPair; rekor: KeyPair }> {
  const pair = async (file: string, pub?: string): Promise<KeyPair> => {
    const privateKey = createPrivateKey(await readFile(join(SAMPLE, 'keys', file)));
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, pem: pub ?? publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  };
  return { cosign: await pair('DEMO-ONLY-cosign.key', await readFile(join(SAMPLE, 'keys', 'cosign.pub'), 'utf8')), rekor: await pair('DEMO-ONLY-rekor.key') };
}

/** The golden report: the sample estate's report with the current code (the e2e report test holds it to that). */
export async function goldenRun(): Promise<EstateRun> {
  return { status: 1, stderr: '', report: JSON.parse(await readFile(join(SAMPLE, 'golden', 'report.json'), 'utf8')) as Report };
}

const BAD = new Set(['fail', 'error']);
const SUBJECT_RANK = { verified: 0, incomplete: 1, failed: 2 } as const;

/**
 * Nothing got better: exit code, verdict, every image's status, every
 * finding (a non-pass never becomes a pass) and every control's coverage.
 */
export function expectNoBetter(attacked: EstateRun, before: EstateRun): void {
  expect(attacked.status, attacked.stderr).toBeGreaterThanOrEqual(before.status ?? 0);
  if (attacked.status === 2) return;
  const a = attacked.report;
  const b = before.report;
  if (a === undefined || b === undefined) throw new Error(`no report to compare: ${attacked.stderr}`);
  if (b.summary.verdict === 'fail') expect(a.summary.verdict).toBe('fail');
  for (const subject of b.subjects) {
    const now = a.subjects.find((s) => s.id === subject.id);
    expect(SUBJECT_RANK[now?.status ?? 'failed'], `${subject.id}: ${subject.status} → ${now?.status}`).toBeGreaterThanOrEqual(SUBJECT_RANK[subject.status]);
  }
  for (const finding of b.findings.filter((f) => BAD.has(f.status))) {
    const now = a.findings.find((f) => f.id === finding.id);
    expect(now?.status ?? 'fail', `${finding.id} was ${finding.status}: ${finding.message}`).toMatch(/^(fail|error)$/);
  }
  for (const fw of b.frameworks) {
    for (const control of fw.controls) {
      const now = a.frameworks.find((f) => f.id === fw.id)?.controls.find((c) => c.id === control.id);
      expect(now?.coverage.passed ?? 0, `${fw.id}/${control.id} coverage`).toBeLessThanOrEqual(control.coverage.passed);
    }
  }
  expect(a.summary.controls.supported).toBeLessThanOrEqual(b.summary.controls.supported);
}

export function finding(run: EstateRun, id: string): Finding | undefined {
  return run.report?.findings.find((f) => f.id === id);
}

/** The id of a step of a pipeline export, by workflow and step name. */
export function stepId(run: Record<string, any>, workflow: string, step: string): number {
  const found = (run.workflows as { name: string; children: { id: number; name: string }[] }[])
    .find((w) => w.name === workflow)
    ?.children.find((c) => c.name === step);
  if (found === undefined) throw new Error(`no step ${workflow}/${step} in run #${String(run.number)}`);
  return found.id;
}

/** The pipeline number that built an image in the sample (one run per image, in config order from #1201). */
export async function runOf(estate: EstateCopy, image: string): Promise<number> {
  for (let n = 1201; n <= 1216; n++) if ((await estate.pipeline(n)).workflows[0].environ.IMAGE === image) return n;
  throw new Error(`no run for ${image}`);
}
