import { ValidationError } from '@sigstore/bundle';
import { PolicyError, VerificationError } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { verifySigstoreBundle } from '../../../src/verify/bundle.js';
import { translateThrown } from '../../../src/verify/bundle-errors.js';
import { rekorV2DsseBundle } from '../../helpers/bundles.js';
import { makeKeyPair, statement, trustedRootFor } from '../../helpers/estate.js';
import { artifactSha256, digest, dsseBundle, loggedBundle, statementAbout, unloggedBundle, verify } from './bundle-fixtures.js';

describe('verifySigstoreBundle: DSSE envelopes and in-toto subjects', () => {
  it('passes when the artifact (bytes or digest) is an in-toto subject, recording the payload type', () => {
    expect(verify(dsseBundle(), { offline: true })).toMatchObject({
      status: 'valid',
      facts: { content: 'dsse-envelope', payloadType: 'application/vnd.in-toto+json' },
    });
    expect(verify(dsseBundle(), { offline: true, artifact: digest })).toMatchObject({ status: 'valid' });
  });

  it('verifies the envelope alone when no artifact is named', () => {
    expect(verify(dsseBundle(), { offline: true, artifact: { kind: 'none' } })).toMatchObject({ status: 'valid' });
  });

  it('rejects an artifact that no subject names as DIGEST_MISMATCH', () => {
    expect(verify(dsseBundle(statementAbout('ef'.repeat(32))), { offline: true })).toMatchObject({ status: 'invalid', code: 'DIGEST_MISMATCH' });
    expect(verify(dsseBundle(), { offline: true, artifact: { kind: 'digest', sha256: 'ef'.repeat(32) } })).toMatchObject({
      status: 'invalid',
      code: 'DIGEST_MISMATCH',
    });
  });

  it('rejects a payload that is not an in-toto statement as PAYLOAD_INVALID', () => {
    expect(verify(dsseBundle(statementAbout(artifactSha256), 'text/plain'), { offline: true })).toMatchObject({ status: 'invalid', code: 'PAYLOAD_INVALID' });
    expect(verify(dsseBundle(Buffer.from('not json')), { offline: true })).toMatchObject({ status: 'invalid', code: 'PAYLOAD_INVALID' });
  });

  it('rejects a payload changed after signing as SIGNATURE_INVALID', () => {
    const bundle = dsseBundle();
    bundle.dsseEnvelope.payload = Buffer.from(statementAbout(artifactSha256).toString('utf8').replace('/p"', '/q"')).toString('base64');
    expect(verify(bundle, { offline: true, artifact: { kind: 'none' } })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it("checks the envelope's own payload, never the one-byte stand-in it parses the rest with", () => {
    // Signed over the stand-in's byte (0x00), carrying a statement: the statement is what is checked, and fails.
    const bundle = dsseBundle(Buffer.from([0]));
    bundle.dsseEnvelope.payload = statementAbout(artifactSha256).toString('base64');
    expect(verify(bundle, { offline: true, artifact: { kind: 'none' } })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
    // The stand-in's own byte, really signed, still verifies as itself.
    expect(verify(dsseBundle(Buffer.from([0])), { offline: true, artifact: { kind: 'none' } })).toMatchObject({ status: 'valid' });
  });

  it('checks the decoded payload it is handed, and ignores one of another length than the payload text decodes to', () => {
    const payload = statementAbout(artifactSha256);
    expect(verify(dsseBundle(payload), { offline: true, artifact: digest, dssePayload: payload })).toMatchObject({ status: 'valid' });
    // Same length, other bytes: what is checked is what was handed over, and it is not what was signed.
    const other = Buffer.from(payload.toString('utf8').replace('/p"', '/q"'));
    expect(other.length).toBe(payload.length);
    expect(verify(dsseBundle(payload), { offline: true, artifact: digest, dssePayload: other })).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
    });
    expect(verify(dsseBundle(payload), { offline: true, artifact: digest, dssePayload: Buffer.from('{}') })).toMatchObject({ status: 'valid' });
  });

  it('leaves an empty payload to the library, which refuses it as EVIDENCE_MALFORMED', () => {
    const bundle = dsseBundle();
    bundle.dsseEnvelope.payload = '';
    expect(verify(bundle, { offline: true })).toMatchObject({
      status: 'invalid',
      code: 'EVIDENCE_MALFORMED',
      cause: { fields: ['content.dsseEnvelope.payload'] },
    });
  });

  it('verifies a payload of several megabytes (an SBOM statement) as it verifies a small one', () => {
    const large = JSON.parse(statementAbout(artifactSha256).toString('utf8'));
    large.predicate = {
      components: Array.from({ length: 20_000 }, (_, i) => ({ name: `component-${i}`, version: '1.0.0', purl: `pkg:npm/component-${i}@1.0.0` })),
    };
    const payload = Buffer.from(JSON.stringify(large));
    expect(payload.length).toBeGreaterThan(1_000_000);
    expect(verify(dsseBundle(payload), { offline: true, artifact: digest })).toMatchObject({ status: 'valid' });
    const tampered = dsseBundle(payload);
    tampered.dsseEnvelope.payload = Buffer.from(payload.toString('utf8').replace('component-19999', 'component-99999')).toString('base64');
    expect(verify(tampered, { offline: true, artifact: digest })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it('rejects an envelope with two signatures as EVIDENCE_MALFORMED', () => {
    const bundle = dsseBundle();
    bundle.dsseEnvelope.signatures.push(bundle.dsseEnvelope.signatures[0]);
    expect(verify(bundle, { offline: true })).toMatchObject({
      status: 'invalid',
      code: 'EVIDENCE_MALFORMED',
      cause: { fields: ['content.dsseEnvelope.signatures'] },
    });
  });
});

describe('verifySigstoreBundle: trust policy and log kinds', () => {
  const certificateBundle = () => {
    const bundle = unloggedBundle();
    bundle.verificationMaterial = { certificate: { rawBytes: Buffer.from('not a certificate').toString('base64') }, tlogEntries: [] };
    return bundle;
  };

  it('refuses a certificate-signed bundle in key mode (the pinned key would be ignored)', () => {
    expect(verify(certificateBundle(), { offline: true })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_UNTRUSTED_KEY' });
  });

  it('refuses a key-signed bundle in identity mode', () => {
    const policy = { kind: 'identity', identity: 'someone@example.test', issuer: 'https://issuer.test' } as const;
    expect(verify(loggedBundle(), { policy })).toMatchObject({ status: 'invalid', code: 'SIGNATURE_UNTRUSTED_KEY' });
  });

  it('rejects an unparsable certificate as EVIDENCE_MALFORMED, not a crash', () => {
    const policy = { kind: 'identity', identity: 'someone@example.test', issuer: 'https://issuer.test' } as const;
    expect(verify(certificateBundle(), { policy })).toMatchObject({ status: 'invalid', code: 'EVIDENCE_MALFORMED' });
  });

  it.each([
    ['intoto', '0.0.1'],
    ['rekord', '0.0.1'],
    ['hashedrekord', '9.9.9'],
  ])('says unsupported, never valid, for a %s/%s log entry', (kind, version) => {
    const bundle = loggedBundle();
    bundle.verificationMaterial.tlogEntries[0].kindVersion = { kind, version };
    const verdict = verify(bundle);
    expect(verdict).toMatchObject({ status: 'unsupported', code: 'EVIDENCE_UNSUPPORTED', facts: { tlogEntries: [{ kind, version }] } });
    expect(verdict.status === 'unsupported' && verdict.reason).toContain(`${kind}/${version}`);
  });

  it('refuses a dsse/0.0.2 entry, which sigstore-js would accept: Rekor v2 logs DSSE only as hashedrekord/0.0.2', () => {
    const rekor = makeKeyPair();
    const signer = makeKeyPair();
    const bundle = rekorV2DsseBundle(statement('ab'.repeat(32), {}), signer, rekor);
    const input = {
      bundle,
      artifact: { kind: 'none' } as const,
      policy: { kind: 'key', publicKey: signer.publicKey } as const,
      trustedRoot: trustedRootFor(rekor),
      requireTimestamp: false,
    };
    const verdict = verifySigstoreBundle(input);
    expect(verdict).toMatchObject({ status: 'unsupported', code: 'EVIDENCE_UNSUPPORTED', facts: { tlogEntries: [{ kind: 'dsse', version: '0.0.2' }] } });
    expect(verdict.status === 'unsupported' && verdict.reason).toMatch(/Rekor v2 logs a DSSE envelope as hashedrekord\/0\.0\.2/);
  });

  it('survives a hostile integrated time without throwing', () => {
    const bundle = loggedBundle();
    bundle.verificationMaterial.tlogEntries[0].integratedTime = '99999999999999999999';
    const verdict = verify(bundle);
    expect(verdict.status).toBe('invalid');
    expect(verdict.status === 'invalid' && verdict.facts?.tlogEntries[0]).not.toHaveProperty('integratedTime');
  });
});

describe('translateThrown: every thrown thing gets a stable code and keeps its message', () => {
  const cases: [unknown, string, object][] = [
    [new VerificationError({ code: 'SIGNATURE_ERROR', message: 'signature verification failed' }), 'SIGNATURE_INVALID', { code: 'SIGNATURE_ERROR' }],
    [new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: 'key not found: x' }), 'SIGNATURE_UNTRUSTED_KEY', {}],
    [new VerificationError({ code: 'CERTIFICATE_ERROR', message: 'Failed to verify certificate chain' }), 'CERTIFICATE_INVALID', {}],
    [new VerificationError({ code: 'TIMESTAMP_ERROR', message: 'expected 1 timestamps, got 0' }), 'SIGNING_TIME_UNVERIFIED', {}],
    [new VerificationError({ code: 'TIMESTAMP_ERROR', message: 'timestamp could not be verified' }), 'TIMESTAMP_INVALID', {}],
    [new VerificationError({ code: 'TLOG_INCLUSION_PROOF_ERROR', message: 'invalid checkpoint signature' }), 'TLOG_INVALID', {}],
    [new VerificationError({ code: 'TLOG_MISSING_INCLUSION_ERROR', message: 'inclusion could not be verified' }), 'TLOG_INVALID', {}],
    [new VerificationError({ code: 'NOT_IMPLEMENTED_ERROR', message: 'later' }), 'EVIDENCE_UNSUPPORTED', {}],
    [new PolicyError({ code: 'UNTRUSTED_SIGNER_ERROR', message: 'certificate identity error' }), 'IDENTITY_MISMATCH', { name: 'PolicyError' }],
    [new ValidationError('invalid bundle', ['mediaType']), 'EVIDENCE_MALFORMED', { name: 'ValidationError', fields: ['mediaType'] }],
    [new TypeError("Cannot read properties of undefined (reading 'envelope')"), 'EVIDENCE_MALFORMED', { name: 'TypeError' }],
    [
      Object.assign(new Error('error:03000072:decode error'), { code: 'ERR_OSSL_EVP_DECODE_ERROR' }),
      'EVIDENCE_MALFORMED',
      { code: 'ERR_OSSL_EVP_DECODE_ERROR' },
    ],
    [new AuditpackError('DIGEST_MISMATCH', 'not this artifact'), 'DIGEST_MISMATCH', {}],
    ['a thrown string', 'EVIDENCE_MALFORMED', { message: 'a thrown string' }],
  ];

  it.each(cases)('%s → %s', (thrown, code, cause) => {
    const translated = translateThrown(thrown);
    expect(translated.code).toBe(code);
    expect(translated.cause).toMatchObject(cause);
    // A missing time is said in auditpack's words; every other reason is the library's first line.
    if (code === 'SIGNING_TIME_UNVERIFIED') expect(translated.reason).toMatch(/^no verified signing time/);
    else expect(translated.reason).toBe(translated.cause.message.split('\n')[0]);
  });
});
