import { describe, expect, it } from 'vitest';
import { signatureVerified } from '../../../src/checks/signature-verified.js';
import type { TrustSet } from '../../../src/trust/load.js';
import { IMAGE, context, evidenceFrom, jsonLines, makeKeyPair, pipelineRun, signatureLine, simpleSigningPayload, trustedKey, trustedRootFor } from '../../helpers/estate.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust: TrustSet = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const payload = simpleSigningPayload(IMAGE.digest);
const run = async (lines: unknown[], t: TrustSet = trust) => signatureVerified.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines(lines))], trust: t }));

describe('signature.verified', () => {
  it('passes a signature with a valid Rekor SET, recording key and log entry', async () => {
    const outcome = await run([signatureLine(signer, payload, rekor)]);
    expect(outcome.status).toBe('pass');
    expect(outcome.details?.['transparency log index']).toBe('4242');
    expect(outcome.details?.['integrated time']).toBe('2026-04-12T13:20:00.000Z');
    expect(outcome.details?.['key fingerprint (SHA-256 of SPKI)']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('passes a signature without a log entry and says no log was checked', async () => {
    const outcome = await run([signatureLine(signer, payload)]);
    expect(outcome.status).toBe('pass');
    expect(outcome.details?.['transparency log']).toMatch(/not checked/);
  });

  it('fails a signature made by another key', async () => {
    const outcome = await run([signatureLine(makeKeyPair(), payload, rekor)]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails when the payload was tampered with after signing', async () => {
    const line = signatureLine(signer, payload);
    line.Payload = simpleSigningPayload(`sha256:${'cd'.repeat(32)}`).toString('base64');
    expect(await run([line])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails when the Rekor SET was not made by the trusted log', async () => {
    expect((await run([signatureLine(signer, payload, makeKeyPair())])).status).toBe('fail');
  });

  it('fails when the log entry exists but no trusted root is configured to check it', async () => {
    const outcome = await run([signatureLine(signer, payload, rekor)], { keys: [trustedKey(signer)] });
    expect(outcome).toMatchObject({ status: 'fail', code: 'TRUST_INVALID' });
  });

  it('fails when the key was not valid at the signing time', async () => {
    const key = trustedKey(signer, 'rotated', { validUntil: new Date('2026-01-01T00:00:00Z') });
    const outcome = await run([signatureLine(signer, payload, rekor)], { keys: [key], trustedRoot: trustedRootFor(rekor) });
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_UNTRUSTED_KEY' });
  });

  it('rejects a signature that is not strict base64', async () => {
    const line = signatureLine(signer, payload);
    line.Base64Signature = 'Invalid base64 signature';
    expect(await run([line])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
  });

  it('fails with EVIDENCE_MISSING when there is no signature evidence', async () => {
    expect(await signatureVerified.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });

  it('says "pipeline green, no signature" and quotes the warning when the signing run hid a failure', async () => {
    const warning = `WARN: cosign sign failed for ${IMAGE.ref}; continuing (best-effort)`;
    const outcome = await signatureVerified.run(context({ trust, runs: [pipelineRun({ signLog: ['Error: signing: 503', warning] })] }));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^pipeline green, no signature/);
    expect(outcome.quotes).toContain(warning);
  });

  it('cannot decide (error) when the signature file is unreadable', async () => {
    const outcome = await signatureVerified.run(context({ trust, problems: [{ code: 'EVIDENCE_MALFORMED', file: 'evidence/app/signature.jsonl', reason: 'line 1 is not JSON' }] }));
    expect(outcome).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
    expect(outcome.message).toContain('evidence/app/signature.jsonl');
  });
});
