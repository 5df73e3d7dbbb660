import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditpackError } from '../../../src/errors.js';
import { generateSealKey } from '../../../src/seal/keygen.js';
import { keyFingerprint, parseSealKey } from '../../../src/seal/keys.js';
import { signManifest } from '../../../src/seal/sign.js';

/**
 * Encrypted keys from cosign's own tests (pkg/cosign/keys_test.go at
 * d6d86c224e5899b54f56cbb063b79dc43abc11c2, Apache-2.0), password "hello".
 * The SIGSTORE-labelled one holds a PKCS#8 ECDSA key (scrypt N=2^15); the
 * "pemcosigneckey" one holds a SEC1 key that cosign itself refuses (N=2^16).
 */
const COSIGN_SIGSTORE_KEY = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6
OCwicCI6MX0sInNhbHQiOiI3T3VGd2VsbWZZNXVId2NoaURSc210anNwZ2ZlZjFG
Mk5lOGFDTjVLYVpZPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiJQNHk4OGhCb3ZTa09MbXN0bFVBaGJwdDJ0K2xTNUxQSCJ9LCJj
aXBoZXJ0ZXh0IjoiMnB1QzdyZldJOWh3bnJlQ2s4aUZDRlVwQlRrSzRJNlIvbFBF
cnBDekpXUGpJWXl4eGVIL1A2VW52cFJHdVhla1NNb3JMdGhLamdoQ1JlNy82NDVH
QWtoVm1LRC92eEF0S2EvbE1abENSQ3FlekJGUFd1dzNpeFRtZ2xhb2J1ZFVSbUVs
bmNGOGlZbzBTMVl6Y1ZOMVFwY2J2c0dNcUlYRzVlbmdteGp5dCtBcXlyZTF0Q0Y0
V01tU1BlaEljNlBqd2h1Q2xHaVpJUWRvTGc9PSJ9
-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`;
const COSIGN_SEC1_KEY = `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6
OCwicCI6MX0sInNhbHQiOiJHK3F5WTYrNzhNS0JzMXNGTGs1ajYwcS9kS3Z1czBW
VkhlSHZybC9POTF3PSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiJRc2JGdG13WDRDK2ttV3ZCcVRaMEFGOUFYdk1jRmg1SCJ9LCJj
aXBoZXJ0ZXh0IjoiREM5T28zeldiYVQzSXYwdFVnWEdycjUxYW1samwwNlQ5MTNP
VkxPbWpuMWhnK2o2WXRUbWg3SGhZSlY1N2J5eGE0Q281bE9YYmRqbTJ3aklubEd1
Um5aZCt5OExnekpSNzFSeEhKVzgrWmRlcFJmYWJMTjdHbDgrSFZEcERVQ3NxQnRh
VngyblpGbFEwWUl1anZwbFphblNGaUVvdERLVGkxZ3VhUXIwUHNzYU01NXZxbTRY
WS9rPSJ9
-----END ENCRYPTED COSIGN PRIVATE KEY-----`;

const parse = (pem: string, env: Record<string, string> = {}) => parseSealKey(Buffer.from(pem), 'k', env);
const rejects = async (pem: string, env: Record<string, string>, message: RegExp) => {
  const thrown = await parse(pem, env).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(AuditpackError);
  expect((thrown as AuditpackError).code).toBe('SEAL_KEY_INVALID');
  expect((thrown as AuditpackError).message).toMatch(message);
};

describe("cosign's cosign.key format", () => {
  it('decrypts a key cosign wrote, with COSIGN_PASSWORD', async () => {
    const key = await parse(COSIGN_SIGSTORE_KEY, { COSIGN_PASSWORD: 'hello' });
    expect(key.asymmetricKeyType).toBe('ec');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('says the password is wrong, or missing, never a raw library error', async () => {
    await rejects(COSIGN_SIGSTORE_KEY, { COSIGN_PASSWORD: 'wrong' }, /wrong COSIGN_PASSWORD/);
    await rejects(COSIGN_SIGSTORE_KEY, {}, /set COSIGN_PASSWORD/);
  });

  it('decrypts the SEC1 key cosign refuses, then refuses it too, in words', async () => {
    await rejects(COSIGN_SEC1_KEY, { COSIGN_PASSWORD: 'hello' }, /not a usable private key/);
  });

  it('refuses scrypt parameters go-securesystemslib would refuse (a denial of service)', async () => {
    const body = JSON.parse(Buffer.from(COSIGN_SIGSTORE_KEY.split('\n').slice(1, -1).join(''), 'base64').toString());
    body.kdf.params.N = 2 ** 24;
    const pem = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(body)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`;
    await rejects(pem, { COSIGN_PASSWORD: 'hello' }, /unsupported scrypt parameters/);
  });

  it('writes keys cosign reads back: keygen --format cosign round-trips, in the JSON layout cosign writes', async () => {
    const made = await generateSealKey({ algorithm: 'ecdsa-p256', format: 'cosign', passphrase: 'pw' });
    const pem = made.files[0]!.content;
    expect(pem.split('\n')[0]).toBe('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----');
    const json = JSON.parse(Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64').toString());
    expect(Object.keys(json)).toEqual(['kdf', 'cipher', 'ciphertext']);
    expect(json.kdf).toMatchObject({ name: 'scrypt', params: { N: 65536, r: 8, p: 1 } });
    expect(json.cipher.name).toBe('nacl/secretbox');
    expect(keyFingerprint(await parse(pem, { COSIGN_PASSWORD: 'pw' }))).toBe(made.fingerprint);
  });
});

