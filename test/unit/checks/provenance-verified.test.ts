import { describe, expect, it } from 'vitest';
import { provenanceVerified } from '../../../src/checks/provenance-verified.js';
import type { ProvenanceConfig } from '../../../src/config/schema.js';
import {
  KEY_ONLY,
  IMAGE,
  context,
  envelope,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  pipelineRun,
  sbom,
  statement,
  trustedKey,
  type ContextInput,
} from '../../helpers/estate.js';
import { GITHUB_ISSUER, makeTestGithubInstance } from '../../helpers/github-instance.js';
import { BUILDER, COMMIT, EXPECTED, SOURCE, provenanceStatement, slsaV02, slsaV1 } from '../../helpers/provenance.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const HEX = IMAGE.digest.slice('sha256:'.length);
const OTHER = 'cd'.repeat(32);
const V02 = 'https://slsa.dev/provenance/v0.2';

const run = async (envelopes: unknown[], provenance: ProvenanceConfig | 'none' = EXPECTED, extra: Partial<ContextInput> = {}) =>
  provenanceVerified.run({
    ...context({ items: envelopes.length ? [evidenceFrom('provenance.jsonl', jsonLines(envelopes))] : [], trust, verification: KEY_ONLY, ...extra }),
    ...(provenance === 'none' ? {} : { provenance }),
  });

describe('provenance.verified', () => {
  it('passes SLSA v1 provenance signed by the trusted key that binds the digest to the expected builder, source and commit', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV1()))]);
    expect(outcome).toMatchObject({
      status: 'pass',
      details: {
        'builder id': BUILDER,
        'source repository': SOURCE,
        'source ref': 'refs/heads/main',
        'source commit': COMMIT,
        'provenance predicate': 'https://slsa.dev/provenance/v1 (SLSA v1)',
        'attested digest': IMAGE.digest,
        key: 'test-key',
        custody: expect.stringMatching(/^signed provenance/),
      },
    });
    expect(outcome.evidence).toHaveLength(1);
  });

  it('passes SLSA v0.2 provenance, read from its own fields (builder.id, invocation.configSource)', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV02(), V02))]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'builder id': BUILDER, 'source commit': COMMIT, 'build invocation': '42-1' } });
  });

  it('matches source repositories as forges do: case, trailing slash and .git do not matter', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV1({ source: 'https://GitHub.com/acme/app.git' })))]);
    expect(outcome.status).toBe('pass');
  });

  it('fails (DIGEST_MISMATCH) provenance for another digest copied into the image folder', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(OTHER, slsaV1()))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH', details: { 'digests bound instead': `sha256:${OTHER}` } });
  });

  it('fails (SIGNATURE_INVALID) provenance signed by an untrusted key, whatever it claims', async () => {
    const outcome = await run([envelope(makeKeyPair(), provenanceStatement(HEX, slsaV1()))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (PROVENANCE_MISMATCH) a builder id that is not among the expected builders', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV1({ builder: 'https://github.com/actions/runner/self-hosted' })))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PROVENANCE_MISMATCH', message: expect.stringMatching(/self-hosted is not an expected builder/) });
  });

  it('fails (PROVENANCE_MISMATCH) a source repository that is not expected', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV02({ source: 'https://github.com/evil/app' }), V02))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PROVENANCE_MISMATCH', message: expect.stringMatching(/evil\/app is not an expected source/) });
  });

  it('fails (PAYLOAD_INVALID) a v1 predicate type over v0.2 fields, and the reverse: each version is read from its own fields', async () => {
    const v1OverV02 = await run([envelope(signer, provenanceStatement(HEX, slsaV02()))]);
    expect(v1OverV02).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID', message: expect.stringMatching(/v0\.2 fields/) });
    const v02OverV1 = await run([envelope(signer, provenanceStatement(HEX, slsaV1(), V02))]);
    expect(v02OverV1).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID', message: expect.stringMatching(/v1 field runDetails/) });
  });

  it('fails (PAYLOAD_INVALID) a malformed predicate: not an object, no commit, a commit that is not hex', async () => {
    for (const predicate of ['provenance', slsaV1({ commit: '' }), slsaV1({ commit: 'main' })]) {
      expect(await run([envelope(signer, provenanceStatement(HEX, predicate))])).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
    }
  });

  it('is an error (PROVENANCE_UNPINNED) when provenance binds the digest but no expectations are configured', async () => {
    const outcome = await run([envelope(signer, provenanceStatement(HEX, slsaV1()))], 'none');
    expect(outcome).toMatchObject({ status: 'error', code: 'PROVENANCE_UNPINNED', details: { 'builder id': BUILDER } });
  });

  it('fails (EVIDENCE_MISSING) an image without provenance when provenance is required', async () => {
    const sbomOnly = await run([envelope(signer, statement(HEX, sbom(2)))]);
    expect(sbomOnly).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING', details: { custody: expect.stringMatching(/unsigned/) } });
  });

  it('is not applicable, still coded EVIDENCE_MISSING, when provenance is not required or not configured', async () => {
    expect(await run([], { ...EXPECTED, required: false })).toMatchObject({ status: 'not-applicable', code: 'EVIDENCE_MISSING' });
    expect(await run([], 'none')).toMatchObject({ status: 'not-applicable', code: 'EVIDENCE_MISSING', message: expect.stringMatching(/CI exports/) });
  });

  it('is an error (EVIDENCE_MALFORMED) when provenance is required and a file of the folder could not be read', async () => {
    const problems = [{ code: 'EVIDENCE_MALFORMED' as const, file: 'evidence/app/provenance.jsonl', reason: 'not JSON' }];
    expect(await run([], EXPECTED, { problems })).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
  });

  it('puts the unsigned CI export beside the signed claim, saying whether its commit agrees', async () => {
    const same = await run([envelope(signer, provenanceStatement(HEX, slsaV1()))], EXPECTED, { runs: [pipelineRun()] });
    expect(same.details?.['CI export']).toBe('run #1201 (unsigned) reports commit c0ffee: the same commit');
    const other = await run([envelope(signer, provenanceStatement(HEX, slsaV1({ commit: 'ab'.repeat(20) })))], EXPECTED, { runs: [pipelineRun()] });
    expect(other).toMatchObject({ status: 'pass', details: { 'CI export': expect.stringMatching(/a different commit than the signed provenance/) } });
  });

  it('passes on the one provenance that meets the expectations when another does not', async () => {
    const outcome = await run([
      envelope(signer, provenanceStatement(HEX, slsaV1({ builder: 'https://ci.evil.example/builder' }))),
      envelope(signer, provenanceStatement(HEX, slsaV1())),
    ]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'builder id': BUILDER } });
  });
});

