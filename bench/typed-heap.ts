/**
 * The algorithmic floor for W3: a plain JS binary min-heap of timers whose entries sit
 * inline in one Float64Array, three slots per entry (deadline, insertion sequence, id),
 * plus pos[id] = the entry's index for O(log n) cancellation. 24 + 4 = 28 bytes per
 * pending timer (times the growth slack of doubling).
 *
 * Same ordering contract as the wasyncio cores: (deadline, insertion order). No
 * interface, no id checks and no ready ring: nothing but the algorithm, so the cores'
 * ratio to it is the price of their ABI and bookkeeping.
 */
const STRIDE = 3;

export class TypedTimerHeap {
  private entries: Float64Array;
  private pos: Int32Array;
  private size = 0;
  private sequence = 0;

  constructor(initialCapacity = 1024) {
    this.entries = new Float64Array(initialCapacity * STRIDE);
    this.pos = new Int32Array(initialCapacity).fill(-1);
  }

  count(): number {
    return this.size;
  }

  /** The earliest deadline, or Infinity. */
  peek(): number {
    return this.size > 0 ? this.entries[0]! : Infinity;
  }

  add(id: number, deadline: number): void {
    if (this.size * STRIDE === this.entries.length) {
      const grown = new Float64Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    if (id >= this.pos.length) {
      let capacity = this.pos.length;
      while (capacity <= id) capacity *= 2;
      const grown = new Int32Array(capacity).fill(-1);
      grown.set(this.pos);
      this.pos = grown;
    }
    this.siftUp(this.size++, deadline, this.sequence++, id);
  }

  /** Removes timer `id`; false if it is not pending. */
  cancel(id: number): boolean {
    const i = id < this.pos.length ? this.pos[id]! : -1;
    if (i < 0) return false;
    this.pos[id] = -1;
    this.removeAt(i);
    return true;
  }

  /** Removes and returns the id of the earliest timer if it is due at `now`, else -1. */
  popDue(now: number): number {
    if (this.size === 0 || this.entries[0]! > now) return -1;
    const id = this.entries[2]! | 0;
    this.pos[id] = -1;
    this.removeAt(0);
    return id;
  }

  private removeAt(i: number): void {
    const last = --this.size;
    if (i === last) return;
    const e = this.entries;
    const o = last * STRIDE;
    const d = e[o]!;
    const s = e[o + 1]!;
    const id = e[o + 2]! | 0;
    if (i > 0) {
      const p = ((i - 1) >> 1) * STRIDE;
      if (d < e[p]! || (d === e[p]! && s < e[p + 1]!)) {
        this.siftUp(i, d, s, id);
        return;
      }
    }
    this.siftDown(i, d, s, id);
  }

  private siftUp(i: number, d: number, s: number, id: number): void {
    const e = this.entries;
    const pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = parent * STRIDE;
      const pd = e[p]!;
      if (d > pd || (d === pd && s > e[p + 1]!)) break;
      const o = i * STRIDE;
      e[o] = pd;
      e[o + 1] = e[p + 1]!;
      const pid = e[p + 2]! | 0;
      e[o + 2] = pid;
      pos[pid] = i;
      i = parent;
    }
    const o = i * STRIDE;
    e[o] = d;
    e[o + 1] = s;
    e[o + 2] = id;
    pos[id] = i;
  }

  private siftDown(i: number, d: number, s: number, id: number): void {
    const e = this.entries;
    const pos = this.pos;
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let co = c * STRIDE;
      const r = c + 1;
      if (r < n) {
        const ro = r * STRIDE;
        if (e[ro]! < e[co]! || (e[ro] === e[co] && e[ro + 1]! < e[co + 1]!)) {
          c = r;
          co = ro;
        }
      }
      const cd = e[co]!;
      if (d < cd || (d === cd && s < e[co + 1]!)) break;
      const o = i * STRIDE;
      e[o] = cd;
      e[o + 1] = e[co + 1]!;
      const cid = e[co + 2]! | 0;
      e[o + 2] = cid;
      pos[cid] = i;
      i = c;
    }
    const o = i * STRIDE;
    e[o] = d;
    e[o + 1] = s;
    e[o + 2] = id;
    pos[id] = i;
  }
}
