// Copies the non-TypeScript assets that the built library reads at run time
// (framework catalogs, JSON Schemas) next to the compiled files in dist/.
import { cpSync, existsSync } from 'node:fs';

for (const [from, to] of [
  ['src/frameworks/catalogs', 'dist/frameworks/catalogs'],
  ['src/report/report.schema.json', 'dist/report/report.schema.json'],
  ['src/frameworks/catalog.schema.json', 'dist/frameworks/catalog.schema.json'],
  ['src/frameworks/claims.yaml', 'dist/frameworks/claims.yaml'],
  ['src/frameworks/claims.schema.json', 'dist/frameworks/claims.schema.json'],
]) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
