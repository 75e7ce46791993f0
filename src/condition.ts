import type { Coroutine, ScopeOperation, ScopeYielded, Yielded } from "./coroutine.js";
import { isCoroutine } from "./coroutine.js";
import { CancelledError, isCancelledError, RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { type HeldBody, holding, type PlainHeldBody } from "./holding.js";
import { Lock } from "./lock.js";
import { boundLoop, type LoopBound } from "./loop-bound.js";
import type { EventLoop } from "./loop.js";
import type { Future } from "./future.js";
import { WaitingFuture } from "./waiting-future.js";
import { WaiterQueue, waitInQueue } from "./waiter-queue.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { Shown } from "./inspect-hook.js";

/**
 * A condition variable (asyncio.Condition): tasks holding its lock wait() until another
 * task notify()s them. wait() releases the lock while waiting and holds it again when it
 * returns, so the waiter re-checks its condition under the lock.
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * const items: number[] = [];
 * function* consumer() {
 *   return yield* cond.with(function* () {
 *     yield* cond.waitFor(() => items.length > 0);
 *     return items.shift()!;
 *   });
 * }
 * function* producer() {
 *   yield* cond.with(function* () { items.push(1); cond.notify(); });
 * }
 * ```
 */
export class Condition extends Shown implements LoopBound {
  /** @internal */ _loop: EventLoop | null = null;
  /** @internal */ readonly _lock: Lock;
  /** @internal Waiting tasks in arrival order; a done future was notified (or cancelled). */
  _waiters = new WaiterQueue();
  /**
   * Tasks in wait() that have not run since: notified or cancelled ones too, until their
   * task takes it in, as asyncio's repr counts them (`_notify` drops such waiters early).
   */
  private _waiting = 0;

  /**
   * @param lock the lock to use, for several conditions that share one; a new Lock by default.
   * @example
   * ```ts
   * const lock = new Lock();
   * const notEmpty = new Condition(lock);
   * const notFull = new Condition(lock);
   * ```
   */
  constructor(lock?: Lock) {
    super();
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(`new Condition() needs a Lock or nothing, got ${describe(lock)}`);
    }
    this._lock = lock ?? new Lock();
  }

  /**
   * True while the underlying lock is held.
   *
   * @example
   * ```ts
   * cond.locked(); // false outside cond.with(...)
   * ```
   */
  locked(): boolean {
    return this._lock.locked();
  }

  /**
   * Takes the underlying lock if that needs no wait; says whether it did.
   *
   * @example
   * ```ts
   * if (cond.tryAcquire()) { try { cond.notifyAll(); } finally { cond.release(); } }
   * ```
   */
  tryAcquire(): boolean {
    return this._lock.tryAcquire();
  }

  /**
   * Waits for the underlying lock and takes it; returns true.
   *
   * @example
   * ```ts
   * yield* cond.acquire();
   * try { cond.notify(); } finally { cond.release(); }
   * ```
   */
  acquire(): Operation<true> {
    return mustAwait(this._lock._acquire(), "acquire()", this);
  }

  /**
   * Releases the underlying lock.
   *
   * @throws RuntimeError if it is not locked.
   * @example
   * ```ts
   * cond.release();
   * ```
   */
  release(): void {
    this._lock.release();
  }

  /**
   * Runs `body` holding the underlying lock and returns what it returns, releasing the
   * lock when the body returns, throws or is cancelled.
   *
   * @example
   * ```ts
   * yield* cond.with(function* () { ready = true; cond.notifyAll(); });
   * ```
   */
  with<R>(body: () => Future<R>): Operation<R>;
  /** A plain function that does not wait: its result is the value (see {@link PlainHeldBody}). */
  with<R>(body: PlainHeldBody<R>): Operation<R>;
  /** A `function*` or a coroutine: one that emits, in a producer, makes this a producer of its items. */
  with<R, Y extends ScopeYielded = Yielded>(body: Coroutine<R, Y> | (() => Coroutine<R, Y>)): ScopeOperation<R, Y>;
  // The overloads above are what callers see; which of them applies is told at run time.
  with(body: HeldBody<unknown>): Operation<unknown> | Generator<ScopeYielded, unknown, unknown> {
    return holding(this._lock, body, "Condition.with()");
  }

  /**
   * Releases the lock, waits to be notified, then takes the lock again and returns true.
   * The lock is held again when wait() ends by any route, cancellation included, so a
   * `with` block around it stays correct. Wakeups may be spurious: re-check the condition
   * (or use {@link waitFor}).
   *
   * @throws RuntimeError if the lock is not held.
   * @example
   * ```ts
   * yield* cond.with(function* () {
   *   while (!done) yield* cond.wait();
   * });
   * ```
   */
  wait(): Operation<true> {
    return mustAwait(this._wait(), "wait()", this);
  }

  /**
   * @internal `on` is what the task tree says the task waits on: this condition, or the
   * primitive built on it (a Barrier's waiters wait on the Barrier).
   */
  *_wait(on: object = this): Generator<Yielded, true, unknown> {
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
    const waiter = new WaitingFuture<boolean>(boundLoop(this, "Condition"), "wait()", on);
    this.release();
    try {
      try {
        this._waiting++;
        try {
          yield* waitInQueue(this._waiters, waiter);
        } finally {
          this._waiting--;
        }
        return true;
      } finally {
        // The caller's `with`/`finally` will release the lock, so it must be held again
        // however we leave. Cancellations that hit this reacquire are held back until it
        // succeeds; only the last one is raised. Other errors are not retried, so a
        // broken lock cannot make this spin.
        let cancelled: CancelledError | null = null;
        for (;;) {
          try {
            yield* this.acquire();
            break;
          } catch (error) {
            if (!isCancelledError(error)) throw error;
            cancelled = error;
          }
        }
        if (cancelled !== null) throw cancelled;
      }
    } catch (error) {
      // We may have been notified before the error reached us, and that notification
      // would be lost with us: pass one on. At worst this is a spurious wakeup, which
      // the condition-variable contract allows.
      this._notify(1);
      throw error;
    }
  }

  /**
   * Waits until `predicate()` is truthy, calling it first and after each wakeup, with the
   * lock held; returns its last value, typed without the falsy types it cannot be.
   *
   * @throws RuntimeError if the lock is not held (and the predicate is falsy).
   * @example
   * ```ts
   * const jobs: Job[] = [];
   * const job = yield* cond.with(function* () {
   *   return yield* cond.waitFor(() => jobs.shift()); // a Job, not Job | undefined
   * });
   * ```
   */
  waitFor<T>(predicate: () => T): Operation<Truthy<T>> {
    if (typeof predicate !== "function") {
      throw new TypeError(`Condition.waitFor() needs a predicate function, got ${describe(predicate)}`);
    }
    return mustAwait(this._waitFor(predicate), "waitFor()", this);
  }

  /** @internal `on` as for `_wait`. */
  *_waitFor<T>(predicate: () => T, on: object = this): Generator<Yielded, Truthy<T>, unknown> {
    let result = answerOf(predicate);
    while (!result) {
      yield* this._wait(on);
      result = answerOf(predicate);
    }
    return result as Truthy<T>;
  }

  /**
   * Wakes up to `n` waiting tasks, oldest first. They return from wait() only once they
   * get the lock back, so after the caller releases it.
   *
   * @throws RuntimeError if the lock is not held.
   * @example
   * ```ts
   * yield* cond.with(function* () { items.push(item); cond.notify(); });
   * ```
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock");
    if (typeof n !== "number" || n !== n) {
      throw new TypeError(`Condition.notify() takes a number of tasks to wake, got ${describe(n)}`);
    }
    this._notify(n);
  }

  /**
   * Wakes every waiting task.
   *
   * @throws RuntimeError if the lock is not held.
   * @example
   * ```ts
   * yield* cond.with(function* () { closed = true; cond.notifyAll(); });
   * ```
   */
  notifyAll(): void {
    this.notify(this._waiters.size);
  }

  /** @internal */
  _notify(n: number): void {
    let woken = 0;
    for (const waiter of this._waiters) {
      if (woken >= n) break;
      if (!waiter.done()) {
        woken++;
        waiter.setResult(false);
      } else {
        // Notified or cancelled already: its task takes it out of the queue when it runs.
        // Taking it out now spares every later notify the walk past it. n notify(1) calls
        // in a row, or n waiters cancelled at once (each passes a notification on, see
        // _wait), walked past the others n times: n² steps, as in asyncio.
        this._waiters.delete(waiter);
      }
    }
  }

  /**
   * The state and the number of waiting tasks, for logs and debugging (asyncio's repr).
   *
   * @example
   * ```ts
   * String(cond); // "<Condition [locked, waiters:2]>"
   * ```
   */
  override toString(): string {
    const waiting = this._waiting;
    return `<Condition [${this.locked() ? "locked" : "unlocked"}${waiting > 0 ? `, waiters:${waiting}` : ""}]>`;
  }
}

/**
 * What a waitFor predicate answers. A generator or a promise would be truthy at once, so
 * the wait would end without waiting: a `function*` or `async` predicate is refused.
 */
function answerOf<T>(predicate: () => T): T {
  const answer = predicate();
  if (isCoroutine(answer) || answer instanceof Promise) {
    throw new TypeError(
      `Condition.waitFor(): the predicate returned ${describe(answer)}, which is not an answer; it must be a plain function, not a function* or an async one`,
    );
  }
  return answer;
}

/**
 * What a truthy value of type T can be: T without `false`, `0`, `0n`, `""`, `null` and
 * `undefined`. {@link Condition.waitFor} returns it.
 *
 * @example
 * ```ts
 * function* nextJob(cond: Condition, peek: () => Job | null): Coroutine<Truthy<Job | null>> {
 *   return yield* cond.with(() => cond.waitFor(peek)); // a Job, never null
 * }
 * ```
 */
export type Truthy<T> = Exclude<T, false | 0 | 0n | "" | null | undefined>;
