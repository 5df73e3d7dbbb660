import type { Check } from './types.js';

export const pipelineSigningClean: Check = {
  id: 'pipeline.signing-clean',
  title: 'The building run logged no signing failure',
  description: "The logs of the run that built the digest contain no warning or error about signing or attesting; best-effort signing steps can fail while the run stays green.",
  run({ analysis }) {
    const run = analysis.successfulBuilds()[0];
    if (!run) return { status: 'fail', code: 'PIPELINE_NOT_FOUND', message: 'no successful run built this digest, so its signing steps cannot be checked' };
    const stepsWithoutLog = run.workflows.flatMap((w) => w.steps.filter((s) => s.log === undefined).map((s) => `${w.name}/${s.name}`));
    const trouble = analysis.signingTrouble(run);
    if (trouble.lines.length > 0) {
      return {
        status: 'fail',
        code: 'PIPELINE_WARNING',
        message: `run #${run.number} succeeded, but its log reports a signing or attestation failure`,
        quotes: trouble.lines,
        evidence: [run.evidence, ...trouble.evidence],
      };
    }
    if (stepsWithoutLog.length > 0) {
      return { status: 'error', code: 'EVIDENCE_MISSING', message: `run #${run.number}: no log export for ${stepsWithoutLog.join(', ')}`, evidence: [run.evidence] };
    }
    return { status: 'pass', message: `run #${run.number}: no signing warnings in ${run.workflows.length} workflows`, evidence: [run.evidence] };
  },
};
