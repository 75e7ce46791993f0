/**
 * A FIFO ring buffer: O(1) amortized at both ends, unlike `Array.shift`, which moves
 * every element. A Queue's items, a WorkerExecutor's queued calls, and the futures
 * asCompleted has seen finish.
 * @internal
 */
export class Ring<T> {
  // Invariant: `slots.length` is 0 or a power of two, so wrapping is a mask. The items
  // are slots[head], slots[head + 1], ... (mod capacity), `length` of them; every other
  // slot is undefined, so a taken item is not kept alive by the buffer.
  private slots: (T | undefined)[] = [];
  private head = 0;
  length = 0;

  add(item: T): void {
    if (this.length === this.slots.length) this.resize(this.slots.length === 0 ? 8 : this.slots.length * 2);
    this.slots[(this.head + this.length) & (this.slots.length - 1)] = item;
    this.length++;
  }

  take(): T {
    const slots = this.slots;
    const item = slots[this.head] as T;
    slots[this.head] = undefined;
    this.head = (this.head + 1) & (slots.length - 1);
    this.length--;
    // Shrinking at a quarter (not a half) keeps a queue that hovers around a power of
    // two from reallocating on every put/get, and gives back the memory of a burst.
    if (slots.length > 64 && this.length <= slots.length >>> 2) this.resize(slots.length >>> 1);
    return item;
  }

  /** The first item, left in place; undefined when there is none. */
  peek(): T | undefined {
    return this.slots[this.head];
  }

  clear(): void {
    this.slots = [];
    this.head = 0;
    this.length = 0;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    const mask = old.length - 1;
    const slots = new Array<T | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.length; i++) slots[i] = old[(this.head + i) & mask];
    this.slots = slots;
    this.head = 0;
  }
}
