import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { addRewrittenKeywords, patternEngine, rewriteSchema } from './schema-rewrite.js';

/**
 * The CycloneDX JSON schemas bundled with @cyclonedx/cyclonedx-library are the
 * source of truth. `res/schema` is not among the package's exports, so the
 * folder is found from its package.json (the library version is pinned).
 */
const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = formatsModule.default;
// ajv-formats-draft2019 ships no types; loaded the way the library loads it.
const addDraft2019Formats = require('ajv-formats-draft2019') as (ajv: Ajv, options: { formats: string[] }) => Ajv;

/** Sub-schemas the bom schemas `$ref`, pre-registered so nothing is fetched. */
const SUB_SCHEMAS = ['spdx', 'jsf-0.82', 'cryptography-defs'];

let versions: readonly string[] | undefined;
const compiled = new Map<string, ValidateFunction>();

/** CycloneDX versions with a bundled JSON schema (1.2 to 1.7 in library 10.3.0). */
export function schemaVersions(): readonly string[] {
  versions ??= readdirSync(SCHEMA_DIR)
    .map((f) => /^bom-(\d+\.\d+)\.SNAPSHOT\.schema\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return versions;
}

/**
 * Raw Ajv errors of a document against the schema of `version` (empty when
 * valid). The same schema file, options and formats as the library's
 * `JsonStrictValidator`, but with `allErrors` and linear-time keywords.
 * May throw RangeError on absurdly deep documents (Ajv recurses).
 */
export function checkSchema(document: unknown, version: string): ErrorObject[] {
  const validate = validatorFor(version);
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

function validatorFor(version: string): ValidateFunction {
  let validate = compiled.get(version);
  if (!validate) {
    if (!schemaVersions().includes(version)) throw new RangeError(`no bundled JSON schema for CycloneDX ${version}`);
    validate = makeAjv().compile(loadSchema(schemaFileFor(version)) as object);
    compiled.set(version, validate);
  }
  return validate;
}

/** 1.2 and 1.3 have separate `-strict` schemas (no additional properties); the library's strict validator uses them. */
function schemaFileFor(version: string): string {
  return version === '1.2' || version === '1.3' ? `bom-${version}-strict.SNAPSHOT.schema.json` : `bom-${version}.SNAPSHOT.schema.json`;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    loadSchema: (uri) => Promise.reject(new Error(`remote schemas are disabled: ${uri}`)),
    code: { regExp: patternEngine },
    schemas: Object.fromEntries(
      SUB_SCHEMAS.map((n) => [`http://cyclonedx.org/schema/${n}.SNAPSHOT.schema.json`, loadSchema(`${n}.SNAPSHOT.schema.json`) as object]),
    ),
  });
  addFormats(ajv);
  addDraft2019Formats(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  addRewrittenKeywords(ajv);
  return ajv;
}

/** A bundled schema, with keywords Ajv checks slowly replaced by exact linear equivalents (schema-rewrite.ts). */
function loadSchema(file: string): unknown {
  return rewriteSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')));
}
