import { CoreMemoryError, type SchedulerCore } from "./scheduler-core.js";

const OUT_CAPACITY = 1024;

/**
 * The scheduler core in plain TypeScript: the same ordering and the same observable
 * behaviour as the Wasm core (the differential tests hold them to it). Used where Wasm
 * compilation is refused.
 *
 * It ships in every bundle as the fallback, so it is written small: plain arrays that
 * grow by themselves instead of typed arrays grown by hand. The heap holds timer ids;
 * a timer's deadline and sequence number are looked up by id, so sifting moves one
 * number per step, and `_pos[id]` (the heap index, or -1) makes cancellation O(log n).
 * The ready queue is an array read from `_head` and written at `_tail`; it rewinds to 0
 * whenever it empties, and compacts when the read position runs far ahead.
 */
export class JsCore implements SchedulerCore {
  readonly kind = "js" as const;
  readonly outCapacity = OUT_CAPACITY;

  private readonly _heap: number[] = [];
  private readonly _deadline: number[] = [];
  private readonly _sequence: number[] = [];
  private readonly _pos: number[] = [];
  private _nextSequence = 0;

  private readonly _ready: number[] = [];
  private _head = 0;
  private _tail = 0;
  private readonly _out = new Int32Array(OUT_CAPACITY);
  /** Entries the core may hold in all (timers plus ready ids); models a memory cap. */
  private readonly _maxEntries: number;

  constructor(maxEntries = Infinity) {
    this._maxEntries = maxEntries;
  }

  timerCount(): number {
    return this._heap.length;
  }

  timerNext(): number {
    const heap = this._heap;
    return heap.length > 0 ? this._deadline[heap[0]!]! : Infinity;
  }

  timerAdd(id: number, deadline: number): void {
    if (!(id >= 0) || this._pos[id]! >= 0) {
      throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
    }
    this._checkRoom();
    this._deadline[id] = deadline;
    this._sequence[id] = this._nextSequence++;
    this._siftUp(this._heap.length, id);
  }

  timerCancel(id: number): boolean {
    const i = this._pos[id];
    if (i === undefined || i < 0) return false;
    this._removeAt(i);
    return true;
  }

  expire(now: number): number {
    const heap = this._heap;
    let moved = 0;
    while (heap.length > 0 && this._deadline[heap[0]!]! <= now) {
      this._ready[this._tail++] = heap[0]!;
      this._removeAt(0);
      moved++;
    }
    return moved;
  }

  readyPush(id: number): void {
    this._checkRoom();
    this._ready[this._tail++] = id;
  }

  readyCount(): number {
    return this._tail - this._head;
  }

  readyTake(max: number): number {
    const ready = this._ready;
    const out = this._out;
    let head = this._head;
    const n = Math.min(max, this._tail - head, OUT_CAPACITY);
    if (n <= 0) return 0;
    for (let i = 0; i < n; i++) out[i] = ready[head++]!;
    if (head === this._tail) {
      this._tail = head = 0;
    } else if (head >= OUT_CAPACITY && head * 2 >= this._tail) {
      // Always busy, never empty: move the live part down so the array stops growing.
      ready.copyWithin(0, head, this._tail);
      this._tail -= head;
      head = 0;
    }
    this._head = head;
    return n;
  }

  out(): Int32Array {
    return this._out;
  }

  private _checkRoom(): void {
    if (this._heap.length + this._tail - this._head >= this._maxEntries) throw new CoreMemoryError("js");
  }

  /** Timer `a` fires before timer `b`: earlier deadline, or the same one and added first. */
  private _before(a: number, b: number): boolean {
    const da = this._deadline[a]!;
    const db = this._deadline[b]!;
    return da < db || (da === db && this._sequence[a]! < this._sequence[b]!);
  }

  private _removeAt(i: number): void {
    const heap = this._heap;
    this._pos[heap[i]!] = -1;
    const last = heap.pop()!;
    if (i === heap.length) return;
    // The last timer fills the hole: it moves up past earlier parents or down past later children.
    this._siftUp(i, last);
    if (heap[i] === last) this._siftDown(i, last);
  }

  /** Places timer `id` at index `i` or above, moving later parents down. */
  private _siftUp(i: number, id: number): void {
    const heap = this._heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentId = heap[parent]!;
      if (!this._before(id, parentId)) break;
      this._place(i, parentId);
      i = parent;
    }
    this._place(i, id);
  }

  /** Places timer `id` at index `i` or below, moving earlier children up. */
  private _siftDown(i: number, id: number): void {
    const heap = this._heap;
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this._before(heap[child + 1]!, heap[child]!)) child++;
      const childId = heap[child]!;
      if (!this._before(childId, id)) break;
      this._place(i, childId);
      i = child;
    }
    this._place(i, id);
  }

  private _place(i: number, id: number): void {
    this._heap[i] = id;
    this._pos[id] = i;
  }
}
