/** What the commands may print to; the CLI entry binds it to the process. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress goes to stderr only when it is a terminal; otherwise it is dropped (`--progress plain` prints it as lines). */
  progress: (message: string) => void;
  /** The terminal's width, for --help (100 columns when unknown). */
  columns?: number;
  /**
   * A command that writes something it must not leave half-done calls this
   * to be told of SIGINT or SIGTERM (the signal is aborted with an
   * INTERRUPTED error) instead of being stopped at once; it then stops at
   * its next step and removes what it wrote. Absent outside the CLI.
   */
  interruption?: () => AbortSignal;
}

/**
 * Control characters (but newline and tab), DEL, the C1 controls and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069).
 */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as a terminal may show it. What the commands print carries text of
 * the evidence folder, CI exports and registry answers (file names,
 * component names, lines quoted from logs), whose author could otherwise
 * move the cursor, clear or retitle the screen, hide the lines after it (a
 * verdict), write the clipboard (OSC 52), or reorder what is read (bidi
 * overrides). Each such character is written as `\uXXXX`: the notation JSON
 * itself uses, so JSON printed on stdout stays valid and means the same.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function makeProgress(write: (text: string) => void, isTty: boolean): (message: string) => void {
  if (!isTty) return () => {};
  return (message) => write(`\r\x1b[2K${terminalSafe(message)}`);
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
  describe:
    'Print nothing on stdout unless --format asks for machine-readable output, and no progress (unless --progress plain); errors still go to stderr (for schedulers)',
} as const;

/** `--progress`: how the long commands show where they are. */
export const PROGRESS_MODES = ['auto', 'plain', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** The `--progress` option, worded once for every command that has it. */
export const PROGRESS_OPTION = {
  type: 'string',
  choices: PROGRESS_MODES,
  default: 'auto',
  describe:
    'Progress on stderr. auto: a line rewritten in place when stderr is a terminal, nothing otherwise; plain: whole lines, also into a log file (for schedulers; each step once, counted steps such as verify 120/1000 at each tenth), even with --quiet; none: nothing',
} as const;

/** `io` with its progress as `--progress` asks (after `--quiet`, which silences only `auto`). */
export function progressIo(io: CliIo, mode: ProgressMode | undefined): CliIo {
  if (mode === 'none') return { ...io, progress: () => {} };
  if (mode === 'plain') return { ...io, progress: plainProgress(io.err) };
  return io;
}

/**
 * Progress as whole lines, for a log: each step once when it starts; a
 * counted step (`verify 120/1000: name`) on its first and last item and
 * each time it crosses a tenth, so a 5,000-image run writes about fifteen
 * lines, not 5,000. The empty message (clear the live line) prints nothing.
 */
export function plainProgress(line: (text: string) => void): (message: string) => void {
  let step: string | undefined;
  let printed: string | undefined;
  let tenth = -1;
  return (message) => {
    if (message === '') return;
    const counted = /^(.*?) (\d+)\/(\d+)(?=:|$)/.exec(message);
    if (counted === null) {
      if (message !== step) line(`auditpack: ${message}`);
      step = message;
      return;
    }
    const [, name = '', index = '0', total = '0'] = counted;
    const done = Number(index);
    const of = Number(total);
    const now = of > 0 ? Math.floor((10 * done) / of) : 0;
    const key = `${name} ${index}/${total}`;
    if (key !== printed && (name !== step || done === 1 || done === of || now !== tenth)) {
      line(`auditpack: ${message}`);
      printed = key;
    }
    step = name;
    tenth = now;
  };
}
