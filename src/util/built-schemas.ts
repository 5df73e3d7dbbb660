/**
 * The JSON Schemas auditpack validates its own inputs with (configuration,
 * trusted roots, waivers, framework catalogs, citation data), by name.
 * scripts/build-validators.mjs compiles each ahead into dist/validators/
 * (util/ajv.ts, `schemaValidator`); running from the sources, each is
 * compiled when first used.
 */
import { readFileSync } from 'node:fs';
import { CONFIG_SCHEMA } from '../config/schema.js';
import { TRUSTED_ROOT_SCHEMA } from '../trust/trusted-root-schema.js';
import { WAIVER_FILE_SCHEMA } from '../waivers/schema.js';

const schemaFile = (path: string) => (): object => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as object;

export const BUILT_SCHEMAS = {
  config: () => CONFIG_SCHEMA,
  'trusted-root': () => TRUSTED_ROOT_SCHEMA,
  waivers: () => WAIVER_FILE_SCHEMA,
  catalog: schemaFile('../frameworks/catalog.schema.json'),
  claims: schemaFile('../frameworks/claims.schema.json'),
} as const satisfies Record<string, () => object>;

export type BuiltSchemaName = keyof typeof BUILT_SCHEMAS;
