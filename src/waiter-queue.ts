import type { Future } from "./future.js";

/**
 * The tasks parked on a synchronization primitive or queue, in arrival order.
 *
 * Waiters leave mostly from the front (the one woken first runs first), sometimes from
 * the middle (cancelled). A `Set` keeps the order but leaves a hole per deleted entry
 * until it rehashes, so finding the first waiter costs as much as the holes before it:
 * with 100,000 waiters that is microseconds per wakeup. Here a removed entry becomes
 * `null` and the head skips past leading nulls at once, so finding the first waiter is
 * O(1). The holes, in front or in the middle (waiters that timed out behind one that
 * stays, such as a task parked on a stop Event all day), are squeezed out once they
 * outnumber the live waiters: the array stays within twice the waiters, and a removal
 * costs O(waiters) amortized, as asyncio's deque.remove does.
 */
export class WaiterQueue<T extends object> implements Iterable<T> {
  private items: (T | null)[] = [];
  private head = 0;
  private count = 0;

  /** How many waiters are in the queue. */
  get size(): number {
    return this.count;
  }

  add(item: T): void {
    this.items.push(item);
    this.count++;
  }

  /** Removes `item`; false if it was not there. Searches from the front, where leavers usually are. */
  delete(item: T): boolean {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) {
      if (items[i] === item) {
        items[i] = null;
        if (--this.count === 0) {
          items.length = 0;
          this.head = 0;
        } else if (i === this.head) {
          let head = i + 1;
          while (items[head] === null) head++; // a live waiter is left, so this stops
          this.head = head;
        }
        if (items.length > 2 * this.count + 64) this.compact();
        return true;
      }
    }
    return false;
  }

  /** The first waiter, in arrival order, for which `test` holds. */
  find(test: (item: T) => boolean): T | undefined {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]!;
      if (item !== null && test(item)) return item;
    }
    return undefined;
  }

  /** The first waiter, or undefined when there is none. */
  first(): T | undefined {
    return this.count > 0 ? (this.items[this.head] as T) : undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]!;
      if (item !== null) yield item;
    }
  }

  /** Moves the live waiters down to the start, in order, dropping every hole. */
  private compact(): void {
    const items = this.items;
    let to = 0;
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]!;
      if (item !== null) items[to++] = item;
    }
    items.length = to;
    this.head = 0;
  }
}

/**
 * Parks the running task on `waiter` as a member of `queue`, in arrival order; the
 * waiter leaves the queue however the wait ends (result, error or cancellation).
 */
export function* waitInQueue<R>(queue: WaiterQueue<Future<R>>, waiter: Future<R>): Generator<unknown, R, unknown> {
  queue.add(waiter);
  try {
    return yield* waiter;
  } finally {
    queue.delete(waiter);
  }
}
