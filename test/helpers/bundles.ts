/**
 * Sigstore bundles as cosign 3 writes them, built in code: key or keyless
 * (certificate from ./x509.ts), message signature or DSSE, v0.1 (SET only) or
 * v0.3 (SET plus an inclusion proof with a signed checkpoint), so each
 * negative test is a mutation of a valid bundle.
 */
import { createHash, sign } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { dsse, json } from '@sigstore/core';
import type { CosignSignatureLine } from '../../src/util/wire.js';
import type { LoadedTrustedRoot } from '../../src/trust/load.js';
import { makeKeyPair, sha256, type KeyPair } from './estate.js';
import { makeCertificateAuthority, makeLeafCertificate, toPem, type CertificateAuthority } from './x509.js';

export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const IN_TOTO = 'application/vnd.in-toto+json';
export const REKOR_ORIGIN = 'rekor.test.invalid';

// Bundles are JSON: tests mutate them freely.
export type Json = Record<string, any>;

export interface BundleOptions {
  signer: KeyPair;
  /** DER leaf certificate for keyless bundles; absent → key-signed (`publicKey` hint). */
  certificate?: Buffer;
  /** The transparency log; absent → no log entry (`--tlog-upload=false`). */
  rekor?: KeyPair;
  version?: '0.1' | '0.3';
  integratedTime?: number;
}

/** cosign v3 `sign`: an in-toto v1 statement of type cosign sign/v1 whose subject is the image. */
export function cosignSignStatement(digestHex: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: digestHex }, annotations: {} }],
      predicateType: COSIGN_SIGN_PREDICATE,
      predicate: {},
    }),
  );
}

export function dsseBundle(payload: Buffer, opts: BundleOptions, payloadType = IN_TOTO): Json {
  const sig = sign('sha256', dsse.preAuthEncoding(payloadType, payload), opts.signer.privateKey).toString('base64');
  const envelope = { payload: payload.toString('base64'), payloadType, signatures: [{ sig, keyid: '' }] };
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(JSON.stringify(envelope)) },
      payloadHash: { algorithm: 'sha256', value: sha256(payload) },
      signatures: [{ signature: sig, verifier: Buffer.from(verifierPem(opts)).toString('base64') }],
    },
  };
  return { ...frame(opts, body), dsseEnvelope: envelope };
}

/**
 * A DSSE bundle logged the way Rekor v2 never logs one: a `dsse/0.0.2` entry
 * (inclusion proof, no integrated time), as cosign 3.0 wrote before Rekor v2
 * dropped the DSSE type (sigstore-java's `bundle.dsse.rekor-v2.bad-entry-type`).
 */
export function rekorV2DsseBundle(payload: Buffer, signer: KeyPair, rekor: KeyPair, payloadType = IN_TOTO): Json {
  const sigBytes = sign('sha256', dsse.preAuthEncoding(payloadType, payload), signer.privateKey);
  const envelope = { payload: payload.toString('base64'), payloadType, signatures: [{ sig: sigBytes.toString('base64'), keyid: '' }] };
  const spki = signer.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const body = {
    apiVersion: '0.0.2',
    kind: 'dsse',
    spec: {
      dsseV002: {
        payloadHash: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
        signatures: [{ content: sigBytes.toString('base64'), verifier: { keyDetails: 'PKIX_ECDSA_P256_SHA_256', publicKey: { rawBytes: spki } } }],
      },
    },
  };
  const entry = tlogEntry(body, rekor, 0, true);
  entry.kindVersion = { kind: 'dsse', version: '0.0.2' };
  delete entry.integratedTime;
  delete entry.inclusionPromise;
  return {
    ...frame({ signer }, body),
    verificationMaterial: { ...frame({ signer }, body).verificationMaterial, tlogEntries: [entry] },
    dsseEnvelope: envelope,
  };
}

export function messageBundle(artifact: Buffer, opts: BundleOptions): Json {
  const sig = sign('sha256', artifact, opts.signer.privateKey).toString('base64');
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: sha256(artifact) } },
      signature: { content: sig, publicKey: { content: Buffer.from(verifierPem(opts)).toString('base64') } },
    },
  };
  return {
    ...frame(opts, body),
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(artifact).digest('base64') }, signature: sig },
  };
}

function verifierPem(opts: BundleOptions): string {
  return opts.certificate ? toPem(opts.certificate) : opts.signer.pem;
}

function frame(opts: BundleOptions, body: object): Json {
  const version = opts.version ?? '0.3';
  const rawBytes = opts.certificate?.toString('base64');
  const keyMaterial =
    rawBytes === undefined
      ? {
          publicKey: {
            hint: createHash('sha256')
              .update(opts.signer.publicKey.export({ type: 'spki', format: 'der' }))
              .digest('base64'),
          },
        }
      : version === '0.3'
        ? { certificate: { rawBytes } }
        : { x509CertificateChain: { certificates: [{ rawBytes }] } };
  const tlogEntries = opts.rekor ? [tlogEntry(body, opts.rekor, opts.integratedTime ?? 1776000000, version === '0.3')] : [];
  return {
    mediaType: version === '0.3' ? 'application/vnd.dev.sigstore.bundle.v0.3+json' : 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: { ...keyMaterial, tlogEntries },
  };
}

