import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _, Ajv, Name, type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import formatsModule from 'ajv-formats';
import { addRewrittenKeywords, rewriteSchema } from './schema-rewrite.js';
import { patternEngine, RUNTIME_NAME } from './schema-runtime.js';

/**
 * The CycloneDX JSON schemas bundled with @cyclonedx/cyclonedx-library are the
 * source of truth. `res/schema` is not among the package's exports, so the
 * folder is found from its package.json (the library version is pinned).
 */
const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = formatsModule.default;
// So is Ajv's standalone code generator.
const standaloneCode = standaloneModule.default;
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

/**
 * Compiling a schema costs Ajv 0.3 to 0.5 s (1.6: every image thread paid
 * it before its first SBOM), so the build compiles each version ahead into
 * a module (scripts/build-validators.mjs, `builtValidatorSource`): the same
 * code Ajv would generate here, loaded in milliseconds. Loads the one of
 * `version` once, for `checkSchema`; without one (running from the sources),
 * `checkSchema` compiles the schema itself. The same verdicts and errors
 * either way (test/unit/sbom/built-validators.test.ts).
 */
export async function loadBuiltValidator(version: string): Promise<void> {
  if (compiled.has(version) || !schemaVersions().includes(version)) return;
  const url = new URL(`${BUILT_DIR}${builtValidatorFile(version)}`, import.meta.url);
  if (!existsSync(url)) return;
  const built = (await import(url.href)) as { validate: ValidateFunction };
  compiled.set(version, built.validate);
}

/** Where the validators built ahead are, beside this module. */
export const BUILT_DIR = './validators/';

export function builtValidatorFile(version: string): string {
  return `bom-${version}.js`;
}

/**
 * The module a validator of `version` is built into: Ajv's standalone code
 * of the schema as `checkSchema` compiles it (same options, formats and
 * keywords), importing schema-runtime.ts for what it calls.
 */
export function builtValidatorSource(version: string): string {
  const ajv = makeAjv({ source: true, esm: true });
  const validate = ajv.compile(loadSchema(schemaFileFor(version)) as object);
  return [
    '// Built by scripts/build-validators.mjs from the CycloneDX schema (src/sbom/schemas.ts): do not edit.',
    `import * as ${RUNTIME_NAME} from '../schema-runtime.js';`,
    "import { createRequire } from 'node:module';",
    // Ajv's standalone code requires its own runtime helpers (ajv/dist/runtime/*).
    'const require = createRequire(import.meta.url);',
    standaloneCode(ajv, validate),
    '',
  ].join('\n');
}

/** 1.2 and 1.3 have separate `-strict` schemas (no additional properties); the library's strict validator uses them. */
function schemaFileFor(version: string): string {
  return version === '1.2' || version === '1.3' ? `bom-${version}-strict.SNAPSHOT.schema.json` : `bom-${version}.SNAPSHOT.schema.json`;
}

function makeAjv(code: { source?: boolean; esm?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    loadSchema: (uri) => Promise.reject(new Error(`remote schemas are disabled: ${uri}`)),
    // A validator built ahead names the formats and the pattern engine through schema-runtime.ts.
    code: { ...code, regExp: patternEngine, formats: _`${new Name(RUNTIME_NAME)}.formats` },
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
