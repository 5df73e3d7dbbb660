/**
 * The validators of auditpack's own schemas built ahead into dist/validators/
 * (scripts/build-validators.mjs; `npm test` builds first) against the ones
 * Ajv compiles here from the same schemas: for each schema, on a real input
 * of the project and on that input broken in several ways, the same verdict,
 * the same errors in the same order, and the same defaults filled in.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileSchema } from '../../../src/util/ajv.js';
import { BUILT_SCHEMAS, type BuiltSchemaName } from '../../../src/util/built-schemas.js';

const require = createRequire(import.meta.url);
const text = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** A real input of each schema, from the samples and the built-in data. */
const INPUTS: Record<BuiltSchemaName, () => unknown> = {
  config: () => parse(text('samples/akko/auditpack.yaml')),
  'trusted-root': () => JSON.parse(text('samples/akko/keys/DEMO-ONLY-trusted_root.json')),
  waivers: () => parse(text('samples/akko/waivers.yaml')),
  catalog: () => parse(text('src/frameworks/catalogs/dora.yaml')),
  claims: () => parse(text('src/frameworks/claims.yaml')),
};

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** The input, and the input with an unknown member, and with each of its first members removed or of the wrong type. */
function cases(input: () => unknown): [string, unknown][] {
  const base = input() as Record<string, unknown>;
  const keys = Object.keys(base).slice(0, 4);
  const changed = (name: string, change: (d: Record<string, unknown>) => void): [string, unknown] => {
    const d = input() as Record<string, unknown>;
    change(d);
    return [name, d];
  };
  return [
    ['as shipped', input()],
    changed('with an unknown member', (d) => (d.unexpectedMember = true)),
    ...keys.map((key) => changed(`without ${key}`, (d) => delete d[key])),
    ...keys.map((key) => changed(`with ${key} a number`, (d) => (d[key] = 12345))),
    ['not an object', 'text'],
  ];
}

describe("the validators of auditpack's own schemas, built ahead", () => {
  it.each(Object.keys(BUILT_SCHEMAS) as BuiltSchemaName[])('%s: the same verdicts, errors and defaults as compiled here', (name) => {
    const built = require(`../../../dist/validators/${name}.cjs`) as Validate;
    const compiled = compileSchema(BUILT_SCHEMAS[name]()) as Validate;
    let invalid = 0;
    for (const [label, data] of cases(INPUTS[name])) {
      const [a, b] = [structuredClone(data), structuredClone(data)];
      const valid = built(a);
      expect(valid, `${name}: ${label}`).toBe(compiled(b));
      expect(JSON.stringify(valid ? null : built.errors), `${name}: ${label}: errors`).toBe(JSON.stringify(valid ? null : compiled.errors));
      expect(a, `${name}: ${label}: defaults filled in`).toEqual(b);
      if (!valid) invalid += 1;
    }
    expect(compiled(structuredClone(INPUTS[name]())), `${name}: the real input is valid`).toBe(true);
    // The broken inputs were caught, so failing keywords were compared, not only passing ones.
    expect(invalid).toBeGreaterThanOrEqual(3);
  });
});
