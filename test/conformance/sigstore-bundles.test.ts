/**
 * Real Sigstore bundles from sigstore-js, sigstore-go and cosign, with the
 * verdicts the shared test data's SOURCES.md §3–5 lists.
 */
import { describe, expect, it } from 'vitest';
import { verifySigstoreBundle, type ArtifactInput, type BundleVerdict, type SignerPolicy } from '../../src/verify/bundle.js';
import { PRODUCTION_ROOT, dataPresent, expectDataPresent, publicKeyAt, read, rootAt } from './sigstore-data.js';

interface Run {
  bundle: string;
  policy: SignerPolicy;
  artifact?: ArtifactInput;
  root?: string;
  requireTlog?: boolean;
}

async function verify(run: Run): Promise<BundleVerdict> {
  return verifySigstoreBundle({
    bundle: read(run.bundle),
    artifact: run.artifact ?? { kind: 'none' },
    policy: run.policy,
    trustedRoot: await rootAt(run.root ?? PRODUCTION_ROOT),
    ...(run.requireTlog === undefined ? {} : { requireTlog: run.requireTlog }),
  });
}

const BRIAN: SignerPolicy = { kind: 'identity', identity: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' };
const SIGSTORE_JS_RELEASE: SignerPolicy = {
  kind: 'identity',
  identity: 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
const SIGSTORE_JS_BUNDLES = [
  'bundleV01-dsse-no-proof',
  'bundleV01-dsse-with-proof',
  'bundleV01-full-cert-chain',
  'bundleV01-intoto-no-proof',
  'bundleV01-intoto-with-proof',
  'bundleV02-dsse',
  'bundleV02-intoto',
  'bundleV03-dsse',
  'bundleV03-intoto',
].map((b) => `sigstore-js/bundles/${b}.sigstore`);

describe('sigstore-js test bundles (keyless, DSSE, v0.1–v0.3)', () => {
  it('finds the shared test data', () => expectDataPresent());

  it.each(SIGSTORE_JS_BUNDLES)('%s passes for brian@dehamer.com with the production root', async (bundle) => {
    expect(await verify({ bundle, policy: BRIAN })).toMatchObject({ status: 'valid', signer: { subjectAlternativeName: 'brian@dehamer.com' } });
  });

  it.each(SIGSTORE_JS_BUNDLES)('%s fails for the identity regex ^https://github\\.com/evil/', async (bundle) => {
    const policy: SignerPolicy = { kind: 'identity', identity: '^https://github\\.com/evil/', issuer: 'https://github.com/login/oauth', identityIsRegex: true };
    expect(await verify({ bundle, policy })).toMatchObject({ status: 'invalid', code: 'IDENTITY_MISMATCH' });
  });

  it('passes with the older public-good root of sigstore-go too', async () => {
    const root = 'trusted-roots/public-good-2025-sigstore-go.trusted_root.json';
    expect(await verify({ bundle: SIGSTORE_JS_BUNDLES[7] ?? '', policy: BRIAN, root })).toMatchObject({ status: 'valid' });
  });
});

describe('sigstore-go examples and test bundles', () => {
  const publishKey: SignerPolicy = { kind: 'key', publicKey: dataPresent ? publicKeyAt('sigstore-go/examples/publish_key.pub') : ({} as never) };

  it('bundle-publish.json passes with the npm publish key, recording its fingerprint and hint', async () => {
    const verdict = await verify({ bundle: 'sigstore-go/examples/bundle-publish.json', policy: publishKey });
    expect(verdict).toMatchObject({ status: 'valid', signer: { kind: 'public-key', hint: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA' } });
  });

  it('bundle-publish.json fails with another key', async () => {
    const policy: SignerPolicy = { kind: 'key', publicKey: publicKeyAt('cosign-legacy/gertd-demo/cosign.pub') };
    expect(await verify({ bundle: 'sigstore-go/examples/bundle-publish.json', policy })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it.each(['sigstore-go/examples/bundle-provenance.json', 'sigstore-go/testing/bundles/sigstore.js@2.0.0-provenance.sigstore.json'])(
    '%s passes for the sigstore-js release workflow',
    async (bundle) => {
      expect(await verify({ bundle, policy: SIGSTORE_JS_RELEASE })).toMatchObject({ status: 'valid' });
    },
  );

  it('dsse.sigstore.json passes; its two-signature twin is malformed', async () => {
    expect(await verify({ bundle: 'sigstore-go/testing/bundles/dsse.sigstore.json', policy: BRIAN })).toMatchObject({ status: 'valid' });
    const twin = await verify({ bundle: 'sigstore-go/testing/bundles/dsse-2sigs.sigstore.json', policy: BRIAN });
    expect(twin).toMatchObject({
      status: 'invalid',
      code: 'EVIDENCE_MALFORMED',
      cause: { name: 'ValidationError', fields: ['content.dsseEnvelope.signatures'] },
    });
  });

  // KNOWN MISMATCH, reported, not hidden: sigstore-go passes this bundle. sigstore-js 4.x
  // (auditpack's verifier) only accepts a checkpoint signature whose signer name is part of
  // the log's baseUrl, and this private test instance signed it as its Kubernetes pod
  // ("rekor-00001-deployment-…"), not as "rekor.rekor-system…". The test pins the actual
  // verdict so a library change shows up here.
  it('othername.sigstore.json (scaffolding root, digest input): KNOWN MISMATCH — sigstore-go passes, sigstore-js rejects its checkpoint', async () => {
    const run: Run = {
      bundle: 'sigstore-go/testing/bundles/othername.sigstore.json',
      policy: { kind: 'identity', identity: 'foo!oidc.local', issuer: 'http://oidc.local:8080' },
      artifact: { kind: 'digest', sha256: 'bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b' },
      root: 'sigstore-go/testing/trusted-roots/scaffolding.json',
    };
    const verdict = await verify(run);
    expect(verdict).toMatchObject({
      status: 'invalid',
      code: 'TLOG_INVALID',
      cause: { code: 'TLOG_INCLUSION_PROOF_ERROR', message: 'invalid checkpoint signature' },
    });
    expect(await verify({ ...run, artifact: { kind: 'digest', sha256: 'cd'.repeat(32) } })).toMatchObject({ status: 'invalid', code: 'DIGEST_MISMATCH' });
  });

  describe('public-key-validity.sigstore.json (key, TSA timestamp only, no log entry)', () => {
    const base = (): Run => ({
      bundle: 'sigstore-go/testing/bundles/public-key-validity.sigstore.json',
      policy: { kind: 'key', publicKey: publicKeyAt('sigstore-go/testing/public-keys/public-key-validity.pem') },
      artifact: { kind: 'bytes', bytes: Buffer.from('test content') },
      root: 'sigstore-go/testing/trusted-roots/public-key-validity.json',
      requireTlog: false,
    });

    it('passes when no log entry is required, recording the TSA time', async () => {
      const verdict = await verify(base());
      expect(verdict).toMatchObject({ status: 'valid', facts: { tlogEntries: [], timestampAuthorityTimes: ['2026-06-04T17:43:29.000Z'] } });
    });

    it('fails with TLOG_INVALID when a log entry is required (the default)', async () => {
      const { requireTlog: _dropped, ...run } = base();
      expect(await verify(run)).toMatchObject({ status: 'invalid', code: 'TLOG_INVALID' });
    });

    it('fails with SIGNATURE_UNTRUSTED_KEY when the key was valid only in 1970', async () => {
      const run = base();
      const policy: SignerPolicy = {
        kind: 'key',
        publicKey: publicKeyAt('sigstore-go/testing/public-keys/public-key-validity.pem'),
        validFor: (t) => t.getTime() <= 1000,
      };
      expect(await verify({ ...run, policy })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_UNTRUSTED_KEY' });
    });
  });
});

describe('cosign v0.3 attestation bundle (oci-attestation.sigstore.json)', () => {
  const CODY: SignerPolicy = { kind: 'identity', identity: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' };
  const SUBJECT = '732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4';

  it.each(['trusted-roots/public-good-cosign-testdata.trusted_root.json', PRODUCTION_ROOT])(
    'passes for cody@soyland.com and its image subject with %s',
    async (root) => {
      const verdict = await verify({ bundle: 'cosign/oci-attestation.sigstore.json', policy: CODY, root, artifact: { kind: 'digest', sha256: SUBJECT } });
      expect(verdict).toMatchObject({ status: 'valid', facts: { version: '0.3', content: 'dsse-envelope', payloadType: 'application/vnd.in-toto+json' } });
    },
  );

  it('fails for any other image digest', async () => {
    const verdict = await verify({ bundle: 'cosign/oci-attestation.sigstore.json', policy: CODY, artifact: { kind: 'digest', sha256: 'ab'.repeat(32) } });
    expect(verdict).toMatchObject({ status: 'invalid', code: 'DIGEST_MISMATCH' });
  });
});
