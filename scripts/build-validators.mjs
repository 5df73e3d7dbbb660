// Compiles every JSON Schema auditpack validates with into a module of
// Ajv's standalone code, so that no run pays Ajv's compilation: each bundled
// CycloneDX schema into dist/sbom/validators/ (src/sbom/schemas.ts,
// `builtValidatorSource`: 0.3 to 0.5 s a schema, in every image thread), and
// auditpack's own schemas into dist/validators/ (src/util/ajv.ts,
// `builtSchemaSource`: the trusted root's 0.2 s in every image thread, the
// configuration's and the catalogs' in the command thread's start). Runs
// after tsc, from the compiled dist/; without these files (running from the
// sources) each schema is compiled when first used, to the same validator.
import { mkdirSync, writeFileSync } from 'node:fs';

const { BUILT_DIR, builtValidatorFile, builtValidatorSource, schemaVersions } = await import('../dist/sbom/schemas.js');
const dir = new URL(`../dist/sbom/${BUILT_DIR}`, import.meta.url);
mkdirSync(dir, { recursive: true });
for (const version of schemaVersions()) writeFileSync(new URL(builtValidatorFile(version), dir), builtValidatorSource(version));

// auditpack's own schemas (configuration, trusted roots, waivers, catalogs, citation data): src/util/built-schemas.ts.
const { BUILT_VALIDATORS, builtSchemaSource } = await import('../dist/util/ajv.js');
const { BUILT_SCHEMAS } = await import('../dist/util/built-schemas.js');
const own = new URL(BUILT_VALIDATORS, new URL('../dist/util/', import.meta.url));
mkdirSync(own, { recursive: true });
for (const name of Object.keys(BUILT_SCHEMAS)) writeFileSync(new URL(`${name}.cjs`, own), builtSchemaSource(name));
