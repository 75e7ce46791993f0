/** What a {@link TaskList} links together: the list keeps its links on the members. */
export interface Linked<T extends Linked<T>> {
  /** @internal */ _prevLinked: T | null;
  /** @internal */ _nextLinked: T | null;
}

/**
 * The loop's unfinished tasks (asyncio's all_tasks), as an intrusive doubly linked list:
 * adding and removing a task are two pointer writes, with no hashing and no allocation,
 * which a `Set` would cost on every task's start and end. Iteration is in start order.
 */
export class TaskList<T extends Linked<T>> implements Iterable<T> {
  private _head: T | null = null;
  private _tail: T | null = null;
  private _count = 0;

  get size(): number {
    return this._count;
  }

  add(item: T): void {
    item._prevLinked = this._tail;
    item._nextLinked = null;
    if (this._tail === null) this._head = item;
    else this._tail._nextLinked = item;
    this._tail = item;
    this._count++;
  }

  /** Removes `item`, which must be in this list. */
  delete(item: T): void {
    const prev = item._prevLinked;
    const next = item._nextLinked;
    if (prev === null) this._head = next;
    else prev._nextLinked = next;
    if (next === null) this._tail = prev;
    else next._prevLinked = prev;
    item._prevLinked = item._nextLinked = null;
    this._count--;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let item = this._head; item !== null; ) {
      const next = item._nextLinked; // read first: the consumer may remove `item`
      yield item;
      item = next;
    }
  }
}
