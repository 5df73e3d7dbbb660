import { isRecord } from '../util/wire.js';
import { describeThrown } from '../errors.js';
import { integrityIssues } from './integrity.js';
import { formatIssue, schemaIssues, type SbomIssue } from './schema-errors.js';
import { checkSchema, loadBuiltValidator, schemaVersions } from './schemas.js';

export type { SbomIssue } from './schema-errors.js';

export type SbomValidation =
  | { status: 'valid'; specVersion: string; components: number }
  | {
      status: 'invalid';
      specVersion: string;
      /** The first `maxIssues` issues as `path: message` lines. */
      errors: string[];
      /** The same issues, structured. */
      issues: SbomIssue[];
      /** How many issues there are in all (errors and issues are cut at maxIssues). */
      issueCount: number;
      /** True when the JSON schema passed and only auditpack's own checks failed. */
      schemaValid: boolean;
    }
  | { status: 'could-not-validate'; reason: string };

export interface ValidateOptions {
  /** How many issues to keep (default 10). */
  maxIssues?: number;
}

/**
 * Validates a parsed CycloneDX JSON document in linear time: the JSON schema
 * of the document's own specVersion, as bundled with
 * @cyclonedx/cyclonedx-library (agreeing with its JsonStrictValidator, see
 * test/conformance/cyclonedx.test.ts), then the rules the schema cannot
 * express (integrity.ts). Never "valid" when something could not be checked.
 */
export async function validateCycloneDx(document: unknown, options: ValidateOptions = {}): Promise<SbomValidation> {
  await loadBuiltValidator(specVersionOf(document));
  return validateNow(document, options.maxIssues ?? 10);
}

/** The document's `specVersion` as text ('' when absent or not a string or number: never `[object Object]`). */
export function specVersionOf(document: unknown): string {
  const version = isRecord(document) ? document.specVersion : undefined;
  return typeof version === 'string' || typeof version === 'number' ? String(version) : '';
}

function validateNow(document: unknown, maxIssues: number): SbomValidation {
  if (!isRecord(document)) return invalid('', [{ path: '', rule: 'schema', message: 'the SBOM is not a JSON object' }], false, maxIssues);
  if (typeof document.spdxVersion === 'string') {
    return { status: 'could-not-validate', reason: `SPDX document (${document.spdxVersion}): SPDX, not validated; auditpack validates CycloneDX only` };
  }
  if (document.bomFormat !== 'CycloneDX') {
    const message = `bomFormat is '${String(document.bomFormat)}', not CycloneDX`;
    return invalid(specVersionOf(document), [{ path: '/bomFormat', rule: 'schema', message }], false, maxIssues);
  }
  const specVersion = specVersionOf(document);
  if (!schemaVersions().includes(specVersion)) {
    return { status: 'could-not-validate', reason: `specVersion '${specVersion}' is not supported (${schemaVersions().join(', ')} are)` };
  }
  try {
    const schema = schemaIssues(checkSchema(document, specVersion));
    const issues = [...schema, ...integrityIssues(document)];
    if (issues.length === 0) return { status: 'valid', specVersion, components: Array.isArray(document.components) ? document.components.length : 0 };
    return invalid(specVersion, issues, schema.length === 0, maxIssues);
  } catch (thrown) {
    // Ajv validates nested components by recursion: a document nested
    // thousands deep overflows the stack. That is a result, not a crash.
    const reason =
      thrown instanceof RangeError && /call stack/i.test(thrown.message)
        ? 'the document is nested too deeply to validate (stack overflow in the schema validator)'
        : `the validator failed: ${describeThrown(thrown)}`;
    return { status: 'could-not-validate', reason };
  }
}

function invalid(specVersion: string, issues: SbomIssue[], schemaValid: boolean, maxIssues: number): SbomValidation {
  const kept = issues.slice(0, Math.max(1, maxIssues));
  return { status: 'invalid', specVersion, errors: kept.map(formatIssue), issues: kept, issueCount: issues.length, schemaValid };
}
