import { describe, expect, it } from 'vitest';
import { pipelineSigningClean } from '../../../src/checks/pipeline-signing-clean.js';
import { IMAGE, context, makeKeyPair, pipelineRun, trustedKey } from '../../helpers/estate.js';

const trust = { keys: [trustedKey(makeKeyPair())] };
const SIGN = `+ cosign sign --yes --key env://COSIGN_PRIVATE_KEY registry.test/team/app@${IMAGE.digest}`;

// A report run gives each image's job only the runs bearing on its digest (ciForDigest): every verdict must be the same as over every run.
describe.each([
  ['every run of the estate', false],
  ['only the runs bearing on the digest', true],
])('pipeline.signing-clean, given %s', (_given, sliced) => {
  const run = (signLog?: string[]) => pipelineSigningClean.run(context({ trust, runs: [pipelineRun(signLog ? { signLog: [SIGN, ...signLog] } : {})], sliced }));

  it('passes a run whose logs report no signing trouble, saying CI exports are unsigned', async () => {
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'pass', details: { 'runs judged': '#1201' } });
    expect(outcome.details?.evidence).toMatch(/unsigned operator evidence/);
  });

  it('fails a green run that logged a best-effort signing warning, quoting it verbatim', async () => {
    const warning = 'WARN: cosign sign failed for registry.test/team/app@sha256:ab; continuing (best-effort, see ADR-032)';
    const outcome = await run(['Error: signing [x]: PUT …: unexpected status code 503 Service Unavailable', warning]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING' });
    expect(outcome.quotes).toEqual(['Error: signing [x]: PUT …: unexpected status code 503 Service Unavailable', warning]);
  });

  it.each([
    'time="2026-04-15T18:13:39Z" level=error msg="signing failed"',
    '[WARN] cosign sign failed, continuing',
    'error during command execution: signing [registry.test/team/app@sha256:ab]: 503',
    'image was not signed',
    'warning: the image is unsigned',
    'SBOM unchanged since previous build; skipping attestation',
  ])('fails (PIPELINE_WARNING) a green run that logged %s', async (line) => {
    const outcome = await run([line]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING' });
    expect(outcome.quotes).toEqual([line]);
  });

  it('fails (PIPELINE_WARNING) when the signing step failed while the run stayed green (failure: ignore)', async () => {
    const r = pipelineRun({ signLog: [SIGN] });
    Object.assign(r.workflows[1]!.steps[0]!, { state: 'failure', exitCode: 1 });
    const outcome = await pipelineSigningClean.run(context({ trust, runs: [r], sliced }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING' });
    expect(outcome.quotes).toEqual(['step 10-image-sign/sign ended failure (exit code 1)']);
  });

  it('does not mistake an ordinary line mentioning signing, or the traced command, for a failure', async () => {
    expect((await run(['Pushing signature to: registry.test/team/app', "+ echo 'no error'"])).status).toBe('pass');
  });

  it('judges every run that built or signed the digest: an earlier clean run does not hide a later warning', async () => {
    const clean = pipelineRun({ number: 1190 });
    const warned = pipelineRun({ number: 1201, signLog: [SIGN, 'WARN: cosign sign failed'] });
    const outcome = await pipelineSigningClean.run(context({ trust, runs: [clean, warned], sliced }));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'PIPELINE_WARNING',
      message: 'run #1201 succeeded, but its log reports a signing or attestation failure',
      details: { 'runs judged': '#1190, #1201' },
    });
  });

  it('judges a separate signing run of the digest too', async () => {
    const signing = pipelineRun({ number: 1300, buildLog: ['+ true'], signLog: [SIGN, 'Error: signing: 503'] });
    const outcome = await pipelineSigningClean.run(context({ trust, runs: [pipelineRun(), signing], sliced }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING', quotes: ['Error: signing: 503'] });
  });

  it('cannot decide (error, EVIDENCE_MISSING) when a step of the run has no exported log', async () => {
    const r = pipelineRun();
    r.workflows[1]!.steps[0]!.log = undefined;
    expect(await pipelineSigningClean.run(context({ trust, runs: [r], sliced }))).toMatchObject({ status: 'error', code: 'EVIDENCE_MISSING' });
  });

  it('fails (PIPELINE_NOT_FOUND) when no release run pushed the digest', async () => {
    expect(await pipelineSigningClean.run(context({ trust, sliced }))).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND' });
  });
});
