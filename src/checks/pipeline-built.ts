import { CI_EVIDENCE_NOTE, hasRuns, whyNotBuild } from '../verify/ci-runs.js';
import { defineCheck } from './types.js';

export const pipelineBuilt = defineCheck({
  id: 'pipeline.built',
  title: 'A successful run of the configured repository pushed this digest',
  description:
    "A CI run of the configured repository (evidence.repository, matched against the export's repo.json and the run's forge link), of an allowed event (evidence.events, default push and tag) on a release branch (evidence.branches, default main) or tag, finished with status success, and one of its successful steps pushed the digest in scope: its push tool (docker push, buildx, kaniko, crane) reports that digest. A digest merely printed or echoed does not count. CI exports are unsigned operator evidence.",
  run({ analysis, image }) {
    if (!hasRuns(analysis.ci))
      return { status: 'fail', code: 'EVIDENCE_MISSING', message: 'no pipeline run exports found', details: { evidence: CI_EVIDENCE_NOTE } };
    const [built] = analysis.builds();
    if (built) {
      const { run } = built;
      return {
        status: 'pass',
        message: `run #${run.number} (${run.event} on ${run.event === 'tag' ? run.ref : run.branch}, ${run.status}) pushed ${image.digest}`,
        details: {
          run: `#${run.number}`,
          event: run.event,
          ...(run.event === 'tag' ? { ref: run.ref } : { branch: run.branch }),
          commit: run.commit,
          'pushed by': built.pushedBy.join(', '),
          finished: run.finishedAt ?? 'unknown',
          repository: analysis.ci.repository?.forgeUrl ?? 'unknown',
          evidence: CI_EVIDENCE_NOTE,
        },
        evidence: [run.evidence],
      };
    }
    const naming = analysis.runs().filter((r) => r.mentioned);
    if (naming.length === 0)
      return { status: 'fail', code: 'PIPELINE_NOT_FOUND', message: `no pipeline run's log names ${image.digest}`, details: { evidence: CI_EVIDENCE_NOTE } };
    const seen = naming.map((r) => `#${r.run.number}: ${whyNotBuild(r)}`).join('; ');
    const anyBound = naming.some((r) => r.binding.bound);
    return {
      status: 'fail',
      code: anyBound ? 'PIPELINE_NOT_FOUND' : 'PIPELINE_UNBOUND',
      message: anyBound
        ? `runs name this digest, but none of the configured repository's release runs pushed it (${seen})`
        : `runs name this digest, but none is a release run of the configured repository (${seen})`,
      details: { evidence: CI_EVIDENCE_NOTE },
      evidence: naming.map((r) => r.run.evidence),
    };
  },
});
