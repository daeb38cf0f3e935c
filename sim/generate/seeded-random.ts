/** A deterministic pseudo-random source: the same seed gives the same sequence everywhere. */
export type Random = {
  /** uniform in [0, 1) */
  next(): number;
  /** an integer in [min, max], both included */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** true with probability p */
  chance(p: number): boolean;
  /** log-uniform in [min, max]: as many values between 200 and 2,000 as between 2,000 and 20,000 */
  logUniform(min: number, max: number): number;
};

/**
 * mulberry32: tiny, fast and good enough for test data (not for anything secret).
 * @example const random = createRandom(42); random.int(1, 6)
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    chance: (p) => next() < p,
    logUniform: (min, max) => Math.round(min * (max / min) ** next()),
  };
}
