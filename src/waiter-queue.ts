import type { Yielded } from "./coroutine.js";
import { type Linked, LinkedList } from "./linked-list.js";
import type { WaitingFuture } from "./waiting-future.js";

/**
 * The tasks parked on a synchronization primitive or queue, in arrival order: their
 * waiter futures, linked through themselves.
 *
 * Waiters leave mostly from the front (the one woken first runs first), but also from
 * anywhere else (cancelled, timed out), and often many at once: a task group or a gather
 * of waiting tasks cancelled, in any order. A linked list lets each leave in a few
 * pointer writes wherever it stands. An array, searched and spliced (asyncio's
 * deque.remove), made cancelling n waiters take n² steps: 50,000 tasks parked on a Lock
 * took 1.5 s to cancel in reverse order, and 50,000 getters of a Queue 5.8 s in order.
 */
export class WaiterQueue<T extends Linked<T> = WaitingFuture<unknown>> extends LinkedList<T> {
  /** Removes `item`; false if it was not in the queue (it left already). */
  override delete(item: T): boolean {
    if (item._prevLinked === null && this._head !== item) return false;
    super.delete(item);
    return true;
  }

  /** The first waiter, in arrival order, for which `test` holds. */
  find(test: (item: T) => boolean): T | undefined {
    for (let item = this._head; item !== null; item = item._nextLinked) if (test(item)) return item;
    return undefined;
  }

  /** The first waiter, or undefined when there is none. */
  first(): T | undefined {
    return this._head ?? undefined;
  }

  /** Removes and returns the first waiter, or undefined when there is none. */
  take(): T | undefined {
    const first = this._head;
    if (first === null) return undefined;
    super.delete(first);
    return first;
  }
}

/**
 * Parks the running task on `waiter` as a member of `queue`, in arrival order; the
 * waiter leaves the queue however the wait ends (result, error or cancellation).
 */
export function* waitInQueue<R>(queue: WaiterQueue, waiter: WaitingFuture<R>): Generator<Yielded, R, unknown> {
  queue.add(waiter);
  try {
    return yield* waiter;
  } finally {
    queue.delete(waiter);
  }
}

/**
 * Parks the running task on `waiter` in `queue`, for something the next waiter can take
 * as well (a free slot, a result): the waker takes it out of the queue. Left without it
 * (cancelled, or closed by a closed loop), it leaves the queue, and a wake-up it got
 * goes on to the next waiter while `available()` (see {@link leaveQueue}), as asyncio's
 * bare `except:` around such a wait does, GeneratorExit included.
 */
export function* waitOrPassOn(queue: WaiterQueue, waiter: WaitingFuture<void>, available: () => boolean): Generator<Yielded, void, unknown> {
  queue.add(waiter);
  let woken = false;
  try {
    yield* waiter;
    woken = true;
  } finally {
    if (!woken) leaveQueue(queue, waiter, available());
  }
}

/**
 * Wakes every waiter still waiting, leaving them in `queue`: each leaves it as its wait
 * ends (see {@link waitInQueue}). An Event's `set()`, a Queue's end of `join()`.
 */
export function wakeInPlace(queue: WaiterQueue): void {
  for (const waiter of queue) if (!waiter.done()) waiter.setResult(undefined);
}

/** Wakes every waiter still waiting and takes them all out of `queue` (a Queue's shutdown). */
export function wakeAndEmpty(queue: WaiterQueue): void {
  for (let waiter; (waiter = queue.take()) !== undefined; ) if (!waiter.done()) waiter.setResult(undefined);
}

/**
 * Wakes the oldest waiter still waiting, taking it and every done one before it out of
 * `queue` (asyncio's `_wakeup_next` of a Queue). A woken waiter's task finds what it
 * waited for when it runs, or passes the wake-up on if it no longer wants it.
 */
export function wakeNext(queue: WaiterQueue): void {
  for (let waiter; (waiter = queue.take()) !== undefined; ) {
    if (!waiter.done()) {
      waiter.setResult(undefined);
      return;
    }
  }
}

/**
 * `waiter` stops waiting in `queue` without what it waited for (its task was cancelled,
 * or its coroutine closed): it leaves the queue. If it had been woken already, for
 * something that is still there (`available`: an item, a free slot, a result), the
 * wake-up goes to the next waiter, which would otherwise wait with it there (asyncio's
 * Queue: `if not self.empty() and not getter.cancelled(): self._wakeup_next(...)`).
 * A waiter still pending is left so: no one can wake it once it is out of the queue.
 * (asyncio cancels it, which fails where a closed loop closes the waiting coroutine;
 * a Lock's waiter, here as in asyncio, is only taken out.)
 */
export function leaveQueue(queue: WaiterQueue, waiter: WaitingFuture<unknown>, available: boolean): void {
  queue.delete(waiter);
  if (available && waiter.done() && !waiter.cancelled()) wakeNext(queue);
}
