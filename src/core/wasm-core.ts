import { CoreMemoryError, type SchedulerCore } from "./scheduler-core.js";

/** The raw exports of `core.wasm`; see `assembly/index.ts` for the ABI. */
interface CoreExports {
  memory: WebAssembly.Memory;
  init(): number;
  outPointer(): number;
  outCapacity(): number;
  setPageLimit(pages: number): void;
  timerAdd(id: number, deadline: number): number;
  timerCancel(id: number): number;
  timerNext(): number;
  timerCount(): number;
  expire(now: number): number;
  readyPush(id: number): number;
  readyCount(): number;
  readyTake(max: number): number;
}

/** Options for a Wasm core instance. */
export interface WasmCoreOptions {
  /** Caps the core's memory at this many 64 KiB pages. */
  maxPages?: number;
}

/**
 * The scheduler core running in WebAssembly. A thin adapter: it turns the ABI's status
 * codes into exceptions and keeps a view of the out buffer that it renews whenever the
 * memory has grown (growth detaches the old ArrayBuffer).
 */
export class WasmCore implements SchedulerCore {
  readonly kind = "wasm" as const;
  readonly outCapacity: number;
  private readonly x: CoreExports;
  private buffer: ArrayBuffer;
  private view: Int32Array;

  constructor(module: WebAssembly.Module, options: WasmCoreOptions = {}) {
    this.x = new WebAssembly.Instance(module, {}).exports as unknown as CoreExports;
    if (options.maxPages !== undefined) this.x.setPageLimit(options.maxPages);
    if (this.x.init() !== 1) throw new CoreMemoryError("wasm");
    this.outCapacity = this.x.outCapacity();
    this.buffer = this.x.memory.buffer;
    this.view = new Int32Array(this.buffer, this.x.outPointer(), this.outCapacity);
  }

  timerAdd(id: number, deadline: number): void {
    const status = this.x.timerAdd(id, deadline);
    if (status !== 1) {
      if (status === 0) throw new CoreMemoryError("wasm");
      throw new RangeError(`wasyncio core: timer id ${id} is invalid or already pending`);
    }
  }

  timerCancel(id: number): boolean {
    return this.x.timerCancel(id) === 1;
  }

  timerNext(): number {
    return this.x.timerNext();
  }

  timerCount(): number {
    return this.x.timerCount();
  }

  expire(now: number): number {
    const moved = this.x.expire(now);
    if (moved < 0) throw new CoreMemoryError("wasm");
    return moved;
  }

  readyPush(id: number): void {
    if (this.x.readyPush(id) !== 1) throw new CoreMemoryError("wasm");
  }

  readyCount(): number {
    return this.x.readyCount();
  }

  readyTake(max: number): number {
    return this.x.readyTake(max);
  }

  out(): Int32Array {
    const buffer = this.x.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new Int32Array(buffer, this.x.outPointer(), this.outCapacity);
    }
    return this.view;
  }
}
