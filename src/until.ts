import { cancelledError } from "./errors.js";
import { describe } from "./describe.js";
import { Future, FutureState } from "./future.js";
import type { EventLoop } from "./loop.js";
import { refusedThen } from "./must-await.js";
import { getRunningLoop } from "./running.js";

/**
 * A future settled by a foreign promise. While it is pending the loop counts it, so that
 * virtual time waits for it (up to the autojump threshold). Cancelling it stops the
 * count at once and aborts the signal given to the promise's maker.
 */
export class ForeignFuture<T> extends Future<T> {
  private counted = true;
  /** @internal Aborted when the future is cancelled: the signal given to the promise's maker. */
  _controller: AbortController | null = null;
  /** @internal What the task tree says a task awaiting it waits on. */
  _what = "until(): a promise";

  constructor(loop: EventLoop) {
    super(loop);
    loop._foreign(1);
  }

  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this.release();
    this._controller?.abort(cancelledError(message));
    // A promise that never settles keeps this future (its callbacks do) as long as it
    // lives; the controller, its signal and reason need not stay with it.
    this._controller = null;
    return true;
  }

  /** @internal Settles it with what the promise gave, unless it was cancelled or its loop closed. */
  _settleFromPromise(state: FutureState.Fulfilled | FutureState.Rejected, value: unknown): void {
    try {
      if (this._state === FutureState.Pending && !this._loop.isClosed()) this._settle(state, value);
    } finally {
      // Released after: the wake-up it scheduled gets a turn in this host task, where the
      // release first, with a timer pending, sent the loop to a macrotask of its own.
      // (Released still if the core had no room for the wake-up.)
      this.release();
    }
  }

  private release(): void {
    if (this.counted) {
      this.counted = false;
      this._loop._foreign(-1);
    }
  }
}

/**
 * Waits for a promise, the bridge from ordinary async code into a task. Pass a function
 * instead of a promise to receive an AbortSignal: when the waiting task is cancelled,
 * the signal is aborted, so `fetch` and friends stop too. It is aborted only while this
 * `until` waits, so keep all of the work under it: a response's body still downloads
 * after `fetch` resolved, and reading it inside the same function stops that too.
 *
 * @example
 * ```ts
 * function* main() {
 *   const body = yield* until(async (signal) => (await fetch(url, { signal })).text());
 * }
 * ```
 */
export function until<T>(source: PromiseLike<T> | ((signal: AbortSignal) => PromiseLike<T>)): Future<T> {
  const loop = getRunningLoop();
  if (source instanceof Future && source._loop === loop) return source as Future<T>;
  const future = new ForeignFuture<T>(loop);
  let promise: unknown = source;
  if (typeof source === "function") {
    const controller = new AbortController();
    future._controller = controller;
    try {
      promise = source(controller.signal);
    } catch (error) {
      future._settleFromPromise(FutureState.Rejected, error);
      return future;
    }
  }
  const then = (promise as Partial<PromiseLike<T>> | null)?.then;
  if (typeof then !== "function" || then === refusedThen) {
    const got = then === refusedThen ? "a wasyncio operation, which is awaited with yield* as it is" : describe(promise);
    const what = promise === source ? "got" : "got a function that returned";
    future._settleFromPromise(FutureState.Rejected, new TypeError(`until() needs a promise or a function returning one, ${what} ${got}`));
    return future;
  }
  try {
    then.call(
      promise,
      (value) => future._settleFromPromise(FutureState.Fulfilled, value),
      (error: unknown) => future._settleFromPromise(FutureState.Rejected, error),
    );
  } catch (error) {
    // A thenable whose then throws: as for `await`, the error is the outcome.
    future._settleFromPromise(FutureState.Rejected, error);
  }
  return future;
}
