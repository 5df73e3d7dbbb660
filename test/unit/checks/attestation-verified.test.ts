import { describe, expect, it } from 'vitest';
import { attestationVerified } from '../../../src/checks/attestation-verified.js';
import type { VerificationTrust } from '../../../src/verify/sigstore.js';
import { dsseBundle, makeTestSigstore } from '../../helpers/bundles.js';
import { KEY_ONLY, IMAGE, context, envelope, evidenceFrom, jsonLines, makeKeyPair, sbom, statement, trustedKey, trustedRootFor } from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const good = () => envelope(signer, statement(IMAGE.digest.slice(7), sbom(3)));
const run = async (envelopes: unknown[]) =>
  attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines(envelopes))], trust, verification: KEY_ONLY }));

describe('attestation.verified', () => {
  it('passes a DSSE envelope signed by the trusted key', async () => {
    expect(await run([good()])).toMatchObject({ status: 'pass', details: { key: 'test-key' } });
  });

  it('fails an envelope signed by another key', async () => {
    expect(await run([envelope(makeKeyPair(), statement(IMAGE.digest.slice(7), sbom(3)))])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails when the payload was tampered with', async () => {
    const env = good();
    env.payload = statement(`${'cd'.repeat(32)}`, sbom(3)).toString('base64');
    expect(await run([env])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (SIGNATURE_INVALID) when the payloadType was changed (it is part of what is signed)', async () => {
    const env = good();
    env.payloadType = 'application/json';
    expect(await run([env])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (EVIDENCE_MALFORMED) an envelope with two signatures, as a bundle with two is', async () => {
    const env = good();
    env.signatures.push({ keyid: '', sig: env.signatures[0]!.sig });
    expect(await run([env])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED', message: expect.stringMatching(/exactly one signature/) });
  });

  it('fails (SIGNING_TIME_UNVERIFIED) a bare envelope by default: a downloaded envelope carries no log entry', async () => {
    const withRoot = { ...trust, trustedRoot: trustedRootFor(makeKeyPair()) };
    expect(await attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines([good()]))], trust: withRoot }))).toMatchObject({
      status: 'fail',
      code: 'SIGNING_TIME_UNVERIFIED',
    });
    expect(await attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines([good()]))], trust }))).toMatchObject({
      status: 'fail',
      code: 'TRUST_INVALID',
    });
  });

  it("fails (DIGEST_MISMATCH) an attestation that verifies but binds another image's digest", async () => {
    const outcome = await run([envelope(signer, statement('cd'.repeat(32), sbom(3)))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH', details: { 'digests bound instead': `sha256:${'cd'.repeat(32)}` } });
  });

  it('rejects a signature that is not strict base64', async () => {
    const env = good();
    env.signatures[0]!.sig = 'not base64!';
    expect(await run([env])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
  });

  it('fails (EVIDENCE_MALFORMED), never passes, a signed payload re-encoded with characters a lenient decoder skips', async () => {
    // Node's decoder reads the same signed bytes from either text (the second still a multiple of 4 long): only strict decoding refuses them.
    for (const reencode of [(p: string) => `${p.slice(0, 8)}.${p.slice(8)}`, (p: string) => `${p.slice(0, 12)}\n\n\n\n${p.slice(12)}`]) {
      const env = good();
      const changed = reencode(env.payload);
      expect(changed).not.toBe(env.payload);
      expect(Buffer.from(changed, 'base64').equals(Buffer.from(env.payload, 'base64'))).toBe(true);
      env.payload = changed;
      expect(await run([env])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
    }
  });

  it('fails with EVIDENCE_MISSING without attestations', async () => {
    expect(await attestationVerified.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});

describe('attestation.verified: Sigstore bundles (cosign 3 download attestation)', () => {
  const rekor = makeKeyPair();
  const sigstore = makeTestSigstore(rekor);
  const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const workload = makeKeyPair();
  const bundleTrust: VerificationTrust = {
    keys: [trustedKey(signer)],
    trustedRoot: sigstore.root,
    identities: [{ identity: IDENTITY, issuer: ISSUER, regex: false }],
  };
  const sbomStatement = statement(IMAGE.digest.slice(7), sbom(3));
  const runBundles = async (bundles: object[], t: VerificationTrust = bundleTrust) =>
    attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines(bundles))], trust: t }));

  it('passes a key-signed CycloneDX bundle and records format, log and trusted root', async () => {
    const outcome = await runBundles([dsseBundle(sbomStatement, { signer, rekor })]);
    expect(outcome).toMatchObject({
      status: 'pass',
      details: { 'format version': 'Sigstore bundle v0.3', 'transparency log entry': 'dsse 0.0.1', 'trusted root (SHA-256)': sigstore.root.sha256 },
    });
  });

  it('passes a keyless CycloneDX bundle (v0.1) for the configured identity', async () => {
    const outcome = await runBundles([
      dsseBundle(sbomStatement, { signer: workload, certificate: sigstore.leaf(workload, IDENTITY, ISSUER), rekor, version: '0.1' }),
    ]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'signer identity (certificate SAN)': IDENTITY, 'format version': 'Sigstore bundle v0.1' } });
  });

  it('fails when the verified attestations carry no CycloneDX SBOM', async () => {
    const outcome = await runBundles([dsseBundle(statement(IMAGE.digest.slice(7), {}, 'https://slsa.dev/provenance/v1'), { signer, rekor })]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID', message: expect.stringContaining('https://slsa.dev/provenance/v1') });
  });

  it('never passes a bundle without a trusted root', async () => {
    expect(await runBundles([dsseBundle(sbomStatement, { signer, rekor })], { keys: [trustedKey(signer)] })).toMatchObject({
      status: 'fail',
      code: 'TRUST_INVALID',
    });
  });

  it('fails a keyless bundle from another identity', async () => {
    const outcome = await runBundles([
      dsseBundle(sbomStatement, { signer: workload, certificate: sigstore.leaf(workload, 'someone@else.test', ISSUER), rekor }),
    ]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'IDENTITY_MISMATCH' });
  });

  it('fails a bundle whose SBOM was altered after signing', async () => {
    const bundle = dsseBundle(sbomStatement, { signer, rekor });
    bundle.dsseEnvelope.payload = statement(IMAGE.digest.slice(7), sbom(4)).toString('base64');
    expect(await runBundles([bundle])).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });

  it('fails (TLOG_INVALID) a bundle whose transparency-log entry was made by an untrusted log', async () => {
    expect(await runBundles([dsseBundle(sbomStatement, { signer, rekor: makeKeyPair() })])).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });
});