/** A Rekor v1 entry: SET always; with `proof`, a one-leaf Merkle tree and its signed checkpoint. */
function tlogEntry(body: object, rekor: KeyPair, integratedTime: number, proof: boolean): Json {
  const canonical = Buffer.from(JSON.stringify(body));
  const logID = sha256(rekor.publicKey.export({ type: 'spki', format: 'der' }));
  const promise = { body: canonical.toString('base64'), integratedTime, logID, logIndex: 4242 };
  const entry: Json = {
    logIndex: '4242',
    logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
    kindVersion: { kind: (body as { kind: string }).kind, version: '0.0.1' },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: sign('sha256', Buffer.from(json.canonicalize(promise)), rekor.privateKey).toString('base64') },
    canonicalizedBody: canonical.toString('base64'),
  };
  if (proof) {
    const root = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), canonical]))
      .digest('base64');
    const note = `${REKOR_ORIGIN} - 1\n1\n${root}\n`;
    const signature = Buffer.concat([Buffer.from(logID, 'hex').subarray(0, 4), sign('sha256', Buffer.from(note), rekor.privateKey)]);
    entry.inclusionProof = {
      logIndex: '0',
      rootHash: root,
      treeSize: '1',
      hashes: [],
      checkpoint: { envelope: `${note}\n\u2014 ${REKOR_ORIGIN} ${signature.toString('base64')}\n` },
    };
  }
  return entry;
}

/** A private Sigstore: transparency log, Fulcio-like CA and CT log, with the trusted root naming them. */
export interface TestSigstore {
  rekor: KeyPair;
  ca: CertificateAuthority;
  ctlog: KeyPair;
  root: LoadedTrustedRoot;
  /** A leaf certificate for `identity`, issued by the test CA, with an SCT from the test CT log. */
  leaf(signer: KeyPair, identity: string, issuer: string, window?: { notBefore: Date; notAfter: Date }): Buffer;
}

export function makeTestSigstore(rekor: KeyPair = makeKeyPair()): TestSigstore {
  const ca = makeCertificateAuthority(makeKeyPair());
  const ctlog = makeKeyPair();
  const spki = (pair: KeyPair) => pair.publicKey.export({ type: 'spki', format: 'der' });
  const log = (pair: KeyPair, baseUrl: string) => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: spki(pair).toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2025-01-01T00:00:00Z' } },
    logId: { keyId: Buffer.from(sha256(spki(pair)), 'hex').toString('base64') },
  });
  const json = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [log(rekor, `https://${REKOR_ORIGIN}`)],
    certificateAuthorities: [
      {
        subject: { organization: 'auditpack tests', commonName: 'test fulcio' },
        uri: 'https://fulcio.test.invalid',
        certChain: { certificates: [{ rawBytes: ca.der.toString('base64') }] },
        validFor: { start: '2025-01-01T00:00:00Z' },
      },
    ],
    ctlogs: [log(ctlog, 'https://ctfe.test.invalid')],
    timestampAuthorities: [],
  };
  const bytes = Buffer.from(JSON.stringify(json));
  return {
    rekor,
    ca,
    ctlog,
    root: {
      source: 'keys/trusted_root.json',
      bytes,
      sha256: sha256(bytes),
      root: TrustedRoot.fromJSON(json),
      files: [{ source: 'keys/trusted_root.json', bytes, sha256: sha256(bytes) }],
    },
    leaf: (signer, identity, issuer, window) => makeLeafCertificate({ signer, identity, issuer, ca, ctlog, ...(window ?? {}) }),
  };
}

/** A keyless `cosign download signature` line: certificate in `Cert`, Rekor entry naming the certificate. */
export function keylessSignatureLine(signer: KeyPair, certificate: Buffer, payload: Buffer, rekor: KeyPair, integratedTime = 1776000000): CosignSignatureLine {
  const sig = sign('sha256', payload, signer.privateKey).toString('base64');
  const body = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: sha256(payload) } },
        signature: { content: sig, publicKey: { content: Buffer.from(toPem(certificate)).toString('base64') } },
      },
    }),
  ).toString('base64');
  const entry = { body, integratedTime, logID: sha256(rekor.publicKey.export({ type: 'spki', format: 'der' })), logIndex: 4243 };
  const set = sign('sha256', Buffer.from(json.canonicalize(entry)), rekor.privateKey).toString('base64');
  return {
    Base64Signature: sig,
    Payload: payload.toString('base64'),
    Cert: { Raw: certificate.toString('base64') },
    Chain: null,
    Bundle: { SignedEntryTimestamp: set, Payload: entry },
    RFC3161Timestamp: null,
  };
}

/** The Rekor entry of a v0.1 bundle as cosign keeps it in a `dev.sigstore.cosign/bundle` annotation. */
export function rekorBundleOf(bundle: Json): NonNullable<CosignSignatureLine['Bundle']> {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  return {
    SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
    Payload: {
      body: entry.canonicalizedBody,
      integratedTime: Number(entry.integratedTime),
      logIndex: Number(entry.logIndex),
      logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
    },
  };
}
