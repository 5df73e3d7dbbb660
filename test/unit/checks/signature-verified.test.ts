import { describe, expect, it } from 'vitest';
import { signatureVerified } from '../../../src/checks/signature-verified.js';
import type { ParsedEvidence } from '../../../src/collect/evidence.js';
import type { TrustSet } from '../../../src/trust/load.js';
import type { VerificationTrust } from '../../../src/verify/sigstore.js';
import { cosignSignStatement, dsseBundle, keylessSignatureLine, makeTestSigstore, messageBundle } from '../../helpers/bundles.js';
import {
  IMAGE,
  KEY_ONLY,
  context,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  pipelineRun,
  signatureLine,
  simpleSigningPayload,
  trustedKey,
  trustedRootFor,
} from '../../helpers/estate.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust: TrustSet = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const payload = simpleSigningPayload(IMAGE.digest);
const run = async (lines: unknown[], t: TrustSet = trust, verification = {}) =>
  signatureVerified.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines(lines))], trust: t, ...verification }));
const OTHER = `sha256:${'cd'.repeat(32)}`;

describe('signature.verified', () => {
  it('passes a signature with a valid Rekor SET, recording key and log entry', async () => {
    const outcome = await run([signatureLine(signer, payload, rekor)]);
    expect(outcome.status).toBe('pass');
    expect(outcome.details?.['transparency log index']).toBe('4242');
    expect(outcome.details?.['integrated time']).toBe('2026-04-12T13:20:00.000Z');
    expect(outcome.details?.['key fingerprint (SHA-256 of SPKI)']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails (SIGNING_TIME_UNVERIFIED) a signature without log entry or timestamp by default, as cosign does', async () => {
    expect(await run([signatureLine(signer, payload)])).toMatchObject({
      status: 'fail',
      code: 'SIGNING_TIME_UNVERIFIED',
      message: expect.stringMatching(/no verified signing time/),
    });
  });

  it('passes a key-only signature when trust.requireTransparencyLog is false, and says no independent time exists', async () => {
    const outcome = await run([signatureLine(signer, payload)], trust, { verification: KEY_ONLY });
    expect(outcome.status).toBe('pass');
    expect(outcome.details?.['transparency log']).toMatch(/none checked/);
    expect(outcome.details?.['signing time']).toMatch(/no independent time exists/);
  });

  it('does not turn a failure into a pass when the Bundle field of a logged signature is deleted', async () => {
    const rotated: TrustSet = { keys: [trustedKey(signer, 'rotated', { validUntil: new Date('2026-01-01T00:00:00Z') })], trustedRoot: trustedRootFor(rekor) };
    const logged = signatureLine(signer, payload, rekor);
    expect(await run([logged], rotated)).toMatchObject({ status: 'fail', code: 'SIGNATURE_UNTRUSTED_KEY' });
    for (const verification of [{}, { verification: KEY_ONLY }]) {
      expect(await run([{ ...logged, Bundle: null }], rotated, verification)).toMatchObject({ status: 'fail', code: 'SIGNING_TIME_UNVERIFIED' });
    }
  });

  it('holds a key validity window even when key-only signatures are accepted: no verified time, no pass (SIGNING_TIME_UNVERIFIED)', async () => {
    const windowed: TrustSet = { keys: [trustedKey(signer, 'k', { validFrom: new Date('2026-01-01T00:00:00Z') })], trustedRoot: trustedRootFor(rekor) };
    expect(await run([signatureLine(signer, payload)], windowed, { verification: KEY_ONLY })).toMatchObject({
      status: 'fail',
      code: 'SIGNING_TIME_UNVERIFIED',
    });
  });

  it("fails (DIGEST_MISMATCH) a signature that verifies but binds another image's digest: copied evidence never counts", async () => {
    const outcome = await run([signatureLine(signer, simpleSigningPayload(OTHER), rekor)]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'DIGEST_MISMATCH', details: { 'digest in scope': IMAGE.digest, 'digests bound instead': OTHER } });
    expect(outcome.message).toContain(`but none binds ${IMAGE.digest}`);
  });

  it("passes on the image's own signature when another image's signature sits beside it", async () => {
    const outcome = await run([signatureLine(signer, simpleSigningPayload(OTHER), rekor), signatureLine(signer, payload, rekor)]);
    expect(outcome).toMatchObject({ status: 'pass', details: { 'signed digest': IMAGE.digest, source: 'evidence/app/signature.jsonl line 2' } });
  });

  it('fails a signature made by another key', async () => {
    const outcome = await run([signatureLine(makeKeyPair(), payload, rekor)]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (SIGNATURE_INVALID) when the payload was tampered with after signing', async () => {
    const line = signatureLine(signer, payload);
    line.Payload = simpleSigningPayload(OTHER).toString('base64');
    expect(await run([line], trust, { verification: KEY_ONLY })).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (TLOG_INVALID) when the payload of a logged signature was tampered with: the log entry no longer matches', async () => {
    const line = signatureLine(signer, payload, rekor);
    line.Payload = simpleSigningPayload(OTHER).toString('base64');
    expect(await run([line])).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });

  it('fails (TLOG_INVALID) when the Rekor SET was not made by the trusted log', async () => {
    expect(await run([signatureLine(signer, payload, makeKeyPair())])).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
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

  it('checks an RFC 3161 timestamp a signature carries, instead of ignoring it', async () => {
    const line = signatureLine(signer, payload, rekor);
    line.RFC3161Timestamp = { SignedRFC3161Timestamp: Buffer.from('not a timestamp token').toString('base64') };
    const outcome = await run([line]);
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
    expect(outcome.message).toMatch(/timestamp|past end of buffer/i);
  });

  it('needs a trusted root for a signature that carries only an RFC 3161 timestamp', async () => {
    const line = signatureLine(signer, payload);
    line.RFC3161Timestamp = { SignedRFC3161Timestamp: Buffer.from('token').toString('base64') };
    expect(await run([line], { keys: [trustedKey(signer)] })).toMatchObject({ status: 'fail', code: 'TRUST_INVALID' });
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
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(outcome.message).toMatch(/^pipeline green, no signature/);
    expect(outcome.quotes).toContain(warning);
  });

  it('cannot decide (error) when the signature file is unreadable', async () => {
    const outcome = await signatureVerified.run(
      context({ trust, problems: [{ code: 'EVIDENCE_MALFORMED', file: 'evidence/app/signature.jsonl', reason: 'line 1 is not JSON' }] }),
    );
    expect(outcome).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
    expect(outcome.message).toContain('evidence/app/signature.jsonl');
  });
});

describe('signature.verified: Sigstore bundles and keyless signatures', () => {
  const sigstore = makeTestSigstore(rekor);
  const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const workload = makeKeyPair();
  const leaf = sigstore.leaf(workload, IDENTITY, ISSUER);
  const keyless: VerificationTrust = {
    keys: [trustedKey(signer)],
    trustedRoot: sigstore.root,
    identities: [{ identity: IDENTITY, issuer: ISSUER, regex: false }],
  };
  const statement = cosignSignStatement(IMAGE.digest.slice(7));
  const keyBundle = () => dsseBundle(statement, { signer, rekor });
  const keylessBundle = () => dsseBundle(statement, { signer: workload, certificate: leaf, rekor });
  const runBundles = async (bundles: object[], t: VerificationTrust = keyless, extra: ParsedEvidence[] = []) =>
    signatureVerified.run(context({ items: [evidenceFrom('signature.sigstore.json', jsonLines(bundles)), ...extra], trust: t }));

  it('passes a cosign v3 key-signed bundle (DSSE sign/v1, v0.3 with inclusion proof) and records format, signer, log and trusted root', async () => {
    const outcome = await runBundles([keyBundle()]);
    expect(outcome).toMatchObject({ status: 'pass', message: `signature verified with trusted key test-key and binds ${IMAGE.digest}` });
    expect(outcome.details).toMatchObject({
      format: 'Sigstore bundle',
      'format version': 'Sigstore bundle v0.3',
      'key fingerprint (SHA-256 of SPKI)': trustedKey(signer).fingerprint,
      'transparency log entry': 'dsse 0.0.1',
      'transparency log index': '4242',
      'integrated time': '2026-04-12T13:20:00.000Z',
      'trusted root (SHA-256)': sigstore.root.sha256,
    });
  });

  it('passes a keyless bundle for the exact configured identity and issuer, recording SAN and issuer', async () => {
    const outcome = await runBundles([keylessBundle()]);
    expect(outcome.status).toBe('pass');
    expect(outcome.details).toMatchObject({
      'signer identity (certificate SAN)': IDENTITY,
      'signer issuer (OIDC)': ISSUER,
      'identity policy': `exact ${IDENTITY}`,
    });
  });

  it('passes a keyless bundle matched by a regular expression when regex is set', async () => {
    const outcome = await runBundles([keylessBundle()], { ...keyless, identities: [{ identity: '^https://github\\.com/acme/', issuer: ISSUER, regex: true }] });
    expect(outcome.status).toBe('pass');
  });

  it('passes a keyless legacy signature (Cert in the download line) through the same identity policy', async () => {
    const line = keylessSignatureLine(workload, leaf, payload, rekor);
    const outcome = await signatureVerified.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines([line]))], trust: keyless }));
    expect(outcome).toMatchObject({
      status: 'pass',
      details: { 'signer identity (certificate SAN)': IDENTITY, 'format version': expect.stringMatching(/simple signing/) },
    });
  });

  it('passes a message-signature bundle when the simple-signing payload it signs is in the evidence', async () => {
    const outcome = await runBundles([messageBundle(payload, { signer, rekor })], keyless, [evidenceFrom('payload.json', payload)]);
    expect(outcome.status).toBe('pass');
  });

  it("shows the operator's cosign verify claim beside its own verdict", async () => {
    const claim = evidenceFrom('cosign-verify.json', `\n${JSON.stringify([JSON.parse(payload.toString())])}\n`);
    const outcome = await runBundles([keyBundle()], keyless, [claim]);
    expect(outcome.details?.["operator's cosign verify output"]).toMatch(
      /claims 1 verified signature for sha256:abababababab… \(the operator's claim, not relied on\)$/,
    );
  });

  it('fails a keyless bundle whose SAN is another identity', async () => {
    const other = dsseBundle(statement, {
      signer: workload,
      certificate: sigstore.leaf(workload, 'https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main', ISSUER),
      rekor,
    });
    expect(await runBundles([other])).toMatchObject({ status: 'fail', code: 'IDENTITY_MISMATCH' });
  });

  it('fails a keyless bundle from another OIDC issuer', async () => {
    const other = dsseBundle(statement, { signer: workload, certificate: sigstore.leaf(workload, IDENTITY, 'https://accounts.google.com'), rekor });
    expect(await runBundles([other])).toMatchObject({ status: 'fail', code: 'IDENTITY_MISMATCH' });
  });

  it('fails when the configured identity is only a prefix of the SAN: exact identities are anchored', async () => {
    const outcome = await runBundles([keylessBundle()], {
      ...keyless,
      identities: [{ identity: 'https://github.com/acme/app', issuer: ISSUER, regex: false }],
    });
    expect(outcome).toMatchObject({ status: 'fail', code: 'IDENTITY_MISMATCH' });
  });

  it('fails a keyless bundle when no identity is configured', async () => {
    const outcome = await runBundles([keylessBundle()], { ...keyless, identities: [] });
    expect(outcome).toMatchObject({ status: 'fail', code: 'TRUST_INVALID', message: expect.stringMatching(/trust\.identities/) });
  });

  it('never passes a bundle without a trusted root, and says one is needed', async () => {
    const outcome = await runBundles([keyBundle()], { keys: [trustedKey(signer)] });
    expect(outcome).toMatchObject({ status: 'fail', code: 'TRUST_INVALID', message: expect.stringMatching(/trusted root/) });
  });

  it('fails (TLOG_INVALID) a bundle whose DSSE payload was altered after signing', async () => {
    const bundle = keyBundle();
    bundle.dsseEnvelope.payload = cosignSignStatement('cd'.repeat(32)).toString('base64');
    expect(await runBundles([bundle])).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });

  it('fails (SIGNATURE_INVALID) a bundle signed by an untrusted key', async () => {
    expect(await runBundles([dsseBundle(statement, { signer: makeKeyPair(), rekor })])).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails a bundle signed outside the key validity window', async () => {
    const rotated: VerificationTrust = { keys: [trustedKey(signer, 'rotated', { validUntil: new Date('2026-01-01T00:00:00Z') })], trustedRoot: sigstore.root };
    expect(await runBundles([keyBundle()], rotated)).toMatchObject({ status: 'fail', code: 'SIGNATURE_UNTRUSTED_KEY' });
  });

  it('fails a keyless legacy signature from another identity', async () => {
    const stranger = sigstore.leaf(workload, 'mallory@example.test', ISSUER);
    const line = keylessSignatureLine(workload, stranger, payload, rekor);
    const outcome = await signatureVerified.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines([line]))], trust: keyless }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'IDENTITY_MISMATCH' });
  });

  it('cannot decide (error, EVIDENCE_UNSUPPORTED) on a message-signature bundle whose signed payload is absent', async () => {
    const outcome = await runBundles([messageBundle(payload, { signer, rekor })]);
    expect(outcome).toMatchObject({ status: 'error', code: 'EVIDENCE_UNSUPPORTED', message: expect.stringMatching(/cannot be tied to an image/) });
  });

  it('fails a malformed bundle (DSSE with two signatures) as EVIDENCE_MALFORMED', async () => {
    const bundle = keyBundle();
    bundle.dsseEnvelope.signatures.push(bundle.dsseEnvelope.signatures[0]);
    expect(await runBundles([bundle])).toMatchObject({ status: 'fail', code: 'EVIDENCE_MALFORMED' });
  });
});