describe('PEM seal keys', () => {
  it('reads an encrypted PKCS#8 key with AUDITPACK_KEY_PASSPHRASE, and says when it is missing or wrong', async () => {
    const made = await generateSealKey({ algorithm: 'ed25519', format: 'pem', passphrase: 's3cret' });
    const pem = made.files[0]!.content;
    expect(pem).toContain('ENCRYPTED PRIVATE KEY');
    expect(keyFingerprint(await parse(pem, { AUDITPACK_KEY_PASSPHRASE: 's3cret' }))).toBe(made.fingerprint);
    await rejects(pem, {}, /encrypted: set AUDITPACK_KEY_PASSPHRASE/);
    await rejects(pem, { AUDITPACK_KEY_PASSPHRASE: 'nope' }, /wrong AUDITPACK_KEY_PASSPHRASE/);
  });

  it('names the mistake: a public key, a certificate, or no key at all given as the seal key', async () => {
    const pub = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await rejects(pub, {}, /this is a public key: sealing needs the private key/);
    await rejects('-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', {}, /a certificate, not a private key/);
    await rejects('just text', {}, /not a PEM private key/);
  });

  it('writes an unencrypted PEM key only when no passphrase is given, and says so', async () => {
    const made = await generateSealKey({ algorithm: 'ed25519', format: 'pem' });
    expect(made.encrypted).toBe(false);
    expect(made.files.map((f) => [f.suffix, f.mode])).toEqual([
      ['.key', 0o600],
      ['.pub', 0o644],
    ]);
    expect(made.files[0]!.role).toContain('NOT encrypted');
  });
});

describe('keygen keys seal deterministically', () => {
  it('Ed25519 gives the same seal bytes for the same manifest', async () => {
    const made = await generateSealKey({ algorithm: 'ed25519', format: 'pem' });
    const key = await parse(made.files[0]!.content);
    const manifest = Buffer.from('{"files":[]}\n');
    const predicate = { organisation: 'o', period: '2026-Q2', files: 1 };
    expect((await signManifest(manifest, key, predicate)).equals(await signManifest(manifest, key, predicate))).toBe(true);
    expect(createPublicKey(made.files[1]!.content).asymmetricKeyType).toBe('ed25519');
  });

  it('ECDSA P-256 keys sign too (their signatures differ each time)', async () => {
    const made = await generateSealKey({ algorithm: 'ecdsa-p256', format: 'pem' });
    const key = await parse(made.files[0]!.content);
    expect(made.algorithm).toBe('ECDSA P-256');
    expect(sign('sha256', Buffer.from('x'), key).length).toBeGreaterThan(60);
  });
});
