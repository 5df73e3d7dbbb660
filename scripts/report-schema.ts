/**
 * The published JSON Schema of the report, generated from the report model
 * (src/report/model.ts) by ts-json-schema-generator: the types are the one
 * source, their TSDoc comments become descriptions and their `@pattern`,
 * `@format`, `@asType` and `@minimum` tags become constraints.
 *
 *   npm run schema    writes src/report/report.schema.json
 *
 * test/contract/schema.test.ts fails when the committed file is not
 * what this generates.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const REPORT_SCHEMA_FILE = root('src/report/report.schema.json');

/** The schema as committed: the generator's output with the id, title and version of the model. */
export function generateReportSchema(): Record<string, unknown> {
  const { $schema, definitions, ...schema } = createGenerator({
    path: root('src/report/model.ts'),
    tsconfig: root('tsconfig.json'),
    type: 'Report',
    // Inline every type: one self-contained tree, readable top-down like the model.
    expose: 'none',
    topRef: false,
    jsDoc: 'extended',
    // `additionalProperties: false` on every object: a report with an unknown field is not this version's.
    additionalProperties: false,
    // `npm run typecheck` checks the model; the generator only reads it.
    skipTypeCheck: true,
  }).createSchema('Report');
  if (Object.keys(definitions ?? {}).length > 0) throw new Error('report schema: expected every type inlined');
  const schemaVersion = schema.properties?.schemaVersion;
  const version = typeof schemaVersion === 'object' ? schemaVersion.const : undefined;
  if (typeof version !== 'string') throw new Error('report schema: Report.schemaVersion must be a string constant');
  return { $schema, $id: `https://auditpack.dev/schema/report-${version}.json`, title: 'auditpack report', ...schema };
}

/** The file's exact bytes: two-space JSON and a final newline. */
export function reportSchemaText(): string {
  return `${JSON.stringify(generateReportSchema(), null, 2)}\n`;
}

if (import.meta.main) writeFileSync(REPORT_SCHEMA_FILE, reportSchemaText());
