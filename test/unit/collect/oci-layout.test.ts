import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attestationBindsDigest } from '../../../src/checks/attestation-binds-digest.js';
import { attestationVerified } from '../../../src/checks/attestation-verified.js';
import { signatureBindsDigest } from '../../../src/checks/signature-binds-digest.js';
import { signatureVerified } from '../../../src/checks/signature-verified.js';
import type { CheckContext } from '../../../src/checks/types.js';
import { collectImageFolder } from '../../../src/collect/image-folder.js';
import type { Evidence, SubjectEvidence } from '../../../src/collect/evidence.js';
import type { ImageConfig } from '../../../src/config/schema.js';
import type { VerificationTrust } from '../../../src/verify/sigstore.js';
import { cosignSignStatement, dsseBundle, keylessSignatureLine, makeTestSigstore, rekorBundleOf } from '../../helpers/bundles.js';
import { context, makeKeyPair, sbom, sha256, signatureLine, simpleSigningPayload, statement, trustedKey } from '../../helpers/estate.js';
import { attestationLayer, imageManifest, signatureLayer, writeOciLayout, type LayoutSpec, type WrittenLayout } from '../../helpers/oci-layout.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const sigstore = makeTestSigstore(rekor);
const IDENTITY = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const trust: VerificationTrust = { keys: [trustedKey(signer)], trustedRoot: sigstore.root, identities: [{ identity: IDENTITY, issuer: ISSUER, regex: false }] };
const manifest = imageManifest('app');
const image: ImageConfig = { name: 'app', ref: 'registry.test/team/app:1.0', digest: `sha256:${sha256(manifest)}` };
const hex = image.digest.slice(7);

const bases: string[] = [];
afterAll(async () => Promise.all(bases.map((b) => rm(b, { recursive: true, force: true }))));

/** `cosign save --dir` output with one key-signed signature and one SBOM attestation, both logged. */
function savedImage(): LayoutSpec {
  const attestation = dsseBundle(statement(hex, sbom(3)), { signer, rekor, version: '0.1' });
  return {
    imageManifest: manifest,
    signatures: [signatureLayer(signatureLine(signer, simpleSigningPayload(image.digest), rekor))],
    attestations: [attestationLayer(attestation.dsseEnvelope, 'https://cyclonedx.org/bom', { Bundle: rekorBundleOf(attestation) })],
  };
}

interface Collected {
  layout: WrittenLayout;
  base: string;
  subject: SubjectEvidence;
  evidence: Evidence[];
  context: CheckContext;
}

/** Writes the layout (in a sub-folder of the image's evidence folder unless told otherwise), changes it, collects it. */
async function collect(spec: LayoutSpec, change: (l: WrittenLayout) => Promise<void> = async () => {}, asFolder = false): Promise<Collected> {
  const base = await mkdtemp(join(tmpdir(), 'auditpack-layout-'));
  bases.push(base);
  const folder = join(base, 'evidence', 'app');
  const layout = await writeOciLayout(asFolder ? folder : join(folder, 'cosign-save'), spec);
  await change(layout);
  const { subject, evidence } = await collectImageFolder(base, 'evidence/{image}', image);
  const checkContext = context({ items: subject.items, problems: subject.problems, trust, image });
  return { layout, base, subject, evidence, context: checkContext };
}

const shaOf = (c: Collected, path: string) => c.evidence.find((e) => e.source === relative(c.base, path))?.sha256;

