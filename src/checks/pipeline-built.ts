import type { Check } from './types.js';

export const pipelineBuilt: Check = {
  id: 'pipeline.built',
  title: 'A successful pipeline run on a release branch built this digest',
  description: 'A CI pipeline run on a configured release branch (default: main) finished with status success and its logs name the image digest in scope.',
  run({ analysis, image }) {
    if (analysis.runs.length === 0) return { status: 'fail', code: 'EVIDENCE_MISSING', message: 'no pipeline run exports found' };
    const built = analysis.successfulBuilds()[0];
    if (built) {
      return {
        status: 'pass',
        message: `run #${built.number} (${built.status}, ${built.branch}) built ${image.digest}`,
        details: { run: `#${built.number}`, event: built.event, branch: built.branch, commit: built.commit, finished: built.finishedAt ?? 'unknown' },
        evidence: [built.evidence],
      };
    }
    const mentioning = analysis.runsMentioningDigest();
    if (mentioning.length > 0) {
      const seen = mentioning.map((r) => `#${r.number} ${r.status} on ${r.branch || 'unknown branch'}`).join(', ');
      return { status: 'fail', code: 'PIPELINE_NOT_FOUND', message: `runs name this digest but none succeeded on ${analysis.branches.join(' or ')}: ${seen}`, evidence: mentioning.map((r) => r.evidence) };
    }
    return { status: 'fail', code: 'PIPELINE_NOT_FOUND', message: `no pipeline run's log names ${image.digest}` };
  },
};
