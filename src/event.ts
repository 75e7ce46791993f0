import type { Yielded } from "./coroutine.js";
import { boundLoop, type LoopBound } from "./loop-bound.js";
import type { EventLoop } from "./loop.js";
import { WaitingFuture } from "./waiting-future.js";
import { WaiterQueue, waitInQueue, wakeInPlace } from "./waiter-queue.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { Shown } from "./inspect-hook.js";

/**
 * A flag tasks can wait for (asyncio.Event). set() wakes every waiting task; while it is
 * set, wait() returns at once; clear() lowers it again.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * createTask(function* () { yield* ready.wait(); console.log("go"); });
 * ready.set();
 * ```
 */
export class Event extends Shown implements LoopBound {
  /** @internal */ _loop: EventLoop | null = null;
  /** @internal Parked waiters in arrival order. */
  _waiters = new WaiterQueue();
  /** @internal */ _value = false;

  /**
   * True while the flag is set.
   *
   * @example
   * ```ts
   * if (!ready.isSet()) yield* ready.wait();
   * ```
   */
  isSet(): boolean {
    return this._value;
  }

  /**
   * Sets the flag and wakes every task waiting for it. They are woken by resolving their
   * futures, so a clear() right after does not take the wakeup back from them.
   *
   * @example
   * ```ts
   * ready.set();
   * ```
   */
  set(): void {
    if (this._value) return;
    this._value = true;
    wakeInPlace(this._waiters);
  }

  /**
   * Lowers the flag: later wait() calls block until the next set().
   *
   * @example
   * ```ts
   * ready.clear();
   * ```
   */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set (returns at once if it is); returns true.
   *
   * @example
   * ```ts
   * yield* ready.wait();
   * ```
   */
  wait(): Operation<true> {
    return mustAwait(this._wait(), "wait()", this);
  }

  /** @internal */
  *_wait(): Generator<Yielded, true, unknown> {
    if (this._value) return true;
    const waiter = new WaitingFuture<void>(boundLoop(this, "Event"), "wait()", this);
    yield* waitInQueue(this._waiters, waiter);
    return true;
  }

  /**
   * The state and the number of waiting tasks, for logs and debugging (asyncio's repr).
   *
   * @example
   * ```ts
   * String(ready); // "<Event [unset, waiters:1]>"
   * ```
   */
  override toString(): string {
    const waiting = this._waiters.size;
    return `<Event [${this._value ? "set" : "unset"}${waiting > 0 ? `, waiters:${waiting}` : ""}]>`;
  }
}
