import { createHash } from 'node:crypto';
import type { Ajv, ErrorObject } from 'ajv';
import { findDuplicateItems } from './unique-items.js';

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

/**
 * Faster regular expressions with exactly the same language as patterns of
 * the schemas (proved in test/unit/sbom/schema-rewrite.test.ts), used through
 * Ajv's regExp hook so error messages keep the original pattern. The hash
 * pattern retries each length from the start: a SHA-512 is scanned 5 times.
 */
export const EQUIVALENT_PATTERNS: Readonly<Record<string, string>> = {
  '^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$':
    '^[a-fA-F0-9]{32}(?:[a-fA-F0-9]{8}|[a-fA-F0-9]{32}(?:[a-fA-F0-9]{32}(?:[a-fA-F0-9]{32})?)?)?$',
};

export const patternEngine = Object.assign((pattern: string, flags: string) => new RegExp(EQUIVALENT_PATTERNS[pattern] ?? pattern, flags), {
  code: 'new RegExp',
});

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

export function addRewrittenKeywords(ajv: Ajv): void {
  ajv.addKeyword({ keyword: UNIQUE_ITEMS, type: 'array', schemaType: 'boolean', errors: true, validate: checkUniqueItems });
  ajv.addKeyword({ keyword: STRING_ENUM, schemaType: 'array', errors: true, compile: compileStringEnum });
}

function checkUniqueItems(enabled: boolean, data: unknown[]): boolean {
  if (!enabled) return true;
  const duplicate = findDuplicateItems(data, sha256);
  if (duplicate === undefined) return true;
  const [i, j] = duplicate;
  checkUniqueItems.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`, params: { i, j } }];
  return false;
}
checkUniqueItems.errors = [] as Partial<ErrorObject>[];

function compileStringEnum(values: string[]) {
  const allowed = new Set(values);
  const check = (data: unknown): boolean => {
    if (typeof data === 'string' && allowed.has(data)) return true;
    check.errors = [{ keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: values } }];
    return false;
  };
  check.errors = [] as Partial<ErrorObject>[];
  return check;
}

function isLargeStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > SET_ENUM_ABOVE && value.every((v) => typeof v === 'string');
}

/** Maps of name → sub-schema: the names are data, the values are schemas. */
function mapValues(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rewriteSchema(sub)]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}
