import { describe, expect, it } from 'vitest';
import { isProvenancePredicate, readProvenance, sameRepository, splitSource } from '../../../src/verify/provenance.js';
import { COMMIT, slsaV02, slsaV1 } from '../../helpers/provenance.js';

describe('SLSA provenance predicates', () => {
  it('knows the two SLSA provenance predicate types and nothing else', () => {
    expect(['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'].every(isProvenancePredicate)).toBe(true);
    expect(isProvenancePredicate('https://slsa.dev/provenance/v0.1')).toBe(false);
    expect(isProvenancePredicate('https://cyclonedx.org/bom')).toBe(false);
  });

  it('splits a git source URI into repository and ref, an @ in the user part left alone', () => {
    expect(splitSource('git+https://github.com/acme/app@refs/heads/main')).toEqual({ repository: 'https://github.com/acme/app', ref: 'refs/heads/main' });
    expect(splitSource('git+ssh://git@forge.test/acme/app@refs/tags/v1')).toEqual({ repository: 'ssh://git@forge.test/acme/app', ref: 'refs/tags/v1' });
    expect(splitSource('git+https://forge.test/acme/app')).toEqual({ repository: 'https://forge.test/acme/app' });
    expect(splitSource('git+https://forge.test')).toEqual({ repository: 'https://forge.test' });
  });

  it('compares repositories as forges do, and tells different ones apart', () => {
    expect(sameRepository('https://GitHub.com/Acme/App.git/', 'git+https://github.com/acme/app')).toBe(true);
    expect(sameRepository('https://github.com/acme/app', 'https://github.com/acme/app2')).toBe(false);
  });

  it('falls back to materials[] when a v0.2 predicate has no configSource', () => {
    const predicate = slsaV02();
    delete (predicate.invocation as Record<string, unknown>).configSource;
    expect(readProvenance('https://slsa.dev/provenance/v0.2', predicate)).toMatchObject({ ok: true, value: { commit: COMMIT } });
    delete predicate.materials;
    expect(readProvenance('https://slsa.dev/provenance/v0.2', predicate)).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
  });

  it('prefers, in v1, the dependency that is the workflow repository over others listed first', () => {
    const predicate = slsaV1();
    const definition = predicate.buildDefinition as { resolvedDependencies: unknown[] };
    definition.resolvedDependencies.unshift({ uri: 'git+https://github.com/actions/checkout@refs/tags/v4', digest: { gitCommit: 'ab'.repeat(20) } });
    expect(readProvenance('https://slsa.dev/provenance/v1', predicate)).toMatchObject({ ok: true, value: { sourceRepository: 'https://github.com/acme/app' } });
  });

  it('refuses (PAYLOAD_INVALID) predicates missing the builder or the build type, naming the field', () => {
    const v1 = slsaV1();
    (v1.runDetails as Record<string, unknown>).builder = {};
    expect(readProvenance('https://slsa.dev/provenance/v1', v1)).toMatchObject({ ok: false, reason: expect.stringMatching(/runDetails\.builder\.id/) });
    const v1Type = slsaV1();
    delete (v1Type.buildDefinition as Record<string, unknown>).buildType;
    expect(readProvenance('https://slsa.dev/provenance/v1', v1Type)).toMatchObject({ ok: false, reason: expect.stringMatching(/buildType/) });
    const v02 = slsaV02();
    delete v02.buildType;
    expect(readProvenance('https://slsa.dev/provenance/v0.2', v02)).toMatchObject({ ok: false, reason: expect.stringMatching(/buildType/) });
    expect(readProvenance('https://slsa.dev/provenance/v0.2', { ...slsaV02(), builder: { id: 42 } })).toMatchObject({ ok: false, reason: /builder\.id/ });
  });
});
