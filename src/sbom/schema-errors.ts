import type { ErrorObject } from 'ajv';

/** One problem found in an SBOM, located by a JSON pointer ('' = the whole document). */
export interface SbomIssue {
  path: string;
  /** `schema` for JSON-schema errors; otherwise which of auditpack's own checks found it. */
  rule: 'schema' | 'duplicate-bom-ref' | 'unknown-dependency-ref' | 'malformed-purl' | 'invalid-licence-expression';
  message: string;
}

/** Enum values shown in a message; the SPDX licence enum alone has ~700. */
const SHOWN_ALLOWED_VALUES = 8;
const BRANCHING = new Set(['oneOf', 'anyOf']);

/**
 * Readable schema issues from Ajv's `allErrors` output. A failed `oneOf`
 * reports every branch's errors before its own (three errors for one wrong
 * licence); those are collapsed into the `oneOf` issue, which names the
 * deepest branch error as the likely cause.
 */
export function schemaIssues(errors: readonly ErrorObject[]): SbomIssue[] {
  const issues: { error: ErrorObject; cause?: ErrorObject }[] = [];
  for (const error of errors) {
    if (!BRANCHING.has(error.keyword)) {
      issues.push({ error });
      continue;
    }
    const branchErrors: ErrorObject[] = [];
    while (issues.length > 0 && isWithin((issues[issues.length - 1] as { error: ErrorObject }).error.instancePath, error.instancePath)) {
      const popped = issues.pop() as { error: ErrorObject; cause?: ErrorObject };
      branchErrors.push(popped.cause ?? popped.error);
    }
    const cause = deepest(branchErrors);
    issues.push(cause === undefined ? { error } : { error, cause });
  }
  return issues.map(({ error, cause }) => ({
    path: error.instancePath,
    rule: 'schema',
    message:
      cause === undefined ? describeError(error) : `${describeError(error)}; closest: ${at(cause.instancePath, error.instancePath)}${describeError(cause)}`,
  }));
}

/** `path: message`, the one-line form used in findings and the CLI. */
export function formatIssue(issue: SbomIssue): string {
  return `${issue.path === '' ? '/' : issue.path}: ${issue.message}`;
}

function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function deepest(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const e of errors) if (best === undefined || depth(e.instancePath) > depth(best.instancePath)) best = e;
  return best;
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('/').length;
}

function at(path: string, base: string): string {
  return path === base ? '' : `${path.slice(base.length)} `;
}

/** Ajv's message plus the parameter a reader needs to fix the problem. */
export function describeError(error: ErrorObject): string {
  const message = error.message ?? error.keyword;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${message} ('${String(params.additionalProperty)}')`;
    case 'enum':
      return `${message} (${summariseValues(Array.isArray(params.allowedValues) ? params.allowedValues : [])})`;
    case 'const':
      return `${message} (${JSON.stringify(params.allowedValue)})`;
    default:
      return message;
  }
}

function summariseValues(values: unknown[]): string {
  const shown = values
    .slice(0, SHOWN_ALLOWED_VALUES)
    .map((v) => JSON.stringify(v))
    .join(', ');
  const more = values.length - SHOWN_ALLOWED_VALUES;
  return more > 0 ? `${shown}, … ${more} more` : shown;
}
