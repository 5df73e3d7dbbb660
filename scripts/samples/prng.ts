/**
 * Deterministic randomness. Every choice in the sample estate comes from a
 * generator seeded by a string, so two runs write byte-identical files.
 * Never use Math.random, the clock or crypto.randomUUID in the generator.
 */
import { createHash } from 'node:crypto';

/** A small, fast PRNG (mulberry32) over a 32-bit state. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `n` lowercase hex digits. */
  hex(n: number): string;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

export function prng(seed: string): Prng {
  let state = createHash('sha256').update(seed).digest().readUInt32BE(0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    hex: (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join(''),
    chance: (p: number): boolean => next() < p,
  };
}

/** A stable number in [0, 1) for a string, for choices that must not depend on call order. */
export function hashToUnit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 4294967296;
}

/** Lowercase hex SHA-256 of bytes or text. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A v4-shaped UUID derived from a string (syft and Woodpecker both emit v4 UUIDs). */
export function uuidFrom(seed: string): string {
  const h = sha256Hex(`uuid:${seed}`);
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
