/**
 * Small, fast, deterministic pseudo-random numbers (never Math.random): a record's values depend only on the seed, the
 * task id and its sequence number, so any record can be produced again on its own — which is what makes a restarted
 * task continue with exactly the records it would have produced.
 */

const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. Returns an unsigned 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds 32-bit words (only the low 32 bits of each are used) into one well-mixed 32-bit seed. */
export function mixWords(...words: number[]): number {
  let h = 0x811c9dc5;
  for (const w of words) h = fmix32((h ^ fmix32(w >>> 0)) + GOLDEN);
  return h;
}

/** The seed of one record: `base` (from seed and task, see mixWords) combined with a sequence number up to 2^53. */
export function recordSeed(base: number, seq: number): number {
  const hi = Math.floor(seq / 0x1_0000_0000);
  return fmix32((fmix32((base ^ fmix32(seq >>> 0)) + GOLDEN) ^ fmix32(hi + 1)) + GOLDEN);
}

/**
 * SplitMix32: a Weyl sequence (state += golden ratio) passed through fmix32. fmix32 is a bijection, so every output
 * value is equally likely — unlike mulberry32, whose output function skips about a third of the 32-bit values.
 * Plenty for test data, not for cryptography. Reseedable, to avoid an allocation per record.
 */
export class SplitMix32 {
  private state: number;

  constructor(seed = 0) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): this {
    this.state = seed >>> 0;
    return this;
  }

  /** Uniform in [0, 2^32). */
  nextU32(): number {
    this.state = (this.state + GOLDEN) | 0;
    return fmix32(this.state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n); n ≥ 1 and at most 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bool(): boolean {
    return (this.nextU32() & 1) === 1;
  }
}
