import { CoreMemoryError, type SchedulerCore } from "./scheduler-core.js";

const OUT_CAPACITY = 1024;
const INITIAL_CAPACITY = 1024;

/**
 * The scheduler core in plain TypeScript: the same algorithm and the same observable
 * behaviour as the Wasm core (the differential tests hold them to it). Used where Wasm
 * compilation is refused, and as the baseline in benchmarks.
 *
 * The heap keeps its entries in three parallel typed arrays (deadline, sequence, id);
 * `pos[id]` is the heap index of timer `id` or -1.
 */
export class JsCore implements SchedulerCore {
  readonly kind = "js" as const;
  readonly outCapacity = OUT_CAPACITY;

  private deadlines = new Float64Array(INITIAL_CAPACITY);
  private sequences = new Float64Array(INITIAL_CAPACITY);
  private ids = new Int32Array(INITIAL_CAPACITY);
  private pos = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private size = 0;
  private nextSequence = 0;

  private ring = new Int32Array(INITIAL_CAPACITY);
  private head = 0;
  private count = 0;
  private readonly outBuffer = new Int32Array(OUT_CAPACITY);

  /** Entries the core may hold in all (timers plus ready ids); models a memory cap. */
  constructor(private readonly maxEntries = Infinity) {}

  timerCount(): number {
    return this.size;
  }

  timerNext(): number {
    return this.size > 0 ? this.deadlines[0]! : Infinity;
  }

  timerAdd(id: number, deadline: number): void {
    if (id < 0 || (id < this.pos.length && this.pos[id]! >= 0)) {
      throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
    }
    if (this.size + this.count >= this.maxEntries) throw new CoreMemoryError("js");
    if (id >= this.pos.length) this.growPositions(id);
    if (this.size === this.deadlines.length) this.growHeap();
    this.siftUp(this.size++, deadline, this.nextSequence++, id);
  }

  timerCancel(id: number): boolean {
    if (id < 0 || id >= this.pos.length) return false;
    const i = this.pos[id]!;
    if (i < 0) return false;
    this.pos[id] = -1;
    this.removeAt(i);
    return true;
  }

  expire(now: number): number {
    let moved = 0;
    while (this.size > 0 && this.deadlines[0]! <= now) {
      const id = this.ids[0]!;
      this.pushRing(id);
      this.pos[id] = -1;
      this.removeAt(0);
      moved++;
    }
    return moved;
  }

  readyPush(id: number): void {
    if (this.size + this.count >= this.maxEntries) throw new CoreMemoryError("js");
    this.pushRing(id);
  }

  readyCount(): number {
    return this.count;
  }

  readyTake(max: number): number {
    const n = Math.min(max, this.count, OUT_CAPACITY);
    if (n <= 0) return 0;
    const mask = this.ring.length - 1;
    for (let i = 0; i < n; i++) this.outBuffer[i] = this.ring[(this.head + i) & mask]!;
    this.head = (this.head + n) & mask;
    this.count -= n;
    return n;
  }

  out(): Int32Array {
    return this.outBuffer;
  }

  private pushRing(id: number): void {
    if (this.count === this.ring.length) this.growRing();
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = id;
    this.count++;
  }

  private growRing(): void {
    const old = this.ring;
    const grown = new Int32Array(old.length * 2);
    // Full ring: entries run from head to the end, then from 0 to head.
    grown.set(old.subarray(this.head));
    grown.set(old.subarray(0, this.head), old.length - this.head);
    this.ring = grown;
    this.head = 0;
  }

  private growHeap(): void {
    const capacity = this.deadlines.length * 2;
    const grow = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.deadlines = grow(this.deadlines, (n) => new Float64Array(n));
    this.sequences = grow(this.sequences, (n) => new Float64Array(n));
    this.ids = grow(this.ids, (n) => new Int32Array(n));
  }

  private growPositions(id: number): void {
    let capacity = this.pos.length;
    while (capacity <= id) capacity *= 2;
    const grown = new Int32Array(capacity).fill(-1);
    grown.set(this.pos);
    this.pos = grown;
  }

  private place(i: number, deadline: number, sequence: number, id: number): void {
    this.deadlines[i] = deadline;
    this.sequences[i] = sequence;
    this.ids[i] = id;
    this.pos[id] = i;
  }

  private removeAt(i: number): void {
    const last = --this.size;
    if (i === last) return;
    const d = this.deadlines[last]!;
    const s = this.sequences[last]!;
    const id = this.ids[last]!;
    if (i > 0) {
      const p = (i - 1) >> 1;
      if (earlier(d, s, this.deadlines[p]!, this.sequences[p]!)) {
        this.siftUp(i, d, s, id);
        return;
      }
    }
    this.siftDown(i, d, s, id);
  }

  private siftUp(i: number, d: number, s: number, id: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pd = this.deadlines[p]!;
      const ps = this.sequences[p]!;
      if (!earlier(d, s, pd, ps)) break;
      this.place(i, pd, ps, this.ids[p]!);
      i = p;
    }
    this.place(i, d, s, id);
  }

  private siftDown(i: number, d: number, s: number, id: number): void {
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cd = this.deadlines[c]!;
      let cs = this.sequences[c]!;
      const r = c + 1;
      if (r < n) {
        const rd = this.deadlines[r]!;
        const rs = this.sequences[r]!;
        if (earlier(rd, rs, cd, cs)) {
          c = r;
          cd = rd;
          cs = rs;
        }
      }
      if (!earlier(cd, cs, d, s)) break;
      this.place(i, cd, cs, this.ids[c]!);
      i = c;
    }
    this.place(i, d, s, id);
  }
}

function earlier(d1: number, s1: number, d2: number, s2: number): boolean {
  return d1 < d2 || (d1 === d2 && s1 < s2);
}
