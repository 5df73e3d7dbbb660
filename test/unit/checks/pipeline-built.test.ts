import { describe, expect, it } from 'vitest';
import { pipelineBuilt } from '../../../src/checks/pipeline-built.js';
import { CI_REPOSITORY, IMAGE, REPO_URL, context, makeKeyPair, pipelineRun, trustedKey, type RunOptions } from '../../helpers/estate.js';

const trust = { keys: [trustedKey(makeKeyPair())] };
const D = IMAGE.digest;

// A report run gives each image's job only the runs bearing on its digest (ciForDigest): every verdict must be the same as over every run.
describe.each([
  ['every run of the estate', false],
  ['only the runs bearing on the digest', true],
])('pipeline.built, given %s', (_given, sliced) => {
  const built = (opts: RunOptions = {}, extra: Partial<Parameters<typeof context>[0]> = {}) =>
    pipelineBuilt.run(context({ trust, runs: [pipelineRun(opts)], sliced, ...extra }));

  it('passes when a successful push run of the configured repository on main pushed the digest, saying CI exports are unsigned', async () => {
    const outcome = await built();
    expect(outcome).toMatchObject({
      status: 'pass',
      details: { run: '#1201', event: 'push', branch: 'main', 'pushed by': '06-trivy/build-push', repository: REPO_URL },
    });
    expect(outcome.details?.evidence).toMatch(/unsigned operator evidence/);
  });

  it.each([
    ['buildx', ['#14 pushing manifest for registry.test/team/app:1.0@' + D + ' 0.4s done']],
    ['kaniko', [`INFO[0042] Pushed registry.test/team/app@${D}`]],
    ['crane push', ['+ crane push app.tar registry.test/team/app:1.0', `registry.test/team/app@${D}`]],
    ['crane copy (go-containerregistry)', ['+ crane copy src dst', `registry.test/team/app:1.0: digest: ${D} size: 2153`]],
  ])('recognises the push line of %s', async (_tool, buildLog) => {
    expect(await built({ buildLog })).toMatchObject({ status: 'pass' });
  });

  it('counts a tag run, bound by its tag ref', async () => {
    expect(await built({ event: 'tag', branch: '', ref: 'refs/tags/v1.0' })).toMatchObject({
      status: 'pass',
      details: { event: 'tag', ref: 'refs/tags/v1.0' },
    });
  });

  it('counts a run on another configured release branch', async () => {
    expect(await built({ branch: 'release/2026.04' }, { ci: { branches: ['main', 'release/2026.04'] } })).toMatchObject({ status: 'pass' });
  });

  it('fails (PIPELINE_UNBOUND) when the only run naming the digest failed', async () => {
    const outcome = await built({ status: 'failure' });
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_UNBOUND' });
    expect(outcome.message).toContain('#1201: status failure');
  });

  it('fails (PIPELINE_UNBOUND) a run on another branch', async () => {
    expect(await built({ branch: 'feature/x' })).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining("branch 'feature/x' is not a release branch"),
    });
  });

  it.each(['pull_request', 'cron', 'deployment', 'manual'])('fails (PIPELINE_UNBOUND) a %s run, an event that is not allowed by default', async (event) => {
    expect(await built({ event })).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining(`event '${event}' is not an allowed event`),
    });
  });

  it('fails a pull-request run even when pull_request is allowed: its ref is not the branch it reports', async () => {
    const outcome = await built({ event: 'push', ref: 'refs/pull/12/head' });
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining('its ref refs/pull/12/head is not the branch main'),
    });
  });

  it('fails (PIPELINE_UNBOUND) a run of another repository, by its forge link', async () => {
    const outcome = await built({ forgeUrl: 'https://forge.test/other/app/commit/c0ffee' });
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining('is not in the repository https://forge.test/team/app'),
    });
  });

  it('fails (PIPELINE_UNBOUND) when the exports come from another repository than the configured one', async () => {
    const outcome = await built({}, { repository: { ...CI_REPOSITORY, forgeUrl: 'https://forge.test/other/app' } });
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining('repo.json names https://forge.test/other/app'),
    });
  });

  it('fails (PIPELINE_UNBOUND) when the configured repository id differs from repo.json', async () => {
    const outcome = await built({}, { ci: { repository: { url: REPO_URL, id: 99 } } });
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_UNBOUND', message: expect.stringContaining('has id 7, not the configured 99') });
  });

  it('fails (PIPELINE_UNBOUND) when the exports have no repo.json', async () => {
    expect(await built({}, { repository: undefined })).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_UNBOUND',
      message: expect.stringContaining('no readable repo.json'),
    });
  });

  it('fails (PIPELINE_NOT_FOUND) when the step that pushed the digest failed', async () => {
    const outcome = await built({ buildState: { state: 'failure', exitCode: 1 } });
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_NOT_FOUND',
      message: expect.stringContaining('the step that pushed it did not succeed (06-trivy/build-push)'),
    });
  });

  it('fails (PIPELINE_NOT_FOUND) when the digest is only echoed, never reported by a push tool', async () => {
    const buildLog = [
      '+ docker push registry.test/team/app:1.0',
      "+ echo 'Pushed registry.test/team/app@" + D + "'",
      `Pushed registry.test/team/app@${D}`,
      `+ echo 1.0: digest: ${D} size: 1`,
      `1.0: digest: ${D} size: 1`,
    ];
    const outcome = await built({ buildLog, signLog: [`sha256 ${D}`] });
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND', message: expect.stringContaining('no push tool reports pushing it') });
  });

  it('fails (PIPELINE_NOT_FOUND) when runs exist but none names the digest', async () => {
    const outcome = await built({ digest: `sha256:${'00'.repeat(32)}` });
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND', message: `no pipeline run's log names ${D}` });
  });

  it('fails with EVIDENCE_MISSING when there are no pipeline exports', async () => {
    expect(await pipelineBuilt.run(context({ trust, sliced }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
