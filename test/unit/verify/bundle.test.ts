import { describe, expect, it } from 'vitest';
import { makeKeyPair, sha256, trustedRootFor } from '../../helpers/estate.js';
import { verifySigstoreBundle } from '../../../src/verify/bundle.js';
import { bytes, digest, ed25519Pair, keyPolicy, loggedBundle, rekor, root, signer, unloggedBundle, verify } from './bundle-fixtures.js';

describe('verifySigstoreBundle: message signatures, key mode', () => {
  it('passes a logged bundle and records media type, entry, signer and trusted root', () => {
    const verdict = verify(loggedBundle());
    expect(verdict).toMatchObject({
      status: 'valid',
      trustedRootSha256: root.sha256,
      facts: {
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
        version: '0.1',
        content: 'message-signature',
        keyMaterial: 'public-key',
        tlogEntries: [
          {
            kind: 'hashedrekord',
            version: '0.0.1',
            logIndex: '4242',
            integratedTime: '2026-04-12T13:20:00.000Z',
            logId: sha256(rekor.publicKey.export({ type: 'spki', format: 'der' })),
          },
        ],
        timestampAuthorityTimes: [],
      },
      signer: { kind: 'public-key', keyFingerprint: sha256(signer.publicKey.export({ type: 'spki', format: 'der' })), hint: '' },
    });
  });

  it('passes the same bundle from the artifact digest alone', () => {
    expect(verify(loggedBundle(), { artifact: digest })).toMatchObject({ status: 'valid' });
  });

  it('passes raw file bytes as well as parsed JSON', () => {
    expect(verify(Buffer.from(JSON.stringify(loggedBundle())))).toMatchObject({ status: 'valid' });
  });

  it("never carries one verification's pinned key into the next against the same root", () => {
    const other = makeKeyPair();
    expect(verify(loggedBundle())).toMatchObject({ status: 'valid' });
    expect(verify(loggedBundle(), { policy: keyPolicy(other) })).toMatchObject({ status: 'invalid' });
    expect(verify(loggedBundle(other))).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
    expect(verify(loggedBundle(other), { policy: keyPolicy(other) })).toMatchObject({ status: 'valid' });
    expect(verify(loggedBundle())).toMatchObject({ status: 'valid' });
  });

  it('rejects malformed JSON as EVIDENCE_MALFORMED, keeping the SyntaxError', () => {
    const verdict = verify(Buffer.from('{"mediaType": "application/vnd.dev.sigstore.bun'));
    expect(verdict).toMatchObject({ status: 'invalid', code: 'EVIDENCE_MALFORMED', cause: { name: 'SyntaxError' } });
    expect(verdict).not.toHaveProperty('facts');
  });

  it('rejects a structurally invalid bundle as EVIDENCE_MALFORMED with the ValidationError fields', () => {
    const bundle = loggedBundle();
    bundle.messageSignature.signature = '';
    expect(verify(bundle)).toMatchObject({
      status: 'invalid',
      code: 'EVIDENCE_MALFORMED',
      cause: { name: 'ValidationError', fields: expect.arrayContaining([expect.stringContaining('signature')]) },
    });
  });

  it('rejects another artifact as DIGEST_MISMATCH (path and digest input)', () => {
    expect(verify(loggedBundle(), { artifact: { kind: 'bytes', bytes: Buffer.from('other') } })).toMatchObject({ status: 'invalid', code: 'DIGEST_MISMATCH' });
    expect(verify(loggedBundle(), { artifact: { kind: 'digest', sha256: 'ab'.repeat(32) } })).toMatchObject({ status: 'invalid', code: 'DIGEST_MISMATCH' });
  });

  it('rejects a message signature verified against nothing as EVIDENCE_MISSING', () => {
    expect(verify(loggedBundle(), { artifact: { kind: 'none' } })).toMatchObject({ status: 'invalid', code: 'EVIDENCE_MISSING' });
  });

  it('rejects a signature by another key as SIGNATURE_INVALID', () => {
    expect(verify(loggedBundle(makeKeyPair()))).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID', cause: { code: 'SIGNATURE_ERROR' } });
  });

  it('rejects a swapped signature that the log entry does not record as TLOG_INVALID', () => {
    const bundle = loggedBundle();
    bundle.messageSignature.signature = unloggedBundle().messageSignature.signature;
    expect(verify(bundle)).toMatchObject({ status: 'invalid', code: 'TLOG_INVALID', cause: { code: 'TLOG_BODY_ERROR' } });
  });

  it('rejects a SET made by a log the trusted root does not know as TLOG_INVALID', () => {
    expect(verify(loggedBundle(signer, makeKeyPair()))).toMatchObject({
      status: 'invalid',
      code: 'TLOG_INVALID',
      cause: { code: 'TLOG_INCLUSION_PROMISE_ERROR' },
    });
  });

  it('rejects a log entry integrated before the log key was valid as TLOG_INVALID', () => {
    const early = verify(loggedBundle(signer, rekor, 1700000000), { trustedRoot: trustedRootFor(rekor, '2026-01-01T00:00:00Z') });
    expect(early).toMatchObject({ status: 'invalid', code: 'TLOG_INVALID' });
  });

  it('rejects a signing time outside the pinned key window as SIGNATURE_UNTRUSTED_KEY', () => {
    const policy = keyPolicy(signer, (at) => at < new Date('2026-01-01T00:00:00Z'));
    expect(verify(loggedBundle(), { policy })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_UNTRUSTED_KEY', cause: { code: 'PUBLIC_KEY_ERROR' } });
  });

  it('needs a verified signing time by default (SIGNING_TIME_UNVERIFIED) and a log entry when asked (TLOG_INVALID)', () => {
    expect(verify(unloggedBundle())).toMatchObject({
      status: 'invalid',
      code: 'SIGNING_TIME_UNVERIFIED',
      reason: expect.stringMatching(/no verified signing time/),
    });
    expect(verify(unloggedBundle(), { requireTimestamp: false })).toMatchObject({ status: 'invalid', code: 'TLOG_INVALID' });
    expect(verify(unloggedBundle(), { offline: true })).toMatchObject({ status: 'valid', signer: { hint: 'test-hint' } });
  });

  it('always needs a verified signing time for a key with a validity window, whatever requireTimestamp says (SIGNING_TIME_UNVERIFIED)', () => {
    expect(verify(unloggedBundle(), { offline: true, policy: keyPolicy(signer, () => true) })).toMatchObject({
      status: 'invalid',
      code: 'SIGNING_TIME_UNVERIFIED',
    });
  });

  it('without a trusted root, refuses (TRUST_INVALID) what needs one, and checks a bare key signature', () => {
    expect(verifySigstoreBundle({ bundle: loggedBundle(), artifact: bytes, policy: keyPolicy(), requireTimestamp: false })).toMatchObject({
      status: 'invalid',
      code: 'TRUST_INVALID',
      reason: expect.stringMatching(/carries a transparency-log entry/),
    });
    expect(verifySigstoreBundle({ bundle: unloggedBundle(), artifact: bytes, policy: keyPolicy() })).toMatchObject({
      status: 'invalid',
      code: 'TRUST_INVALID',
      reason: expect.stringMatching(/needs a verified signing time/),
    });
    expect(verifySigstoreBundle({ bundle: unloggedBundle(), artifact: bytes, policy: keyPolicy(), requireTlog: false, requireTimestamp: false })).toMatchObject(
      { status: 'valid' },
    );
  });

  it('verifies the signature over the digest itself in digest mode, not the bundle hint', () => {
    expect(verify(unloggedBundle(), { offline: true, artifact: digest })).toMatchObject({ status: 'valid' });
    const forged = unloggedBundle();
    forged.messageSignature.messageDigest.digest = Buffer.from('cd'.repeat(32), 'hex').toString('base64');
    const verdict = verify(forged, { offline: true, artifact: { kind: 'digest', sha256: 'cd'.repeat(32) } });
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it('hashes the artifact with the bundle algorithm (SHA-384), but cannot relate a sha256 digest to it', () => {
    expect(verify(unloggedBundle({ hash: 'sha384' }), { offline: true })).toMatchObject({ status: 'valid' });
    expect(verify(unloggedBundle({ hash: 'sha384' }), { offline: true, artifact: digest })).toMatchObject({
      status: 'unsupported',
      code: 'EVIDENCE_UNSUPPORTED',
    });
  });

  it('says unsupported, never valid, for an Ed25519 signature known only by its digest', () => {
    const pair = ed25519Pair();
    const policy = keyPolicy(pair);
    expect(verify(unloggedBundle({ pair }), { offline: true, policy, artifact: digest })).toMatchObject({
      status: 'unsupported',
      code: 'EVIDENCE_UNSUPPORTED',
    });
  });

  it('keeps the facts of a bundle that parsed but failed', () => {
    const verdict = verify(loggedBundle(makeKeyPair()));
    expect(verdict.status === 'invalid' && verdict.facts?.tlogEntries).toHaveLength(1);
  });
});
