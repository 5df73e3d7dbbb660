// Copies the non-TypeScript assets that the built library reads at run time
// (framework catalogs, JSON Schemas) next to the compiled files in dist/,
// and writes each shipped YAML data file (the catalogs, the citation data)
// parsed, as JSON beside it: the yaml library took about 0.1 s of every
// run's start to parse them; JSON.parse takes a few milliseconds. The
// loaders still validate what they read.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

for (const [from, to] of [
  ['src/frameworks/catalogs', 'dist/frameworks/catalogs'],
  ['src/report/report.schema.json', 'dist/report/report.schema.json'],
  ['src/frameworks/catalog.schema.json', 'dist/frameworks/catalog.schema.json'],
  ['src/frameworks/claims.yaml', 'dist/frameworks/claims.yaml'],
  ['src/frameworks/claims.schema.json', 'dist/frameworks/claims.schema.json'],
]) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}

for (const file of [...readdirSync('dist/frameworks/catalogs').map((name) => `dist/frameworks/catalogs/${name}`), 'dist/frameworks/claims.yaml']) {
  if (file.endsWith('.yaml')) writeFileSync(file.replace(/\.yaml$/, '.json'), JSON.stringify(parse(readFileSync(file, 'utf8'))));
}
