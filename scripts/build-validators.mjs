// Compiles every JSON Schema auditpack validates with into a module of
// Ajv's standalone code, so that no run pays Ajv's compilation: each bundled
// CycloneDX schema into dist/sbom/validators/ (src/sbom/schemas.ts,
// `builtValidatorSource`: 0.3 to 0.5 s a schema, in every image thread), and
