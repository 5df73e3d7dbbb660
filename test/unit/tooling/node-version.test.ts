import { describe, expect, it } from 'vitest';
import { assertSupportedNode, atLeast } from '../../node-version.js';

describe('the runtime the tests run on', () => {
  it('compares versions part by part, numerically', () => {
    expect(atLeast('22.22.0', '22.22.0')).toBe(true);
    expect(atLeast('24.21.0', '22.22.0')).toBe(true);
    expect(atLeast('22.100.0', '22.22.0')).toBe(true);
    expect(atLeast('22.21.9', '22.22.0')).toBe(false);
    expect(atLeast('20.20.2', '22.22.0')).toBe(false);
    expect(atLeast('3.0.0', '22.22.0')).toBe(false);
  });

  it("refuses a Node older than package.json's engines, saying how to run the tests", () => {
    expect(() => assertSupportedNode('20.20.2', '>=22.22.0')).toThrow(
      "the tests need Node >=22.22.0 (package.json engines), not 20.20.2: run them with npm test, which uses the repository's pinned Node",
    );
    expect(() => assertSupportedNode('22.22.0', '>=22.22.0')).not.toThrow();
    // This run's own Node and the package's engines: the run would not have started otherwise.
    expect(() => assertSupportedNode()).not.toThrow();
  });
});
