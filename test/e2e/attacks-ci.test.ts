/**
 * Attacks on the CI evidence of a copy of the sample estate. Woodpecker
 * exports are unsigned: runs count only when bound to the configured
 * repository, an allowed event and a release branch, and a successful step
 * pushed the digest. Each attack must leave the report no better.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type EstateCopy, estateCopies, expectNoBetter, finding, goldenRun, runOf, stepId, type EstateRun } from '../helpers/sample-estate.js';

const COCKPIT = 'sha256:d62481acfcbae4fdddf9c85ab206eee837c2dadc27ba0619e826307575607697';
const estate = estateCopies();

describe('CI runs that are not the build of the digest do not make pipeline.built pass', () => {
  let setup: EstateRun;
  let cockpitRun: number;

  /** A copy, and which run built cockpit in it. The honest starting point removes that run: nothing says cockpit was built. */
  async function withoutCockpitRun(): Promise<EstateCopy> {
    const copy = await estate();
    cockpitRun = await runOf(copy, 'cockpit');
    return copy;
  }

  beforeAll(async () => {
    const copy = await withoutCockpitRun();
    await copy.removeRun(cockpitRun);
    setup = copy.run();
    expect(finding(setup, 'pipeline.built:cockpit')).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND' });
  });

  /** Adds run #1250, a copy of cockpit's release run changed by `change`, to an estate without cockpit's run. */
  async function attack(change: (run: Record<string, any>, logs: Map<number, string[]>) => void): Promise<EstateRun> {
    const copy = await withoutCockpitRun();
    await copy.cloneRun(cockpitRun, 1250, change);
    await copy.removeRun(cockpitRun);
    const attacked = copy.run();
    expectNoBetter(attacked, setup);
    // In worker threads each image is given only the runs bearing on its digest (ciForDigest): the same report.
    expect(copy.run('--workers', '2').report).toEqual(attacked.report);
    return attacked;
  }

  it.each([
    [
      'a pull-request run (Woodpecker reports the target branch, main)',
      { event: 'pull_request', ref: 'refs/pull/7/head' },
      "event 'pull_request' is not an allowed event",
    ],
    ['a cron run', { event: 'cron' }, "event 'cron' is not an allowed event"],
    ['a deployment run', { event: 'deployment', deploy_to: 'production' }, "event 'deployment' is not an allowed event"],
    [
      'a run of another repository',
      { forge_url: 'https://git.akko-ai.com/mallory/akko/commit/bf8ac2b0' },
      'its forge link https://git.akko-ai.com/mallory/akko/commit/bf8ac2b0 is not in the repository https://git.akko-ai.com/akko/akko',
    ],
  ])('%s: PIPELINE_UNBOUND, naming why', async (_what, fields, reason) => {
    const attacked = await attack((run) => Object.assign(run, fields));
    expect(finding(attacked, 'pipeline.built:cockpit')).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining(`#1250: ${reason}`),
    });
  });

  it('a run whose pushing step failed (failure: ignore keeps the run green): PIPELINE_NOT_FOUND', async () => {
    const attacked = await attack((run) => {
      const step = run.workflows[0].children.find((c: { name: string }) => c.name === 'build-push');
      Object.assign(step, { state: 'failure', exit_code: 1 });
    });
    expect(finding(attacked, 'pipeline.built:cockpit')).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_NOT_FOUND',
      message: expect.stringContaining('the step that pushed it did not succeed (06-trivy/build-push)'),
    });
  });

  it('a run whose log merely echoes the digest: PIPELINE_NOT_FOUND', async () => {
    const attacked = await attack((run, logs) => {
      const build = stepId(run, '06-trivy', 'build-push');
      logs.set(build, [
        '+ docker build -t harbor.akko-ai.com/akko/cockpit:2026.04 .',
        `+ echo "2026.04: digest: ${COCKPIT} size: 1977"`,
        `2026.04: digest: ${COCKPIT} size: 1977`,
      ]);
    });
    expect(finding(attacked, 'pipeline.built:cockpit')).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_NOT_FOUND',
      message: expect.stringContaining('no push tool reports pushing it'),
    });
  });
});

describe('pipeline.signing-clean judges every run that built or signed the digest', () => {
  it("an earlier clean run does not hide the real run's signing warning (notebook-full)", async () => {
    const copy = await estate();
    const real = await runOf(copy, 'notebook-full');
    await copy.cloneRun(real, 1190, (run, logs) => {
      const sign = stepId(run, '10-image-sign', 'sign');
      logs.set(sign, (logs.get(sign) ?? []).filter((l) => !/WARN|Error|error/.test(l)).concat(['Pushing signature to: harbor.akko-ai.com/akko/notebook-full']));
    });
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    const f = finding(attacked, 'pipeline.signing-clean:notebook-full');
    expect(f).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING', details: { 'runs judged': `#1190, #${real}` } });
    expect(f?.quotes?.some((q) => q.startsWith('WARN: cosign sign failed'))).toBe(true);
  });

  it('recognises the failure formats of cosign, logrus and scripts, and a failed signing step, in green runs', async () => {
    const copy = await estate();
    const lines: [string, string][] = [
      ['cockpit', 'time="2026-04-14T07:41:02Z" level=error msg="signing failed"'],
      ['ai-service', '[WARN] cosign sign failed, continuing'],
      ['mlflow', 'error during command execution: signing [harbor.akko-ai.com/akko/mlflow]: 503'],
      ['airflow', 'image was not signed'],
    ];
    for (const [image, line] of lines) {
      const n = await runOf(copy, image);
      const run = await copy.pipeline(n);
      const sign = stepId(run, '10-image-sign', 'sign');
      await copy.writeLog(n, sign, [...(await copy.log(n, sign)), line]);
    }
    const postgres = await runOf(copy, 'postgres');
    const run = await copy.pipeline(postgres);
    Object.assign(
      run.workflows[1].children.find((c: { name: string }) => c.name === 'sign'),
      { state: 'failure', exit_code: 1 },
    );
    await copy.writePipeline(postgres, run);
    const attacked = copy.run();
    expectNoBetter(attacked, await goldenRun());
    for (const [image, line] of lines)
      expect(finding(attacked, `pipeline.signing-clean:${image}`), image).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING', quotes: [line] });
    expect(finding(attacked, 'pipeline.signing-clean:postgres')).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_WARNING',
      quotes: ['step 10-image-sign/sign ended failure (exit code 1)'],
    });
  });
});
