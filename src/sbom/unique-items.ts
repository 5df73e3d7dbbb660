/**
 * JSON Schema `uniqueItems`, in linear time.
 *
 * Ajv checks `uniqueItems` on arrays of objects pairwise with a deep equal,
 * which is O(n²): 20,000 components take 80+ seconds (ajv-validator/ajv#608).
 * Two JSON values are deep-equal exactly when their canonical forms (object
 * keys sorted, no whitespace) are the same string, so hashing gives the same
 * verdict as the schema keyword without comparing every pair.
 */

/** Up to this length arrays are compared pair by pair: cheaper than building keys. */
const PAIRWISE_UP_TO = 8;
/** Above this length a canonical key is replaced by its SHA-256 so that a huge array does not keep two copies of itself. */
const HASH_KEYS_LONGER_THAN = 256;

/**
 * The indices of the first two deep-equal items, or undefined when all items
 * differ. Long arrays are bucketed by a cheap order-insensitive signature
 * (a few well-known scalar properties of an object); only items sharing a
 * bucket, rare in real SBOMs, are compared in full.
 */
export function findDuplicateItems(items: readonly unknown[], hash: (text: string) => string): [number, number] | undefined {
  if (items.length < 2) return undefined;
  if (items.length <= PAIRWISE_UP_TO)
    return firstEqualPair(
      items.map((_, i) => i),
      items,
    );
  const buckets = new Map<string, number[]>();
  let collided = false;
  for (let index = 0; index < items.length; index += 1) {
    const key = signature(items[index]);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [index]);
    else {
      bucket.push(index);
      collided = true;
    }
  }
  if (!collided) return undefined;
  let first: [number, number] | undefined;
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    const pair = bucket.length <= PAIRWISE_UP_TO ? firstEqualPair(bucket, items) : firstEqualByCanonicalKey(bucket, items, hash);
    if (pair !== undefined && (first === undefined || pair[1] < first[1])) first = pair;
  }
  return first;
}

/** Scalar properties whose values make a signature: order-insensitive because they are looked up by name. */
const SIGNATURE_KEYS = ['bom-ref', 'ref', 'name', 'version', 'purl', 'url', 'content', 'id', 'value', 'alg', 'type'];

/** Deep-equal items have equal signatures; the converse need not hold (deepEqual decides). */
function signature(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.length}`;
  const record = value as Record<string, unknown>;
  let key = '{';
  for (const k of SIGNATURE_KEYS) {
    const v = record[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') key += `${k}=${String(v)}\u0000`;
  }
  return key;
}

function firstEqualPair(indices: readonly number[], items: readonly unknown[]): [number, number] | undefined {
  for (let b = 1; b < indices.length; b += 1) {
    for (let a = 0; a < b; a += 1) {
      if (deepEqual(items[indices[a] as number], items[indices[b] as number])) return [indices[a] as number, indices[b] as number];
    }
  }
  return undefined;
}

function firstEqualByCanonicalKey(indices: readonly number[], items: readonly unknown[], hash: (text: string) => string): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (const index of indices) {
    let key = canonicalJson(items[index]);
    // `#` never starts canonical JSON, so a digest cannot equal a short key.
    if (key.length > HASH_KEYS_LONGER_THAN) key = `#${hash(key)}`;
    const first = seen.get(key);
    if (first !== undefined) return [first, index];
    seen.set(key, index);
  }
  return undefined;
}

/** Deep equality of JSON values, as Ajv's fast-deep-equal decides it for parsed JSON. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) if (!Object.hasOwn(rb, k) || !deepEqual(ra[k], rb[k])) return false;
  return true;
}

/**
 * Canonical JSON text: keys sorted by UTF-16 code units, as JSON.stringify
 * would write each scalar. -0 and 0 both print as `0`, matching deep equality.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
