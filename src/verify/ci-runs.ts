import type { CiRepository, PipelineRun, PipelineStep } from '../collect/evidence.js';
import { isSigningStep, mentions, pushedDigests, signedDigests, stepSucceeded, troubleLines } from './ci-logs.js';

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

/** Every run, with what it shows about `digest`. Pure; the logs are read once per call. */
export function runsForDigest(ci: CiEvidence, digest: string): RunForDigest[] {
  return ci.runs.map((run) => {
    const pushedBy: string[] = [];
    const failedPushes: string[] = [];
    let signs = false;
    let mentioned = false;
    for (const { label, step } of stepsOf(run)) {
      if (pushedDigests(step).has(digest)) (stepSucceeded(step) ? pushedBy : failedPushes).push(label);
      signs ||= signedDigests(step).has(digest);
      mentioned ||= mentions(step, digest);
    }
    return { run, binding: bindRun(run, ci), pushedBy, failedPushes, signs, mentioned };
  });
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