describe('OCI image layouts written by cosign save --dir', () => {
  it('a valid layout verifies: signature, digest binding and SBOM attestation, every blob used kept as evidence', async () => {
    const c = await collect(savedImage());
    expect(c.subject.problems).toEqual([]);
    const signature = await signatureVerified.run(c.context);
    expect(signature).toMatchObject({
      status: 'pass',
      details: { format: 'legacy cosign signature (.sig image in a cosign save layout)', 'transparency log index': '4242' },
    });
    expect(signature.evidence).toEqual([
      shaOf(c, c.layout.paths.sigLayers[0]!),
      shaOf(c, c.layout.paths.sigManifest!),
      shaOf(c, join(c.layout.dir, 'index.json')),
    ]);
    expect(await signatureBindsDigest.run(c.context)).toMatchObject({ status: 'pass' });
    expect(await attestationVerified.run(c.context)).toMatchObject({
      status: 'pass',
      details: { format: 'DSSE envelope (.att image in a cosign save layout)' },
    });
    expect(await attestationBindsDigest.run(c.context)).toMatchObject({ status: 'pass' });
    const kinds = Object.fromEntries(c.evidence.map((e) => [relative(join(c.layout.dir), join(c.base, e.source)), e.kind]));
    expect(kinds).toMatchObject({
      'oci-layout': 'oci-layout',
      'index.json': 'oci-layout',
      [relative(c.layout.dir, c.layout.paths.sigManifest!)]: 'oci-blob',
      [relative(c.layout.dir, c.layout.paths.sigLayers[0]!)]: 'simple-signing-payload',
      [relative(c.layout.dir, c.layout.paths.attLayers[0]!)]: 'dsse-attestation',
    });
  });

  it('reads a layout that is the evidence folder itself', async () => {
    const c = await collect(savedImage(), undefined, true);
    expect(c.subject.problems).toEqual([]);
    expect(await signatureVerified.run(c.context)).toMatchObject({ status: 'pass' });
  });

  it('fails a layout whose signature blob was tampered with, and names the altered blob', async () => {
    const c = await collect(savedImage(), async (l) => writeFile(l.paths.sigLayers[0]!, simpleSigningPayload(`sha256:${'cd'.repeat(32)}`)));
    const blob = relative(c.base, c.layout.paths.sigLayers[0]!);
    expect(c.subject.problems).toContainEqual(
      expect.objectContaining({ code: 'EVIDENCE_MALFORMED', file: blob, reason: expect.stringMatching(/does not match its digest/) }),
    );
    expect(await signatureVerified.run(c.context)).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });

  it('fails a layout whose .sig manifest carries a signature by another key', async () => {
    const spec = savedImage();
    spec.signatures = [signatureLayer(signatureLine(makeKeyPair(), simpleSigningPayload(image.digest), rekor))];
    expect(await signatureVerified.run((await collect(spec)).context)).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('reports a missing blob as a problem naming its path, and cannot decide without it', async () => {
    const c = await collect(savedImage(), async (l) => unlink(l.paths.sigLayers[0]!));
    const blob = relative(c.base, c.layout.paths.sigLayers[0]!);
    expect(c.subject.problems).toContainEqual(
      expect.objectContaining({ code: 'EVIDENCE_UNREADABLE', file: blob, reason: expect.stringMatching(/is missing from the layout/) }),
    );
    const outcome = await signatureVerified.run(c.context);
    expect(outcome).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
    expect(outcome.message).toContain(blob);
  });

  it('verifies a cosign v3 bundle referrer found by scanning the blobs for the image subject', async () => {
    const c = await collect({
      imageManifest: manifest,
      referrers: [
        { bundle: dsseBundle(cosignSignStatement(hex), { signer, rekor }), predicateType: 'https://sigstore.dev/cosign/sign/v1' },
        { bundle: dsseBundle(statement(hex, sbom(2)), { signer, rekor }), predicateType: 'https://cyclonedx.org/bom' },
      ],
    });
    expect(c.subject.problems).toEqual([]);
    const outcome = await signatureVerified.run(c.context);
    expect(outcome).toMatchObject({
      status: 'pass',
      details: { format: 'Sigstore bundle (OCI 1.1 referrer in a cosign save layout)', 'format version': 'Sigstore bundle v0.3' },
    });
    expect(outcome.evidence).toEqual([shaOf(c, c.layout.paths.bundles[0]!), shaOf(c, c.layout.paths.referrerManifests[0]!)]);
    expect(await signatureBindsDigest.run(c.context)).toMatchObject({ status: 'pass' });
    expect(await attestationBindsDigest.run(c.context)).toMatchObject({ status: 'pass' });
  });

  it('verifies a keyless .sig layer from its certificate annotation against the trusted identity', async () => {
    const workload = makeKeyPair();
    const line = keylessSignatureLine(workload, sigstore.leaf(workload, IDENTITY, ISSUER), simpleSigningPayload(image.digest), rekor);
    const c = await collect({ imageManifest: manifest, signatures: [signatureLayer(line)] });
    expect(await signatureVerified.run(c.context)).toMatchObject({ status: 'pass', details: { 'signer identity (certificate SAN)': IDENTITY } });
  });

  it('checks a .att layer against the Rekor entry in its annotation', async () => {
    const bundle = dsseBundle(statement(hex, sbom(2)), { signer, rekor, version: '0.1' });
    const c = await collect({
      imageManifest: manifest,
      attestations: [attestationLayer(bundle.dsseEnvelope, 'https://cyclonedx.org/bom', { Bundle: rekorBundleOf(bundle) })],
    });
    expect(await attestationVerified.run(c.context)).toMatchObject({
      status: 'pass',
      details: { 'transparency log entry': 'dsse 0.0.1', 'trusted root (SHA-256)': sigstore.root.sha256 },
    });
  });

  it('fails a .att layer whose Rekor annotation was made by an untrusted log', async () => {
    const bundle = dsseBundle(statement(hex, sbom(2)), { signer, rekor: makeKeyPair(), version: '0.1' });
    const c = await collect({
      imageManifest: manifest,
      attestations: [attestationLayer(bundle.dsseEnvelope, 'https://cyclonedx.org/bom', { Bundle: rekorBundleOf(bundle) })],
    });
    expect(await attestationVerified.run(c.context)).toMatchObject({ status: 'fail', code: 'TLOG_INVALID' });
  });

  it('reads a layout of the unsigned image alone without an input problem: the checks report the signature missing', async () => {
    const c = await collect({ imageManifest: manifest });
    expect(c.subject.problems).toEqual([]);
    expect(c.subject.items).toMatchObject([{ kind: 'oci-layout', layout: { imageDigest: image.digest, signatures: [], attestations: [], bundles: [] } }]);
    expect(await signatureVerified.run(c.context)).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(await attestationVerified.run(c.context)).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });

  it('reports a layout that names no image and holds no signature for it as unrecognised', async () => {
    const c = await collect({ imageManifest: manifest }, async (l) =>
      writeFile(
        join(l.dir, 'index.json'),
        JSON.stringify({
          schemaVersion: 2,
          manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest, size: manifest.length }],
        }),
      ),
    );
    expect(c.subject.problems).toEqual([expect.objectContaining({ code: 'EVIDENCE_UNRECOGNISED', file: 'evidence/app/cosign-save/index.json' })]);
  });

  it('reports a layout saved from another image', async () => {
    const c = await collect({ ...savedImage(), imageManifest: imageManifest('other') });
    expect(c.subject.problems).toContainEqual(
      expect.objectContaining({ code: 'DIGEST_MISMATCH', reason: expect.stringContaining(`not from the digest in scope ${image.digest}`) }),
    );
  });

  it('reports an index.json that is not JSON, naming the file', async () => {
    const c = await collect(savedImage(), async (l) => writeFile(join(l.dir, 'index.json'), '{"manifests": ['));
    expect(c.subject.problems).toContainEqual(expect.objectContaining({ code: 'EVIDENCE_MALFORMED', file: 'evidence/app/cosign-save/index.json' }));
    expect(await signatureVerified.run(c.context)).toMatchObject({ status: 'error', code: 'EVIDENCE_MALFORMED' });
  });
});

