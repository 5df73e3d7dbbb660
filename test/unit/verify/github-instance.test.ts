import { describe, expect, it } from 'vitest';
import { verifyInput, type VerificationTrust } from '../../../src/verify/sigstore.js';
import { dsseBundle, makeTestSigstore } from '../../helpers/bundles.js';
import { IMAGE, makeKeyPair } from '../../helpers/estate.js';
import { GITHUB_ISSUER, makeTestGithubInstance } from '../../helpers/github-instance.js';
import { provenanceStatement, slsaV1 } from '../../helpers/provenance.js';

const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const github = makeTestGithubInstance();
const publicGood = makeTestSigstore();
const identities = [{ identity: IDENTITY, issuer: GITHUB_ISSUER, regex: false }];
const payload = provenanceStatement(IMAGE.digest.slice(7), slsaV1());
const trusting: VerificationTrust = { keys: [], trustedRoot: publicGood.root, githubInstance: github.root, identities };
const verify = (bundle: object, trust: VerificationTrust = trusting) =>
  verifyInput({ kind: 'bundle', bundle: bundle as Record<string, unknown>, artifact: { kind: 'none' } }, trust);

describe("GitHub's own Sigstore instance (no transparency log, no SCT)", () => {
  it('verifies a bundle dated by its timestamp authority when the configuration trusts the instance explicitly', () => {
    const verdict = verify(github.bundle(payload, IDENTITY));
    expect(verdict).toMatchObject({
      ok: true,
      signedAt: { at: '2026-04-10T09:09:00.000Z', by: 'timestamp authority' },
      details: { 'signer identity (certificate SAN)': IDENTITY, 'Sigstore instance': expect.stringMatching(/trust\.githubInstance/) },
    });
  });

  it('refuses (TRUST_INVALID) the same bundle when the instance is not trusted explicitly', () => {
    const { githubInstance: _dropped, ...withoutInstance } = trusting;
    expect(verify(github.bundle(payload, IDENTITY), withoutInstance)).toMatchObject({
      ok: false,
      code: 'TRUST_INVALID',
      reason: expect.stringMatching(/trust\.githubInstance/),
    });
  });

  it('refuses it too when its root is only merged into trust.trustedRoot: that root demands a log entry and an SCT', () => {
    const merged: VerificationTrust = { keys: [], trustedRoot: github.root, identities };
    expect(verify(github.bundle(payload, IDENTITY), merged)).toMatchObject({ ok: false, code: 'TRUST_INVALID' });
  });

  it('fails a bundle without its RFC 3161 timestamp: the instance has no other time', () => {
    const bundle = github.bundle(payload, IDENTITY);
    delete bundle.verificationMaterial.timestampVerificationData;
    expect(verify(bundle)).toMatchObject({ ok: false, code: 'SIGNING_TIME_UNVERIFIED' });
  });

  it('fails (CERTIFICATE_INVALID) a public-good bundle stripped of its log entry: it is checked against the GitHub root alone', () => {
    const signer = makeKeyPair();
    const bundle = dsseBundle(payload, { signer, certificate: publicGood.leaf(signer, IDENTITY, GITHUB_ISSUER), rekor: publicGood.rekor });
    expect(verify(bundle)).toMatchObject({ ok: true });
    bundle.verificationMaterial.tlogEntries = [];
    expect(verify(github.stamp(bundle))).toMatchObject({ ok: false, code: 'CERTIFICATE_INVALID' });
  });

  it('fails (IDENTITY_MISMATCH) a bundle of another workflow: the identity policy is unchanged', () => {
    expect(verify(github.bundle(payload, 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main'))).toMatchObject({
      ok: false,
      code: 'IDENTITY_MISMATCH',
    });
  });

  it('fails a bundle whose timestamp falls outside the signing certificate', () => {
    expect(verify(github.bundle(payload, IDENTITY, new Date('2027-06-01T00:00:00Z')))).toMatchObject({ ok: false, code: 'CERTIFICATE_INVALID' });
  });

  it('fails (SIGNATURE_INVALID) a bundle whose statement was changed after signing', () => {
    const bundle = github.bundle(payload, IDENTITY);
    bundle.dsseEnvelope.payload = provenanceStatement('cd'.repeat(32), slsaV1()).toString('base64');
    expect(verify(bundle)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });
});
