import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonChunks, renderJson } from '../../../src/render/json.js';
import type { Report } from '../../../src/report/model.js';

const GOLDEN = new URL('../../../samples/akko/golden/report.json', import.meta.url);
const stringified = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const streamed = (value: unknown, depth?: number) => [...jsonChunks(value, depth)].join('');

describe('report.json written piece by piece', () => {
  it('is byte for byte the golden report.json, read and written again', () => {
    const text = readFileSync(GOLDEN, 'utf8');
    const report = JSON.parse(text) as Report;
    expect(streamed(report)).toBe(text);
    expect(renderJson(report).toString('utf8')).toBe(text);
  });

  it('writes the outer arrays member by member: no piece holds a whole findings list', () => {
    const report = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Report;
    const longest = Math.max(...[...jsonChunks(report)].map((c) => c.length));
    expect(longest).toBeLessThan(stringified(report.findings).length / 4);
  });

  it('matches JSON.stringify on every shape: empty containers, undefined and functions, toJSON, unicode, quotes and newlines in strings, at any depth', () => {
    const shapes: unknown[] = [
      {},
      [],
      null,
      'plain',
      42,
      { a: [], b: {}, c: [[]], d: [{}], e: { f: { g: { h: { i: [1, { j: [] }] } } } } },
      { skipped: undefined, fn: () => 1, kept: 1, sym: Symbol('s') },
      { onlyUndefined: undefined },
      [undefined, () => 1, 2, null],
      { when: new Date('2026-07-01T08:00:00Z'), nested: [{ when: new Date(0) }] },
      { text: 'line one\nline "two"\t\u00e9\u4e2d\ud83d\ude00 \u2028', nan: Number.NaN, inf: Infinity, neg: -0 },
      [[['deep', ['deeper', ['deepest', { x: [1, 2, [3, [4]]] }]]]]],
    ];
    for (const shape of shapes) for (const depth of [0, 1, 2, 3, 6]) expect(streamed(shape, depth), JSON.stringify(shape)).toBe(stringified(shape));
  });
});
