/**
 * JSON as the real tools write it. cosign, Rekor and Woodpecker are Go
 * programs: encoding/json writes struct fields in declaration order, map keys
 * sorted, no spaces, and escapes <, > and & (and U+2028/U+2029) as \u00XX.
 */

/** What Go's json.Marshal writes for a value whose keys are already in Go order. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A deep copy with every object's keys sorted, as Go marshals a
 * map[string]interface{} (cosign re-marshals an SBOM predicate this way).
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
  }
  return value;
}

/** Canonical JSON (keys sorted, no whitespace), what a Rekor SET signs. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}
