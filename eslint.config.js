// ESLint: typescript-eslint's type-checked recommended rules over src, test and
// scripts, plus the stage boundaries of eslint.boundaries.js. Formatting is
// Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { stageBoundaries } from './eslint.boundaries.js';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'samples/', 'out/', '.scratch-*/'] },
  {
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program for src, test, scripts and the vitest configs: the same one `npm run typecheck` checks.
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `const { dropped: _dropped, ...rest } = x` is how the tests remove a field.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // The code already separates type imports; keep it so (they vanish under type stripping).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A caught value passed on unchanged to a promise's reject keeps its cause; wrapping it would not help.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Evidence is hostile: the renderers strip control characters on purpose, with regexes that name them.
      'no-control-regex': 'off',
    },
  },
  {
    // The library never prints: the CLI decides what the user sees (src/cli/io.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Tests build hostile inputs by parsing real fixtures and tampering with them
    // (`JSON.parse(...)` then editing a field); typing each such edit would hide
    // the attack in casts. The no-unsafe-* rules stay on everywhere else.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...stageBoundaries(),
);
