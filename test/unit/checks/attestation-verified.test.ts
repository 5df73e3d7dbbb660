import { describe, expect, it } from 'vitest';
import { attestationVerified } from '../../../src/checks/attestation-verified.js';
import { IMAGE, context, envelope, evidenceFrom, jsonLines, makeKeyPair, sbom, statement, trustedKey } from '../../helpers/estate.js';

const signer = makeKeyPair();
const trust = { keys: [trustedKey(signer)] };
const good = () => envelope(signer, statement(IMAGE.digest.slice(7), sbom(3)));
const run = async (envelopes: unknown[]) => attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', jsonLines(envelopes))], trust }));

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

  it('fails when the payloadType was changed (it is part of what is signed)', async () => {
    const env = good();
    env.payloadType = 'application/json';
    expect((await run([env])).status).toBe('fail');
  });

  it('fails an envelope with two signatures', async () => {
    const env = good();
    env.signatures.push({ keyid: '', sig: env.signatures[0]!.sig });
    expect(await run([env])).toMatchObject({ status: 'fail', message: expect.stringMatching(/exactly one signature/) });
  });

  it('rejects a signature that is not strict base64', async () => {
    const env = good();
    env.signatures[0]!.sig = 'not base64!';
    expect(await run([env])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
  });

  it('fails with EVIDENCE_MISSING without attestations', async () => {
    expect(await attestationVerified.run(context({ trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });
});