describe('hand exports of a multi-platform image', () => {
  it('reads the index crane manifest prints as the image manifest: no input problem, the signature of the index digest verifies', async () => {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: image.digest,
            size: manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    );
    const multi: ImageConfig = { name: 'app', ref: 'registry.test/team/app:1.0', digest: `sha256:${sha256(index)}` };
    const base = await mkdtemp(join(tmpdir(), 'auditpack-index-'));
    bases.push(base);
    await mkdir(join(base, 'evidence', 'app'), { recursive: true });
    await writeFile(join(base, 'evidence', 'app', 'manifest.json'), index);
    await writeFile(join(base, 'evidence', 'app', 'signature.jsonl'), `${JSON.stringify(signatureLine(signer, simpleSigningPayload(multi.digest), rekor))}\n`);
    const { subject } = await collectImageFolder(base, 'evidence/{image}', multi);
    expect(subject.problems).toEqual([]);
    expect(subject.items.map((i) => i.kind).sort()).toEqual(['cosign-signature', 'image-manifest']);
    expect(subject.items.find((i) => i.kind === 'image-manifest')).toMatchObject({ digest: multi.digest });
    const checkContext = context({ items: subject.items, problems: subject.problems, trust, image: multi });
    expect(await signatureVerified.run(checkContext)).toMatchObject({ status: 'pass' });
  });
});
