/**
 * The shipped YAML data files (the built-in catalogs, the citation data)
 * parsed ahead by the build into JSON beside them in dist/
 * (scripts/copy-assets.mjs; `npm test` builds first): each is exactly what
 * the yaml library reads from the source file, and the built loaders give
 * what the sources' loaders give from the YAML.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } from '../../../src/frameworks/catalog.js';
import { loadClaimsData } from '../../../src/frameworks/claims.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const built = async <T>(path: string) => (await import(new URL(`../../../dist/${path}`, import.meta.url).href)) as T;

describe('the YAML data parsed ahead by the build', () => {
  it.each([...BUILT_IN_FRAMEWORKS])('catalog %s: the JSON is the YAML, and the built loader reads the same catalog', async (id) => {
    expect(JSON.parse(read(`dist/frameworks/catalogs/${id}.json`))).toEqual(parse(read(`src/frameworks/catalogs/${id}.yaml`)));
    const { loadBuiltInCatalog: loadBuilt } = await built<typeof import('../../../src/frameworks/catalog.js')>('frameworks/catalog.js');
    expect(await loadBuilt(id)).toEqual(await loadBuiltInCatalog(id));
  });

  it('claims: the JSON is the YAML, and the built loader reads the same citation data', async () => {
    expect(JSON.parse(read('dist/frameworks/claims.json'))).toEqual(parse(read('src/frameworks/claims.yaml')));
    const { loadClaimsData: loadBuilt } = await built<typeof import('../../../src/frameworks/claims.js')>('frameworks/claims.js');
    expect(await loadBuilt()).toEqual(await loadClaimsData());
  });
});
