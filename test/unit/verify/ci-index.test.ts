import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../../../src/collect/evidence.js';
import { ciForDigest, hasRuns, indexCi, runTrouble, runsForDigest, withoutLogs, type CiEvidence } from '../../../src/verify/ci-runs.js';
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

describe("one digest's part of the CI evidence (what an image's job is given)", () => {
  const numbered = (runs: ReturnType<typeof runsForDigest>) => runs.map(({ run, ...rest }) => ({ run: run.number, ...rest }));

  it('gives the same runs, facts and trouble for its digest as every run does, logs or not', () => {
    for (const ci of [estate(), withoutLogs(estate())]) {
      for (const d of [IMAGE.digest, OTHER, digest(1)]) {
        const part = ciForDigest(ci, d);
        expect(numbered(runsForDigest(part, d))).toEqual(numbered(runsForDigest(ci, d)));
        for (const run of part.runs) expect(runTrouble(part, run)).toEqual(runTrouble(ci, run));
      }
    }
  });

  it('holds only the runs bearing on its digest, each with facts about that digest alone', () => {
    const part = ciForDigest(estate(), IMAGE.digest);
    expect(part.runs.map((r) => r.number)).toEqual([1, 3, 4]);
    expect(part.index?.runs.map((f) => [...f.digests.keys()])).toEqual([[IMAGE.digest], [IMAGE.digest], [IMAGE.digest]]);
    // Another image's digest finds nothing in it, even one its runs also name.
    expect(runsForDigest(part, OTHER)).toEqual([]);
  });

  it('still knows the estate has runs when none bears on its digest, and that an estate without exports has none', () => {
    const none = ciForDigest(estate(), digest(1));
    expect(none.runs).toEqual([]);
    expect(none.estateRuns).toBe(5);
    expect(hasRuns(none)).toBe(true);
    expect(hasRuns(ciForDigest({ ...estate(), runs: [] }, IMAGE.digest))).toBe(false);
    // A part of a part counts the estate, not the part.
    expect(ciForDigest(ciForDigest(estate(), OTHER), IMAGE.digest).estateRuns).toBe(5);
  });

  it('finds a shorter digest named in a log as every run does, and survives the structured clone to a worker thread', () => {
    const short = 'sha256:abc';
    const ci: CiEvidence = { ...estate(), runs: [pipelineRun({ number: 7, buildLog: [`pushed ${short}`] }), pipelineRun({ number: 8 })] };
    expect(ciForDigest(ci, short).runs.map((r) => r.number)).toEqual([7]);
    const cloned = structuredClone(ciForDigest(estate(), IMAGE.digest));
    expect(numbered(runsForDigest(cloned, IMAGE.digest))).toEqual(numbered(runsForDigest(estate(), IMAGE.digest)));
  });
});
