/** Stable ordering for the diff: code-unit order, never locale order, so the same reports give the same bytes. */
import { compareText } from '../sbom/inventory.js';

/** Items by key, in key order. */
export function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map([...items].map((i) => [key(i), i] as const).sort(([x], [y]) => compareText(x, y)));
}

export function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort(compareText);
}