describe('provenance.verified: GitHub artifact attestations (gh attestation download JSON lines)', () => {
  const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
  const github = makeTestGithubInstance();
  const identities = [{ identity: IDENTITY, issuer: GITHUB_ISSUER, regex: false }];
  // `gh attestation download` writes sha256:<hex>.jsonl, one Sigstore bundle a line.
  const downloaded = () => evidenceFrom(`${IMAGE.digest}.jsonl`, jsonLines([github.bundle(provenanceStatement(HEX, slsaV1()), IDENTITY)]));
  const runGithub = async (instance: boolean) =>
    provenanceVerified.run({
      ...context({ items: [downloaded()], trust: { keys: [], identities, ...(instance ? { githubInstance: github.root } : {}) } }),
      provenance: EXPECTED,
    });

  it('passes a bundle of GitHub’s own instance when the configuration trusts that instance', async () => {
    expect(await runGithub(true)).toMatchObject({
      status: 'pass',
      details: { 'builder id': BUILDER, 'Sigstore instance': expect.stringMatching(/GitHub/), 'signing time': expect.stringMatching(/timestamp authority/) },
    });
  });

  it('fails (TRUST_INVALID) the same bundle without trust.githubInstance', async () => {
    expect(await runGithub(false)).toMatchObject({ status: 'fail', code: 'TRUST_INVALID', message: expect.stringMatching(/trust\.githubInstance/) });
  });
});
