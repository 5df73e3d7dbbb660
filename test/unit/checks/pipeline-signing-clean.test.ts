import { describe, expect, it } from 'vitest';
import { pipelineSigningClean } from '../../../src/checks/pipeline-signing-clean.js';
import { context, makeKeyPair, pipelineRun, trustedKey } from '../../helpers/estate.js';

const trust = { keys: [trustedKey(makeKeyPair())] };
const run = (signLog?: string[]) => pipelineSigningClean.run(context({ trust, runs: [pipelineRun(signLog ? { signLog } : {})] }));

describe('pipeline.signing-clean', () => {
  it('passes a run whose logs report no signing trouble', async () => {
    expect(await run()).toMatchObject({ status: 'pass' });
  });

  it('fails a green run that logged a best-effort signing warning, quoting it verbatim', async () => {
    const warning = 'WARN: cosign sign failed for registry.test/team/app@sha256:ab; continuing (best-effort, see ADR-032)';
    const outcome = await run(['Error: signing [x]: PUT …: unexpected status code 503 Service Unavailable', warning]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_WARNING' });
    expect(outcome.quotes).toEqual(['Error: signing [x]: PUT …: unexpected status code 503 Service Unavailable', warning]);
  });

  it('fails a run that skipped the attestation', async () => {
    expect((await run(['SBOM unchanged since previous build; skipping attestation'])).status).toBe('fail');
  });

  it('does not mistake an ordinary line mentioning signing for a failure', async () => {
    expect((await run(['Pushing signature to: registry.test/team/app'])).status).toBe('pass');
  });

  it('cannot decide when a step of the run has no exported log', async () => {
    const r = pipelineRun();
    r.workflows[1]!.steps[0]!.log = undefined;
    expect(await pipelineSigningClean.run(context({ trust, runs: [r] }))).toMatchObject({ status: 'error', code: 'EVIDENCE_MISSING' });
  });

  it('fails when no successful run built the digest', async () => {
    expect(await pipelineSigningClean.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND' });
  });
});
