import { describe, expect, it } from 'vitest';
import { signatureBindsDigest } from '../../../src/checks/signature-binds-digest.js';
import { IMAGE, context, evidenceFrom, jsonLines, makeKeyPair, signatureLine, simpleSigningPayload, trustedKey } from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const run = async (lines: unknown[]) => signatureBindsDigest.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines(lines))], trust }));

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

  it('fails when the payload type is not a cosign container image signature', async () => {
    expect(await run([signatureLine(signer, simpleSigningPayload(IMAGE.digest, 'something else'))])).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
  });

  it('fails when the payload is not JSON', async () => {
    const outcome = await run([signatureLine(signer, Buffer.from('not json'))]);
    expect(outcome.status).toBe('fail');
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
