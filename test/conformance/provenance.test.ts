/**
 * Real SLSA provenance from the shared test data (SOURCES.md §2 and §4):
 * a GitHub artifact attestation (actions/attest-build-provenance, SLSA v1,
 * build type actions.github.io/buildtypes/workflow/v1) in the conformance
 * case happy-path-intoto-in-dsse-v3, the sigstore-js release provenance
 * (SLSA v0.2 and v1) from sigstore-go. No real bundle of GitHub's own
 * instance with its trusted root is in the shared data: that path is tested
 * with generated keys (test/unit/verify/github-instance.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { provenanceVerified } from '../../src/checks/provenance-verified.js';
import type { ProvenanceConfig } from '../../src/config/schema.js';
import type { LoadedTrustedRoot } from '../../src/trust/load.js';
import { readProvenance } from '../../src/verify/provenance.js';
import { context, evidenceFrom, IMAGE } from '../helpers/estate.js';
import { PRODUCTION_ROOT, expectDataPresent, read, rootAt } from './sigstore-data.js';

const ACTIONS = 'https://token.actions.githubusercontent.com';
const BEACON =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB_ATTESTATION = 'conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json';
/** Its one subject: a.txt, sha256 as SOURCES.md §2 gives it. */
const SUBJECT = 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
const EXPECTED: ProvenanceConfig = {
  builders: ['https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main'],
  sourceRepositories: ['https://github.com/loosebazooka/aa-test'],
  required: true,
};

let production: LoadedTrustedRoot;
beforeAll(async () => {
  expectDataPresent();
  production = await rootAt(PRODUCTION_ROOT);
});

const predicateOf = (path: string): { type: string; predicate: unknown } => {
  const bundle = JSON.parse(read(path).toString('utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicateType: string; predicate: unknown };
  return { type: statement.predicateType, predicate: statement.predicate };
};

async function judge(opts: { file?: Buffer; digest?: string; identity?: string; expected?: ProvenanceConfig; name?: string }) {
  const image = { ...IMAGE, digest: opts.digest ?? SUBJECT };
  const items = [evidenceFrom(opts.name ?? 'attestation.sigstore.json', opts.file ?? read(GITHUB_ATTESTATION))];
  const trust = { keys: [], trustedRoot: production, identities: [{ identity: opts.identity ?? BEACON, issuer: ACTIONS, regex: false }] };
  return provenanceVerified.run({ ...context({ items, trust, image }), provenance: opts.expected ?? EXPECTED });
}

describe('provenance.verified on a real GitHub artifact attestation (SLSA v1, public-good Sigstore)', () => {
  it('passes: it verifies, binds its subject and names the expected builder, repository and commit', async () => {
    expect(await judge({})).toMatchObject({
      status: 'pass',
      details: {
        'builder id': EXPECTED.builders[0],
        'build type': 'https://actions.github.io/buildtypes/workflow/v1',
        'source repository': 'https://github.com/loosebazooka/aa-test',
        'source commit': 'ebff8dfbd609b7b22237c7719ce07f2dc7934f5f',
        'build invocation': 'https://github.com/loosebazooka/aa-test/actions/runs/11941425487/attempts/1',
      },
    });
  });

  it('passes as `gh attestation download` writes it: one bundle a JSON line (the bundle re-emitted compact, values unchanged)', async () => {
    const line = `${JSON.stringify(JSON.parse(read(GITHUB_ATTESTATION).toString('utf8')))}\n`;
    expect(await judge({ file: Buffer.from(line), name: `${SUBJECT}.jsonl` })).toMatchObject({ status: 'pass' });
  });

  it('fails (DIGEST_MISMATCH) when copied into the folder of an image with another digest', async () => {
    expect(await judge({ digest: IMAGE.digest })).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
  });

  it('fails (IDENTITY_MISMATCH) when the trusted signer is another workflow', async () => {
    expect(await judge({ identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' })).toMatchObject({
      status: 'fail',
      code: 'IDENTITY_MISMATCH',
    });
  });

  it('fails (PROVENANCE_MISMATCH) when GitHub-hosted runners are the only expected builder', async () => {
    const expected = { ...EXPECTED, builders: ['https://github.com/actions/runner/github-hosted'] };
    expect(await judge({ expected })).toMatchObject({ status: 'fail', code: 'PROVENANCE_MISMATCH' });
  });

  it('fails the conformance case whose DSSE signature is wrong', async () => {
    const outcome = await judge({ file: read('conformance/bundle-verify/dsse-invalid-sig_fail/bundle.sigstore.json') });
    expect(outcome.status).toBe('fail');
    expect(outcome.code).toMatch(/^(TLOG_INVALID|SIGNATURE_INVALID)$/);
  });
});

describe('real SLSA predicates, read field by field', () => {
  it('reads the sigstore-js 1.3.0 release provenance (SLSA v0.2: builder.id, invocation.configSource)', () => {
    const { type, predicate } = predicateOf('sigstore-go/examples/bundle-provenance.json');
    expect(readProvenance(type, predicate)).toEqual({
      ok: true,
      value: {
        predicateType: 'https://slsa.dev/provenance/v0.2',
        slsaVersion: 'v0.2',
        builderId: 'https://github.com/actions/runner',
        buildType: 'https://github.com/npm/cli/gha/v2',
        sourceRepository: 'https://github.com/sigstore/sigstore-js',
        sourceUri: 'git+https://github.com/sigstore/sigstore-js@refs/heads/main',
        sourceRef: 'refs/heads/main',
        commit: 'dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1',
        invocationId: '4735384265-1',
      },
    });
  });

  it('reads the sigstore-js 2.0.0 release provenance (SLSA v1: runDetails.builder.id, resolvedDependencies)', () => {
    const { type, predicate } = predicateOf('sigstore-go/testing/bundles/sigstore.js@2.0.0-provenance.sigstore.json');
    expect(readProvenance(type, predicate)).toMatchObject({
      ok: true,
      value: { slsaVersion: 'v1', builderId: 'https://github.com/actions/runner/github-hosted', commit: 'f0b49a04e5a62250e0f60fb128004a73110fe311' },
    });
  });

  it('refuses (PAYLOAD_INVALID) each real predicate read as the other version', () => {
    const v1 = predicateOf('sigstore-go/testing/bundles/sigstore.js@2.0.0-provenance.sigstore.json');
    const v02 = predicateOf('sigstore-go/examples/bundle-provenance.json');
    expect(readProvenance('https://slsa.dev/provenance/v0.2', v1.predicate)).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
    expect(readProvenance('https://slsa.dev/provenance/v1', v02.predicate)).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
  });

  it('does not count the sigstore-js release provenance for an image: its subject is an npm package (sha512), not an image digest', async () => {
    const identity = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';
    const outcome = await judge({ file: read('sigstore-go/examples/bundle-provenance.json'), identity, digest: IMAGE.digest });
    expect(outcome).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID', message: expect.stringMatching(/pkg:npm\/sigstore@1\.3\.0@sha512/) });
  });
});
