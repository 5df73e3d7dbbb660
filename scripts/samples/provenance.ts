/**
 * SLSA v1 build provenance for the images whose release pipeline attests it:
 * `cosign attest --type slsaprovenance1 --predicate provenance.json` run in
 * 10-image-sign after the SBOM attestation, with the same demo key and the
 * same demo Rekor. The predicate describes the 06-trivy build of the image:
 * the Woodpecker build platform (builder id below), the repository and commit
 * it cloned, the pipeline run, and when the build-push step ran. The sample's
 * CI logs do not show that command: adding log lines would renumber every
 * later log entry id of the estate for no evidence auditpack reads.
 */
import { attestationLine, rekorDsseBundle, type RekorBundle } from './cosign.ts';
import { BUILDER_ID } from './estate.ts';
import { FORGE_REPOSITORY } from './files.ts';
import type { DemoKeys } from './keys.ts';
import { goJson, sortKeysDeep } from './json.ts';
import { isoSeconds, type Timeline } from './timeline.ts';

export const BUILD_TYPE = 'https://ci.akko-ai.com/slsa/woodpecker-pipeline/v1';
export const PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

export interface BuiltProvenance {
  /** The `cosign download attestation` line: the DSSE envelope. */
  envelope: string;
  /** Its dsse/0.0.1 Rekor entry, as the `.att` layer's bundle annotation carries it. */
  bundle: RekorBundle;
  logIndex: number;
}

export interface ProvenanceFacts {
  name: string;
  repo: string;
  digest: string;
  commit: string;
  pipelineNumber: number;
  timeline: Timeline;
  /** Rekor log index: the one after the SBOM attestation's (Rekor indexes of other images are at least 3 apart). */
  logIndex: number;
}

/** The in-toto v0.1 statement cosign signs: the subject is the image, the predicate SLSA v1 with sorted keys (cosign re-marshals it). */
export function provenanceStatement(f: ProvenanceFacts): Buffer {
  const build = f.timeline.trivy.buildPush;
  const predicate = {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters: { repository: FORGE_REPOSITORY, ref: 'refs/heads/main', pipeline: '.woodpecker/06-trivy.yml', image: f.name },
      internalParameters: { event: 'push', workflow: '06-trivy' },
      resolvedDependencies: [{ uri: `git+${FORGE_REPOSITORY}@refs/heads/main`, digest: { gitCommit: f.commit } }],
    },
    runDetails: {
      builder: { id: BUILDER_ID },
      metadata: { invocationId: `https://ci.akko-ai.com/repos/7/pipeline/${f.pipelineNumber}`, startedOn: isoSeconds(build.start), finishedOn: isoSeconds(build.end) },
    },
  };
  return Buffer.from(
    goJson({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: PROVENANCE_V1,
      subject: [{ name: f.repo, digest: { sha256: f.digest.slice('sha256:'.length) } }],
      predicate: sortKeysDeep(predicate),
    }),
  );
}

/** Signs and logs the provenance one second after the SBOM attestation. */
export function buildProvenance(keys: DemoKeys, f: ProvenanceFacts): BuiltProvenance {
  const envelope = attestationLine(keys.cosign, provenanceStatement(f));
  return { envelope, bundle: rekorDsseBundle(keys, envelope, f.timeline.attestIntegrated + 1, f.logIndex), logIndex: f.logIndex };
}
