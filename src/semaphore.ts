import type { Coroutine, Parked, ScopeOperation, ScopeYielded, Yielded } from "./coroutine.js";
import { refusedNumber, ValueError } from "./errors.js";
import { describe } from "./describe.js";
import type { Future } from "./future.js";
import type { WaitingFuture } from "./waiting-future.js";
import { type HeldBody, holding, type PlainHeldBody } from "./holding.js";
import { ACQUIRED } from "./iterator-results.js";
import { parkIn, type Queued } from "./loop-bound.js";
import { WaiterQueue } from "./waiter-queue.js";
import type { EventLoop } from "./loop.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { Shown } from "./inspect-hook.js";
import { steppedTwice } from "./stepped-twice.js";

function checkCount(value: unknown, what: string): number {
  // Infinity is no limit at all, as in asyncio (`Semaphore(float("inf"))`) and p-limit.
  // A TypeError for what is no number (as asyncio), a ValueError for a number that is no
  // count (asyncio takes 1.5, and would count down to 0.5).
  if (typeof value !== "number" || !(Number.isInteger(value) || value === Infinity)) {
    throw refusedNumber(value, `${what}: the initial value must be an integer or Infinity, got ${describe(value)}`, ValueError);
  }
  if (value < 0) throw new ValueError(`${what}: the initial value must be >= 0, got ${value}`);
  return value;
}

/**
 * A counter of free slots (asyncio.Semaphore): acquire() takes one, waiting while there
 * are none; release() gives one back. Strictly first come, first served: while tasks are
 * waiting, a newcomer queues behind them even if a slot is free.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(3);
 * function* fetchOne(url: string) {
 *   return yield* slots.with(function* () { return yield* download(url); }); // at most 3 at once
 * }
 * ```
 */
export class Semaphore extends Shown implements Queued {
  /** @internal */ _loop: EventLoop | null = null;
  /**
   * @internal Free slots. A slot handed to a chosen waiter is subtracted when it is
   * chosen, not when the waiter runs, so nobody can take it in between.
   */
  _value: number;
  /** @internal Parked acquirers in arrival order, but for those chosen already. */
  _waiters: WaiterQueue | null = null;
  /**
   * @internal Acquirers chosen by _wakeUpNext (their slot counted as taken) whose tasks
   * have not run since. They leave the queue when chosen, so that n releases in a row do
   * not each walk past the ones chosen before (n² steps, as in asyncio); asyncio keeps
   * them in its deque until they run, so `locked()` and the description count them here.
   */
  _chosen = 0;
  /**
   * @internal Cancelled acquirers taken out of the queue by _firstWaiting() whose tasks
   * have not run since: the description counts them, as asyncio's deque holds them.
   */
  _cancelledOut = 0;

  /**
   * @param value the number of free slots to start with (default 1).
   * @throws ValueError if `value` is negative.
   * @example
   * ```ts
   * const pool = new Semaphore(10);
   * ```
   */
  constructor(value = 1) {
    super();
    this._value = checkCount(value, `new ${this._typeName}()`);
  }

  /**
   * True if acquire() would have to wait: no slot is free, or tasks are queued ahead.
   *
   * @example
   * ```ts
   * if (slots.locked()) console.log("busy");
   * ```
   */
  locked(): boolean {
    return this._value === 0 || this._chosen > 0 || this._firstWaiting() !== undefined;
  }

  /**
   * Takes a slot if that needs no wait, and says whether it did: the synchronous core of
   * {@link acquire}.
   *
   * @example
   * ```ts
   * if (slots.tryAcquire()) {
   *   try { quickJob(); } finally { slots.release(); }
   * }
   * ```
   */
  tryAcquire(): boolean {
    if (this.locked()) return false;
    this._value--;
    return true;
  }

  /**
   * Waits for a free slot and takes it; returns true. Prefer {@link with}.
   *
   * @example
   * ```ts
   * yield* slots.acquire();
   * try { yield* work(); } finally { slots.release(); }
   * ```
   */
  acquire(): Operation<true> {
    return mustAwait(this._acquire(), "acquire()", this);
  }

  /** @internal */
  _acquire(): Coroutine<true> {
    return new SemaphoreAcquire(this);
  }

  /**
   * Gives a slot back, waking the first waiter if any.
   *
   * @example
   * ```ts
   * slots.release();
   * ```
   */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /**
   * Runs `body` holding a slot and returns what it returns. The slot is given back when
   * the body returns, throws or is cancelled.
   *
   * @example
   * ```ts
   * const page = yield* slots.with(function* () { return yield* download(url); });
   * ```
   */
  with<R>(body: () => Future<R>): Operation<R>;
  /** A plain function that does not wait: its result is the value (see {@link PlainHeldBody}). */
  with<R>(body: PlainHeldBody<R>): Operation<R>;
  /** A `function*` or a coroutine: one that emits, in a producer, makes this a producer of its items. */
  with<R, Y extends ScopeYielded = Yielded>(body: Coroutine<R, Y> | (() => Coroutine<R, Y>)): ScopeOperation<R, Y>;
  // The overloads above are what callers see; which of them applies is told at run time.
  with(body: HeldBody<unknown>): Operation<unknown> | Generator<ScopeYielded, unknown, unknown> {
    return holding(this, body, `${this._typeName}.with()`);
  }

  /** @internal "Semaphore" or "BoundedSemaphore" in descriptions: `constructor.name` is what minifiers rename. */
  get _typeName(): string {
    return "Semaphore";
  }

