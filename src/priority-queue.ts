import { describe } from "./describe.js";
import { Queue, type QueueOptions, type QueueStore } from "./queue.js";

/** Orders two items like `Array.prototype.sort`: negative if `a` comes out first, 0 if tied. */
export type Compare<T> = (a: T, b: T) => number;

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /** How to order items; the smallest comes out first. Default: {@link naturalOrder}. */
  compare?: Compare<T> | undefined;
}

/**
 * Items {@link naturalOrder} can order, which need no `compare`: numbers, bigints,
 * booleans, strings, and arrays of them (such as `[priority, job]` tuples). The elements after the
 * first are compared only on a tie, so any may follow, but a tie between two objects
 * cannot be ordered and throws: with objects after the priority, put an insertion count
 * between them (`[priority, count++, job]`, as Python's heapq documentation does), or
 * give a `compare`.
 */
export type NaturallyOrdered = number | bigint | boolean | string | readonly unknown[];

/**
 * The arguments of `new PriorityQueue<T>()`: for items naturalOrder cannot order (objects),
 * `compare` is required, since they would make the first put with another item in the
 * queue throw. An untyped queue (`T` unknown) takes anything, as it does at run time.
 */
export type PriorityQueueArgs<T> = [T] extends [NaturallyOrdered]
  ? [options?: PriorityQueueOptions<T> | number]
  : unknown extends T
    ? [options?: PriorityQueueOptions<T> | number]
    : [options: PriorityQueueOptions<T> & { compare: Compare<T> }];

/**
 * The default order of a {@link PriorityQueue}, which is Python's `<` on the usual
 * priority items: numbers, bigints and booleans by value (as in Python, where `False`
 * and `True` are 0 and 1), strings by code point, and arrays lexicographically like
 * Python tuples (element by element; a prefix comes first), so `[priority, task]`
 * entries work. The same value is tied with itself. Anything else (objects, mixed kinds
 * such as a number and a string) throws TypeError, as Python's `<` does: pass a
 * `compare` function for those.
 *
 * @example
 * ```ts
 * naturalOrder([1, "b"], [1, "c"]); // negative: 1 ties, then "b" < "c"
 * naturalOrder(2, 10);              // negative
 * naturalOrder([1, false], [1, true]); // negative: false is 0, true is 1
 * naturalOrder(1, "1");             // throws TypeError
 * naturalOrder(NaN, 1);            // throws TypeError: NaN has no place in an order
 * ```
 */
export function naturalOrder(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (isNumeric(a) && isNumeric(b)) {
    // NaN is neither below nor above anything: it would tie with every item and leave
    // the heap in no order at all.
    if (a !== a || b !== b) throw new TypeError("PriorityQueue cannot order NaN");
    return (a as number) < (b as number) ? -1 : (b as number) < (a as number) ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a as string, b as string);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const order = naturalOrder(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `PriorityQueue cannot order ${describe(a)} and ${describe(b)}: ` +
      "the default order compares numbers, strings and arrays of them; pass { compare } for other items",
  );
}

/** Whether Python orders `value` as a number: a bool is an int there (False < True < 2). */
function isNumeric(value: unknown): value is number | bigint | boolean {
  const type = typeof value;
  return type === "number" || type === "bigint" || type === "boolean";
}

/**
 * Python's order of strings: by code point. JavaScript's `<` compares UTF-16 code units,
 * which puts characters from U+10000 up (surrogate pairs) before U+E000–U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(a, i, x) - codePointRank(b, i, y);
  }
  return a.length - b.length;
}

/**
 * The place in code point order of `unit`, the code unit at `i` of `text`, where the
 * units before it are the same in both strings compared: one of a surrogate pair goes
 * above U+FFFF, as the character it is part of; a lone surrogate (which a Python str
 * may hold too) is the code point it is, below U+E000.
 */
