import { readlinkSync } from 'node:fs';

/**
 * The path the kernel gives an open file descriptor, where it gives one
 * (Linux's /proc/self/fd); undefined elsewhere. Comparing it with the real
 * path a file was opened by tells whether a folder on that path was swapped
 * for a link between the path's check and the opening: O_NOFOLLOW guards
 * only the last step, and whoever can write the folder can race a reader.
 */
export function openedPath(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}
