/**
 * The seeded xorshift32 of the reference measurements, so that every system (and the CPython anchors)
 * sees exactly the same schedule of delays:
 *
 *   seed 0x9E3779B9; x ^= x << 13; x ^= x >>> 17; x ^= x << 5 (on uint32); delay = x % mod
 *
 * `>>> 0` after each step keeps x an unsigned 32-bit integer, as in the Python version.
 */
export const SEED = 0x9e3779b9;

export class XorShift32 {
  private x: number;
  constructor(seed = SEED) {
    this.x = seed >>> 0;
  }
  /** The next uint32. */
  next(): number {
    let x = this.x;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.x = x;
    return x;
  }
  /** The next delay in [0, mod). */
  delay(mod: number): number {
    return this.next() % mod;
  }
}

/**
 * The first `n` delays in [0, mod) from a fresh generator. Workloads compute them before
 * measuring anything, so generating them is in neither the timings nor the memory deltas.
 */
export function seededDelays(n: number, mod: number): Int32Array {
  const rng = new XorShift32();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.delay(mod);
  return out;
}
