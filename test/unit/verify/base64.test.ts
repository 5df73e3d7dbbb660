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
  it('rejects base64url, characters Node skips, padding inside or too long', () => {
    for (const bad of ['QU-D', 'QU_D', 'QUJ\u00e9', 'QUJ\t', 'QQ=A', 'QQ==QUFB', 'QUFB====', 'Q===', '====', 'QUFB\r\n==']) {
      expect(decodeStrictBase64(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
  it('accepts and rejects exactly what the base64 alphabet with final padding allows, on random text', () => {
    const alphabet = 'QUFBab09+/=-_ \n.\u00e9';
    const strict = /^[A-Za-z0-9+/]*={0,2}$/;
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 4 * (1 + (next() % 4)) }, () => alphabet[next() % alphabet.length]).join('');
      const expected = strict.test(text) ? Buffer.from(text, 'base64') : undefined;
      expect(decodeStrictBase64(text), JSON.stringify(text)).toEqual(expected);
    }
  });
  it('handles a 12 MB payload without overflowing the regex stack', () => {
    const big = Buffer.alloc(9_000_000, 7).toString('base64');
    expect(decodeStrictBase64(big)?.length).toBe(9_000_000);
  });
});
