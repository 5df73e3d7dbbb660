import type { CiRepository, PipelineRun, PipelineStep } from '../collect/evidence.js';
import { isSigningStep, mentionedDigests, mentions, pushedDigests, signedDigests, stepSucceeded, troubleLines } from './ci-logs.js';

/** Which runs may count as builds (config `evidence.repository`, `evidence.events`, `evidence.branches`). */
export interface CiPolicy {
  repository?: { url: string; id?: number };
  events: readonly string[];
  branches: readonly string[];
}

export const DEFAULT_CI_POLICY: CiPolicy = { events: ['push', 'tag'], branches: ['main'] };

/** The CI evidence of an estate: runs, the repository their export names, and the policy that binds them. */
export interface CiEvidence {
  runs: PipelineRun[];
  repository?: CiRepository;
  policy: CiPolicy;
  /**
   * What the runs' logs show, read once for the estate (`indexCi`). When it
   * is given, nothing reads the logs again, so the runs may be passed on
   * without their log lines (`withoutLogs`), e.g. to a worker thread.
   */
  index?: CiIndex;
  /**
   * How many runs the estate's exports hold, when `runs` holds only those
   * bearing on one digest (`ciForDigest`); absent when `runs` is every run.
   */
  estateRuns?: number;
}

/** What one run's steps show about one digest. */
interface DigestFacts {
  pushedBy: string[];
  failedPushes: string[];
  signs: boolean;
  mentioned: boolean;
}

/** One run, judged once: whether it is bound, the signing trouble its logs report, and what they show per digest. */
export interface RunFacts {
  binding: RunBinding;
  trouble: SigningTrouble;
  digests: Map<string, DigestFacts>;
}

/**
 * The estate's CI runs read once: per run its binding, signing trouble and
 * the digests its logs name, and per digest the runs that name it. Without
 * it every image would read every log (quadratic in the estate). Plain data,
 * so it crosses to worker threads as it is.
 */
export interface CiIndex {
  /** Aligned with `CiEvidence.runs`. */
  runs: RunFacts[];
  /** Digest → positions in `runs` of the runs whose logs name, push or sign it, in run order. */
  byDigest: Map<string, number[]>;
}

export type RunBinding = { bound: true } | { bound: false; reason: string };

/** A run as it bears on one digest: whether it counts, and what its logs show. */
export interface RunForDigest {
  run: PipelineRun;
  binding: RunBinding;
  /** Successful steps whose push tool reported pushing the digest. */
  pushedBy: string[];
  /** Steps that pushed it but did not succeed. */
  failedPushes: string[];
  /** A `cosign sign`/`cosign attest` of the run names the digest. */
  signs: boolean;
  /** The digest appears somewhere in the run's logs. */
  mentioned: boolean;
}

/**
 * Whether a run may stand for the configured repository's release builds: its
 * export must come from that repository (repo.json's forge URL and id as
 * configured, the run's own forge link inside it), its event must be allowed,
 * a branch event must be on a release branch (a push by its ref too: a pull
 * request reports its target branch), and it must have succeeded.
 */
export function bindRun(run: PipelineRun, ci: CiEvidence): RunBinding {
  const wanted = ci.policy.repository;
  if (wanted === undefined) return unbound('no repository is configured to bind CI runs to (evidence.repository)');
  const url = trimUrl(wanted.url);
  const repo = ci.repository;
  if (repo === undefined) return unbound('the CI exports have no readable repo.json, so no run can be tied to a repository');
  if (trimUrl(repo.forgeUrl) !== url) return unbound(`the exports' repo.json names ${repo.forgeUrl}, not the configured repository ${url}`);
  if (wanted.id !== undefined && repo.id !== wanted.id) return unbound(`the exports' repo.json has id ${repo.id ?? 'none'}, not the configured ${wanted.id}`);
  if (!run.forgeUrl.toLowerCase().startsWith(`${url}/`)) return unbound(`its forge link ${run.forgeUrl || '(none)'} is not in the repository ${url}`);
  if (!ci.policy.events.includes(run.event)) return unbound(`event '${run.event || 'unknown'}' is not an allowed event (${ci.policy.events.join(', ')})`);
  if (run.event === 'tag') {
    if (!run.ref.startsWith('refs/tags/')) return unbound(`a tag event whose ref ${run.ref || '(none)'} is not a tag`);
  } else {
    if (!ci.policy.branches.includes(run.branch))
      return unbound(`branch '${run.branch || 'unknown'}' is not a release branch (${ci.policy.branches.join(', ')})`);
    if (run.event === 'push' && run.ref !== '' && run.ref !== `refs/heads/${run.branch}`) return unbound(`its ref ${run.ref} is not the branch ${run.branch}`);
  }
  if (run.status !== 'success') return unbound(`status ${run.status || 'unknown'}`);
  return { bound: true };
}

