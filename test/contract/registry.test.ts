import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } from '../../src/frameworks/catalog.js';

const CHECKS_DIR = new URL('../../src/checks/', import.meta.url);

const isCheck = (value: unknown): value is Check =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Check).id === 'string' &&
  typeof (value as Check).title === 'string' &&
  typeof (value as Check).description === 'string' &&
  typeof (value as Check).run === 'function';

/** Every check object exported by any file of src/checks/, found by what it is rather than by a list of names. */
const exported = await Promise.all(
  readdirSync(CHECKS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map(async (file) => ({ file, checks: Object.values((await import(new URL(file, CHECKS_DIR).href)) as Record<string, unknown>).filter(isCheck) })),
);
const checkFiles = exported.filter((e) => e.checks.length > 0 && e.file !== 'index.ts');

describe('check registry', () => {
  it('has unique ids', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('registers exactly the checks that the check files export', () => {
    const fromFiles = new Set(checkFiles.flatMap((e) => e.checks));
    expect(new Set(CHECKS)).toEqual(fromFiles);
  });

  it('keeps one check per file, named after its id, with its own unit test', () => {
    for (const { file, checks } of checkFiles) {
      expect(checks, file).toHaveLength(1);
      expect(file).toBe(`${checks[0]?.id.replace('.', '-')}.ts`);
      expect(existsSync(new URL(`../unit/checks/${file.replace(/\.ts$/, '.test.ts')}`, import.meta.url)), `test/unit/checks/${file}`).toBe(true);
    }
  });

  it('documents every registered check, and only those, in the README checks table', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## The checks'), readme.indexOf('\n## ', readme.indexOf('## The checks') + 1));
    const documented = [...section.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(CHECKS.map((c) => c.id));
  });
});

describe('built-in catalogs', () => {
  it.each(BUILT_IN_FRAMEWORKS)('%s loads, validates and references only registered checks', async (id) => {
    const catalog = await loadBuiltInCatalog(id);
    expect(catalog.id).toBe(id);
    for (const control of catalog.controls) {
      // Each control has at least one check, or is marked manual-only (then it has none).
      if (control.manualOnly === true) expect(control.support, control.id).toEqual([]);
      else expect(control.support.length, control.id).toBeGreaterThan(0);
      for (const { check } of control.support)
        expect(
          CHECKS.map((c) => c.id),
          `${control.id} cites ${check}`,
        ).toContain(check);
      expect(control.notCovered.length, `${control.id} must say what the evidence cannot cover`).toBeGreaterThan(0);
      expect(control.source, control.id).toMatch(/^https:\/\//);
      expect(`${control.paraphrase} ${control.title}`, control.id).not.toMatch(/\bsatisf(y|ies|ied)\b/i);
    }
  });
});
