import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeThrown } from '../../../src/errors.js';

describe('describeThrown: one short line a user reads after a file name', () => {
  it("names a file error's code once, though Node's message already starts with it", async () => {
    const thrown = await readFile('/nonexistent/auditpack.yaml').catch((e: unknown) => e);
    expect(describeThrown(thrown)).toBe("ENOENT: no such file or directory, open '/nonexistent/auditpack.yaml'");
  });

  it('puts the code in front of a message that does not carry it', () => {
    expect(describeThrown(Object.assign(new Error('the answer stalled'), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT: the answer stalled');
  });

  it("keeps the YAML parser's first line without the colon that introduced its excerpt", () => {
    const [error] = parseDocument('organisation: [\n').errors;
    const reason = describeThrown(error);
    expect(reason).toMatch(/^[A-Z_]+: .*line 2, column 1$/);
    expect(reason).not.toContain('\n');
  });

  it("falls back to the error's name when its message is empty, and to the text of anything else thrown", () => {
    expect(describeThrown(new TypeError(''))).toBe('TypeError');
    expect(describeThrown('plain text')).toBe('plain text');
  });
});
