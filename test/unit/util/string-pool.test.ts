import { describe, expect, it } from 'vitest';
import { StringPool } from '../../../src/util/string-pool.js';

/** An outcome as a worker thread's message delivers it: plain objects and arrays, nested. */
function outcome(image: string) {
  return {
    findings: [
      {
        checkId: 'signature.verified',
        subject: image,
        status: 'pass',
        details: { format: 'legacy cosign signature', source: `evidence/${image}/signature.jsonl` },
      },
      { checkId: 'sbom.valid', subject: image, status: 'fail', details: { format: 'CycloneDX 1.6', issues: ['duplicate bom-ref', 'duplicate bom-ref'] } },
    ],
    dates: [{ evidence: `evidence/${image}/signature.jsonl`, at: '2026-06-30T10:00:00Z' }],
    custody: undefined,
    count: 2,
  };
}

describe('StringPool', () => {
  it('leaves every value as it was, in the same objects, and counts each distinct string once', () => {
    const pool = new StringPool();
    const first = outcome('api-0001');
    const second = outcome('api-0002');
    const [before1, before2] = [structuredClone(first), structuredClone(second)];
    const inner = second.findings[1]?.details;
    expect(pool.intern(first)).toBe(first);
    expect(pool.intern(second)).toBe(second);
    expect(first).toEqual(before1);
    expect(second).toEqual(before2);
    expect(second.findings[1]?.details).toBe(inner);
    // Shared by both: 'signature.verified', 'pass', 'legacy cosign signature', 'sbom.valid', 'fail', 'CycloneDX 1.6',
    // 'duplicate bom-ref', '2026-06-30T10:00:00Z'; per image: its name and its source path.
    expect(pool.size).toBe(8 + 2 * 2);
  });

  it('walks objects without a prototype and arrays nested in arrays, and leaves Maps, Sets, class instances and byte arrays alone', () => {
    const pool = new StringPool();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { kind: 'a' });
    class Holder {
      text = 'c';
    }
    const value = {
      bare,
      nested: [[['b']]],
      map: new Map([['d', 'e']]),
      set: new Set(['f']),
      holder: new Holder(),
      bytes: new Uint8Array([1, 2]),
    };
    pool.intern(value);
    expect(pool.size).toBe(2);
    expect(value.map.get('d')).toBe('e');
    expect([...value.set]).toEqual(['f']);
    expect(value.holder.text).toBe('c');
    expect([...value.bytes]).toEqual([1, 2]);
  });

  it('keeps strings over 1,024 characters out of the pool (rarely repeated, each a hash of its whole text)', () => {
    const pool = new StringPool();
    const long = 'x'.repeat(1025);
    const value = { long, short: 'x'.repeat(1024) };
    pool.intern(value);
    expect(pool.size).toBe(1);
    expect(value.long).toBe(long);
  });

  it('keeps an own "__proto__" key (from evidence parsed as JSON, then cloned) a plain property, never a prototype', () => {
    const pool = new StringPool();
    const value = structuredClone(JSON.parse('{"details": {"__proto__": "x", "name": "y"}}') as { details: Record<string, unknown> });
    pool.intern(value);
    expect(Object.getPrototypeOf(value.details)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value.details, '__proto__')?.value).toBe('x');
    expect(pool.size).toBe(2);
  });

  it('interns a structure deeper than the call stack allows without overflowing it', () => {
    const pool = new StringPool();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(() => pool.intern(deep)).not.toThrow();
    expect(pool.size).toBe(1);
  });
});
