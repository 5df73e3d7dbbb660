/**
 * The file system refusing to write the output (no space left, a quota, a
 * read-only file system, no permission, a file where a folder must be) is a
 * fact about where the user asked for the bundle, not a bug: it becomes an
 * OUTPUT_INVALID error naming the file and the system's reason (exit 2), not
 * an internal error with a stack trace.
 */
import { dirname, sep } from 'node:path';
import { AuditpackError, describeThrown } from '../errors.js';

/** An error Node's file system calls throw: a code such as ENOSPC and the call that failed. */
function isSystemError(thrown: unknown): thrown is NodeJS.ErrnoException {
  const { code, syscall } = (thrown ?? {}) as { code?: unknown; syscall?: unknown };
  return thrown instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string';
}

/** The error for a file of the output that could not be written (`file`: where, when the system's error does not say). */
export function outputWriteError(thrown: unknown, file?: string): AuditpackError {
  const where = file ?? (thrown as NodeJS.ErrnoException).path ?? 'the output';
  // The CLI prints the file first (`auditpack: FILE: reason`): the message does not repeat it.
  return new AuditpackError('OUTPUT_INVALID', `the output cannot be written here: ${describeThrown(thrown)}`, { file: where, cause: thrown });
}

/**
 * A system error about the output folder `target`, the folder that holds it
 * or anything in that folder (the run's lock, staging folder and scratch
 * files are its siblings), as an OUTPUT_INVALID error; anything else as it
 * was thrown.
 */
export function asOutputError(thrown: unknown, target: string): unknown {
  if (!isSystemError(thrown) || thrown.path === undefined) return thrown;
  const path = thrown.path;
  const about = target === path || target.startsWith(`${path}${sep}`) || path.startsWith(`${dirname(target)}${sep}`);
  return about ? outputWriteError(thrown) : thrown;
}
