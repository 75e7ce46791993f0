/** What a {@link TaskList} links together: the list keeps its links on the members. */
export interface Linked<T extends Linked<T>> {
  _prevLinked: T | null;
  _nextLinked: T | null;
}

/**
 * The loop's unfinished tasks (asyncio's all_tasks), as an intrusive doubly linked list:
 * adding and removing a task are two pointer writes, with no hashing and no allocation,
 * which a `Set` would cost on every task's start and end. Iteration is in start order.
 */
export class TaskList<T extends Linked<T>> implements Iterable<T> {
  private head: T | null = null;
  private tail: T | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(item: T): void {
    item._prevLinked = this.tail;
    item._nextLinked = null;
    if (this.tail === null) this.head = item;
    else this.tail._nextLinked = item;
    this.tail = item;
    this.count++;
  }

  /** Removes `item`, which must be in this list. */
  delete(item: T): void {
    const prev = item._prevLinked;
    const next = item._nextLinked;
    if (prev === null) this.head = next;
    else prev._nextLinked = next;
    if (next === null) this.tail = prev;
    else next._prevLinked = prev;
    item._prevLinked = item._nextLinked = null;
    this.count--;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let item = this.head; item !== null; ) {
      const next = item._nextLinked; // read first: the consumer may remove `item`
      yield item;
      item = next;
    }
  }
}
