import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { BUILT_SCHEMAS, type BuiltSchemaName } from './built-schemas.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module
// object, whose `default` is the plugin.
const addFormats = formatsModule.default;
// So is Ajv's standalone code generator.
const standaloneCode = standaloneModule.default;
const require = createRequire(import.meta.url);

/** An Ajv validator that reports every error and fills in schema defaults. */
export function compileSchema<T>(schema: object): ValidateFunction<T> {
  return newAjv().compile<T>(schema);
}

function newAjv(source = false): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, ...(source ? { code: { source: true } } : {}) });
  addFormats(ajv);
  return ajv;
}

/**
 * The validator of one of auditpack's own schemas (built-schemas.ts): the
 * one built ahead into dist/validators/ when there is one (compiling costs
 * Ajv 10 to 200 ms a schema, in every thread that validates: the trusted
 * root's in each image thread), else compiled here, as `compileSchema` does.
 * The same verdicts, errors and defaults either way
 * (test/unit/util/built-schemas.test.ts).
 */
export function schemaValidator<T>(name: BuiltSchemaName): ValidateFunction<T> {
  const built = fileURLToPath(new URL(`${BUILT_VALIDATORS}${name}.cjs`, import.meta.url));
  if (existsSync(built)) return require(built) as ValidateFunction<T>;
  return compileSchema<T>(BUILT_SCHEMAS[name]());
}

/** Where the validators built ahead are, relative to this module. */
export const BUILT_VALIDATORS = '../validators/';

/** The CommonJS module a schema's validator is built into (Ajv's standalone code; it requires Ajv's and ajv-formats' runtime). */
export function builtSchemaSource(name: BuiltSchemaName): string {
  const ajv = newAjv(true);
  const header = `// Built by scripts/build-validators.mjs from the '${name}' schema (src/util/built-schemas.ts): do not edit.\n`;
  return `${header}${standaloneCode(ajv, ajv.compile(BUILT_SCHEMAS[name]()))}\n`;
}

/** One readable line per Ajv error: `/images/0/digest: must match pattern …`. */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(top level)' : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
          : '';
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
}
