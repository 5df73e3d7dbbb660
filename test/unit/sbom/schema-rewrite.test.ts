import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rewriteSchema } from '../../../src/sbom/schema-rewrite.js';
import { EQUIVALENT_PATTERNS } from '../../../src/sbom/schema-runtime.js';
import { checkSchema } from '../../../src/sbom/schemas.js';
import { canonicalJson, deepEqual, findDuplicateItems } from '../../../src/sbom/unique-items.js';
import { sbom } from './fixtures.js';

const hash = (text: string) => createHash('sha256').update(text).digest('base64');

/** A tiny deterministic PRNG so the random cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function naiveDuplicate(items: unknown[]): boolean {
  for (let j = 1; j < items.length; j += 1) for (let i = 0; i < j; i += 1) if (deepEqual(items[i], items[j])) return true;
  return false;
}

describe('equivalent patterns', () => {
  it.each(Object.entries(EQUIVALENT_PATTERNS))('%s accepts exactly the same strings as its replacement', (original, replacement) => {
    const a = new RegExp(original, 'u');
    const b = new RegExp(replacement, 'u');
    for (let length = 0; length <= 200; length += 1) {
      for (const text of [
        'a'.repeat(length),
        'F'.repeat(length),
        `${'0'.repeat(Math.max(0, length - 1))}g`,
        `${'9'.repeat(length)}\n`,
        ` ${'b'.repeat(length)}`,
      ]) {
        expect(b.test(text), `${JSON.stringify(text)}`).toBe(a.test(text));
      }
    }
  });
});

describe('linear uniqueItems', () => {
  it('agrees with pairwise deep equality on random arrays, key order permuted', () => {
    const next = random(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] as T;
    for (let round = 0; round < 300; round += 1) {
      const items = Array.from({ length: 1 + Math.floor(next() * 20) }, () => {
        const value = pick<unknown>([
          1,
          '1',
          true,
          null,
          { a: 1 },
          { a: 1, b: [1, 2] },
          { b: [1, 2], a: 1 },
          [1, 2],
          [2, 1],
          { name: 'x', version: '1' },
          { version: '1', name: 'x' },
          { name: 'x', version: '2' },
        ]);
        return JSON.parse(JSON.stringify(value)) as unknown;
      });
      expect(findDuplicateItems(items, hash) !== undefined, JSON.stringify(items)).toBe(naiveDuplicate(items));
    }
  });

  // How fast (linear where Ajv's own check is quadratic) is measured by bench/sbom.mjs, on 20,000 components.
  it('finds the one duplicate among 20,000 components, naming both', () => {
    const components: Record<string, unknown>[] = (sbom(20_000).components as Record<string, unknown>[]).map((c) => ({ ...c, description: 'x'.repeat(300) }));
    components.push({ ...components[12_345] });
    expect(findDuplicateItems(components, hash)).toEqual([12_345, 20_000]);
  });

  it('compares buckets of look-alike items in full (same signature, different content)', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ nested: { value: i % 49 } }));
    expect(findDuplicateItems(items, hash)).toEqual([0, 49]);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
  });
});

describe('rewriteSchema', () => {
  it('replaces uniqueItems and large string enums, and leaves names under properties alone', () => {
    const big = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const schema = {
      properties: { uniqueItems: { type: 'array', uniqueItems: true }, enum: { enum: big }, small: { enum: ['a', 'b'] } },
      items: { uniqueItems: false },
      const: { uniqueItems: true },
    };
    expect(rewriteSchema(schema)).toEqual({
      properties: { uniqueItems: { type: 'array', auditpackUniqueItems: true }, enum: { auditpackStringEnum: big }, small: { enum: ['a', 'b'] } },
      items: {},
      const: { uniqueItems: true },
    });
  });

  it("reports the rewritten keywords under their original names, with Ajv's params", () => {
    const d = sbom(2) as Record<string, unknown> & { components: Record<string, unknown>[] };
    d.components.push({ ...d.components[0] });
    d.components[1]!.licenses = [{ license: { id: 'NOPE' } }];
    const errors = checkSchema(d, '1.5');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'uniqueItems', instancePath: '/components', params: { i: 0, j: 2 } }),
        expect.objectContaining({
          keyword: 'enum',
          instancePath: '/components/1/licenses/0/license/id',
          message: 'must be equal to one of the allowed values',
        }),
      ]),
    );
  });
});
