import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isCheckId, type CheckId } from '../checks/index.js';
import { AuditpackError, describeThrown } from '../errors.js';
import type { Strength } from '../report/model.js';
import type { ValidateFunction } from 'ajv';
import { formatSchemaErrors, schemaValidator } from '../util/ajv.js';
import type { ProfileCondition, ProfileScope } from './conditions.js';

/** The entity types a catalog applies to (`appliesTo`; catalog.schema.json's enum, which a contract test keeps equal) and a profile selects by. */
export const ENTITY_TYPES = [
  'financial-entity',
  'nis2-essential',
  'nis2-important',
  'manufacturer',
  'hds-host',
  'card-data',
  'us-federal-supplier',
  'any',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** One check mapped to a clause: `strength` is the cautious one; `fullWhen` names the profile condition that makes it full. */
export interface CatalogSupport {
  /** A registered check (checked on load). */
  check: CheckId;
  strength: Strength;
  fullWhen?: ProfileCondition;
  reasoning: string;
}

export interface CatalogControl extends ProfileScope {
  id: string;
  citation: string;
  title: string;
  titleFr?: string;
  appliesFrom?: string;
  manualOnly?: boolean;
  paraphrase: string;
  source: string;
  support: CatalogSupport[];
  notCovered: string[];
}

/** A date of application, with where it is stated. */
export interface CatalogDate {
  from: string;
  what: string;
  source: string;
}

export interface Catalog {
  id: string;
  title: string;
  version: string;
  source: string;
  applicability: string;
  appliesTo: EntityType[];
  celex?: string;
  dates?: CatalogDate[];
  controls: CatalogControl[];
}

const CATALOG_DIR = new URL('./catalogs/', import.meta.url);
let validateCatalog: ValidateFunction<Catalog> | undefined;

/** Ids of the catalogs shipped with auditpack. */
export const BUILT_IN_FRAMEWORKS = ['dora', 'nis2', 'hds', 'cra', 'iso27001', 'ssdf', 'slsa', 'pci-dss'] as const;

export async function loadBuiltInCatalog(id: string): Promise<Catalog> {
  if (!(BUILT_IN_FRAMEWORKS as readonly string[]).includes(id)) {
    throw new AuditpackError('FRAMEWORK_INVALID', `unknown framework '${id}' (built in: ${BUILT_IN_FRAMEWORKS.join(', ')})`);
  }
  const url = new URL(`${id}.yaml`, CATALOG_DIR);
  // Parsed ahead by the build (scripts/copy-assets.mjs); errors still name the YAML, the file that is shipped and read.
  const parsed = new URL(`${id}.json`, CATALOG_DIR);
  if (existsSync(parsed)) return validCatalog(JSON.parse(await readFile(parsed, 'utf8')) as unknown, fileURLToPath(url));
  return parseCatalog(await readFile(url, 'utf8'), fileURLToPath(url));
}

/** Every built-in catalog, in BUILT_IN_FRAMEWORKS order. */
export function loadBuiltInCatalogs(): Promise<Catalog[]> {
  return Promise.all(BUILT_IN_FRAMEWORKS.map((id) => loadBuiltInCatalog(id)));
}

/** Parses and validates a catalog; every error names the file and the path inside it. */
export function parseCatalog(text: string, file: string): Catalog {
  let data: unknown;
  try {
    data = parse(text);
  } catch (thrown) {
    throw new AuditpackError('FRAMEWORK_INVALID', `not valid YAML: ${describeThrown(thrown)}`, { file });
  }
  return validCatalog(data, file);
}

/** Validates a catalog's data; every error names the file and the path inside it. */
function validCatalog(data: unknown, file: string): Catalog {
  const validate = catalogValidator();
  if (!validate(data)) {
    throw new AuditpackError('FRAMEWORK_INVALID', `invalid catalog:\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`, { file });
  }
  assertReferencesResolve(data, file);
  return data;
}

function catalogValidator(): ValidateFunction<Catalog> {
  validateCatalog ??= schemaValidator<Catalog>('catalog');
  return validateCatalog;
}

function assertReferencesResolve(catalog: Catalog, file: string): void {
  const ids = new Set<string>();
  catalog.controls.forEach((control, index) => {
    if (ids.has(control.id)) throw new AuditpackError('FRAMEWORK_INVALID', `/controls/${index}/id: '${control.id}' is used twice`, { file });
    ids.add(control.id);
    if (control.support.length === 0 && control.manualOnly !== true) {
      throw new AuditpackError('FRAMEWORK_INVALID', `/controls/${index}: '${control.id}' has no supporting check and is not marked manualOnly`, { file });
    }
    control.support.forEach((s, j) => {
      // The schema only says it is a string: this is where it becomes a CheckId.
      const check: string = s.check;
      if (!isCheckId(check)) throw new AuditpackError('FRAMEWORK_INVALID', `/controls/${index}/support/${j}/check: no check '${check}'`, { file });
    });
  });
}
