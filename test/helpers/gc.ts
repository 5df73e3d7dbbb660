import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's full garbage collection, for tests that check memory is let go (a
 * WeakRef's target collected). The flag set at run time exposes `gc` to
 * contexts created after it; the test process itself starts without it.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
