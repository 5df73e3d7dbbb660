/**
 * What a worker thread is given to process any image of a run, as plain data
 * (it crosses by structured clone): the configuration, the period by its
 * label, the population read from the exports, the staging folder, and the
 * digests of the trust material the main thread loaded. The CI runs come
 * with each image (ImageTask.ci): only those bearing on its digest.
 * The worker loads the trust files itself (keys and trusted roots are not
 * plain data) and refuses to go on if they are not the files the main
 * thread read and copied into the bundle.
 */
import { parsePeriod, type Period } from '../config/period.js';
import type { Population } from '../collect/population-model.js';
import type { Config } from '../config/schema.js';
import { verifyContext } from '../engine/run-checks.js';
import { AuditpackError } from '../errors.js';
import { loadTrust, type TrustSet } from '../trust/load.js';
import { trustedRootFiles } from '../trust/root-files.js';
import type { ImageJobContext } from './image-job.js';

export interface WorkerSpec {
  baseDir: string;
  stagingDir: string;
  config: Config;
  period: { label: string; zone: string; start: string; end: string };
  population?: Population;
  /** SHA-256 of each trust file the main thread loaded, in load order. */
  trustFiles: string[];
}

export function workerSpec(context: {
  baseDir: string;
  stagingDir: string;
  config: Config;
  period: Period;
  population?: Population;
  trust: TrustSet;
}): WorkerSpec {
  const { baseDir, stagingDir, config, period, population, trust } = context;
  return { baseDir, stagingDir, config, period: periodSpec(period), ...(population ? { population } : {}), trustFiles: trustFiles(trust) };
}

/** The job context a worker thread builds from its spec: the same as the main thread's, or an error. */
export async function jobContextFromSpec(spec: WorkerSpec): Promise<ImageJobContext> {
  const { baseDir, config, population } = spec;
  const trust = await loadTrust(baseDir, config.trust.keys, config.trust.trustedRoot, config.trust.githubInstance?.trustedRoot);
  if (JSON.stringify(trustFiles(trust)) !== JSON.stringify(spec.trustFiles)) {
    throw new AuditpackError('TRUST_INVALID', 'the trust files changed while the run was reading them; run again');
  }
  const period = parsePeriod(spec.period.label, spec.period.zone);
  if (JSON.stringify(periodSpec(period)) !== JSON.stringify(spec.period)) {
    throw new AuditpackError('INTERNAL', `the period ${spec.period.label} reads differently in a worker thread`);
  }
  return {
    baseDir,
    imagesPattern: config.evidence.images,
    stagingDir: spec.stagingDir,
    verify: verifyContext({ config, trust, period, ...(population ? { population } : {}) }),
    minGrade: config.sbom.minGrade,
  };
}

function periodSpec(period: Period): WorkerSpec['period'] {
  return { label: period.label, zone: period.zone, start: period.interval.start.toUTC().toISO(), end: period.interval.end.toUTC().toISO() };
}

function trustFiles(trust: TrustSet): string[] {
  return [...trust.keys.map((k) => k.sha256), ...trustedRootFiles(trust).map((f) => f.sha256)];
}