/**
 * Every run whose logs name, push or sign `digest`, in run order, with what
 * they show about it (a run whose logs never name it bears on it in no way).
 * Reads the estate's index (built once when not given), not the logs.
 */
export function runsForDigest(ci: CiEvidence, digest: string): RunForDigest[] {
  const index = ciIndex(ci);
  return positionsFor(ci, digest).flatMap((i) => {
    const run = ci.runs[i];
    const facts = index.runs[i];
    if (run === undefined || facts === undefined) return [];
    const seen = facts.digests.get(digest) ?? { pushedBy: [], failedPushes: [], signs: false, mentioned: true };
    return [{ run, binding: facts.binding, ...seen }];
  });
}

/**
 * The part of the estate's CI evidence that bears on one digest: the runs
 * whose logs name, push or sign it, each with its facts about that digest
 * alone, the repository and the policy, and how many runs the estate has.
 * `runsForDigest`, `runTrouble` and `hasRuns` answer for that digest as they
 * do over every run. What each image's job is given, so that a worker thread
 * holds the runs of the image in hand, not a copy of every run of the estate.
 */
export function ciForDigest(ci: CiEvidence, digest: string): CiEvidence {
  const index = ciIndex(ci);
  const positions = positionsFor(ci, digest);
  const runs: PipelineRun[] = [];
  const facts: RunFacts[] = [];
  for (const i of positions) {
    const run = ci.runs[i];
    const judged = index.runs[i];
    if (run === undefined || judged === undefined) continue;
    const seen = judged.digests.get(digest);
    runs.push(run);
    facts.push({ binding: judged.binding, trouble: judged.trouble, digests: new Map(seen === undefined ? [] : [[digest, seen]]) });
  }
  const byDigest = new Map(runs.length === 0 ? [] : [[digest, runs.map((_, i) => i)]]);
  return {
    runs,
    ...(ci.repository ? { repository: ci.repository } : {}),
    policy: ci.policy,
    index: { runs: facts, byDigest },
    estateRuns: ci.estateRuns ?? ci.runs.length,
  };
}

/** Whether the estate's exports hold any run at all (not only: any run bearing on the digest in hand). */
export function hasRuns(ci: CiEvidence): boolean {
  return (ci.estateRuns ?? ci.runs.length) > 0;
}

/** Signing failures the run's logs report, from the index when the run is indexed. */
export function runTrouble(ci: CiEvidence, run: PipelineRun): SigningTrouble {
  const i = ci.runs.indexOf(run);
  return (i < 0 ? undefined : ciIndex(ci).runs[i]?.trouble) ?? signingTrouble(run);
}

const CANONICAL_DIGEST = /^sha256:[0-9a-f]{64}$/;
const indexes = new WeakMap<PipelineRun[], CiIndex>();

/** The given index, or the one built (once per runs array) from the logs. */
export function ciIndex(ci: CiEvidence): CiIndex {
  if (ci.index !== undefined) return ci.index;
  const cached = indexes.get(ci.runs) ?? indexCi(ci);
  indexes.set(ci.runs, cached);
  return cached;
}

/** Reads every run's logs once: see CiIndex. */
export function indexCi(ci: CiEvidence): CiIndex {
  return indexOfFacts(ci.runs.map((run) => runFacts(run, ci)));
}

/** One run judged and its logs read (binding, signing trouble, digests): a streaming collector does this as each run is read. */
export function runFacts(run: PipelineRun, ci: Omit<CiEvidence, 'runs' | 'index'>): RunFacts {
  const digests = new Map<string, DigestFacts>();
  const facts = (digest: string): DigestFacts => {
    let f = digests.get(digest);
    if (f === undefined) {
      f = { pushedBy: [], failedPushes: [], signs: false, mentioned: false };
      digests.set(digest, f);
    }
    return f;
  };
  for (const { label, step } of stepsOf(run)) {
    for (const digest of pushedDigests(step)) (stepSucceeded(step) ? facts(digest).pushedBy : facts(digest).failedPushes).push(label);
    for (const digest of signedDigests(step)) facts(digest).signs = true;
    for (const digest of mentionedDigests(step)) facts(digest).mentioned = true;
  }
  return { binding: bindRun(run, { ...ci, runs: [] }), trouble: signingTrouble(run), digests };
}

