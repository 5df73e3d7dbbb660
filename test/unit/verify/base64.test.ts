import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from '../../../src/verify/base64.js';

describe('decodeStrictBase64', () => {
  it('decodes padded base64', () => {
    expect(decodeStrictBase64('aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeStrictBase64('aGk=')?.toString()).toBe('hi');
  });
  it('rejects text Node would silently half-decode', () => {
    for (const bad of ['Invalid base64 signature', 'aGVsbG8', 'aGVs bG8=', 'aGVsbG8=\n', '=aGVsbG8', 'aG=sbG8=', '']) {
      expect(decodeStrictBase64(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
  it('handles a 12 MB payload without overflowing the regex stack', () => {
    const big = Buffer.alloc(9_000_000, 7).toString('base64');
    expect(decodeStrictBase64(big)?.length).toBe(9_000_000);
  });
});
