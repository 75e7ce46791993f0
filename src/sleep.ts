/**
 * What `sleep()` hands to `yield*`: an iterator that yields itself once (the task then
 * parks for `ms`) and returns `value` when resumed. The task reads `_ms` directly, so a
 * sleep costs one small object and no Future, no closure and no promise.
 */
export class SleepOp<T> implements Iterator<SleepOp<T>, T, unknown> {
  private yielded = false;
  constructor(
    /** @internal */ readonly _ms: number,
    private readonly value: T,
  ) {}
  next(): IteratorResult<SleepOp<T>, T> {
    if (this.yielded) return { value: this.value, done: true };
    this.yielded = true;
    return { value: this, done: false };
  }
  throw(error: unknown): IteratorResult<SleepOp<T>, T> {
    throw error;
  }
  return(value: T): IteratorResult<SleepOp<T>, T> {
    return { value, done: true };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** Checks a delay in ms: a number, not NaN. Negative means "now"; Infinity means "never". */
export function checkDelay(ms: unknown, what: string): number {
  if (typeof ms !== "number") {
    throw new TypeError(`${what}: the delay must be a number of milliseconds, got ${typeof ms}`);
  }
  if (ms !== ms) throw new RangeError(`${what}: the delay is NaN; it must be a number of milliseconds`);
  return ms;
}

/**
 * Suspends the current task for `ms` milliseconds, then returns `value`.
 * `sleep(0)` (or any delay <= 0) just lets every other ready task run first;
 * `sleep(Infinity)` parks until cancelled.
 *
 * @example
 * ```ts
 * function* main() {
 *   yield* sleep(1000);
 *   const answer = yield* sleep(10, 42); // 42
 * }
 * ```
 */
export function sleep(ms: number): SleepOp<void>;
export function sleep<T>(ms: number, value: T): SleepOp<T>;
export function sleep<T>(ms: number, value?: T): SleepOp<T | undefined> {
  return new SleepOp(checkDelay(ms, "sleep()"), value);
}

