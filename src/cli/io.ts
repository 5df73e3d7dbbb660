/** What the commands may print to; the CLI entry binds it to the process. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress goes to stderr only when it is a terminal; otherwise it is dropped. */
  progress: (message: string) => void;
}

export function makeProgress(write: (text: string) => void, isTty: boolean): (message: string) => void {
  if (!isTty) return () => {};
  return (message) => write(`\r\x1b[2K${message}`);
}
