import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';

/** Every property path the schema allows (`trust.keys.id`): objects by their properties, arrays by their items, alternatives all. */
function schemaPaths(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const schema = node as { properties?: Record<string, unknown>; items?: unknown; oneOf?: unknown[]; anyOf?: unknown[] };
  const own = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => [`${prefix}${key}`, ...schemaPaths(child, `${prefix}${key}.`)]);
  const nested = [schema.items, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].flatMap((child) => schemaPaths(child, prefix));
  return [...new Set([...own, ...nested])].sort();
}

/** Every key path in a parsed YAML example, arrays walked item by item. */
function examplePaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => examplePaths(item, prefix)))].sort();
  if (typeof value !== 'object' || value === null) return [];
  return [...new Set(Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...examplePaths(child, `${prefix}${key}.`)]))].sort();
}

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('\n## Configuration'));
const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

describe('configuration documentation', () => {
  it('the README has a configuration example', () => {
    expect(example.length).toBeGreaterThan(0);
  });

  it('documents every configuration key in the README example', () => {
    const documented = new Set(examplePaths(parse(example)));
    expect(schemaPaths(CONFIG_SCHEMA).filter((path) => !documented.has(path))).toEqual([]);
  });

  it('documents no key the configuration schema does not have', () => {
    const allowed = new Set(schemaPaths(CONFIG_SCHEMA));
    expect(examplePaths(parse(example)).filter((path) => !allowed.has(path))).toEqual([]);
  });
});
