import { describe, expect, it } from 'vitest';
import { evidenceBound } from '../../../src/checks/evidence-bound.js';
import { dsseBundle, messageBundle } from '../../helpers/bundles.js';
import {
  IMAGE,
  context,
  envelope,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  sbom,
  signatureLine,
  simpleSigningPayload,
  statement,
  trustedKey,
  trustedRootFor,
} from '../../helpers/estate.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const hex = IMAGE.digest.slice(7);
const OTHER = `sha256:${'cd'.repeat(32)}`;
const own = () => evidenceFrom('signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(IMAGE.digest), rekor)]));
const ownAttestation = () => evidenceFrom('attestation.sigstore.json', JSON.stringify(dsseBundle(statement(hex, sbom(2)), { signer, rekor, version: '0.1' })));
const run = (items: ReturnType<typeof evidenceFrom>[]) => evidenceBound.run(context({ items, trust }));

describe('evidence.bound', () => {
  it('passes when every signature and attestation in the folder verifies and binds the digest', async () => {
    expect(await run([own(), ownAttestation()])).toMatchObject({
      status: 'pass',
      message: `all 2 signatures and attestations verify and bind ${IMAGE.digest}`,
    });
  });

  it('is not applicable to a folder without signed evidence', async () => {
    expect(await run([])).toMatchObject({ status: 'not-applicable' });
  });

  it("fails (DIGEST_MISMATCH) a signature copied from another image's folder, naming the file, even beside the image's own", async () => {
    const copied = evidenceFrom('copied-signature.jsonl', jsonLines([signatureLine(signer, simpleSigningPayload(OTHER), rekor)]));
    const outcome = await run([own(), copied]);
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'DIGEST_MISMATCH',
      details: { 'evidence/app/copied-signature.jsonl': `it verifies, but its payload names ${OTHER}` },
    });
    expect(outcome.message).toMatch(/^1 of 2 signed evidence items do not count for this image/);
  });

  it('fails (DIGEST_MISMATCH) an attestation bound to another digest, naming its subjects', async () => {
    const stale = evidenceFrom('stale.sigstore.json', JSON.stringify(dsseBundle(statement(OTHER.slice(7), sbom(2)), { signer, rekor, version: '0.1' })));
    const outcome = await run([own(), stale]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH' });
    expect(outcome.details?.['evidence/app/stale.sigstore.json']).toContain(`its in-toto subject is registry.test/team/app@${OTHER}`);
  });

  it('fails (SIGNATURE_INVALID) a DSSE file whose signature does not verify, never ignoring it', async () => {
    const forged = evidenceFrom('forged.jsonl', jsonLines([envelope(makeKeyPair(), statement(hex, sbom(1)))]));
    const outcome = await evidenceBound.run(context({ items: [own(), forged], trust, verification: { requireSignedTime: false } }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
    expect(outcome.details?.['evidence/app/forged.jsonl']).toMatch(/\[SIGNATURE_INVALID\]$/);
  });

  it('fails (SIGNING_TIME_UNVERIFIED) a bare downloaded envelope by default: it carries no log entry', async () => {
    const bare = evidenceFrom('attestation.jsonl', jsonLines([envelope(signer, statement(hex, sbom(1)))]));
    expect(await run([own(), bare])).toMatchObject({ status: 'fail', code: 'SIGNING_TIME_UNVERIFIED' });
  });

  it('fails (PAYLOAD_INVALID) a verified envelope whose payload is not an in-toto statement', async () => {
    const garbage = evidenceFrom('garbage.sigstore.json', JSON.stringify(dsseBundle(Buffer.from('not json'), { signer, rekor, version: '0.1' })));
    expect(await run([own(), garbage])).toMatchObject({ status: 'fail', code: 'PAYLOAD_INVALID' });
  });

  it('cannot decide (error, EVIDENCE_UNSUPPORTED) when the only evidence that does not count is of a kind auditpack cannot check', async () => {
    const unreadable = evidenceFrom('message.sigstore.json', JSON.stringify(messageBundle(simpleSigningPayload(OTHER), { signer, rekor })));
    expect(await run([own(), unreadable])).toMatchObject({ status: 'error', code: 'EVIDENCE_UNSUPPORTED' });
  });
});
