import { AuditpackError } from '../errors.js';
import type { CollectProblem } from '../collect/remote/errors.js';

/** The one place exit codes are decided. Documented in the README; part of the contract. */
export const EXIT = {
  /** report: every check passed, no input problem. verify: the bundle is intact. collect: everything asked for was collected. diff: nothing got worse. */
  OK: 0,
  /** report: written, but checks failed or evidence is missing. verify: a file changed or the seal is invalid. collect: something could not be collected (the rest is written). diff: something got worse (or changed, with --fail-on change). */
  FINDINGS: 1,
  /** Bad arguments, configuration, trust material or output folder: nothing was produced. collect: also credentials missing or refused (what was collected is kept). diff: a bundle to compare is unreadable or not sealed with the pinned key. */
  USAGE: 2,
  /** An unexpected internal error (a bug): please report it. Also the command running out of memory, which its message says (cli/thread.ts). */
  INTERNAL: 3,
  /** verify: the bundle is consistent with itself, but no trust anchor was given, so it is NOT verified. */
  UNPINNED: 4,
  /** Stopped by SIGINT or SIGTERM (128 + SIGINT, as a shell reports Ctrl-C): a report removes what it had written first. */
  INTERRUPTED: 130,
} as const;

export function exitCodeForError(thrown: unknown): number {
  if (thrown instanceof AuditpackError) return thrown.code === 'INTERNAL' ? EXIT.INTERNAL : thrown.code === 'INTERRUPTED' ? EXIT.INTERRUPTED : EXIT.USAGE;
  return EXIT.INTERNAL;
}

/** collect: 0 complete; 1 something could not be collected; 2 credentials missing or refused, which only the invocation can fix. */
export function collectExitCode(problems: CollectProblem[], stopped: boolean): number {
  if (stopped || problems.some((p) => p.code === 'COLLECT_AUTH_FAILED')) return EXIT.USAGE;
  return problems.length === 0 ? EXIT.OK : EXIT.FINDINGS;
}
