import { spawn } from 'node:child_process';
import { ROOT, type CliResult } from '../e2e/cli.js';

/**
 * Runs the built CLI without blocking the test's event loop, so that
 * loopback servers in the test process can answer it. Killed after
 * `timeoutMs`: a hang fails the test instead of stalling the suite.
 */
export function auditpackAsync(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult & { durationMs: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/auditpack.js`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-auditpack-test-home', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}
