import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { AuditpackError, describeThrown } from '../errors.js';
import type { WaiverRecord } from '../report/model.js';
import type { ValidateFunction } from 'ajv';
import { formatSchemaErrors, schemaValidator } from '../util/ajv.js';

/** A waiver as written in the waiver file: the report's record without what the run derives. */
export type Waiver = Omit<WaiverRecord, 'inForce' | 'expired' | 'covers'>;

let validateWaiverFile: ValidateFunction<{ waivers: Waiver[] }> | undefined;

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
  validateWaiverFile ??= schemaValidator<{ waivers: Waiver[] }>('waivers');
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
