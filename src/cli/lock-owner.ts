import { hostname } from 'node:os';
import type { LockOwner } from '../bundle/lock.js';

/** This process as the holder of an output lock; a holder is alive while signal 0 reaches it. */
export function processLockOwner(): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    isAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (thrown) {
        // EPERM: the process exists but belongs to someone else.
        return (thrown as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}
