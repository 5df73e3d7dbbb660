import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_CONFIG = `${ROOT}samples/akko/auditpack.yaml`;
export const GOLDEN_CLOCK = '2026-07-01T08:00:00.000Z';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/auditpack.js → dist/) as a user would. */
export function auditpack(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tool(command: string, ...args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `${command} is not installed (apt-get install poppler-utils)` : `${command} failed: ${r.error.message}`);
  }
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
