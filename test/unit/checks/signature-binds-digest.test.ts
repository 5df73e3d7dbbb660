import { describe, expect, it } from 'vitest';
import { signatureBindsDigest } from '../../../src/checks/signature-binds-digest.js';
import type { ParsedEvidence } from '../../../src/collect/evidence.js';
import type { VerificationTrust } from '../../../src/verify/sigstore.js';
import { cosignSignStatement, dsseBundle, keylessSignatureLine, makeTestSigstore, messageBundle } from '../../helpers/bundles.js';
import {
  KEY_ONLY,
  IMAGE,
  context,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  sbom,
  signatureLine,
  simpleSigningPayload,
  statement,
  trustedKey,
} from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const run = async (lines: unknown[]) =>
  signatureBindsDigest.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines(lines))], trust, verification: KEY_ONLY }));

describe('signature.binds-digest', () => {
  it('passes when the verified payload names the image digest', async () => {
    const outcome = await run([signatureLine(signer, simpleSigningPayload(IMAGE.digest))]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'signed digest': IMAGE.digest } });
  });

  it('fails when the payload names another digest', async () => {
    const outcome = await run([signatureLine(signer, simpleSigningPayload(`sha256:${'cd'.repeat(32)}`))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.message).toContain('cdcd');
  });

  it('fails (PAYLOAD_INVALID) when the payload type is not a cosign container image signature', async () => {
    expect(await run([signatureLine(signer, simpleSigningPayload(IMAGE.digest, 'something else'))])).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
  });

  it('fails (PAYLOAD_INVALID) when the payload is not JSON', async () => {
    const outcome = await run([signatureLine(signer, Buffer.from('not json'))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
    expect(outcome.message).toMatch(/not JSON/);
  });

  it('never reads a payload whose signature did not verify', async () => {
    const outcome = await run([signatureLine(makeKeyPair(), simpleSigningPayload(IMAGE.digest))]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails with EVIDENCE_MISSING without signatures', async () => {
    expect(await signatureBindsDigest.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});

describe('signature.binds-digest: cosign v3 bundles and message-signature bundles', () => {
  const rekor = makeKeyPair();
  const sigstore = makeTestSigstore(rekor);
  const bundleTrust: VerificationTrust = { keys: [trustedKey(signer)], trustedRoot: sigstore.root };
  const runItems = async (items: ParsedEvidence[]) => signatureBindsDigest.run(context({ items, trust: bundleTrust }));
  const bundleFile = (bundles: object[]) => evidenceFrom('signature.sigstore.json', jsonLines(bundles));

  it('passes a cosign sign/v1 statement whose subject is the image digest', async () => {
    const outcome = await runItems([bundleFile([dsseBundle(cosignSignStatement(IMAGE.digest.slice(7)), { signer, rekor })])]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'signed digest': IMAGE.digest, 'predicate type': 'https://sigstore.dev/cosign/sign/v1' } });
  });

  it('passes a message-signature bundle over a simple-signing payload present in the evidence', async () => {
    const payload = simpleSigningPayload(IMAGE.digest);
    const outcome = await runItems([bundleFile([messageBundle(payload, { signer, rekor })]), evidenceFrom('payload.json', payload)]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'signed content': 'simple-signing payload' } });
  });

  it('fails a cosign sign/v1 statement about another digest, naming it', async () => {
    const other = 'cd'.repeat(32);
    const outcome = await runItems([bundleFile([dsseBundle(cosignSignStatement(other), { signer, rekor })])]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.message).toContain(`in-toto subject is sha256:${other}`);
  });

  it('binds a cosign sign/v1 statement with two subjects when the digest is one, naming the other', async () => {
    const other = 'cd'.repeat(32);
    const twoSubjects = Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ digest: { sha256: IMAGE.digest.slice(7) } }, { digest: { sha256: other } }],
        predicateType: 'https://sigstore.dev/cosign/sign/v1',
        predicate: {},
      }),
    );
    const outcome = await runItems([bundleFile([dsseBundle(twoSubjects, { signer, rekor })])]);
    expect(outcome).toMatchObject({ status: 'pass', message: expect.stringContaining(`(the statement also names 1 other subject: sha256:${other})`) });
    expect(outcome.details?.['statement subjects']).toBe(`sha256:${IMAGE.digest.slice(7)}; sha256:${other}`);
  });

  it('does not count an SBOM attestation bundle as an image signature', async () => {
    const outcome = await runItems([bundleFile([dsseBundle(statement(IMAGE.digest.slice(7), sbom(1)), { signer, rekor })])]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });

  it('fails a message-signature bundle over a payload naming another digest', async () => {
    const payload = simpleSigningPayload(`sha256:${'ef'.repeat(32)}`);
    const outcome = await runItems([bundleFile([messageBundle(payload, { signer, rekor })]), evidenceFrom('payload.json', payload)]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
  });

  it('fails a keyless legacy signature whose payload names another digest', async () => {
    const IDENTITY = 'release@acme.test';
    const ISSUER = 'https://accounts.acme.test';
    const workload = makeKeyPair();
    const line = keylessSignatureLine(workload, sigstore.leaf(workload, IDENTITY, ISSUER), simpleSigningPayload(`sha256:${'ef'.repeat(32)}`), rekor);
    const outcome = await signatureBindsDigest.run(
      context({
        items: [evidenceFrom('signature.jsonl', jsonLines([line]))],
        trust: { ...bundleTrust, identities: [{ identity: IDENTITY, issuer: ISSUER, regex: false }] },
      }),
    );
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
  });
});
