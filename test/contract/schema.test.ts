import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { ENTITY_TYPES } from '../../src/frameworks/catalog.js';
import { CONTROL_STATUSES, EVIDENCE_KINDS, FINDING_STATUSES, SCHEMA_VERSION } from '../../src/report/model.js';
import { makeReport } from '../fixtures/report.js';
import { REPORT_SCHEMA_FILE, reportSchemaText } from '../../scripts/report-schema.ts';

const schema = JSON.parse(await readFile(new URL('../../src/report/report.schema.json', import.meta.url), 'utf8')) as { $id: string };
const validate = compileSchema(schema);

describe('report model contract', () => {
  it('the committed schema is the one generated from src/report/model.ts (run `npm run schema`)', async () => {
    const generated = reportSchemaText();
    const committed = await readFile(REPORT_SCHEMA_FILE, 'utf8');
    // Parsed first for a readable diff of what drifted, then byte for byte.
    expect(JSON.parse(committed)).toEqual(JSON.parse(generated));
    expect(committed).toBe(generated);
  });

  it("the schema carries the constraints of the model's tags", () => {
    const evidence = (schema as unknown as { properties: { evidence: { items: { properties: Record<string, unknown> } } } }).properties.evidence.items
      .properties;
    expect(evidence.sha256).toMatchObject({ type: 'string', pattern: '^[0-9a-f]{64}$' });
    expect(evidence.size).toMatchObject({ type: 'integer', minimum: 0 });
    expect((evidence.dated as { properties: { at: unknown } }).properties.at).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('rejects a report whose evidence id is not a SHA-256', () => {
    const report = makeReport();
    (report.findings[0] as { evidence: string[] }).evidence = ['not-a-digest'];
    expect(validate(report)).toBe(false);
  });

  it('the published schema carries the model version', () => {
    expect(schema.$id).toContain(SCHEMA_VERSION);
  });

  it('the test fixture report validates', () => {
    expect(validate(makeReport()), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('the golden sample report validates', async () => {
    const golden = JSON.parse(await readFile(new URL('../../samples/akko/golden/report.json', import.meta.url), 'utf8'));
    expect(validate(golden), formatSchemaErrors(validate.errors).join('\n')).toBe(true);
  });

  it('rejects a report whose finding or input problem has a code that is not an auditpack error code', () => {
    const report = makeReport();
    (report.findings[0] as { code?: string }).code = 'SOMETHING_ELSE';
    expect(validate(report)).toBe(false);
    const problem = makeReport();
    problem.problems.push({ code: 'NOT_A_CODE' as never, file: 'x', reason: 'y' });
    expect(validate(problem)).toBe(false);
  });

  it('rejects a report with an unknown finding status', () => {
    const report = makeReport();
    (report.findings[0] as { status: string }).status = 'passed';
    expect(validate(report)).toBe(false);
  });
});

describe('one list per vocabulary', () => {
  it('the catalog schema accepts exactly the entity types of ENTITY_TYPES', async () => {
    const catalogSchema = JSON.parse(await readFile(new URL('../../src/frameworks/catalog.schema.json', import.meta.url), 'utf8')) as {
      properties: { appliesTo: { items: { enum: string[] } } };
    };
    expect(catalogSchema.properties.appliesTo.items.enum).toEqual([...ENTITY_TYPES]);
  });

  it('the report schema lists the statuses and evidence kinds of the model lists, in order', () => {
    const props = (
      schema as unknown as { properties: Record<string, { properties?: Record<string, unknown>; items?: { properties: Record<string, { enum?: unknown }> } }> }
    ).properties;
    expect(props.evidence?.items?.properties.kind?.enum).toEqual([...EVIDENCE_KINDS]);
    expect(props.findings?.items?.properties.status?.enum).toEqual([...FINDING_STATUSES]);
    const summary = props.summary?.properties as Record<string, { required: string[] }>;
    expect(summary.controls?.required).toEqual([...CONTROL_STATUSES]);
  });
});
