import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { AuditpackError, describeThrown } from '../errors.js';
import type { WaiverRecord } from '../report/model.js';
import { compileSchema, formatSchemaErrors } from '../util/ajv.js';

/** A waiver as written in the waiver file: the report's record without what the run derives. */
export type Waiver = Omit<WaiverRecord, 'inForce' | 'expired' | 'covers'>;

const WAIVER_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['waivers'],
  properties: {
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'scope', 'justification', 'approver', 'ticket', 'start', 'expires'],
        properties: {
          id: { type: 'string', minLength: 1 },
          scope: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              image: { type: 'string', minLength: 1 },
              digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
              check: { type: 'string', minLength: 1 },
              control: { type: 'string', pattern: '^[a-z0-9-]+/[a-z0-9.-]+$' },
            },
          },
          justification: { type: 'string', minLength: 1 },
          approver: { type: 'string', minLength: 1 },
          ticket: { type: 'string', minLength: 1 },
          start: { type: 'string', format: 'date' },
          expires: { type: 'string', format: 'date' },
        },
      },
    },
  },
} as const;

const validateWaiverFile = compileSchema<{ waivers: Waiver[] }>(WAIVER_FILE_SCHEMA);

/** Reads the waiver file; every error names the file and the path in it. A bad waiver file stops the run. */
export async function loadWaivers(baseDir: string, path: string): Promise<{ waivers: Waiver[]; bytes: Buffer; source: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(baseDir, path));
  } catch (thrown) {
    throw new AuditpackError('CONFIG_INVALID', `cannot read the waiver file: ${describeThrown(thrown)}`, { file: path, cause: thrown });
  }
  let data: unknown;
  try {
    data = parse(bytes.toString('utf8'));
  } catch (thrown) {
    throw new AuditpackError('CONFIG_INVALID', `not valid YAML: ${describeThrown(thrown)}`, { file: path });
  }
  if (!validateWaiverFile(data)) {
    throw new AuditpackError('CONFIG_INVALID', `invalid waiver file:\n  ${formatSchemaErrors(validateWaiverFile.errors).join('\n  ')}`, { file: path });
  }
  const ids = new Set<string>();
  for (const w of data.waivers) {
    if (ids.has(w.id)) throw new AuditpackError('CONFIG_INVALID', `waiver id '${w.id}' is used twice`, { file: path });
    if (w.expires < w.start) throw new AuditpackError('CONFIG_INVALID', `waiver '${w.id}' expires before it starts`, { file: path });
    ids.add(w.id);
  }
  return { waivers: data.waivers, bytes, source: path };
}
