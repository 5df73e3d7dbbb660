import { defineConfig } from 'vitest/config';
import { assertSupportedNode } from './test/node-version.js';

assertSupportedNode();

// The third-party Sigstore vectors in ../shared/testdata/external/sigstore/,
// kept apart from `npm test`: they live outside the repository.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-conformance.json' },
  },
});
