/** Anchors (element ids) and the orderings the view relies on. */

/**
 * Anchors keep letters, digits and `-._:`; anything else becomes `~hex~`, so
 * two different ids never share an anchor.
 */
export function anchor(prefix: AnchorPrefix, ...parts: string[]): string {
  const encode = (part: string) => part.replace(/[^A-Za-z0-9._:-]/gu, (c) => `~${c.codePointAt(0)?.toString(16)}~`);
  return `${prefix}-${parts.map(encode).join('/')}`;
}

/**
 * One prefix per kind of anchored element. Section ids are fixed words
 * (`summary`, `findings`, `appendix-controls`, …) that no prefixed anchor can
 * equal, since every prefixed anchor has a `-` after its prefix.
 */
export type AnchorPrefix = 'image' | 'issues' | 'finding' | 'claim' | 'waiver' | 'statement' | 'sbom' | 'framework' | 'control' | 'key' | 'evidence' | 'check';

/** Groups items by key; groups and the items in them keep their order of first appearance. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export function sortedEntries<V>(record: Record<string, V>): [string, V][] {
  return Object.entries(record).sort(([a], [b]) => compareText(a, b));
}

/** Code-unit order: unlike localeCompare, it does not depend on the machine's locale data. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
