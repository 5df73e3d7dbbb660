import { _, Name, stringify, type Ajv, type Code, type KeywordCxt } from 'ajv';
import { extendErrors } from 'ajv/dist/compile/errors.js';
import { RUNTIME_NAME, uniqueItemsErrors } from './schema-runtime.js';

/**
 * Two keywords of the bundled CycloneDX schemas cost Ajv far more than they
 * need to, so the schemas are rewritten to equivalent keywords of ours:
 *  - `uniqueItems: true` is checked pairwise, O(n²): 20,000 components take
 *    80+ s (ajv-validator/ajv#608). Ours hashes, O(n) (unique-items.ts).
 *  - a large `enum` is checked by a loop of deep-equals: the ~800 SPDX ids
 *    cost 2 ms per 1,000 licences. Ours, for all-string enums, is a Set.
 * Both report errors under the original keyword with Ajv's own message and
 * params, so findings read the same.
 */
const UNIQUE_ITEMS = 'auditpackUniqueItems';
const STRING_ENUM = 'auditpackStringEnum';
/** Ajv's loop is fine for short enums; a Set pays off above this size. */
const SET_ENUM_ABOVE = 16;
/** The generated code's variables of the errors so far (Ajv's own names, ajv/dist/compile/names). */
const N = { vErrors: new Name('vErrors'), errors: new Name('errors') };

/** The schema with the two keywords replaced. Only schema objects are rewritten: names under `properties` are data. */
export function rewriteSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'uniqueItems') {
      // `uniqueItems: false` is a no-op and is dropped.
      if (value === true) out[UNIQUE_ITEMS] = true;
    } else if (key === 'enum' && isLargeStringList(value)) {
      out[STRING_ENUM] = value;
    } else if (key === 'properties' || key === 'definitions' || key === '$defs' || key === 'patternProperties') {
      out[key] = mapValues(value);
    } else if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') {
      out[key] = value;
    } else {
      out[key] = rewriteSchema(value);
    }
  }
  return out;
}

/**
 * Both keywords generate their code (not a function Ajv calls), so that a
 * validator can be built ahead into a module (scripts/build-validators.mjs):
 * what they call at validation time is in schema-runtime.ts, which such a
 * module imports. Errors are collected as Ajv collects a function keyword's
 * (concatenated, then given their paths by `extendErrors`), under the
 * original keyword: Ajv is always run with `allErrors` here.
 */
export function addRewrittenKeywords(ajv: Ajv): void {
  ajv.addKeyword({ keyword: UNIQUE_ITEMS, type: 'array', schemaType: 'boolean', trackErrors: true, code: uniqueItemsCode });
  ajv.addKeyword({ keyword: STRING_ENUM, schemaType: 'array', trackErrors: true, code: stringEnumCode });
}

function uniqueItemsCode(cxt: KeywordCxt): void {
  const { gen, data } = cxt;
  assertAllErrors(cxt);
  if ((cxt.schema as unknown) !== true) return;
  const check = gen.scopeValue('func', { ref: uniqueItemsErrors, code: _`${new Name(RUNTIME_NAME)}.uniqueItemsErrors` });
  const errors = gen.const('errs', _`${check}(${data})`);
  gen.if(_`${errors} !== null`, () => addErrors(cxt, errors));
}

function stringEnumCode(cxt: KeywordCxt): void {
  const { gen, data } = cxt;
  assertAllErrors(cxt);
  const values = cxt.schema as string[];
  const allowed = gen.scopeValue('keyword', { ref: new Set(values), code: _`new Set(${stringify(values)})` });
  gen.if(_`!(typeof ${data} == "string" && ${allowed}.has(${data}))`, () =>
    addErrors(cxt, _`[{keyword: "enum", message: "must be equal to one of the allowed values", params: {allowedValues: ${cxt.schemaValue}}}]`),
  );
}

/** As Ajv adds a function keyword's errors: appended, counted, given their instance and schema paths. */
function addErrors(cxt: KeywordCxt, errors: Code | Name): void {
  const { gen } = cxt;
  gen.assign(N.vErrors, _`${N.vErrors} === null ? ${errors} : ${N.vErrors}.concat(${errors})`).assign(N.errors, _`${N.vErrors}.length`);
  extendErrors(cxt);
}

function assertAllErrors(cxt: KeywordCxt): void {
  // Without allErrors a failing keyword must also stop the validation; these only collect.
  if (!cxt.it.opts.allErrors) throw new Error(`${cxt.keyword} needs Ajv's allErrors option`);
}

function isLargeStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > SET_ENUM_ABOVE && value.every((v) => typeof v === 'string');
}

/** Maps of name → sub-schema: the names are data, the values are schemas. */
function mapValues(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rewriteSchema(sub)]));
}
