import type { Ring } from "../ring.js";
import { CoreMemoryError, type SchedulerCore } from "./scheduler-core.js";

// Small, so that a new core costs next to nothing (a loop per `run()` makes one): V8
// allocates a typed array of up to 64 bytes in its heap, in about 0.1 µs, and a larger
// one outside it, in 1.5–5 µs (five of 1,024 entries took 20 µs a core). The heap's
// arrays double as timers come; a batch of 16 ready ids costs one more call per 16.
const OUT_CAPACITY = 16;
const INITIAL_CAPACITY = 8;

/**
 * The scheduler core in plain TypeScript: the same ordering and the same observable
 * behaviour as the Wasm core (the differential tests hold them to it), but for the size
 * of a batch of ready ids, which the interface leaves to each core. Used where Wasm
 * compilation is refused.
 *
 * The heap is 4-ary, as the Wasm core's (half the levels of a binary heap: schedule 61
 * -> 48 ns, cancel 80 -> 43, pop 373 -> 308 at a million timers), and three parallel
 * typed arrays by heap index (deadline, sequence, id), read in order while sifting;
 * `_pos[id]` is the heap index of timer `id` (or -1), which makes cancellation O(log n). Typed arrays because they are twice as fast here as plain
 * arrays for a million timers. The ready queue is a plain array read from `_head` and
 * written at `_tail`: it rewinds to 0 whenever it empties, and compacts when the read
 * position runs far ahead. (The runtime's {@link Ring} would do, but it would bring its
 * resizing and removal into every bundle: 0.2 KB gzipped, measured.)
 */
export class JsCore implements SchedulerCore {
  readonly kind = "js" as const;
  readonly outCapacity = OUT_CAPACITY;

  private _deadlines = new Float64Array(INITIAL_CAPACITY);
  private _sequences = new Float64Array(INITIAL_CAPACITY);
  private _ids = new Int32Array(INITIAL_CAPACITY);
  private _pos = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private _size = 0;
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
    return this._size;
  }

  timerNext(): number {
    return this._size > 0 ? this._deadlines[0]! : Infinity;
  }

  timerDeadline(id: number): number {
    const i = id >= 0 && id < this._pos.length ? this._pos[id]! : -1;
    return i < 0 ? NaN : this._deadlines[i]!;
  }

  timerAdd(id: number, deadline: number): void {
    if (!(id >= 0) || (id < this._pos.length && this._pos[id]! >= 0)) {
      throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
    }
    this._checkRoom();
    if (id >= this._pos.length) this._pos = grown(this._pos, Math.max(id + 1, this._pos.length * 2), -1);
    const size = this._size;
    if (size === this._ids.length) {
      this._deadlines = grown(this._deadlines, size * 2);
      this._sequences = grown(this._sequences, size * 2);
      this._ids = grown(this._ids, size * 2);
    }
    this._size = size + 1;
    this._siftUp(size, deadline, this._nextSequence++, id);
  }

  timerCancel(id: number): boolean {
    if (!(id >= 0 && id < this._pos.length)) return false;
    const i = this._pos[id]!;
    if (i < 0) return false;
    this._pos[id] = -1;
    this._removeAt(i);
    return true;
  }

  expire(now: number): number {
    let moved = 0;
    while (this._size > 0 && this._deadlines[0]! <= now) {
      const id = this._ids[0]!;
      this._ready[this._tail++] = id;
      this._pos[id] = -1;
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
    } else if (head >= 1024 && head * 2 >= this._tail) {
      // Always busy, never empty, and read far ahead: move the live part down so the array
      // stops growing. By a loop: V8's copyWithin on a plain array goes element by element
      // through the generic property path, about 60 ns each against 1 (W1's JS core moved
      // 386,000 a run).
      this._tail -= head;
      for (let i = 0; i < this._tail; i++) ready[i] = ready[head++]!;
      head = 0;
    }
    this._head = head;
    return n;
  }

  out(): Int32Array {
    return this._out;
  }

  private _checkRoom(): void {
    if (this._size + this._tail - this._head >= this._maxEntries) throw new CoreMemoryError("js");
  }

  /** The last entry fills the hole at `i`: it moves up past later parents or down past earlier children. */
  private _removeAt(i: number): void {
    const last = --this._size;
    if (i === last) return;
    const d = this._deadlines[last]!;
    const s = this._sequences[last]!;
    const id = this._ids[last]!;
    if (i > 0 && earlier(d, s, this._deadlines[(i - 1) >> 2]!, this._sequences[(i - 1) >> 2]!)) {
      this._siftUp(i, d, s, id);
    } else {
      this._siftDown(i, d, s, id);
    }
  }

  /** Places the entry (d, s, id) at index `i` or above, moving later parents down. */
  private _siftUp(i: number, d: number, s: number, id: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pd = this._deadlines[parent]!;
      const ps = this._sequences[parent]!;
      if (!earlier(d, s, pd, ps)) break;
      this._place(i, pd, ps, this._ids[parent]!);
      i = parent;
    }
    this._place(i, d, s, id);
  }

  /** Places the entry (d, s, id) at index `i` or below, moving earlier children up. */
  private _siftDown(i: number, d: number, s: number, id: number): void {
    const n = this._size;
    for (;;) {
      // The earliest of the (up to four) children that is earlier than the entry.
      let child = -1;
      let cd = d;
      let cs = s;
      for (let k = 4 * i + 1, end = Math.min(k + 4, n); k < end; k++) {
        if (earlier(this._deadlines[k]!, this._sequences[k]!, cd, cs)) {
          child = k;
          cd = this._deadlines[k]!;
          cs = this._sequences[k]!;
        }
      }
      if (child < 0) break;
      this._place(i, cd, cs, this._ids[child]!);
      i = child;
    }
    this._place(i, d, s, id);
  }

  private _place(i: number, d: number, s: number, id: number): void {
    this._deadlines[i] = d;
    this._sequences[i] = s;
    this._ids[i] = id;
    this._pos[id] = i;
  }
}

/** A copy of `array` with room for `length` entries, the new ones set to `fill`. */
function grown<A extends Float64Array | Int32Array>(array: A, length: number, fill = 0): A {
  const copy = new (array.constructor as new (length: number) => A)(length);
  copy.set(array);
  if (fill !== 0) copy.fill(fill, array.length);
  return copy;
}

/** Entry 1 fires before entry 2: an earlier deadline, or the same one and added first. */
function earlier(d1: number, s1: number, d2: number, s2: number): boolean {
  return d1 < d2 || (d1 === d2 && s1 < s2);
}
