import { describe, expect, it } from 'vitest';
import { classifyEvidence } from '../../../src/collect/classify.js';
import { sha256 } from '../../helpers/estate.js';

const classify = (text: string) => {
  const bytes = Buffer.from(text);
  return classifyEvidence({ sha256: sha256(bytes), kind: 'unrecognised', source: 'x', bytes });
};
const kind = (text: string) => {
  const c = classify(text);
  return c.ok ? c.parsed.kind : c.code;
};

describe('classifyEvidence (by content, never by name)', () => {
  it('recognises cosign verify output (leading blank line, one-line array)', () => {
    expect(kind('\n[{"critical":{"identity":{},"image":{},"type":"cosign container image signature"},"optional":null}]\n')).toBe('cosign-verify-output');
  });
  it('recognises cosign verify output captured with its stderr header', () => {
    const capture =
      'Verification for registry.test/app@sha256:00 --\nThe following checks were performed on each of these signatures:\n  - The cosign claims were validated\n[\n  {"critical":{"identity":{},"image":{},"type":"cosign container image signature"},"optional":{}}\n]\n';
    expect(kind(capture)).toBe('cosign-verify-output');
  });
  it('does not take a verify header followed by something else for verify output', () => {
    expect(kind('Verification for registry.test/app --\nError: no signatures found\n')).toBe('EVIDENCE_MALFORMED');
  });
  it('recognises cosign download signature lines', () => {
    expect(kind('{"Base64Signature":"YQ==","Payload":"YQ==","Cert":null}\n{"Base64Signature":"Yg==","Payload":"Yg=="}\n')).toBe('cosign-signature');
  });
  it('recognises DSSE envelopes, one per line', () => {
    expect(kind('{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}\n')).toBe('dsse-attestation');
  });
  it('keeps the exact bytes of each envelope line, less a final CR, whatever the line endings and characters', () => {
    const lines = [
      '{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[],"note":"caf\u00e9 \u4e2d"}',
      '{"payloadType":"x","payload":"e30=","signatures":[]}',
    ];
    const c = classify(`${lines[0]}\r\n\r\n${lines[1]}\n\n`);
    expect(c.ok && c.parsed.kind === 'dsse-attestation' && c.parsed.raw.map((b) => b.toString('utf8'))).toEqual(lines);
  });
  it('reads a pretty-printed document whose first line is not JSON alone as one document, and names the line that is not JSON in JSON lines', () => {
    expect(kind('{\n  "payloadType": "application/vnd.in-toto+json",\n  "payload": "e30=",\n  "signatures": []\n}\n')).toBe('dsse-attestation');
    const broken = classify('{"Base64Signature":"YQ==","Payload":"YQ=="}\n{"Base64Signature":\n');
    expect(broken.ok ? broken.parsed.kind : broken.reason).toMatch(/^line 2 is not JSON/);
  });
  it('recognises an OCI image manifest and takes its digest from its bytes', () => {
    const text = '{"schemaVersion":2,"config":{},"layers":[]}';
    const c = classify(text);
    expect(c.ok && c.parsed.kind === 'image-manifest' && c.parsed.digest).toBe(`sha256:${sha256(text)}`);
  });
  it('recognises the index of a multi-platform image (what crane manifest prints for it) as the image manifest, digest from its bytes', () => {
    const oci = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${'ab'.repeat(32)}`,
          size: 400,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    });
    const c = classify(`${oci}\n`);
    expect(c.ok && c.parsed.kind === 'image-manifest' && c.parsed.digest).toBe(`sha256:${sha256(`${oci}\n`)}`);
    const docker = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', manifests: [] });
    expect(kind(docker)).toBe('image-manifest');
  });
  it('takes neither a list without a schema version nor a document with both layers and manifests for an image index', () => {
    expect(kind('{"manifests":[{"digest":"sha256:00"}]}')).toBe('EVIDENCE_UNRECOGNISED');
    expect(kind('{"schemaVersion":2,"manifests":[],"layers":"x"}')).toBe('EVIDENCE_UNRECOGNISED');
  });
  it('recognises a plain CycloneDX SBOM', () => {
    expect(kind('{"bomFormat":"CycloneDX","specVersion":"1.5"}')).toBe('sbom');
  });
  it('reports a truncated envelope as malformed, with the JSON error', () => {
    const c = classify('{"payloadType":"application/vnd.in-toto+json","payload":"e30');
    expect(c).toMatchObject({ ok: false, code: 'EVIDENCE_MALFORMED' });
    expect(!c.ok && c.reason).toMatch(/^not JSON \(.*\); truncated or not evidence$/);
  });
  it('names the bad line in JSON lines', () => {
    const c = classify('{"Base64Signature":"YQ==","Payload":"YQ=="}\n{oops\n');
    expect(!c.ok && c.reason).toMatch(/^line 2 is not JSON/);
  });
  it('reports an empty file', () => {
    expect(classify('  \n')).toMatchObject({ ok: false, code: 'EVIDENCE_MALFORMED', reason: 'the file is empty' });
  });
  it('reports JSON that is no known evidence as unrecognised', () => {
    expect(kind('{"hello":"world"}')).toBe('EVIDENCE_UNRECOGNISED');
  });
  it('recognises a Sigstore bundle file (pretty-printed, any version)', () => {
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {}, dsseEnvelope: {} };
    expect(kind(JSON.stringify(bundle, null, 2))).toBe('sigstore-bundle');
    expect(kind(JSON.stringify({ ...bundle, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1' }))).toBe('sigstore-bundle');
  });
  it('recognises Sigstore bundles as JSON lines (cosign 3 download signature / attestation)', () => {
    const line = JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', verificationMaterial: {}, messageSignature: {} });
    const c = classify(`${line}\n${line}\n`);
    expect(c.ok && c.parsed.kind === 'sigstore-bundle' && c.parsed.bundles.length).toBe(2);
  });
  it('recognises a standalone simple-signing payload', () => {
    expect(
      kind(
        '{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:00"},"type":"cosign container image signature"},"optional":null}',
      ),
    ).toBe('simple-signing-payload');
  });
  it('does not take a JSON object with another mediaType for a bundle', () => {
    expect(kind('{"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}')).toBe('EVIDENCE_UNRECOGNISED');
  });
  it('does not accept bundle lines mixed with signature lines', () => {
    expect(kind('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}\n{"Base64Signature":"YQ==","Payload":"YQ=="}\n')).toBe('EVIDENCE_UNRECOGNISED');
  });
  it('does not accept mixed JSON lines', () => {
    expect(kind('{"Base64Signature":"YQ==","Payload":"YQ=="}\n{"payloadType":"x","payload":"","signatures":[]}\n')).toBe('EVIDENCE_UNRECOGNISED');
  });
});
