import { describe, expect, it } from 'vitest';
import { SubjectAnalysis } from '../../../src/checks/analysis.js';
import { pipelineBuilt } from '../../../src/checks/pipeline-built.js';
import { context, makeKeyPair, pipelineRun, trustedKey } from '../../helpers/estate.js';

const trust = { keys: [trustedKey(makeKeyPair())] };

describe('pipeline.built', () => {
  it('passes when a successful run on main names the digest', async () => {
    expect(await pipelineBuilt.run(context({ trust, runs: [pipelineRun()] }))).toMatchObject({ status: 'pass', details: { run: '#1201' } });
  });

  it('fails when the only run naming the digest failed', async () => {
    const outcome = await pipelineBuilt.run(context({ trust, runs: [pipelineRun({ status: 'failure' })] }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND' });
    expect(outcome.message).toContain('#1201 failure');
  });

  it('fails when the run was on another branch', async () => {
    expect(await pipelineBuilt.run(context({ trust, runs: [pipelineRun({ branch: 'feature/x' })] }))).toMatchObject({ status: 'fail' });
  });

  it('counts a run on another configured release branch', async () => {
    const ctx = context({ trust, runs: [pipelineRun({ branch: 'release/2026.04' })] });
    const analysis = new SubjectAnalysis(ctx.image, ctx.analysis.evidence, ctx.analysis.runs, ctx.analysis.trust, ['main', 'release/2026.04']);
    await analysis.prepare();
    expect((await pipelineBuilt.run({ ...ctx, analysis })).status).toBe('pass');
  });

  it('fails when runs exist but none names the digest', async () => {
    const outcome = await pipelineBuilt.run(context({ trust, runs: [pipelineRun({ digest: `sha256:${'00'.repeat(32)}` })] }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'PIPELINE_NOT_FOUND' });
  });

  it('fails with EVIDENCE_MISSING when there are no pipeline exports', async () => {
    expect(await pipelineBuilt.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
