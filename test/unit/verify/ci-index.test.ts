import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../../src/collect/evidence.js';
import { indexCi, runTrouble, runsForDigest, withoutLogs, type CiEvidence } from '../../../src/verify/ci-runs.js';
import { CI_POLICY, CI_REPOSITORY, IMAGE, pipelineRun } from '../../helpers/estate.js';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const OTHER = digest(0xbeef);

/** Runs that push, sign, print or fail to push a few digests, over several steps. */
function estate(): CiEvidence {
  const runs: PipelineRun[] = [
    pipelineRun({ number: 1, digest: IMAGE.digest }),
    pipelineRun({ number: 2, digest: OTHER }),
    // Names IMAGE only in an echoed line (mentioned, not pushed), with ANSI codes around it.
    pipelineRun({ number: 3, digest: OTHER, signLog: ['+ echo done', `\u001b[32mdigest ${IMAGE.digest}\u001b[0m`] }),
    // Pushes IMAGE from a step that failed, and logs a signing error.
    pipelineRun({ number: 4, digest: IMAGE.digest, buildState: { state: 'failure', exitCode: 1 }, signLog: ['Error: signing failed: no key'] }),
    pipelineRun({ number: 5, digest: OTHER, status: 'failure' }),
  ];
  return { runs, repository: CI_REPOSITORY, policy: CI_POLICY };
}

describe('the CI index (each log read once for the estate)', () => {
  it('gives each digest exactly the runs whose logs push, sign or name it, in run order, with what they show', () => {
    const ci = estate();
    const runs = runsForDigest(ci, IMAGE.digest);
    expect(runs.map((r) => [r.run.number, r.pushedBy, r.failedPushes, r.signs, r.mentioned])).toEqual([
      [1, ['06-trivy/build-push'], [], true, true],
      [3, [], [], false, true],
      [4, [], ['06-trivy/build-push'], false, true],
    ]);
    expect(runsForDigest(ci, OTHER).map((r) => [r.run.number, r.binding.bound])).toEqual([
      [2, true],
      [3, true],
      [5, false],
    ]);
    expect(runsForDigest(ci, digest(1))).toEqual([]);
  });

  it('keys only sha256 digests of 64 hex digits, and still finds a shorter one named in a log by reading the logs', () => {
    const short = 'sha256:abc';
    const ci: CiEvidence = { ...estate(), runs: [pipelineRun({ number: 7, buildLog: [`pushed ${short}`] })] };
    expect(indexCi(ci).byDigest.has(short)).toBe(false);
    expect(runsForDigest(ci, short).map((r) => [r.run.number, r.mentioned, r.pushedBy])).toEqual([[7, true, []]]);
  });

  it('gives the same answers for the runs without their logs, once indexed, and keeps which steps had a log', () => {
    const ci = estate();
    const light = withoutLogs(ci);
    expect(light.runs.flatMap((r) => r.workflows.flatMap((w) => w.steps.map((s) => s.log)))).toEqual(Array<string[]>(10).fill([]));
    for (const d of [IMAGE.digest, OTHER, digest(1)]) {
      expect(runsForDigest(light, d).map(({ run, ...rest }) => ({ run: run.number, ...rest }))).toEqual(
        runsForDigest(ci, d).map(({ run, ...rest }) => ({ run: run.number, ...rest })),
      );
    }
    const troubled = light.runs[3];
    expect(troubled && runTrouble(light, troubled).lines).toEqual(['Error: signing failed: no key']);
    // Survives the structured clone a worker thread receives.
    const cloned = structuredClone(light);
    expect(runsForDigest(cloned, IMAGE.digest).map((r) => r.run.number)).toEqual([1, 3, 4]);
  });

  it('reads a run it does not know (not in the estate) from its logs', () => {
    const stray = pipelineRun({ number: 9, signLog: ['level=error msg="signing failed"'] });
    expect(runTrouble(estate(), stray).lines).toEqual(['level=error msg="signing failed"']);
  });
});