/** The index over runs already judged, aligned with them. */
export function indexOfFacts(runs: RunFacts[]): CiIndex {
  const byDigest = new Map<string, number[]>();
  runs.forEach((facts, position) => {
    for (const digest of facts.digests.keys()) {
      const positions = byDigest.get(digest);
      if (positions === undefined) byDigest.set(digest, [position]);
      else positions.push(position);
    }
  });
  return { runs, byDigest };
}

/** Positions in `ci.runs` of the runs bearing on `digest`, in run order. */
function positionsFor(ci: CiEvidence, digest: string): number[] {
  return CANONICAL_DIGEST.test(digest) ? (ciIndex(ci).byDigest.get(digest) ?? []) : mentioningRuns(ci, digest);
}

/** Runs whose logs contain `digest` as text: for a digest that is not `sha256:` and 64 hex digits, which the index does not key. */
function mentioningRuns(ci: CiEvidence, digest: string): number[] {
  return ci.runs.flatMap((run, i) => (stepsOf(run).some(({ step }) => mentions(step, digest)) ? [i] : []));
}

/**
 * The runs without their log lines, with the index that stands for them, at
 * a fraction of the size: the form a report run keeps the estate's runs in
 * (its CI collector makes each run's as it reads it: estate/pipeline-job.ts,
 * `withoutLog` and `runFacts`).
 */
export function withoutLogs(ci: CiEvidence): CiEvidence {
  return { ...ci, runs: ci.runs.map(withoutLog), index: ciIndex(ci) };
}

/** A run without its log lines; a step keeps an empty log, so a step whose log was exported still reads as such. */
export function withoutLog(run: PipelineRun): PipelineRun {
  return { ...run, workflows: run.workflows.map((w) => ({ ...w, steps: w.steps.map((s) => ({ ...s, log: s.log === undefined ? undefined : [] })) })) };
}

/** The runs that built the digest: bound, with a successful step that pushed it. */
export function buildingRuns(runs: RunForDigest[]): RunForDigest[] {
  return runs.filter((r) => r.binding.bound && r.pushedBy.length > 0);
}

/** The runs whose signing steps `pipeline.signing-clean` judges: those that built the digest and every bound run that signed it. */
export function judgedRuns(runs: RunForDigest[]): RunForDigest[] {
  return runs.filter((r) => r.binding.bound && (r.pushedBy.length > 0 || r.signs));
}

/** Why a run that names the digest is not its build, in a few words. */
export function whyNotBuild(r: RunForDigest): string {
  if (!r.binding.bound) return r.binding.reason;
  if (r.failedPushes.length > 0) return `the step that pushed it did not succeed (${r.failedPushes.join(', ')})`;
  return 'its logs name the digest, but no push tool reports pushing it';
}

export interface SigningTrouble {
  lines: string[];
  evidence: string[];
}

/** Signing failures a green run hid: failure lines of any step, and signing steps that did not succeed. */
export function signingTrouble(run: PipelineRun): SigningTrouble {
  const lines: string[] = [];
  const evidence = new Set<string>();
  for (const { label, step } of stepsOf(run)) {
    const found = troubleLines(step);
    if (isSigningStep(step) && !stepSucceeded(step))
      found.unshift(`step ${label} ended ${step.state || 'unknown'}${step.exitCode === undefined ? '' : ` (exit code ${step.exitCode})`}`);
    if (found.length > 0 && step.logEvidence) evidence.add(step.logEvidence);
    lines.push(...found);
  }
  return { lines, evidence: [...evidence] };
}

function stepsOf(run: PipelineRun): { label: string; step: PipelineStep }[] {
  return run.workflows.flatMap((w) => w.steps.map((step) => ({ label: `${w.name}/${step.name}`, step })));
}

function unbound(reason: string): RunBinding {
  return { bound: false, reason };
}

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}

/** What the report says of every finding resting on CI exports. */
export const CI_EVIDENCE_NOTE =
  'Woodpecker CI export (API JSON): unsigned operator evidence, bound by repository, event, branch and pushing step; weaker than a signed provenance attestation';
