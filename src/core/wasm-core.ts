import { CoreMemoryError, type SchedulerCore } from "./scheduler-core.js";

/** The raw exports of `core.wasm`; see `assembly/index.ts` for the ABI. */
interface CoreExports {
  memory: WebAssembly.Memory;
  init(): number;
  outPointer(): number;
  outCapacity(): number;
  inPointer(): number;
  inCapacity(): number;
  setPageLimit(pages: number): void;
  timerAdd(id: number, deadline: number): number;
  timerCancel(id: number): number;
  timerNext(): number;
  timerCount(): number;
  expire(now: number): number;
  readyPush(id: number): number;
  readyCommit(n: number): number;
  readyCount(): number;
  readyTake(max: number): number;
}

/** Options for a Wasm core instance. */
export interface WasmCoreOptions {
  /** Caps the core's memory at this many 64 KiB pages. */
  maxPages?: number;
}

/**
 * The scheduler core running in WebAssembly, behind an adapter that keeps the boundary
 * crossings per batch rather than per callback:
 *
 * - `readyPush` writes the id into the core's in buffer, in JS, and commits the buffer
 *   in one call when it is full or before anything that reads the ring (`readyTake`,
 *   `expire`), so the order is exactly that of one push per id. When the ring is empty,
 *   `readyTake` takes the staged ids directly, with no call at all.
 * - The counts (`readyCount`, `timerCount`) are mirrored here from the results of the
 *   calls that change them. The differential tests compare them with the JS core after
 *   every operation.
 *
 * Growing memory detaches the views of it; every call that may grow refreshes them.
 */
export class WasmCore implements SchedulerCore {
  readonly kind = "wasm" as const;
  readonly outCapacity: number;
  private readonly inCapacity: number;
  private readonly x: CoreExports;
  private outView: Int32Array;
  private inView: Int32Array;
  /** Ids in the in buffer, not yet committed to the ring. */
  private staged = 0;
  /** Ids in the ring plus staged ids. */
  private ready = 0;
  private timers = 0;

  constructor(module: WebAssembly.Module, options: WasmCoreOptions = {}) {
    this.x = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
    if (options.maxPages !== undefined) this.x.setPageLimit(options.maxPages);
    if (this.x.init() !== 1) throw new CoreMemoryError("wasm");
    this.outCapacity = this.x.outCapacity();
    this.inCapacity = this.x.inCapacity();
    this.outView = this.inView = new Int32Array(0);
    this.refreshViews();
  }

  timerAdd(id: number, deadline: number): void {
    const status = this.x.timerAdd(id, deadline);
    this.refreshViews();
    if (status === 1) {
      this.timers++;
      return;
    }
    if (status === 0) throw new CoreMemoryError("wasm");
    throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
  }

  timerCancel(id: number): boolean {
    if (this.x.timerCancel(id) !== 1) return false;
    this.timers--;
    return true;
  }

  timerNext(): number {
    return this.x.timerNext();
  }

  timerCount(): number {
    return this.timers;
  }

  expire(now: number): number {
    this.commit();
    const moved = this.x.expire(now);
    this.refreshViews();
    if (moved < 0) {
      // Some timers moved before memory ran out: resynchronise the counts.
      this.timers = this.x.timerCount();
      this.ready = this.x.readyCount();
      throw new CoreMemoryError("wasm");
    }
    this.timers -= moved;
    this.ready += moved;
    return moved;
  }

  readyPush(id: number): void {
    if (this.staged === this.inCapacity) this.commit();
    this.inView[this.staged++] = id;
    this.ready++;
  }

  readyCount(): number {
    return this.ready;
  }

  readyTake(max: number): number {
    if (this.ready === this.staged) return this.takeStaged(max);
    this.commit();
    const n = this.x.readyTake(max);
    this.ready -= n;
    return n;
  }

  /**
   * The ring is empty, so the staged ids are the whole queue, in order: hand them over
   * without a round trip through the ring. This is the common case of a loop with a few
   * ready callbacks per iteration.
   */
  private takeStaged(max: number): number {
    const staged = this.staged;
    const n = Math.min(max, staged, this.outCapacity);
    const from = this.inView;
    const to = this.outView;
    for (let i = 0; i < n; i++) to[i] = from[i]!;
    if (n < staged) from.copyWithin(0, n, staged);
    this.staged = staged - n;
    this.ready -= n;
    return n;
  }

  out(): Int32Array {
    return this.outView;
  }

  /** Moves the staged ids into the ring. Ids that did not fit stay staged, in order. */
  private commit(): void {
    const staged = this.staged;
    if (staged === 0) return;
    const committed = this.x.readyCommit(staged);
    this.refreshViews();
    if (committed === staged) {
      this.staged = 0;
      return;
    }
    this.inView.copyWithin(0, committed, staged);
    this.staged = staged - committed;
    throw new CoreMemoryError("wasm");
  }

  private refreshViews(): void {
    // A detached view has length 0; the buffers themselves never move in memory.
    if (this.outView.length !== 0) return;
    const buffer = this.x.memory.buffer;
    this.outView = new Int32Array(buffer, this.x.outPointer(), this.outCapacity);
    this.inView = new Int32Array(buffer, this.x.inPointer(), this.inCapacity);
  }
}
