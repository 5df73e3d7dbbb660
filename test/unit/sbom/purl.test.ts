import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { readPurl } from '../../../src/sbom/purl.js';

describe('readPurl (one reading per distinct package URL)', () => {
  it('gives the type of a valid purl and the reason of the parser for an invalid one, the same the first time and every time after', () => {
    const cases = [
      'pkg:npm/%40scope/name@1.0.0',
      'pkg:deb/debian/base-passwd@3.6.1?arch=amd64',
      'pkg:maven/org.example/lib@2',
      'not a purl',
      'pkg:',
      'pkg:npm/',
    ];
    for (const purl of cases) {
      let expected: ReturnType<typeof readPurl>;
      try {
        expected = { ok: true, type: PackageURL.fromString(purl).type };
      } catch (thrown) {
        expected = { ok: false, problem: (thrown as Error).message };
      }
      expect(readPurl(purl), purl).toEqual(expected);
      expect(readPurl(purl), purl).toEqual(expected);
    }
  });

  it('keeps answering correctly past the limit of the memo (it is emptied, never wrong)', () => {
    for (let i = 0; i < 60_000; i++) expect(readPurl(`pkg:npm/p${i}@1`).ok).toBe(true);
    expect(readPurl('pkg:npm/p0@1')).toEqual({ ok: true, type: 'npm' });
    expect(readPurl('not a purl').ok).toBe(false);
  });
});
