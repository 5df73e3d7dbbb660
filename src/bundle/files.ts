import { AuditpackError } from '../errors.js';

/**
 * The files of a bundle being assembled, by bundle path. Two different
 * inputs can never end up at one path: the second would silently replace the
 * first while report.json lists both. Adding the same bytes twice is fine
 * (one file named twice); different bytes stop the run and name both inputs.
 */
export class BundleFiles {
  private readonly entries = new Map<string, { bytes: Uint8Array; origin: string }>();

  add(path: string, bytes: Uint8Array, origin: string = path): void {
    const existing = this.entries.get(path);
    if (existing !== undefined && !Buffer.from(existing.bytes).equals(Buffer.from(bytes))) {
      throw new AuditpackError('OUTPUT_INVALID', `'${existing.origin}' and '${origin}' would both be kept in the bundle as ${path}; rename one of them`, {
        file: origin,
      });
    }
    if (existing === undefined) this.entries.set(path, { bytes, origin });
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every file, sorted by path (byte order) so every later step is deterministic. */
  toMap(): Map<string, Uint8Array> {
    const sorted = [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new Map(sorted.map(([path, e]) => [path, e.bytes]));
  }
}