function codePointRank(text: string, i: number, unit: number): number {
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  const paired = unit <= 0xdbff ? isLowSurrogate(text.charCodeAt(i + 1)) : isHighSurrogate(text.charCodeAt(i - 1));
  return paired ? unit + 0x10000 : unit;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * A binary min-heap on an array, which puts and takes as Python's `heapq` does, so items
 * that tie come out in the same order as from asyncio's PriorityQueue. Each operation
 * first finds where the moved items end up using comparisons alone, and only then moves
 * items: a `compare` that throws (say, on incomparable items) leaves the heap as it was.
 * @internal
 */
class BinaryHeap<T> implements QueueStore<T> {
  // Invariant: for every i > 0, compare(items[(i - 1) >> 1], items[i]) <= 0.
  private items: T[] = [];
  constructor(private readonly compare: Compare<T>) {}

  get length(): number {
    return this.items.length;
  }

  /** heapq.heappush: the item rises from the end past every parent it is smaller than. */
  add(item: T): void {
    const items = this.items;
    const compare = this.compare;
    let hole = items.length;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (!(compare(item, items[parent] as T) < 0)) break;
      hole = parent;
    }
    // The comparisons are done; now shift the path's items down one level each.
    let i = items.length;
    items.push(item);
    while (i > hole) {
      const parent = (i - 1) >> 1;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[hole] = item;
  }

  /**
   * heapq.heappop: the last item takes the top's place; it first sinks to a leaf along
   * the smaller children (the right one on a tie), then rises again while it is smaller
   * than the item above it.
   */
  take(): T {
    const items = this.items;
    const top = items[0] as T;
    const size = items.length - 1; // the heap without the last item, which fills the gap
    if (size === 0) {
      items.pop();
      return top;
    }
    const last = items[size] as T;
    const compare = this.compare;
    // Where `last` is: it sinks to a leaf along the smaller children (each item on that
    // path moving up a level), then rises past each path item it is smaller than (which
    // moves back down), as heapq's sift does, comparing first and moving after.
    let hole = 0;
    try {
      for (let child = 1; child < size; child = 2 * hole + 1) {
        hole = child + 1 < size && !(compare(items[child] as T, items[child + 1] as T) < 0) ? child + 1 : child;
      }
      while (hole > 0 && compare(last, items[hole] as T) < 0) hole = (hole - 1) >> 1;
    } finally {
      // The items move to where the comparisons took them. One that failed (two items the
      // order cannot compare) leaves them where heapq's failed heappop leaves them: the
      // top gone, `last` as far as it got. Left as it was, the queue would fail every later
      // get on the same comparison. Walking up from the hole, each item on the path moves
      // up one level, and `last` fills the hole.
      items.pop();
      let carry = last;
      for (let i = hole; ; i = (i - 1) >> 1) {
        const moved = items[i] as T;
        items[i] = carry;
        if (i === 0) break;
        carry = moved;
      }
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }
}

/**
 * A queue that hands out the smallest item first (asyncio.PriorityQueue), kept in a
 * binary heap: put and get are O(log n). Items are ordered by `compare`, or by default by
 * {@link naturalOrder}, which sorts numbers, strings and arrays like Python tuples, so
 * `[priority, item]` pairs work while the items can be ordered too (a tie compares them;
 * two objects cannot be, and the put throws). Items that tie come out in the order
 * asyncio's would (the heap moves items as `heapq` does), which is not first in, first
 * out: add a sequence number (`[priority, seq, item]`) for that, or for objects.
 * Waiting getters take the smallest item when they run, not when they are woken.
 *
 * @example
 * ```ts
 * function* main() {
 *   const jobs = new PriorityQueue<[number, string]>();
 *   jobs.putNowait([2, "write report"]);
 *   jobs.putNowait([1, "fix outage"]);
 *   const [, first] = yield* jobs.get(); // "fix outage"
 *
 *   const byDeadline = new PriorityQueue<{ due: number }>({ compare: (a, b) => a.due - b.due });
 * }
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * @param options `maxsize` (as a number or in the options) and `compare`.
   * @example
   * ```ts
   * const largestFirst = new PriorityQueue<number>({ maxsize: 10, compare: (a, b) => b - a });
   * ```
   */
  constructor(...options: PriorityQueueArgs<T>);
  constructor(options?: PriorityQueueOptions<T> | number) {
    super(options);
    const compare = typeof options === "object" && options !== null ? options.compare : undefined;
    if (compare !== undefined && typeof compare !== "function") {
      throw new TypeError(`new PriorityQueue(): compare must be a function, got ${describe(compare)}`);
    }
    this._items = new BinaryHeap<T>(compare === undefined ? naturalOrder : numeric(compare));
  }

  /** @internal */
  override get _optionKeys(): string {
    return "maxsize compare";
  }

  /** @internal */
  override get _typeName(): string {
    return "PriorityQueue";
  }
}

/**
 * `compare`, refusing an answer that is not a number. A boolean one (`(a, b) => a < b`,
 * the habit of other languages' sorts) would order nothing: `true < 0` and `false < 0`
 * are both false, so it is refused where it would silently scramble the queue.
 */
function numeric<T>(compare: Compare<T>): Compare<T> {
  return (a, b) => {
    const order = compare(a, b);
    if (typeof order !== "number" || order !== order) {
      throw new TypeError(`PriorityQueue: compare must return a number (negative, zero or positive), got ${describe(order)}`);
    }
    return order;
  };
}
