import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { AuditpackError, describeThrown } from '../errors.js';
import { formatSchemaErrors, schemaValidator } from '../util/ajv.js';

/** One citation auditpack knows: the patterns it is written as, what the clause really is, and what the evidence supports instead. */
export interface ClaimEntry {
  id: string;
  patterns: string[];
  claimedAs: string;
  actually: { citation: string; title: string; paraphrase: string; source: string; unverified?: boolean };
  verdict: 'correct' | 'imprecise' | 'wrong' | 'unverifiable';
  reason: string;
  instead: { framework: string; control: string }[];
  examples?: string[];
}

/** claims.yaml: the data behind the citation check (src/engine/claims.ts), shipped beside the catalogs. */
export interface ClaimsData {
  claims: ClaimEntry[];
}

const DATA_URL = new URL('./claims.yaml', import.meta.url);
const PARSED_URL = new URL('./claims.json', import.meta.url);

let cached: ClaimsData | undefined;

/** Reads and validates claims.yaml once per process; a broken file is FRAMEWORK_INVALID naming it. */
export async function loadClaimsData(): Promise<ClaimsData> {
  if (cached) return cached;
  const file = fileURLToPath(DATA_URL);
  let data: unknown;
  try {
    // Parsed ahead by the build (scripts/copy-assets.mjs) when there is the JSON; errors name the YAML.
    data = existsSync(PARSED_URL) ? (JSON.parse(await readFile(PARSED_URL, 'utf8')) as unknown) : parse(await readFile(DATA_URL, 'utf8'));
  } catch (thrown) {
    throw new AuditpackError('FRAMEWORK_INVALID', `cannot read the citation data: ${describeThrown(thrown)}`, { file });
  }
  const validate = schemaValidator<ClaimsData>('claims');
  if (!validate(data)) throw new AuditpackError('FRAMEWORK_INVALID', `invalid citation data:\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`, { file });
  cached = data;
  return data;
}
