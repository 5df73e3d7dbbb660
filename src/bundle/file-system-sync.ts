import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { platform } from 'node:os';

/**
 * One sync of the whole file system the staged bundle is on (syncfs(2),
 * run as coreutils' `sync -f FOLDER`: Node has no binding for it) instead
 * of one fsync per file. A bundle of 1,000 images has 13,000 files; each
 * fsync writes its file and asks the disk to flush its cache, and while a
 * thread did that file after file, the image threads' creation of the next
 * files in the same folders waited on it. One syncfs of the same 600 MB, after
 * the images, took 0.75 s; the run at 1,000 images was faster in 6 of 10
 * alternating pairs, by 1.9 s at the median (bench/README.md, 7 December
 * 2026, late evening). It also makes every folder's entries durable, which an
 * fsync of each file does not on every file system. PostgreSQL offers the
 * same choice for the same reason (`recovery_init_sync_method = syncfs`),
 * with the same caveat: before Linux 5.8, syncfs did not report a
 * write-back error. (An old BusyBox or toybox `sync` ignores `-f` and syncs
 * every file system, as durable, and reports no error either.)
 *
 * Where there is no such program (not Linux, or an image without
 * coreutils or BusyBox), or it fails, the files are synced one by one.
 */
export const SYNC_PROGRAMS: readonly string[] = ['/usr/bin/sync', '/bin/sync'];

/** The program that syncs a whole file system here, or undefined where there is none (files are then synced one by one). */
export function findSyncProgram(
  system: string = platform(),
  candidates: readonly string[] = SYNC_PROGRAMS,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  // `sync -f` is GNU coreutils' (8.24 and later) and BusyBox's; other systems' `sync` has no such option (or no syncfs).
  if (system !== 'linux') return undefined;
  return candidates.find((candidate) => exists(candidate));
}

/**
 * Runs `program -f folder`: true once it exits with 0; false when it cannot
 * start, fails or is killed, so that the caller syncs file by file. Never
 * throws. An absolute path, an empty environment: nothing from the run's
 * own environment decides what runs.
 */
export function syncFileSystem(program: string, folder: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(program, ['-f', folder], { stdio: 'ignore', env: {} });
    child.once('error', () => resolve(false));
    child.once('close', (code) => resolve(code === 0));
  });
}
