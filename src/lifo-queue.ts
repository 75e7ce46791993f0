import { Queue, type QueueOptions, type QueueStore } from "./queue.js";

/** Items on an array used as a stack: push and pop at the end are O(1). @internal */
class Stack<T> implements QueueStore<T> {
  private items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  add(item: T): void {
    this.items.push(item);
  }

  take(): T {
    return this.items.pop() as T;
  }

  clear(): void {
    this.items = [];
  }
}

/**
 * A queue that hands out the most recently put item first (asyncio.LifoQueue).
 * Everything else (maxsize, waiting, taskDone/join, shutdown) is as in {@link Queue}.
 *
 * @example
 * ```ts
 * function* main() {
 *   const stack = new LifoQueue<string>();
 *   stack.putNowait("first");
 *   stack.putNowait("second");
 *   yield* stack.get(); // "second"
 * }
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * @param options `maxsize` (as a number or `{ maxsize }`); 0 or less means no limit.
   * @example
   * ```ts
   * const undo = new LifoQueue<string>({ maxsize: 50 });
   * ```
   */
  constructor(options?: QueueOptions | number) {
    super(options);
    this._items = new Stack<T>();
  }

  /** @internal */
  override get _typeName(): string {
    return "LifoQueue";
  }
}
