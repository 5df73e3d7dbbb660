import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { BUILT_IN_FRAMEWORKS, loadBuiltInCatalog } from '../../src/frameworks/catalog.js';

const checkFiles = readdirSync(new URL('../../src/checks/', import.meta.url)).filter(
  (f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'analysis.ts', 'missing.ts', 'dates.ts'].includes(f),
);

describe('check registry', () => {
  it('has unique ids', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('registers every check file, and every check file has its own unit test', () => {
    expect(checkFiles.length).toBe(CHECKS.length);
    for (const file of checkFiles) {
      expect(existsSync(new URL(`../unit/checks/${file.replace(/\.ts$/, '.test.ts')}`, import.meta.url)), file).toBe(true);
    }
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
      expect(control.notCovered.length, `${control.id} must say what the evidence cannot cover`).toBeGreaterThan(0);
      expect(control.source, control.id).toMatch(/^https:\/\//);
      expect(`${control.paraphrase} ${control.title}`, control.id).not.toMatch(/\bsatisf(y|ies|ied)\b/i);
    }
  });
});
