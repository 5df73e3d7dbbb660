/**
 * Real legacy cosign signatures (`cosign download signature` lines) from the
 * shared test data, with the verdicts its SOURCES.md §6–7 lists.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CosignSignatureLine, DsseEnvelope } from '../../src/util/wire.js';
import { loadTrustedKey, type TrustSet } from '../../src/trust/load.js';
import { verifySigstoreBundle } from '../../src/verify/bundle.js';
import { parseSimpleSigning } from '../../src/verify/payloads.js';
import { legacySignatureToBundle, verifyInput, type SignatureVerdict } from '../../src/verify/sigstore.js';
import { DATA_DIR, PRODUCTION_ROOT, at, dataPresent, expectDataPresent, read, rootAt } from './sigstore-data.js';

const linesOf = (path: string): CosignSignatureLine[] => {
  const text = read(path).toString('utf8').trim();
  return (text.startsWith('[') ? JSON.parse(text) : text.split('\n').map((l) => JSON.parse(l))) as CosignSignatureLine[];
};

async function keyTrust(keyPath: string): Promise<TrustSet> {
  return { keys: [await loadTrustedKey(DATA_DIR, { id: keyPath, path: keyPath })], trustedRoot: await rootAt(PRODUCTION_ROOT) };
}

const verifyCosignSignature = (line: CosignSignatureLine, trust: TrustSet): SignatureVerdict => verifyInput({ kind: 'legacy-signature', line }, trust);

const DANGERZONE = 'cosign-legacy/dangerzone-agpl';
const dangerzone = (folder: string): string[] =>
  dataPresent
    ? readdirSync(at(DANGERZONE, folder))
        .sort()
        .map((f) => `${DANGERZONE}/${folder}/${f}`)
    : [];

describe('legacy key-based signatures (through the one verification path)', () => {
  it('finds the shared test data', () => expectDataPresent());

  it('gertd/demo: passes with cosign.pub and the Rekor SET of the production root', async () => {
    const [line] = linesOf('cosign-legacy/gertd-demo/download-signature.jsonl');
    if (line === undefined) throw new Error('no signature line');
    const verdict = verifyCosignSignature(line, await keyTrust('cosign-legacy/gertd-demo/cosign.pub'));
    expect(verdict).toMatchObject({ ok: true, log: { index: '68494219' } });
    const claim = parseSimpleSigning(line.Payload);
    expect(claim.ok && claim.value.digest).toBe('sha256:e583dc0e018fc11d659da7d1957c60ad8a523eafc142a9de391516eb45594e6f');
  });

  it('gertd/demo: fails once the payload names another digest (e583 → e584)', async () => {
    const [line] = linesOf('cosign-legacy/gertd-demo/download-signature.jsonl');
    if (line === undefined) throw new Error('no signature line');
    const payload = Buffer.from(line.Payload, 'base64').toString('utf8').replace('sha256:e583', 'sha256:e584');
    const verdict = verifyCosignSignature({ ...line, Payload: Buffer.from(payload).toString('base64') }, await keyTrust('cosign-legacy/gertd-demo/cosign.pub'));
    expect(verdict).toMatchObject({ ok: false, code: 'TLOG_INVALID' });
  });

  it.each(dangerzone('valid'))('dangerzone %s: every signature passes and binds the digest in its file name', async (file) => {
    const trust = await keyTrust(`${DANGERZONE}/test.pub.key`);
    const digest = `sha256:${file.split('/').pop()?.replace('.json', '') ?? ''}`;
    for (const line of linesOf(file)) {
      expect(verifyCosignSignature(line, trust)).toMatchObject({ ok: true });
      const claim = parseSimpleSigning(line.Payload);
      expect(claim.ok && claim.value.digest).toBe(digest);
    }
  });

  /** SOURCES.md §6.3: what each file breaks, and the code that fault has in auditpack (the same as in a bundle). */
  const DANGERZONE_CODES: Record<string, string> = {
    'invalid/19e8': 'EVIDENCE_MALFORMED', // Base64Signature is text: strict base64 refuses it
    'invalid/220b': 'EVIDENCE_MALFORMED', // the Payload is not strict base64
    'invalid/4da4': 'TLOG_INVALID', // the signed entry timestamp is text
    'invalid/7b21': 'EVIDENCE_MALFORMED', // the log entry body is not base64 JSON
    'tampered/19e8': 'TLOG_INVALID', // another well-formed signature than the one logged
    'tampered/220b': 'EVIDENCE_UNSUPPORTED', // the body claims apiVersion 6.6.6: a log entry kind auditpack cannot check is never a pass
  };

  it.each([...dangerzone('invalid'), ...dangerzone('tampered')])('dangerzone %s: fails with the code of its fault', async (file) => {
    const trust = await keyTrust(`${DANGERZONE}/test.pub.key`);
    const key = file
      .split('/')
      .slice(-2)
      .join('/')
      .slice(0, -'.json'.length)
      .replace(/^(\w+\/[0-9a-f]{4}).*$/, '$1');
    for (const line of linesOf(file)) expect(verifyCosignSignature(line, trust)).toMatchObject({ ok: false, code: DANGERZONE_CODES[key] });
  });

  it('a bad signed entry timestamp gives TLOG_INVALID, the same code as in a Sigstore bundle (conformance set-invalid-signature_fail)', async () => {
    const trust = await keyTrust(`${DANGERZONE}/test.pub.key`);
    // SOURCES.md §6.3: Bundle.SignedEntryTimestamp replaced by text; the payload signature itself is valid.
    const [line] = linesOf(`${DANGERZONE}/invalid/4da441235e84e93518778827a5c5745d532d7a4079886e1647924bee7ef1c14d.json`);
    if (line === undefined) throw new Error('no signature line');
    expect(verifyCosignSignature(line, trust)).toMatchObject({ ok: false, code: 'TLOG_INVALID' });
    const bundle = verifySigstoreBundle({
      bundle: read('conformance/bundle-verify/set-invalid-signature_fail/bundle.sigstore.json'),
      artifact: { kind: 'bytes', bytes: read('conformance/bundle-verify/a.txt') },
      policy: {
        kind: 'identity',
        identity:
          'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      },
      trustedRoot: await rootAt(PRODUCTION_ROOT),
    });
    expect(bundle).toMatchObject({ status: 'invalid', code: 'TLOG_INVALID' });
  });

  it('a signature whose Rekor bundle was deleted has no verified signing time: it fails by default', async () => {
    const [line] = linesOf('cosign-legacy/gertd-demo/download-signature.jsonl');
    if (line === undefined) throw new Error('no signature line');
    const verdict = verifyCosignSignature({ ...line, Bundle: null }, await keyTrust('cosign-legacy/gertd-demo/cosign.pub'));
    expect(verdict).toMatchObject({ ok: false, code: 'SIGNING_TIME_UNVERIFIED' });
  });
});

