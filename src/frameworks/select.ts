import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config, EntityProfile } from '../config/schema.js';
import { AuditpackError, describeThrown } from '../errors.js';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalogs, parseCatalog, type Catalog, type EntityType } from './catalog.js';

/** The entity types a profile names, in a fixed order (they appear in the report). */
export function profileTypes(profile: EntityProfile | undefined): EntityType[] {
  if (!profile) return [];
  const types: EntityType[] = [];
  if (profile.financialEntity) types.push('financial-entity');
  if (profile.nis2 === 'essential') types.push('nis2-essential');
  if (profile.nis2 === 'important') types.push('nis2-important');
  if (profile.hdsHost) types.push('hds-host');
  if (profile.manufacturer) types.push('manufacturer');
  if (profile.cardData) types.push('card-data');
  if (profile.usFederalSupplier) types.push('us-federal-supplier');
  return types;
}

/**
 * The catalogs a run maps to: those named in `frameworks`, the built-in ones
 * that bind the entity profile, and the custom catalog files, in that order.
 */
export async function selectCatalogs(config: Config, baseDir: string, configPath?: string): Promise<Catalog[]> {
  const builtIn = await loadBuiltInCatalogs();
  for (const id of config.frameworks ?? []) {
    if (!builtIn.some((c) => c.id === id)) {
      throw new AuditpackError(
        'CONFIG_INVALID',
        `unknown framework '${id}' in frameworks (built in: ${BUILT_IN_FRAMEWORKS.join(', ')})`,
        configPath === undefined ? {} : { file: configPath },
      );
    }
  }
  const types = new Set<EntityType>(profileTypes(config.entity));
  const chosen = builtIn.filter((c) => (config.frameworks ?? []).includes(c.id) || c.appliesTo.some((t) => types.has(t)));
  for (const path of config.catalogs ?? []) {
    const custom = await loadCustomCatalog(baseDir, path);
    if (chosen.some((c) => c.id === custom.id) || builtIn.some((c) => c.id === custom.id)) {
      throw new AuditpackError('FRAMEWORK_INVALID', `catalog id '${custom.id}' is already taken by another catalog`, { file: path });
    }
    chosen.push(custom);
  }
  return chosen;
}

async function loadCustomCatalog(baseDir: string, path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(resolve(baseDir, path), 'utf8');
  } catch (thrown) {
    throw new AuditpackError('FRAMEWORK_INVALID', `cannot read the catalog: ${describeThrown(thrown)}`, { file: path });
  }
  return parseCatalog(text, path);
}
