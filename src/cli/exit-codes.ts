import { AuditpackError } from '../errors.js';

/** The one place exit codes are decided. Documented in the README; part of the contract. */
export const EXIT = {
  /** report: every check passed, no input problem. verify: the bundle is intact. diff: nothing got worse. */
  OK: 0,
  /** report: written, but checks failed or evidence is missing. verify: a file changed or the seal is invalid. diff: something got worse (or changed, with --fail-on change). */
  FINDINGS: 1,
  /** Bad arguments, configuration, trust material or output folder, or a bundle to compare that is unreadable or not sealed with the pinned key: nothing was produced. */
  USAGE: 2,
  /** An unexpected internal error (a bug): please report it. */
  INTERNAL: 3,
  /** verify: the bundle is consistent with itself, but no trust anchor was given, so it is NOT verified. */
  UNPINNED: 4,
} as const;

export function exitCodeForError(thrown: unknown): number {
  if (thrown instanceof AuditpackError) return thrown.code === 'INTERNAL' ? EXIT.INTERNAL : EXIT.USAGE;
  return EXIT.INTERNAL;
}