describe('legacy keyless signature (salrashid123, converted to a v0.1 bundle)', () => {
  const SAN = 'https://github.com/salrashid123/go-bazel-github-workflow/.github/workflows/release.yaml@refs/tags/v0.0.26';
  const ISSUER = 'https://token.actions.githubusercontent.com';

  async function verifyAs(identity: string, issuer: string) {
    const [line] = linesOf('cosign-legacy/salrashid123-keyless/download-signature.jsonl');
    if (line === undefined) throw new Error('no signature line');
    const payload = Buffer.from(line.Payload, 'base64');
    const bundle = legacySignatureToBundle(line, payload);
    return verifySigstoreBundle({
      bundle,
      artifact: { kind: 'bytes', bytes: payload },
      policy: { kind: 'identity', identity, issuer },
      trustedRoot: await rootAt(PRODUCTION_ROOT),
    });
  }

  it('passes for the exact SAN and issuer, recording them and the log entry', async () => {
    const verdict = await verifyAs(SAN, ISSUER);
    expect(verdict).toMatchObject({ status: 'valid', signer: { kind: 'certificate', subjectAlternativeName: SAN, issuer: ISSUER } });
    expect(verdict.status === 'valid' && verdict.facts.tlogEntries[0]).toMatchObject({ logIndex: '956940422', integratedTime: '2026-02-17T13:55:09.000Z' });
  });

  it('fails with a wrong issuer', async () => {
    expect(await verifyAs(SAN, 'https://accounts.google.com')).toMatchObject({ status: 'invalid', code: 'IDENTITY_MISMATCH' });
  });

  it('fails with a prefix of the SAN: the identity is anchored, not a regex', async () => {
    expect(await verifyAs(SAN.replace('v0.0.26', 'v0.0.2'), ISSUER)).toMatchObject({ status: 'invalid', code: 'IDENTITY_MISMATCH' });
  });
});

describe('bare DSSE envelope (cosign download attestation form)', () => {
  const KEY_ONLY = { requireSignedTime: false };

  it('npm publish attestation: the signature over PAE verifies with the npm key when key-only signatures are accepted', async () => {
    const envelope = JSON.parse(read('dsse/npm-publish-attestation.dsse.json').toString('utf8')) as DsseEnvelope;
    const trust = await keyTrust('sigstore-go/examples/publish_key.pub');
    expect(verifyInput({ kind: 'dsse-envelope', envelope }, trust, KEY_ONLY)).toMatchObject({
      ok: true,
      details: { 'signing time': expect.stringMatching(/no independent time exists/) },
    });
    expect(verifyInput({ kind: 'dsse-envelope', envelope }, await keyTrust('cosign-legacy/gertd-demo/cosign.pub'), KEY_ONLY)).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
  });

  it('npm publish attestation: a bare envelope has no signing time, so it fails by default', async () => {
    const envelope = JSON.parse(read('dsse/npm-publish-attestation.dsse.json').toString('utf8')) as DsseEnvelope;
    expect(verifyInput({ kind: 'dsse-envelope', envelope }, await keyTrust('sigstore-go/examples/publish_key.pub'))).toMatchObject({
      ok: false,
      code: 'SIGNING_TIME_UNVERIFIED',
    });
  });
});