  /** @internal Chooses the first waiter not chosen yet, reserving a slot for it. */
  _wakeUpNext(): boolean {
    const waiter = this._firstWaiting();
    if (waiter === undefined) return false;
    this._value--;
    this._waiters!.delete(waiter);
    this._chosen++;
    waiter.setResult(undefined);
    return true;
  }

  /**
   * The first waiter still waiting. The cancelled ones before it, whose tasks have not
   * run since, are taken out of the queue on the way (they find themselves gone when
   * they run), so that n releases in a row after n cancellations do not each walk past
   * them all: n² steps, as in asyncio.
   */
  private _firstWaiting(): WaitingFuture<unknown> | undefined {
    const waiters = this._waiters;
    if (waiters === null) return undefined;
    let first;
    while ((first = waiters.first()) !== undefined && first.cancelled()) {
      waiters.take();
      this._cancelledOut++;
    }
    return first;
  }

  /**
   * The state and the number of waiting tasks, for logs and debugging (asyncio's repr).
   *
   * @example
   * ```ts
   * String(slots); // "<Semaphore [unlocked, value:3]>"
   * ```
   */
  override toString(): string {
    const waiting = (this._waiters?.size ?? 0) + this._chosen + this._cancelledOut;
    const state = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    return `<${this._typeName} [${state}${waiting > 0 ? `, waiters:${waiting}` : ""}]>`;
  }
}

/**
 * A Semaphore that refuses to be released more often than it was acquired
 * (asyncio.BoundedSemaphore): release() past the initial value throws ValueError, which
 * catches a double release instead of silently widening the limit.
 *
 * @example
 * ```ts
 * const slots = new BoundedSemaphore(2);
 * slots.release(); // ValueError: BoundedSemaphore released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _boundValue: number;

  /**
   * @param value the number of slots, which is also the most there can ever be free.
   * @example
   * ```ts
   * const slots = new BoundedSemaphore(4);
   * ```
   */
  constructor(value = 1) {
    super(value);
    // One of Infinity slots could never be given back: Infinity - 1 is Infinity, which is
    // every slot free (CPython accepts math.inf, and then refuses every release).
    if (value === Infinity) throw new ValueError("new BoundedSemaphore(): the initial value must be finite, got Infinity (a Semaphore may have it)");
    this._boundValue = value;
  }

  /** @internal */
  override get _typeName(): string {
    return "BoundedSemaphore";
  }

  /**
   * Gives a slot back.
   *
   * @throws ValueError if every slot is already free.
   * @example
   * ```ts
   * slots.release();
   * ```
   */
  override release(): void {
    if (this._value >= this._boundValue) throw new ValueError("BoundedSemaphore released too many times");
    super.release();
  }
}

/**
 * What `acquire()` hands to `yield*`: asyncio's `Semaphore.acquire`, written as an
 * iterator rather than a generator, as Queue's get is. `next()` takes a free slot, or
 * parks the task on a waiter future in the queue, which this object yields as its own
 * iterator result; woken, the slot was already counted as ours by `_wakeUpNext()`.
 * `throw()` and `return()` are the generator's `catch` and `finally`.
 */
class SemaphoreAcquire implements Iterator<Yielded, true, unknown>, IteratorYieldResult<unknown> {
  readonly done = false;
  /** The waiter future the task is parked on; null when not waiting. */
  value: WaitingFuture<void> | null = null;
  private readonly _semaphore: Semaphore;

  constructor(semaphore: Semaphore) {
    this._semaphore = semaphore;
  }

  next(): IteratorResult<Yielded, true> {
    const semaphore = this._semaphore;
    if (this.value !== null) {
      if (!this.value.done()) return steppedTwice(`acquire() on ${semaphore}`);
      this._stopWaiting(); // woken: _wakeUpNext() gave us the slot
      return ACQUIRED;
    }
    if (semaphore.tryAcquire()) return ACQUIRED;
    this.value = parkIn(semaphore, semaphore._typeName);
    return this as unknown as Parked;
  }

  throw(error: unknown): IteratorResult<Yielded, true> {
    this._giveUp();
    throw error;
  }

  return(value: true): IteratorResult<Yielded, true> {
    this._giveUp();
    return { value, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /**
   * Stops waiting without the slot: the task was cancelled, or its coroutine closed (by
   * a closed loop). Chosen by _wakeUpNext() already, which counted our slot as taken,
   * typically cancelled while the wakeup was queued, it gives the slot back, and
   * _stopWaiting() hands it to the next waiter. (asyncio does this for a cancellation
   * only, and a coroutine closed then keeps its slot for good; our Lock passes its turn
   * on for either.)
   */
  private _giveUp(): void {
    const waiter = this.value;
    if (waiter !== null && waiter.done() && !waiter.cancelled()) this._semaphore._value++;
    this._stopWaiting();
  }

  /** Leaves the queue; then, as asyncio does, wakes as many waiters as slots are free. */
  private _stopWaiting(): void {
    const waiter = this.value;
    if (waiter === null) return;
    this.value = null;
    const semaphore = this._semaphore;
    // Out of the queue already: chosen (its slot counted in _chosen), or cancelled and
    // taken out by _firstWaiting().
    if (!semaphore._waiters!.delete(waiter)) {
      if (waiter.cancelled()) semaphore._cancelledOut--;
      else semaphore._chosen--;
    }
    // Slots may be free with tasks still queued: a newcomer that arrived while slots
    // were free had to queue behind us for FIFO's sake, and only we can wake it.
    while (semaphore._value > 0) if (!semaphore._wakeUpNext()) break;
  }
}
