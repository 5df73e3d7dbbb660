import { Validation } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { extractSboms } from '../../../src/sbom/extract.js';
import { validateCycloneDx, type SbomValidation } from '../../../src/sbom/validate.js';
import { completeSbom, deeplyNested, sbom } from './fixtures.js';

type Doc = Record<string, unknown> & { components: Record<string, unknown>[] };
const doc = (n = 3) => sbom(n) as Doc;
const invalid = (r: SbomValidation) => {
  if (r.status !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(r)}`);
  return r;
};

describe('validateCycloneDx: schema', () => {
  it('passes valid 1.5 and 1.6 SBOMs', async () => {
    expect(await validateCycloneDx(doc())).toEqual({ status: 'valid', specVersion: '1.5', components: 3 });
    expect(await validateCycloneDx(completeSbom())).toMatchObject({ status: 'valid', specVersion: '1.6' });
  });

  it("validates against the schema of the document's own version (1.2 to 1.7)", async () => {
    for (const specVersion of ['1.2', '1.3', '1.4', '1.7']) {
      expect((await validateCycloneDx({ bomFormat: 'CycloneDX', specVersion, version: 1 })).status, specVersion).toBe('valid');
    }
  });

  it('reports every schema error with its JSON path, not only the first', async () => {
    const d = doc();
    d.components[0]!.type = 'spaceship';
    d.components[2]!.hashes = [{ alg: 'SHA-256', content: 'xyz' }];
    d.serialNumber = 'not-a-urn';
    const r = invalid(await validateCycloneDx(d));
    expect(r.schemaValid).toBe(false);
    expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['/components/0/type', '/components/2/hashes/0/content', '/serialNumber']));
  });

  it('collapses a oneOf cascade into one issue naming the likely cause, and truncates the SPDX enum', async () => {
    const d = doc(1);
    d.components[0]!.licenses = [{ license: { id: 'NOT-A-LICENCE' } }];
    const r = invalid(await validateCycloneDx(d));
    expect(r.issues).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^\/components\/0\/licenses: must match exactly one schema in oneOf; closest: \/0\/license\/id must be equal to one of the allowed values \("0BSD", .*… \d+ more\)$/,
    );
  });

  it('detects duplicate array items (uniqueItems) in linear time, as the library does', async () => {
    const d = doc(3);
    d.components.push({ ...d.components[1] });
    const r = invalid(await validateCycloneDx(d));
    expect(r.errors).toContain('/components: must NOT have duplicate items (items ## 1 and 3 are identical)');
    expect(await new Validation.JsonStrictValidator('1.5' as never).validate(JSON.stringify(d))).not.toBeNull();
  });

  it('treats objects differing only in key order as duplicates (deep equality)', async () => {
    const d = doc(2);
    const { type, name, version, ...rest } = d.components[0]!;
    d.components.push({ ...rest, version, name, type });
    expect(invalid(await validateCycloneDx(d)).issues.some((i) => i.message.startsWith('must NOT have duplicate items'))).toBe(true);
  });

  it('cuts the list at maxIssues but counts them all', async () => {
    const d = doc(30);
    for (const c of d.components) c.type = 'spaceship';
    const r = invalid(await validateCycloneDx(d, { maxIssues: 5 }));
    expect(r.errors).toHaveLength(5);
    expect(r.issueCount).toBe(30);
  });
});

describe('validateCycloneDx: rules the schema cannot express', () => {
  it('flags a bom-ref used twice, naming both places', async () => {
    const d = doc(3);
    d.components[2]!['bom-ref'] = 'c0';
    const r = invalid(await validateCycloneDx(d));
    expect(r.schemaValid).toBe(true);
    expect(r.issues).toEqual([{ path: '/components/2/bom-ref', rule: 'duplicate-bom-ref', message: "bom-ref 'c0' is already used at /components/0" }]);
  });

  it('flags dependency refs, dependsOn and provides that name no bom-ref', async () => {
    const d = completeSbom(2);
    d.dependencies = [
      { ref: 'app', dependsOn: ['pkg:npm/lib0@1.0.0', 'ghost'] },
      { ref: 'phantom', provides: ['spirit'] },
    ];
    const r = invalid(await validateCycloneDx(d));
    expect(r.issues.map((i) => [i.rule, i.path])).toEqual([
      ['unknown-dependency-ref', '/dependencies/0/dependsOn/1'],
      ['unknown-dependency-ref', '/dependencies/1/ref'],
      ['unknown-dependency-ref', '/dependencies/1/provides/0'],
    ]);
  });

  it('flags a malformed purl', async () => {
    const d = doc(2);
    d.components[1]!.purl = 'pkg:/no-type@1';
    expect(invalid(await validateCycloneDx(d)).issues).toEqual([expect.objectContaining({ path: '/components/1/purl', rule: 'malformed-purl' })]);
  });

  it('flags an invalid SPDX licence expression', async () => {
    const d = doc(2);
    d.components[0]!.licenses = [{ expression: 'MIT OR NOT-A-LICENCE' }];
    expect(invalid(await validateCycloneDx(d)).issues).toEqual([
      expect.objectContaining({ path: '/components/0/licenses/0/expression', rule: 'invalid-licence-expression' }),
    ]);
  });

  it('accepts SPDX ids in any case and LicenseRef- names, as SPDX allows', async () => {
    const d = doc(2);
    d.components[0]!.licenses = [{ expression: '(mit OR apache-2.0) AND LicenseRef-acme-1' }];
    d.components[1]!.licenses = [{ expression: 'GPL-2.0-or-later WITH Classpath-exception-2.0' }];
    expect((await validateCycloneDx(d)).status).toBe('valid');
  });
});

describe('validateCycloneDx: what it cannot validate is never valid', () => {
  it('fails a document whose bomFormat is not CycloneDX', async () => {
    expect(invalid(await validateCycloneDx({ ...doc(1), bomFormat: 'SPDX' })).errors).toEqual(["/bomFormat: bomFormat is 'SPDX', not CycloneDX"]);
  });

  it('fails something that is not a JSON object', async () => {
    expect((await validateCycloneDx([1, 2])).status).toBe('invalid');
  });

  it('does not validate SPDX', async () => {
    expect(await validateCycloneDx({ spdxVersion: 'SPDX-2.3' })).toMatchObject({
      status: 'could-not-validate',
      reason: expect.stringContaining('SPDX, not validated') as string,
    });
  });

  it('does not validate an unsupported spec version', async () => {
    expect(await validateCycloneDx({ ...doc(1), specVersion: '1.1' })).toMatchObject({
      status: 'could-not-validate',
      reason: expect.stringContaining("'1.1' is not supported") as string,
    });
  });

  it('quotes a spec version that is not text as empty, never as [object Object]', async () => {
    const r = await validateCycloneDx({ ...doc(1), specVersion: { major: 1, minor: 5 } });
    expect(r).toMatchObject({ status: 'could-not-validate', reason: expect.stringContaining("specVersion '' is not supported") as string });
    expect(JSON.stringify(r)).not.toContain('[object Object]');
  });

  it('reports components nested 10,000 deep as too deep, without crashing', async () => {
    const [item] = extractSboms(deeplyNested(10_000));
    expect(item?.kind).toBe('sbom');
    const r = await validateCycloneDx(item?.kind === 'sbom' ? item.document : undefined);
    expect(r).toMatchObject({ status: 'could-not-validate', reason: expect.stringContaining('nested too deeply') as string });
  });

  it('handles arrays nested 10,000 deep in an unexpected place', async () => {
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"properties":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect((await validateCycloneDx(JSON.parse(text))).status).toBe('invalid');
  });
});
