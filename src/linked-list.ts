/** What a {@link LinkedList} links together: the list keeps its links on the members. */
export interface Linked<T extends Linked<T>> {
  /** @internal */ _prevLinked: T | null;
  /** @internal */ _nextLinked: T | null;
}

/**
 * An intrusive doubly linked list: adding and removing a member are a few pointer writes,
 * with no hashing, no search and no allocation, wherever the member is. Iteration is in
 * the order of adding. The loop's unfinished tasks (asyncio's all_tasks), where a `Set`
 * would cost hashing on every task's start and end, and the waiters of a primitive (see
 * WaiterQueue). An item is in one list at a time.
 */
export class LinkedList<T extends Linked<T>> implements Iterable<T> {
  /** @internal */ protected _head: T | null = null;
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
