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
  timerDeadline(id: number): number;
  timerCount(): number;
  expire(now: number): number;
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
  /** The module this core is an instance of: an empty core of a closed loop is kept for the module's next loop. */
  readonly module: WebAssembly.Module;
  private readonly _inCapacity: number;
  /** @internal The instance's exports (its memory, which `releaseCore` weighs, among them). */
  readonly _x: CoreExports;
  private _outView: Int32Array;
  private _inView: Int32Array;
  /** Ids in the in buffer, not yet committed to the ring. */
  private _staged = 0;
  /** Ids in the ring plus staged ids. */
  private _ready = 0;
  private _timers = 0;

  constructor(module: WebAssembly.Module, options: WasmCoreOptions = {}) {
    this.module = module;
    this._x = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
    if (options.maxPages !== undefined) this._x.setPageLimit(options.maxPages);
    if (this._x.init() !== 1) throw new CoreMemoryError("wasm");
    this.outCapacity = this._x.outCapacity();
    this._inCapacity = this._x.inCapacity();
    this._outView = this._inView = new Int32Array(0);
    this._refreshViews();
  }

  timerAdd(id: number, deadline: number): void {
    const status = this._x.timerAdd(id, deadline);
    this._refreshViews();
    if (status === 1) {
      this._timers++;
      return;
    }
    if (status === 0) throw new CoreMemoryError("wasm");
    throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
  }

  timerCancel(id: number): boolean {
    if (this._x.timerCancel(id) !== 1) return false;
    this._timers--;
    return true;
  }

  timerNext(): number {
    return this._x.timerNext();
  }

  timerDeadline(id: number): number {
    return this._x.timerDeadline(id);
  }

  timerCount(): number {
    return this._timers;
  }

  expire(now: number): number {
    this._commit();
    let moved = this._x.expire(now);
    this._refreshViews();
    // The ring could not grow (-1): the timers that did not fit stay due in the heap and
    // move once the loop has run what the ring holds. Failing here instead would stop
    // every iteration before it ran anything, and the loop would never drain.
    if (moved < 0) moved = this._timers - this._x.timerCount();
    this._timers -= moved;
    this._ready += moved;
    return moved;
  }

  readyPush(id: number): void {
    if (this._staged === this._inCapacity) {
      this._commit();
      if (this._staged === this._inCapacity) throw new CoreMemoryError("wasm");
    }
    this._inView[this._staged++] = id;
    this._ready++;
  }

  readyCount(): number {
    return this._ready;
  }

  readyTake(max: number): number {
    if (this._ready === this._staged) return this._takeStaged(max);
    this._commit();
    const n = this._x.readyTake(max);
    this._ready -= n;
    return n;
  }

  /**
   * The ring is empty, so the staged ids are the whole queue, in order: hand them over
   * without a round trip through the ring. This is the common case of a loop with a few
   * ready callbacks per iteration.
   */
  private _takeStaged(max: number): number {
    const staged = this._staged;
    const n = Math.min(max, staged, this.outCapacity);
    const from = this._inView;
    const to = this._outView;
    for (let i = 0; i < n; i++) to[i] = from[i]!;
    if (n < staged) from.copyWithin(0, n, staged);
    this._staged = staged - n;
    this._ready -= n;
    return n;
  }

  out(): Int32Array {
    return this._outView;
  }

  /**
   * Moves the staged ids into the ring. Ids that do not fit (the ring could not grow) stay
   * staged, in order, behind the ring: what the ring holds can still be taken.
   */
  private _commit(): void {
    const staged = this._staged;
    if (staged === 0) return;
    const committed = this._x.readyCommit(staged);
    this._refreshViews();
    if (committed < staged) this._inView.copyWithin(0, committed, staged);
    this._staged = staged - committed;
  }

  private _refreshViews(): void {
    // A detached view has length 0; the buffers themselves never move in memory.
    if (this._outView.length !== 0) return;
    const buffer = this._x.memory.buffer;
    this._outView = new Int32Array(buffer, this._x.outPointer(), this.outCapacity);
    this._inView = new Int32Array(buffer, this._x.inPointer(), this._inCapacity);
  }
}
