import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileSchema, formatSchemaErrors } from '../../src/util/ajv.js';
import { SCHEMA_VERSION } from '../../src/report/model.js';
import { makeReport } from '../fixtures/report.js';

const schema = JSON.parse(await readFile(new URL('../../src/report/report.schema.json', import.meta.url), 'utf8')) as { $id: string };
const validate = compileSchema(schema);

describe('report model contract', () => {
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
