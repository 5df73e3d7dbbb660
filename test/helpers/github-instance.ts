/**
 * A Sigstore instance shaped like GitHub's own (artifact attestations of
 * private repositories): a Fulcio-like CA whose leaves carry no SCT, an
 * RFC 3161 timestamp authority, and no transparency log. No real
 * GitHub-instance bundle with its trusted root is in
 * ../shared/testdata/external, so these are generated with test keys.
 */
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { LoadedTrustedRoot } from '../../src/trust/load.js';
import { dsseBundle, type Json } from './bundles.js';
import { makeKeyPair, sha256, type KeyPair } from './estate.js';
import { makeTimestampAuthority } from './tsa.js';
import { makeCertificateAuthority, makeLeafCertificate } from './x509.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface TestGithubInstance {
  /** The trusted root JSON (no tlogs, no ctlogs), as `gh attestation trusted-root` prints GitHub's line. */
  rootJson: Json;
  root: LoadedTrustedRoot;
  /** A DSSE bundle v0.3 signed by a fresh key certified for `identity`, no log entry, one RFC 3161 timestamp at `at`. */
  bundle(payload: Buffer, identity: string, at?: Date): Json;
  /** Puts the instance's RFC 3161 timestamp over the bundle's DSSE signature into any bundle. */
  stamp(bundle: Json, at?: Date): Json;
}

export function makeTestGithubInstance(): TestGithubInstance {
  const ca = makeCertificateAuthority(makeKeyPair());
  const tsa = makeTimestampAuthority('https://timestamp.test.invalid');
  const rootJson = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [
      {
        subject: { organization: 'auditpack tests', commonName: 'test github fulcio' },
        uri: 'https://fulcio.test.invalid',
        certChain: { certificates: [{ rawBytes: ca.der.toString('base64') }] },
        validFor: { start: '2025-01-01T00:00:00Z' },
      },
    ],
    ctlogs: [],
    timestampAuthorities: [tsa.rootEntry],
  };
  const bytes = Buffer.from(JSON.stringify(rootJson));
  const root: LoadedTrustedRoot = {
    source: 'keys/github_trusted_root.json',
    bytes,
    sha256: sha256(bytes),
    root: TrustedRoot.fromJSON(rootJson),
    files: [{ source: 'keys/github_trusted_root.json', bytes, sha256: sha256(bytes) }],
  };
  return {
    rootJson,
    root,
    bundle(payload, identity, at = new Date('2026-04-10T09:09:00Z')) {
      const signer: KeyPair = makeKeyPair();
      const certificate = makeLeafCertificate({ identity, issuer: GITHUB_ISSUER, signer, ca, sct: false });
      return this.stamp(dsseBundle(payload, { signer, certificate }), at);
    },
    stamp(bundle, at = new Date('2026-04-10T09:09:00Z')) {
      const signature = Buffer.from((bundle.dsseEnvelope as { signatures: { sig: string }[] }).signatures[0]!.sig, 'base64');
      bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: tsa.stamp(signature, at).toString('base64') }] };
      return bundle;
    },
  };
}
