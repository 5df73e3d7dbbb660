import { AuditpackError, describeThrown, type ErrorCode } from '../../errors.js';

export type RemoteErrorCode = Extract<ErrorCode, `COLLECT_${string}`>;

/**
 * A failure talking to a registry or CI server. `where` is the URL (never
 * with credentials) or the object asked for; `fatal` means every further
 * request would fail the same way (credentials refused), so the collection
 * stops instead of repeating the failure for every image or pipeline.
 */
export class RemoteError extends AuditpackError {
  readonly fatal: boolean;

  constructor(code: RemoteErrorCode, where: string, message: string, options: { fatal?: boolean; cause?: unknown } = {}) {
    super(code, message, { file: where, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'RemoteError';
    this.fatal = options.fatal ?? false;
  }
}

/** A URL as it may appear in messages and records: no user name, no password. */
export function displayUrl(url: URL | string): string {
  const copy = new URL(url.toString());
  copy.username = '';
  copy.password = '';
  return copy.toString();
}

/** One problem met while collecting: it is printed, recorded in collection.json, and the collection goes on. */
export interface CollectProblem {
  code: ErrorCode;
  /** What it is about: an image name, a pipeline number, a URL. */
  where: string;
  reason: string;
}

export function problemFrom(thrown: unknown, where: string): CollectProblem {
  if (thrown instanceof AuditpackError) {
    const at = thrown.file === undefined || thrown.file === where ? '' : ` (${thrown.file})`;
    return { code: thrown.code, where, reason: `${withoutWhere(thrown.message, where)}${at}` };
  }
  const errno = (thrown as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno))
    return { code: 'OUTPUT_INVALID', where, reason: `cannot write the collected files (${describeThrown(thrown)})` };
  return { code: 'INTERNAL', where, reason: thrown instanceof Error ? thrown.message : String(thrown) };
}

/** "manifest a/b:1.0: too large" about "a/b:1.0" reads "manifest: too large"; "#7: failed" about "#7" reads "failed". */
function withoutWhere(message: string, where: string): string {
  if (message.startsWith(`${where}: `)) return message.slice(where.length + 2);
  const space = message.indexOf(' ');
  return space > 0 && message.startsWith(` ${where}: `, space) ? `${message.slice(0, space)}: ${message.slice(space + where.length + 3)}` : message;
}

/** Problems in a stable order for the records (they are printed as they happen, in whatever order requests finish). */
export function sortedProblems(problems: CollectProblem[]): CollectProblem[] {
  return [...problems].sort((a, b) => a.where.localeCompare(b.where) || a.code.localeCompare(b.code) || a.reason.localeCompare(b.reason));
}
