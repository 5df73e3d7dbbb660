/**
 * A small estate pushed to a test registry with real signatures: a signed
 * multi-platform image (cosign `.sig` and `.att` on the index digest, each
 * with the Rekor entry cosign logged for it in its `dev.sigstore.cosign/bundle`
 * annotation, so each has the verified signing time the report requires; a
 * provenance bundle as a referrer behind the fallback tag), an unsigned
 * image, an image signed only by a cosign v3 bundle referrer (served by the
 * referrers API of a proxy), and an image with a large manifest.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cosignSignStatement, dsseBundle, makeTestSigstore, rekorBundleOf, type TestSigstore } from './bundles.js';
import { makeKeyPair, sbom, signatureLine, simpleSigningPayload, statement, type KeyPair } from './estate.js';
import { attestationLayer, signatureLayer } from './oci-layout.js';
import { digestOf, type Descriptor, type RegistryPusher } from './registry-push.js';

export interface TestEstate {
  signer: KeyPair;
  sigstore: TestSigstore;
  multi: Descriptor;
  platforms: Descriptor[];
  /** Digest of the `.att` layer of `multi` (its DSSE envelope). */
  attestationLayer: string;
  unsigned: Descriptor;
  referred: Descriptor;
  /** The bundle referrer of `referred`, pushed by digest only: only a referrers API can list it. */
  referredBundle: Descriptor & { artifactType: string };
  big: Descriptor;
}

export async function pushTestEstate(pusher: RegistryPusher): Promise<TestEstate> {
  const signer = makeKeyPair();
  const sigstore = makeTestSigstore();
  const amd64 = await pusher.image('team/multi', 'build-amd64', 'amd64');
  const arm64 = await pusher.image('team/multi', 'build-arm64', 'arm64');
  const multi = await pusher.index('team/multi', '1.0', [
    { descriptor: amd64, platform: { os: 'linux', architecture: 'amd64' } },
    { descriptor: arm64, platform: { os: 'linux', architecture: 'arm64' } },
  ]);
  const hex = multi.digest.slice('sha256:'.length);
  await pusher.signatures('team/multi', multi.digest, [signatureLayer(signatureLine(signer, simpleSigningPayload(multi.digest), sigstore.rekor))]);
  // cosign attest: the envelope is logged as a dsse entry, whose SET rides along as the layer's bundle annotation.
  const logged = dsseBundle(statement(hex, sbom(4)), { signer, rekor: sigstore.rekor, version: '0.1' });
  const attestation = attestationLayer(logged.dsseEnvelope, 'https://cyclonedx.org/bom', { Bundle: rekorBundleOf(logged) });
  await pusher.attestations('team/multi', multi.digest, [attestation]);
  const provenance = await pusher.bundleReferrer(
    'team/multi',
    multi,
    dsseBundle(statement(hex, { buildType: 'test' }, 'https://slsa.dev/provenance/v1'), { signer, rekor: sigstore.rekor }),
    'https://slsa.dev/provenance/v1',
  );
  await pusher.referrersTag('team/multi', multi.digest, [provenance]);

  const unsigned = await pusher.image('team/unsigned', '1.0', 'unsigned');
  const referred = await pusher.image('team/referred', '1.0', 'referred');
  const referredBundle = await pusher.bundleReferrer(
    'team/referred',
    referred,
    dsseBundle(cosignSignStatement(referred.digest.slice(7)), { signer, rekor: sigstore.rekor }),
    'https://sigstore.dev/cosign/sign/v1',
  );

  const config = await pusher.blob('team/big', Buffer.from('{"architecture":"amd64","os":"linux"}'), 'application/vnd.oci.image.config.v1+json');
  const big = await pusher.manifest(
    'team/big',
    '1.0',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [],
        annotations: { 'org.example.padding': 'x'.repeat(3000) },
      }),
    ),
  );
  return {
    signer,
    sigstore,
    multi,
    platforms: [amd64, arm64],
    attestationLayer: digestOf(Buffer.from(JSON.stringify(attestation.content))),
    unsigned,
    referred,
    referredBundle,
    big,
  };
}

/** An auditpack.yaml for images collected into `collected`, trusting the estate's key and test log. */
export async function estateConfig(dir: string, estate: TestEstate, collected: string, images: { name: string; digest: string }[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'cosign.pub'), estate.signer.pem);
  await writeFile(join(dir, 'trusted_root.json'), estate.sigstore.root.bytes);
  const config = {
    organisation: 'collect test',
    period: '2026-Q2',
    images: images.map((i) => ({ name: i.name, ref: `registry.test/team/${i.name}:1.0`, digest: i.digest })),
    trust: { keys: [{ id: 'test-key', path: 'cosign.pub' }], trustedRoot: 'trusted_root.json' },
    evidence: { images: join(collected, 'evidence', '{image}') },
    frameworks: ['dora'],
    outputs: ['json'],
  };
  await writeFile(join(dir, 'auditpack.yaml'), stringify(config));
  return join(dir, 'auditpack.yaml');
}
