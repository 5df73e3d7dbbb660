/** What the commands may print to; the CLI entry binds it to the process. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress goes to stderr only when it is a terminal; otherwise it is dropped. */
  progress: (message: string) => void;
  /** The terminal's width, for --help (100 columns when unknown). */
  columns?: number;
}

export function makeProgress(write: (text: string) => void, isTty: boolean): (message: string) => void {
  if (!isTty) return () => {};
  return (message) => write(`\r\x1b[2K${message}`);
}

/**
 * `--quiet`: nothing on stdout but what a machine asked for (`--format json`
 * or `html`, which the commands print through the unquietened io), no
 * progress; errors still reach stderr.
 */
export function quietIo(io: CliIo, quiet: boolean | undefined): CliIo {
  return quiet === true ? { out: () => {}, err: io.err, progress: () => {} } : io;
}

/** The `--quiet` option, worded once for every command that has it. */
export const QUIET_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'Print nothing on stdout unless --format asks for machine-readable output, and no progress; errors still go to stderr (for schedulers)',
} as const;
