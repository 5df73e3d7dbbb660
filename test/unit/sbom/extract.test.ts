import { describe, expect, it } from 'vitest';
import { SbomReader, extractSboms, type ExtractedItem } from '../../../src/sbom/extract.js';
import { bundleOf, envelopeOf, json, jsonLines, sbom, statementOf } from './fixtures.js';

const only = (bytes: Buffer): ExtractedItem => {
  const items = extractSboms(bytes);
  expect(items).toHaveLength(1);
  return items[0] as ExtractedItem;
};
const SPDX_DOC = { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', name: 'app', packages: [] };

describe('extractSboms: wrappings', () => {
  it('reads a plain CycloneDX file', () => {
    expect(only(json(sbom(2)))).toMatchObject({ kind: 'sbom', format: 'cyclonedx', wrapping: [], location: '' });
  });

  it('recognises a plain SPDX file as SPDX', () => {
    expect(only(json(SPDX_DOC))).toMatchObject({ kind: 'sbom', format: 'spdx' });
  });

  it('reads an in-toto statement, keeping predicate type and subject digests', () => {
    expect(only(json(statementOf(sbom(1))))).toMatchObject({
      kind: 'sbom',
      wrapping: ['in-toto-statement'],
      predicateType: 'https://cyclonedx.org/bom',
      subjectDigests: [`sha256:${'ab'.repeat(32)}`],
    });
  });

  it('reads a DSSE envelope', () => {
    const item = only(json(envelopeOf(statementOf(sbom(3)))));
    expect(item).toMatchObject({ kind: 'sbom', format: 'cyclonedx', wrapping: ['dsse-envelope', 'in-toto-statement'] });
    expect(item.kind === 'sbom' && (item.document as { components: unknown[] }).components).toHaveLength(3);
  });

  it('reads JSON lines of envelopes as cosign download attestation prints them, one item per line', () => {
    const provenance = envelopeOf(statementOf({ buildType: 'x' }, 'https://slsa.dev/provenance/v1'));
    const items = extractSboms(jsonLines([provenance, envelopeOf(statementOf(sbom(1)))]));
    expect(items.map((i) => [i.kind, i.location])).toEqual([
      ['other', 'line 1'],
      ['sbom', 'line 2'],
    ]);
    expect(items[0]).toMatchObject({ reason: expect.stringContaining('https://slsa.dev/provenance/v1') as string });
  });

  it("reads a Sigstore bundle's DSSE envelope", () => {
    expect(only(json(bundleOf(envelopeOf(statementOf(sbom(1))))))).toMatchObject({
      kind: 'sbom',
      wrapping: ['sigstore-bundle', 'dsse-envelope', 'in-toto-statement'],
    });
  });

  it('says a message-signature bundle holds no attestation', () => {
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', messageSignature: { signature: 'AA==' } };
    expect(only(json(bundle))).toMatchObject({ kind: 'other', reason: expect.stringContaining('without a DSSE envelope') as string });
  });

  it.each([['https://cyclonedx.org/bom'], ['https://cyclonedx.org/bom/v1.5'], ['https://cyclonedx.org/schema']])(
    'accepts the CycloneDX predicate type %s',
    (type) => {
      expect(only(json(statementOf(sbom(1), type)))).toMatchObject({ kind: 'sbom', format: 'cyclonedx', predicateType: type });
    },
  );

  it("unwraps cosign's {Data, Timestamp} with Data as an object", () => {
    const item = only(json(envelopeOf(statementOf({ Data: sbom(2), Timestamp: '' }))));
    expect(item).toMatchObject({ kind: 'sbom', wrapping: ['dsse-envelope', 'in-toto-statement', 'cosign-data-wrapper'] });
    expect(item.kind === 'sbom' && (item.document as { bomFormat: string }).bomFormat).toBe('CycloneDX');
  });

  it("unwraps cosign's {Data, Timestamp} with Data as a JSON string", () => {
    const item = only(json(statementOf({ Data: JSON.stringify(sbom(2)), Timestamp: '2025-02-28T19:18:11Z' })));
    expect(item).toMatchObject({ kind: 'sbom', format: 'cyclonedx', wrapping: ['in-toto-statement', 'cosign-data-wrapper'] });
  });

  it("finds a CycloneDX SBOM attested with cosign's default custom predicate type", () => {
    const item = only(json(statementOf({ Data: JSON.stringify(sbom(1)), Timestamp: '' }, 'https://cosign.sigstore.dev/attestation/v1')));
    expect(item).toMatchObject({ kind: 'sbom', format: 'cyclonedx' });
  });

  it('recognises SPDX predicates, as JSON or as tag-value text in Data', () => {
    expect(only(json(statementOf(SPDX_DOC, 'https://spdx.dev/Document')))).toMatchObject({ kind: 'sbom', format: 'spdx' });
    expect(only(json(statementOf({ Data: 'SPDXVersion: SPDX-2.3\n', Timestamp: '' }, 'https://spdx.dev/Document')))).toMatchObject({
      kind: 'sbom',
      format: 'spdx',
    });
  });

  it('reads an envelope whose payload is the SBOM itself', () => {
    expect(only(json(envelopeOf(sbom(1), 'application/vnd.cyclonedx+json')))).toMatchObject({ kind: 'sbom', wrapping: ['dsse-envelope'] });
  });
});

describe('extractSboms: bad inputs are results, never throws', () => {
  it.each([
    ['an empty file', Buffer.from('  \n'), 'the file is empty'],
    ['truncated JSON', json(sbom(3)).subarray(0, 150), 'not JSON'],
    ['a DSSE payload that is not JSON', json(envelopeOf('this is not json')), 'DSSE payload (application/vnd.in-toto+json) is not JSON'],
    ['a DSSE payload that is not base64', json({ ...envelopeOf(statementOf(sbom(1))), payload: 'not base64!' }), 'not standard base64'],
    ['an in-toto payload that is no statement', json(envelopeOf({ hello: 'world' })), 'not an in-toto statement'],
    ['cosign Data that is not JSON', json(statementOf({ Data: '{"truncated', Timestamp: '' })), 'Data field is a string but not JSON'],
    ['JSON of another kind', json({ hello: 'world' }), 'not an SBOM'],
  ])('%s', (_name, bytes, reason) => {
    expect(only(bytes)).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining(reason) as string });
  });

  it('keeps the good lines of a JSON-lines file with one broken line', () => {
    const good = JSON.stringify(envelopeOf(statementOf(sbom(1))));
    const items = extractSboms(Buffer.from(`${good}\n${good.slice(0, 40)}\n`));
    expect(items.map((i) => i.kind)).toEqual(['sbom', 'unreadable']);
    expect(items[1]).toMatchObject({ location: 'line 2', code: 'EVIDENCE_MALFORMED' });
  });

  it("decodes a payload over 8 MB, where a grouped base64 pattern overflows V8's regexp stack", () => {
    const big = {
      ...sbom(1),
      components: Array.from({ length: 14_000 }, (_, i) => ({ type: 'library', name: `lib${i}`, version: '1.0.0', description: 'x'.repeat(500) })),
    };
    const bytes = json(envelopeOf(statementOf(big)));
    expect(bytes.length).toBeGreaterThan(9 * 2 ** 20);
    expect(only(bytes)).toMatchObject({ kind: 'sbom' });
  });
});

describe('SbomReader', () => {
  it('parses the same bytes once per run', () => {
    const reader = new SbomReader();
    const bytes = json(envelopeOf(statementOf(sbom(2))));
    const first = reader.read(bytes);
    const second = reader.read(Buffer.from(bytes));
    expect(reader.parses).toBe(1);
    expect(second.items).toBe(first.items);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the cache within its byte budget, dropping the oldest', () => {
    const a = json(sbom(1));
    const b = json(sbom(2));
    const reader = new SbomReader(b.length + 10);
    reader.read(a);
    reader.read(b);
    reader.read(b);
    expect(reader.parses).toBe(2);
    reader.read(a);
    expect(reader.parses).toBe(3);
  });
});
