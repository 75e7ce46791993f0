import { AwaitKind, type KnownAwaitable } from "./await-kind.js";
import { doneWith } from "./iterator-results.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import type { UseYieldStar } from "./coroutine.js";
import { checkDelay } from "./time-arguments.js";
import { running } from "./running.js";
import { steppedTwice } from "./stepped-twice.js";

/** What a task sends into its coroutine to end the sleep it was parked on. */
export const SLEEP_DONE: unique symbol = Symbol("wasyncio.sleepDone");

/**
 * What `sleep()` hands to `yield*`: an iterator that yields itself (the task then parks
 * for `_ms`) and returns `_value` once the task sends {@link SLEEP_DONE}.
 *
 * Its only state is whether a task is parked on it, kept for sleeps over 0 ms, so that
 * `sleep(0)` can be one shared, frozen object. And it is its own iterator result
 * (`{ value: this, done: false }`), so a sleep allocates one object: no Future, closure,
 * promise or result objects.
 */
export class SleepOp<T> implements Iterator<UseYieldStar, T, unknown>, IteratorYieldResult<UseYieldStar>, KnownAwaitable {
  readonly done = false;
  /** Itself, typed as what the task is handed: a `yield sleep(1)` does not compile. */
  readonly value: UseYieldStar = this as unknown as UseYieldStar;
  /** @internal */ readonly _ms: number;
  /** @internal */ readonly _value: T;
  /** A task is parked on it: only the task's SLEEP_DONE, or a throw, steps it now. */
  private _parked = false;

  constructor(ms: number, value: T) {
    this._ms = ms;
    this._value = value;
  }

  /** @internal */
  get _awaitKind(): AwaitKind {
    return AwaitKind.Sleep;
  }
  next(sent?: unknown): IteratorResult<UseYieldStar, T> {
    if (sent === SLEEP_DONE) {
      this._unpark();
      return doneWith(this._value);
    }
    if (this._parked) return steppedTwice("sleep()");
    if (this._ms > 0) this._parked = true; // not the frozen sleep(0): one iteration is not watched
    running._sleepDelegatedBy = running.task; // what tells the task this is not a bare `yield sleep()`
    return this;
  }
  throw(error: unknown): IteratorResult<UseYieldStar, T> {
    this._unpark();
    throw error;
  }
  return(value: T): IteratorResult<UseYieldStar, T> {
    this._unpark();
    return { value, done: true };
  }
  /** Over (its end sent, or thrown into): awaited again, it sleeps again. */
  private _unpark(): void {
    // Tested first: `sleep(0)` is one frozen op (SLEEP_ZERO), and a write to it throws,
    // even of the value it holds.
    if (this._parked) this._parked = false;
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** `sleep(0)`, shared: the op keeps no state at 0 ms, and is frozen. */
const SLEEP_ZERO = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ new SleepOp(0, undefined)) as SleepOp<undefined>;

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
export function sleep(ms: number): Operation<void>;
export function sleep<T>(ms: number, value: T): Operation<T>;
export function sleep<T>(ms: number, value?: T): Operation<T | undefined> {
  return mustAwait(ms === 0 && value === undefined ? SLEEP_ZERO : new SleepOp(checkDelay(ms, "sleep()"), value), "sleep()");
}
