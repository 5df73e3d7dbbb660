/**
 * What the CycloneDX validators call while they validate, in a module of its
 * own. A validator compiled at run time takes these by reference; one
 * compiled at build time (scripts/build-validators.mjs, into
 * dist/sbom/validators/) imports this module as RUNTIME_NAME and names them
 * through it, so both run the same functions.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorObject, Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { findDuplicateItems } from './unique-items.js';

/** The name under which a validator built ahead imports this module (schemas.ts, `builtValidatorSource`). */
export const RUNTIME_NAME = 'auditpackSchemaRuntime';

const require = createRequire(import.meta.url);

/**
 * Every format the validators know, under the names the schemas use: what
 * ajv-formats and ajv-formats-draft2019 register (schemas.ts), and
 * `iri-reference` accepted as the CycloneDX library accepts it. A validator
 * built ahead looks formats up here.
 */
export const formats: Record<string, Format> = {
  ...fullFormats,
  'idn-email': (require('ajv-formats-draft2019/formats') as Record<string, Format>)['idn-email'] as Format,
  'iri-reference': true,
};

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

/** Ajv's regExp hook; `code` is how a validator built ahead names it. */
export const patternEngine = Object.assign((pattern: string, flags: string) => new RegExp(EQUIVALENT_PATTERNS[pattern] ?? pattern, flags), {
  code: `${RUNTIME_NAME}.patternEngine`,
});

/**
 * `uniqueItems: true` in linear time: null when every item differs, else the
 * error Ajv's own keyword reports (its keyword, message and params).
 */
export function uniqueItemsErrors(items: unknown[]): Partial<ErrorObject>[] | null {
  const duplicate = findDuplicateItems(items, sha256);
  if (duplicate === undefined) return null;
  const [i, j] = duplicate;
  return [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`, params: { i, j } }];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}
