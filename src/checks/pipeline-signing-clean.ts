import { CI_EVIDENCE_NOTE } from '../verify/ci-runs.js';
import { defineCheck } from './types.js';

export const pipelineSigningClean = defineCheck({
  id: 'pipeline.signing-clean',
  title: 'The runs that built and signed this digest logged no signing failure',
  description:
    'The run that built the digest, and every release run of the configured repository that signed or attested it, logged no signing or attestation failure: no signing step ended unsuccessfully, and no log line about signing carries an error, warning or failure (cosign, logrus level=error, buildx) or says the image was not signed or the attestation skipped. Best-effort signing steps can fail while the run stays green. CI exports are unsigned operator evidence.',
  run({ analysis }) {
    if (analysis.builds().length === 0) {
      return {
        status: 'fail',
        code: 'PIPELINE_NOT_FOUND',
        message: 'no release run pushed this digest, so its signing steps cannot be checked',
        details: { evidence: CI_EVIDENCE_NOTE },
      };
    }
    const judged = analysis.signingRuns().map((r) => r.run);
    const numbers = judged.map((r) => `#${r.number}`).join(', ');
    const details = { 'runs judged': numbers, evidence: CI_EVIDENCE_NOTE };
    const troubled = judged.map((run) => ({ run, trouble: analysis.trouble(run) })).filter((t) => t.trouble.lines.length > 0);
    if (troubled.length > 0) {
      const which = troubled.map((t) => `#${t.run.number}`);
      return {
        status: 'fail',
        code: 'PIPELINE_WARNING',
        message:
          troubled.length === 1
            ? `run ${which[0]} succeeded, but its log reports a signing or attestation failure`
            : `runs ${which.join(', ')} succeeded, but their logs report a signing or attestation failure`,
        quotes: troubled.flatMap((t) => t.trouble.lines),
        details,
        evidence: troubled.flatMap((t) => [t.run.evidence, ...t.trouble.evidence]),
      };
    }
    const withoutLog = judged.flatMap((run) =>
      run.workflows.flatMap((w) => w.steps.filter((s) => s.log === undefined).map((s) => `#${run.number} ${w.name}/${s.name}`)),
    );
    if (withoutLog.length > 0) {
      return {
        status: 'error',
        code: 'EVIDENCE_MISSING',
        message: `no log export for ${withoutLog.join(', ')}`,
        details,
        evidence: judged.map((r) => r.evidence),
      };
    }
    const steps = judged.reduce((n, run) => n + run.workflows.reduce((m, w) => m + w.steps.length, 0), 0);
    return {
      status: 'pass',
      message: `${judged.length === 1 ? `run ${numbers}` : `runs ${numbers}`}: no signing failure in ${steps} steps`,
      details,
      evidence: judged.map((r) => r.evidence),
    };
  },
});
