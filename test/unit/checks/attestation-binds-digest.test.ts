import { describe, expect, it } from 'vitest';
import { attestationBindsDigest } from '../../../src/checks/attestation-binds-digest.js';
import { dsseBundle, makeTestSigstore } from '../../helpers/bundles.js';
import {
  KEY_ONLY,
  IMAGE,
  context,
  envelope,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  multiSubjectStatement,
  sbom,
  statement,
  trustedKey,
} from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const hex = IMAGE.digest.slice(7);
const run = async (envelopes: unknown[]) =>
  attestationBindsDigest.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines(envelopes))], trust, verification: KEY_ONLY }));

describe('attestation.binds-digest', () => {
  it('passes when the in-toto subject is the image digest and the predicate is CycloneDX', async () => {
    expect(await run([envelope(signer, statement(hex, sbom(2)))])).toMatchObject({ status: 'pass' });
  });

  it("fails and names both digests when the subject is another build's digest", async () => {
    const previous = 'ef'.repeat(32);
    const outcome = await run([envelope(signer, statement(previous, sbom(2)))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.message).toContain(`bound to another digest: sha256:${previous}`);
  });

  it('fails when the predicate type is not CycloneDX', async () => {
    const outcome = await run([envelope(signer, statement(hex, {}, 'https://slsa.dev/provenance/v1'))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
  });

  it('fails (PAYLOAD_INVALID) when the payload is not an in-toto statement', async () => {
    expect(await run([envelope(signer, Buffer.from('{"hello":"world"}'))])).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
  });

  it('fails (PAYLOAD_INVALID) when the payloadType is not in-toto', async () => {
    expect(await run([envelope(signer, statement(hex, sbom(1)), 'text/plain')])).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
  });

  it('binds a statement with several subjects when the digest is among them, and lists every subject', async () => {
    const other = 'cd'.repeat(32);
    const outcome = await run([envelope(signer, multiSubjectStatement([other, hex], sbom(2)))]);
    expect(outcome).toMatchObject({
      status: 'pass',
      message: `attestation subject is ${IMAGE.digest} (the statement also names 1 other subject: sha256:${other})`,
    });
    expect(outcome.details?.['statement subjects']).toBe(`registry.test/team/app@sha256:${other}; registry.test/team/app@sha256:${hex}`);
  });

  it('fails (DIGEST_MISMATCH) a statement with several subjects, none of them the digest, naming them all', async () => {
    const outcome = await run([envelope(signer, multiSubjectStatement(['cd'.repeat(32), 'ef'.repeat(32)], sbom(2)))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.message).toContain(`sha256:${'cd'.repeat(32)}, sha256:${'ef'.repeat(32)}`);
  });

  it('does not read statements whose signature fails', async () => {
    expect(await run([envelope(makeKeyPair(), statement(hex, sbom(1)))])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });
});

describe('attestation.binds-digest: Sigstore bundles', () => {
  const rekor = makeKeyPair();
  const bundleTrust = { keys: [trustedKey(signer)], trustedRoot: makeTestSigstore(rekor).root };
  const runBundles = async (bundles: object[]) =>
    attestationBindsDigest.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines(bundles))], trust: bundleTrust }));

  it('passes a CycloneDX bundle whose subject is the image digest', async () => {
    expect(await runBundles([dsseBundle(statement(hex, sbom(2)), { signer, rekor })])).toMatchObject({ status: 'pass' });
  });

  it('fails a CycloneDX bundle bound to another digest, naming it', async () => {
    const previous = 'ef'.repeat(32);
    const outcome = await runBundles([dsseBundle(statement(previous, sbom(2)), { signer, rekor })]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.message).toContain(`sha256:${previous}`);
  });

  it('does not read the statement of a bundle that fails verification', async () => {
    expect(await runBundles([dsseBundle(statement(hex, sbom(2)), { signer: makeKeyPair(), rekor })])).toMatchObject({
      status: 'fail',
      code: 'SIGNATURE_INVALID',
    });
  });
});
