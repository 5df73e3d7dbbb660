/** SBOMs and their wrappings, built in code so every bad case is a mutation of a good one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sbom } from '../../helpers/estate.js';

export { sbom };

export const DIGEST_HEX = 'ab'.repeat(32);

/** A CycloneDX 1.6 SBOM that has every field of NTIA 2021, CISA 2025 and BSI TR-03183-2 v2.1.0. */
export function completeSbom(components = 3): Record<string, unknown> {
  const list = Array.from({ length: components }, (_, i) => ({
    type: i === 0 ? 'application' : 'library',
    'bom-ref': `pkg:npm/lib${i}@1.0.${i}`,
    supplier: { name: 'ACME', url: ['https://acme.example'] },
    name: `lib${i}`,
    version: `1.0.${i}`,
    purl: `pkg:npm/lib${i}@1.0.${i}`,
    hashes: [{ alg: 'SHA-512', content: 'ab'.repeat(64) }],
    licenses: [{ license: { id: 'Apache-2.0', acknowledgement: 'concluded' } }, { license: { id: 'Apache-2.0', acknowledgement: 'declared' } }],
    externalReferences: [
      { type: 'distribution', url: `https://registry.example/lib${i}-1.0.${i}.tgz` },
      { type: 'source-distribution', url: `https://src.example/lib${i}-1.0.${i}.tar.gz` },
    ],
    properties: [
      { name: 'bsi:component:filename', value: `lib${i}-1.0.${i}.tgz` },
      { name: 'bsi:component:executable', value: i === 0 ? 'executable' : 'non-executable' },
      { name: 'bsi:component:archive', value: 'archive' },
      { name: 'bsi:component:structured', value: 'unstructured' },
    ],
  }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-04-10T10:00:00Z',
      lifecycles: [{ phase: 'build' }],
      tools: { components: [{ type: 'application', name: 'cyclonedx-npm', version: '1.19.0' }] },
      authors: [{ name: 'Build team', email: 'build@acme.example' }],
      component: { type: 'application', name: 'app', 'bom-ref': 'app' },
    },
    components: list,
    dependencies: [{ ref: 'app', dependsOn: list.map((c) => c['bom-ref']) }, ...list.map((c) => ({ ref: c['bom-ref'], dependsOn: [] }))],
  };
}

export function statementOf(predicate: unknown, predicateType = 'https://cyclonedx.org/bom'): Record<string, unknown> {
  return { _type: 'https://in-toto.io/Statement/v0.1', predicateType, subject: [{ name: 'registry.test/app', digest: { sha256: DIGEST_HEX } }], predicate };
}

/** A DSSE envelope as cosign prints it (the signature is not checked by the sbom commands). */
export function envelopeOf(payload: unknown, payloadType = 'application/vnd.in-toto+json'): Record<string, unknown> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(JSON.stringify(payload));
  return { payloadType, payload: bytes.toString('base64'), signatures: [{ keyid: '', sig: 'MEUCIQ==' }] };
}

export function bundleOf(envelope: Record<string, unknown>): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'x' }, tlogEntries: [] },
    dsseEnvelope: envelope,
  };
}

export const json = (value: unknown) => Buffer.from(JSON.stringify(value));
export const jsonLines = (values: unknown[]) => Buffer.from(values.map((v) => JSON.stringify(v)).join('\n') + '\n');

/** A CycloneDX document nested `depth` components deep, written as text (JSON.stringify would overflow). */
export function deeplyNested(depth: number): Buffer {
  const open = '{"type":"library","name":"c","version":"1","components":['.repeat(depth);
  return Buffer.from(
    `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[${open}{"type":"library","name":"leaf","version":"1"}${']}'.repeat(depth)}]}`,
  );
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'auditpack-sbom-'));
}

export function writeTemp(dir: string, name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
