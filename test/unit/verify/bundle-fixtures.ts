/**
 * Sigstore bundles built in code with real keys and signatures, so every
 * negative case in the bundle tests is a mutation of a valid bundle.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { LoadedTrustedRoot } from '../../../src/trust/load.js';
import { verifySigstoreBundle, type ArtifactInput, type BundleVerdict, type BundleVerificationInput, type SignerPolicy } from '../../../src/verify/bundle.js';
import { legacySignatureToBundle } from '../../../src/verify/sigstore.js';
import { envelope, makeKeyPair, signatureLine, trustedRootFor, type KeyPair } from '../../helpers/estate.js';

export const signer = makeKeyPair();
export const rekor = makeKeyPair();
export const root: LoadedTrustedRoot = trustedRootFor(rekor);
export const artifact = Buffer.from('the artifact auditpack was asked about\n');
export const artifactSha256 = createHash('sha256').update(artifact).digest('hex');

/** JSON round trip: each test mutates its own copy. */
type Json = Record<string, any>;
const copy = (value: object): Json => JSON.parse(JSON.stringify(value)) as Json;

/** v0.1 bundle as cosign's legacy signatures convert: key hint '', one hashedrekord/0.0.1 entry with a Rekor SET. */
export function loggedBundle(pair: KeyPair = signer, log: KeyPair = rekor, integratedTime?: number): Json {
  return copy(legacySignatureToBundle(signatureLine(pair, artifact, log, integratedTime), artifact));
}

/** v0.3 key-signed message signature without log entry (`cosign sign-blob --tlog-upload=false`). */
export function unloggedBundle(opts: { pair?: { privateKey: KeyObject }; hash?: 'sha256' | 'sha384'; hint?: string } = {}): Json {
  const hash = opts.hash ?? 'sha256';
  const privateKey = (opts.pair ?? signer).privateKey;
  const signature = privateKey.asymmetricKeyType === 'ed25519' ? sign(null, artifact, privateKey) : sign(hash, artifact, privateKey);
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: opts.hint ?? 'test-hint' }, tlogEntries: [] },
    messageSignature: {
      messageDigest: { algorithm: hash === 'sha256' ? 'SHA2_256' : 'SHA2_384', digest: createHash(hash).update(artifact).digest('base64') },
      signature: signature.toString('base64'),
    },
  };
}

export function statementAbout(sha256Hex: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app', digest: { sha256: sha256Hex } }],
      predicateType: 'https://example.test/p',
      predicate: {},
    }),
  );
}

/** v0.3 DSSE bundle, key-signed, without log entry. */
export function dsseBundle(payload: Buffer = statementAbout(artifactSha256), payloadType?: string): Json {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: '' }, tlogEntries: [] },
    dsseEnvelope: envelope(signer, payload, payloadType),
  };
}

export const keyPolicy = (pair: { publicKey: KeyObject } = signer, validFor?: (d: Date) => boolean): SignerPolicy =>
  validFor === undefined ? { kind: 'key', publicKey: pair.publicKey } : { kind: 'key', publicKey: pair.publicKey, validFor };

export const bytes: ArtifactInput = { kind: 'bytes', bytes: artifact };
export const digest: ArtifactInput = { kind: 'digest', sha256: artifactSha256 };

/** Verifies in key mode; `offline` drops the log/timestamp requirement for bundles that have none. */
export function verify(bundle: object | Buffer, overrides: Partial<BundleVerificationInput> & { offline?: boolean } = {}): BundleVerdict {
  const { offline, ...rest } = overrides;
  return verifySigstoreBundle({
    bundle,
    artifact: bytes,
    policy: keyPolicy(),
    trustedRoot: root,
    ...(offline === true ? { requireTlog: false, requireTimestamp: false } : {}),
    ...rest,
  });
}

export function ed25519Pair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}
