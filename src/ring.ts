/**
 * A FIFO ring buffer: O(1) amortized at both ends, unlike `Array.shift`, which moves
 * every element. A Queue's items and its waiting getters and putters, and the JS core's
 * ready queue.
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

  /** Removes the first occurrence of `item` (O(n), like deque.remove); false if absent. */
  remove(item: T): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = 0; i < this.length; i++) {
      if (slots[(this.head + i) & mask] !== item) continue;
      for (let j = i + 1; j < this.length; j++) slots[(this.head + j - 1) & mask] = slots[(this.head + j) & mask];
      slots[(this.head + this.length - 1) & mask] = undefined;
      this.length--;
      return true;
    }
    return false;
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
