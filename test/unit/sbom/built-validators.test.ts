/**
 * The CycloneDX validators built ahead into dist/sbom/validators/
 * (scripts/build-validators.mjs; `npm test` builds first) against the ones
 * Ajv compiles here from the same schemas: for every bundled version, the
 * same verdict and the same errors, in the same order, for a valid SBOM and
 * for SBOMs that break each kind of rule the rewritten keywords, the pattern
 * engine and the formats check.
 */
import { describe, expect, it } from 'vitest';
import { checkSchema, schemaVersions } from '../../../src/sbom/schemas.js';
import { sbom } from './fixtures.js';

const BUILT = new URL('../../../dist/sbom/validators/', import.meta.url);

type Validate = ((document: unknown) => boolean) & { errors?: unknown[] | null };

async function builtValidator(version: string): Promise<Validate> {
  return ((await import(new URL(`bom-${version}.js`, BUILT).href)) as { validate: Validate }).validate;
}

type Sbom = Record<string, unknown> & { components: Record<string, unknown>[]; metadata?: Record<string, unknown> };

/** A valid SBOM of `version`, and the same SBOM broken in one way each. */
function cases(version: string): [string, unknown][] {
  const base = (): Sbom => ({ ...(structuredClone(sbom(3)) as Sbom), specVersion: version });
  const broken = (name: string, change: (d: Sbom) => void): [string, unknown] => {
    const d = base();
    change(d);
    return [name, d];
  };
  return [
    ['as generated', base()],
    broken('a component twice (uniqueItems)', (d) => d.components.push({ ...d.components[0] })),
    broken('a licence id outside SPDX’s list (the large enum)', (d) => (d.components[1]!.licenses = [{ license: { id: 'NOT-A-LICENCE' } }])),
    broken('a hash of the wrong length (the rewritten pattern)', (d) => (d.components[0]!.hashes = [{ alg: 'SHA-256', content: 'ab'.repeat(31) }])),
    broken('a timestamp that is not a date-time (a format)', (d) => (d.metadata = { ...d.metadata, timestamp: 'yesterday' })),
    broken('a component without a name, of an unknown type', (d) => {
      delete d.components[2]!.name;
      d.components[2]!.type = 'gadget';
    }),
    ['not an object', 'CycloneDX'],
  ];
}

describe('the CycloneDX validators built ahead', () => {
  it('exist for every bundled schema version', async () => {
    expect(schemaVersions().length).toBeGreaterThanOrEqual(6);
    for (const version of schemaVersions()) expect(typeof (await builtValidator(version)), version).toBe('function');
  });

  it.each(schemaVersions())('give the errors Ajv compiles from the %s schema here, document by document', async (version) => {
    const validate = await builtValidator(version);
    let invalid = 0;
    for (const [name, document] of cases(version)) {
      const compiled = checkSchema(document, version);
      const valid = validate(document);
      expect(valid, `${version}: ${name}`).toBe(compiled.length === 0);
      expect(JSON.stringify(valid ? [] : validate.errors), `${version}: ${name}`).toBe(JSON.stringify(compiled));
      if (!valid) invalid += 1;
    }
    // Every broken case is caught (so the comparison covered failing keywords, not only passing ones).
    expect(invalid).toBeGreaterThanOrEqual(cases(version).length - 1);
  });
});
