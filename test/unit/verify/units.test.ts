import { describe, expect, it } from 'vitest';
import { signatureVerified } from '../../../src/checks/signature-verified.js';
import { attestationVerified } from '../../../src/checks/attestation-verified.js';
import { evidenceBound } from '../../../src/checks/evidence-bound.js';
import { subjectUnits } from '../../../src/verify/units.js';
import { dsseBundle, rekorBundleOf } from '../../helpers/bundles.js';
import {
  IMAGE,
  context,
  evidenceFrom,
  jsonLines,
  makeKeyPair,
  sbom,
  signatureLine,
  simpleSigningPayload,
  statement,
  trustedKey,
  trustedRootFor,
} from '../../helpers/estate.js';
import { attestationLayer, cosignImageManifest, signatureLayer } from '../../helpers/oci-layout.js';

const signer = makeKeyPair();
const rekor = makeKeyPair();
const trust = { keys: [trustedKey(signer)], trustedRoot: trustedRootFor(rekor) };
const payload = simpleSigningPayload(IMAGE.digest);
const line = signatureLine(signer, payload, rekor);
const attestation = dsseBundle(statement(IMAGE.digest.slice(7), sbom(2)), { signer, rekor, version: '0.1' });
const envelopeBytes = Buffer.from(JSON.stringify(attestation.dsseEnvelope));

describe('crane manifests of cosign .sig images, with their payload blobs', () => {
  const sigManifest = () => evidenceFrom('signature-manifest.json', cosignImageManifest('signatures', [signatureLayer(line)]));

  it('recognises the manifest as signature evidence, not as an image manifest', () => {
    expect(sigManifest()).toMatchObject({ kind: 'signature-manifest', role: 'signatures', evidence: { kind: 'cosign-signature' } });
  });

  it('verifies a .sig manifest with the payload blob its layer names, as a signature of the image', async () => {
    const outcome = await signatureVerified.run(context({ items: [sigManifest(), evidenceFrom('payload.json', payload)], trust }));
    expect(outcome).toMatchObject({
      status: 'pass',
      details: {
        format: 'legacy cosign signature (.sig manifest and payload blob)',
        source: 'evidence/app/signature-manifest.json layer 1',
        'transparency log index': '4242',
      },
    });
  });

  it('fails (SIGNATURE_INVALID) a .sig manifest whose signature annotation was replaced, instead of ignoring it', async () => {
    const tampered = signatureLayer(signatureLine(makeKeyPair(), payload, rekor));
    const items = [evidenceFrom('signature-manifest.json', cosignImageManifest('signatures', [tampered])), evidenceFrom('payload.json', payload)];
    expect(await signatureVerified.run(context({ items, trust }))).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
    expect(await evidenceBound.run(context({ items, trust }))).toMatchObject({ status: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it('fails (EVIDENCE_MISSING) a .sig manifest whose payload blob is not in the folder, saying how to get it', async () => {
    const outcome = await signatureVerified.run(context({ items: [sigManifest()], trust }));
    expect(outcome).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
    expect(outcome.message).toContain('crane blob REPO@sha256:');
  });
});

describe('crane manifests of cosign .att images, with their envelopes', () => {
  const attManifest = (material = { Bundle: rekorBundleOf(attestation) }) =>
    evidenceFrom(
      'attestation-manifest.json',
      cosignImageManifest('attestations', [{ ...attestationLayer(attestation.dsseEnvelope, 'https://cyclonedx.org/bom', material), content: envelopeBytes }]),
    );

  it('verifies a downloaded envelope with the log entry of the .att layer that names it, and no longer bare', async () => {
    const items = [attManifest(), evidenceFrom('attestation.jsonl', `${envelopeBytes.toString()}\n`)];
    expect(await attestationVerified.run(context({ items, trust }))).toMatchObject({
      status: 'pass',
      details: { format: 'DSSE envelope (.att manifest and envelope blob)', 'transparency log entry': 'dsse 0.0.1' },
    });
    expect(await evidenceBound.run(context({ items, trust }))).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('all 1 signatures and attestations'),
    });
  });

  it('hands verification the payload bytes the statement was read from, for an envelope and for a bundle', () => {
    const decoded = Buffer.from(attestation.dsseEnvelope.payload, 'base64');
    const fromEnvelope = subjectUnits([attManifest(), evidenceFrom('attestation.jsonl', `${envelopeBytes.toString()}\n`)]).attestations;
    const fromBundle = subjectUnits([evidenceFrom('attestation.sigstore.json', JSON.stringify(attestation))]).attestations;
    for (const [unit] of [fromEnvelope, fromBundle]) {
      expect(unit?.statement).toMatchObject({ ok: true, value: { subjectDigests: [IMAGE.digest] } });
      expect(unit?.input).toHaveProperty('payload');
      expect((unit?.input as { payload: Buffer }).payload.equals(decoded)).toBe(true);
    }
  });

  it('fails (SIGNING_TIME_UNVERIFIED) the same envelope without its manifest: a bare envelope has no log entry', async () => {
    expect(await attestationVerified.run(context({ items: [evidenceFrom('attestation.jsonl', `${envelopeBytes.toString()}\n`)], trust }))).toMatchObject({
      status: 'fail',
      code: 'SIGNING_TIME_UNVERIFIED',
    });
  });

  it('fails (EVIDENCE_MALFORMED) an .att layer whose Rekor bundle annotation is not JSON', async () => {
    const manifest = evidenceFrom(
      'attestation-manifest.json',
      cosignImageManifest('attestations', [{ content: envelopeBytes, annotations: { 'dev.sigstore.cosign/bundle': '{not json' } }]),
    );
    const outcome = await attestationVerified.run(context({ items: [manifest, evidenceFrom('attestation.jsonl', envelopeBytes)], trust }));
    expect(outcome).toMatchObject({
      status: 'fail',
      code: 'EVIDENCE_MALFORMED',
      message: expect.stringContaining('annotation dev.sigstore.cosign/bundle is not JSON'),
    });
  });

  it('fails (EVIDENCE_MISSING) an .att manifest whose envelope blob is not in the folder', async () => {
    expect(await attestationVerified.run(context({ items: [attManifest()], trust }))).toMatchObject({ status: 'fail', code: 'EVIDENCE_MISSING' });
  });

  it('keeps signature lines and the manifest apart: a line without manifest still verifies on its own', async () => {
    expect(await signatureVerified.run(context({ items: [evidenceFrom('signature.jsonl', jsonLines([line]))], trust }))).toMatchObject({ status: 'pass' });
  });
});
