/**
 * SLSA provenance predicates (v0.2 and v1) and the in-toto statements that
 * carry them, shaped like GitHub's actions/attest-build-provenance and the
 * SLSA GitHub generator (the real ones are in ../shared/testdata/external:
 * see test/conformance/provenance.test.ts). Tests sign them with generated
 * keys, so each negative case is a mutation of a valid predicate.
 */
import type { ProvenanceConfig } from '../../src/config/schema.js';

export const BUILDER = 'https://github.com/actions/runner/github-hosted';
export const SOURCE = 'https://github.com/acme/app';
export const COMMIT = `c0ffee${'1'.repeat(34)}`;

export const EXPECTED: ProvenanceConfig = { builders: [BUILDER], sourceRepositories: [SOURCE], required: true };

export interface ProvenanceFields {
  builder?: string;
  source?: string;
  commit?: string;
}

/** SLSA v1 as GitHub's build type writes it: workflow in externalParameters, the source commit in resolvedDependencies. */
export function slsaV1(f: ProvenanceFields = {}): Record<string, unknown> {
  const source = f.source ?? SOURCE;
  return {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: { workflow: { ref: 'refs/heads/main', repository: source, path: '.github/workflows/release.yml' } },
      internalParameters: { github: { event_name: 'push', runner_environment: 'github-hosted' } },
      resolvedDependencies: [{ uri: `git+${source}@refs/heads/main`, digest: { gitCommit: f.commit ?? COMMIT } }],
    },
    runDetails: {
      builder: { id: f.builder ?? BUILDER },
      metadata: { invocationId: `${source}/actions/runs/42/attempts/1`, startedOn: '2026-04-10T09:00:00Z', finishedOn: '2026-04-10T09:08:00Z' },
    },
  };
}

/** SLSA v0.2 as the npm CLI and the SLSA GitHub generator write it: configSource and materials. */
export function slsaV02(f: ProvenanceFields = {}): Record<string, unknown> {
  const source = f.source ?? SOURCE;
  const digest = { sha1: f.commit ?? COMMIT };
  return {
    builder: { id: f.builder ?? BUILDER },
    buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
    invocation: { configSource: { uri: `git+${source}@refs/heads/main`, digest, entryPoint: '.github/workflows/release.yml' }, parameters: {} },
    metadata: { buildInvocationId: '42-1', buildStartedOn: '2026-04-10T09:00:00Z', buildFinishedOn: '2026-04-10T09:08:00Z' },
    materials: [{ uri: `git+${source}@refs/heads/main`, digest }],
  };
}

/** An in-toto v1 statement of `predicateType` whose one subject is `digestHex`. */
export function provenanceStatement(digestHex: string, predicate: unknown, predicateType = 'https://slsa.dev/provenance/v1'): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'registry.test/team/app', digest: { sha256: digestHex } }],
      predicateType,
      predicate,
    }),
  );
}
