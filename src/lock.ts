import type { Coroutine, Parked, ScopeOperation, ScopeYielded, Yielded } from "./coroutine.js";
import { RuntimeError } from "./errors.js";
import type { Future } from "./future.js";
import { type HeldBody, holding, type PlainHeldBody } from "./holding.js";
import type { EventLoop } from "./loop.js";
import { WaitingFuture } from "./waiting-future.js";
import { ACQUIRED } from "./iterator-results.js";
import { WaiterQueue } from "./waiter-queue.js";
import { parkIn, type Queued } from "./loop-bound.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { Shown } from "./inspect-hook.js";
import { steppedTwice } from "./stepped-twice.js";

/** For {@link WaiterQueue.find}: a waiter that may still take the lock. */
const notCancelled = (waiter: Future<unknown>): boolean => !waiter.cancelled();

/**
 * A mutual exclusion lock for tasks (asyncio.Lock). Not owned by a task: any task may
 * release it. Waiters get it strictly first come, first served; a task that releases and
 * asks again at once waits behind those already waiting.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * function* worker() {
 *   yield* lock.with(function* () {
 *     yield* sleep(10); // only one worker at a time in here
 *   });
 * }
 * ```
 */
export class Lock extends Shown implements Queued {
  /** @internal */ _loop: EventLoop | null = null;
  /**
   * @internal Parked acquirers in arrival order. Invariant: a waiter whose future is
   * done but not cancelled has been chosen
   * and will set `_locked` when it runs; nobody else may take the lock meanwhile.
   */
  _waiters: WaiterQueue | null = null;
  /** @internal */ _locked = false;

  /**
   * True while some task holds the lock. Reads false between a release and the moment
   * the next waiter runs, though that waiter is already the only one who can take it.
   *
   * @example
   * ```ts
   * if (!lock.locked()) console.log("free");
   * ```
   */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Takes the lock if that needs no wait, and says whether it did: the synchronous core
   * of {@link acquire}. Fails while a chosen waiter has yet to run, to keep FIFO order.
   *
   * @example
   * ```ts
   * if (lock.tryAcquire()) {
   *   try { update(); } finally { lock.release(); }
   * }
   * ```
   */
  tryAcquire(): boolean {
    if (this._locked) return false;
    // Waiters whose futures are all cancelled will never take the lock: jumping past
    // them is safe, and spares a round trip through the loop.
    const waiters = this._waiters;
    if (waiters !== null) {
      if (waiters.find(notCancelled) !== undefined) return false;
    }
    this._locked = true;
    return true;
  }

  /**
   * Waits until the lock is free and takes it; returns true. Prefer {@link with}, which
   * cannot forget to release.
   *
   * @example
   * ```ts
   * yield* lock.acquire();
   * try { yield* work(); } finally { lock.release(); }
   * ```
   */
  acquire(): Operation<true> {
    return mustAwait(this._acquire(), "acquire()", this);
  }

  /** @internal */
  _acquire(): Coroutine<true> {
    return new LockAcquire(this);
  }

  /**
   * Frees the lock and lets the first waiter (if any) take it.
   *
   * @throws RuntimeError if the lock is not locked.
   * @example
   * ```ts
   * lock.release();
   * ```
   */
  release(): void {
    if (!this._locked) throw new RuntimeError("Lock is not acquired.");
    this._locked = false;
    this._wakeUpFirst();
  }

  /**
   * Runs `body` holding the lock and returns what it returns. The lock is released when
   * the body returns, throws or is cancelled.
   *
   * @example
   * ```ts
   * const total = yield* lock.with(function* () {
   *   const value = yield* read();
   *   yield* write(value + 1);
   *   return value + 1;
   * });
   * ```
   */
  with<R>(body: () => Future<R>): Operation<R>;
  /** A plain function that does not wait: its result is the value (see {@link PlainHeldBody}). */
  with<R>(body: PlainHeldBody<R>): Operation<R>;
  /** A `function*` or a coroutine: one that emits, in a producer, makes this a producer of its items. */
  with<R, Y extends ScopeYielded = Yielded>(body: Coroutine<R, Y> | (() => Coroutine<R, Y>)): ScopeOperation<R, Y>;
  // The overloads above are what callers see; which of them applies is told at run time.
  with(body: HeldBody<unknown>): Operation<unknown> | Generator<ScopeYielded, unknown, unknown> {
    return holding(this, body, "Lock.with()");
  }

  /** @internal Wakes the head of the queue, unless it is already chosen. */
  _wakeUpFirst(): void {
    const waiters = this._waiters;
    if (waiters === null) return;
    const first = waiters.first();
    // A done head is either already chosen (it will take the lock) or cancelled (its
    // own catch passes the turn on): in both cases there is nothing to do here.
    if (first !== undefined && !first.done()) first.setResult(undefined);
  }

  /**
   * The state and the number of waiting tasks, for logs and debugging (asyncio's repr).
   *
   * @example
   * ```ts
   * String(lock); // "<Lock [locked, waiters:2]>"
   * ```
   */
  override toString(): string {
    const waiting = this._waiters?.size ?? 0;
    return `<Lock [${this._locked ? "locked" : "unlocked"}${waiting > 0 ? `, waiters:${waiting}` : ""}]>`;
  }
}

/**
 * What `Lock.acquire()` hands to `yield*`: asyncio's `Lock.acquire`, written as an
 * iterator rather than a generator, as Semaphore's acquire is. `next()` takes the lock,
 * or parks the task on a waiter future in the queue, which this object yields as its own
 * iterator result; woken by `_wakeUpFirst()`, it takes the lock. `throw()` and `return()`
 * are the generator's `catch` and `finally`.
 */
class LockAcquire implements Coroutine<true>, IteratorYieldResult<unknown> {
  readonly done = false;
  /** The waiter future the task is parked on; null when not waiting. */
  value: WaitingFuture<void> | null = null;
  private readonly _lock: Lock;

  constructor(lock: Lock) {
    this._lock = lock;
  }

  next(): IteratorResult<Yielded, true> {
    const lock = this._lock;
    const waiter = this.value;
    if (waiter === null) {
      if (lock.tryAcquire()) return ACQUIRED;
      this.value = parkIn(lock, "Lock");
      return this as unknown as Parked;
    }
    if (!waiter.done()) return steppedTwice(`acquire() on ${lock}`);
    try {
      waiter.result(); // woken: chosen by _wakeUpFirst(), unless the wait failed
    } catch (error) {
      this._stopWaiting();
      throw error;
    }
    this._leaveQueue(waiter);
    lock._locked = true;
    return ACQUIRED;
  }

  throw(error: unknown): IteratorResult<Yielded, true> {
    this._stopWaiting();
    throw error;
  }

  return(value: true): IteratorResult<Yielded, true> {
    this._stopWaiting();
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private _leaveQueue(waiter: WaitingFuture<void>): void {
    this.value = null;
    this._lock._waiters!.delete(waiter);
  }

  /**
   * Leaves the queue without the lock. We may have been chosen by release() just before
   * (a cancellation that arrived while the wakeup was queued): then pass the turn on, or
   * the next waiter would sleep forever beside a free lock. asyncio does this for
   * CancelledError only; for any other end it is just as needed and harmless when not.
   */
  private _stopWaiting(): void {
    const waiter = this.value;
    if (waiter === null) return;
    this._leaveQueue(waiter);
    if (!this._lock._locked) this._lock._wakeUpFirst();
  }
}
