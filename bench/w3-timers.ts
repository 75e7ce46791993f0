/**
 * W3: N timers (1,000,000) with seeded delays in [0, 1000) ms; cancel every other one
 * (odd indices), then fire the rest. Phases are timed separately:
 *
 *   ns/schedule = schedule phase / N        ns/cancel = cancel phase / (N/2)
 *   ns/pop      = fire phase / (N/2)        bytes per pending timer = memory delta / N
 *
 * The memory delta is taken after a full GC, with all N timers pending, over the JS heap
 * plus external memory (ArrayBuffers, WebAssembly memory). Where a row keeps handles,
 * the array that holds them is allocated before the baseline, so only the timers count.
 *
 * Rows: the raw scheduler cores (no loop), the wasyncio loop (callLater/cancel, fired in
 * virtual time), Node's setTimeout/clearTimeout (no fire phase: it would take a real
 * second and is not what the anchor measures), and the plain typed-array heap floor.
 */
import { loadCore } from "../src/core/load-core.ts";
import { getRunningLoop, run, sleep, type TimerHandle } from "../src/index.ts";
import { currentRss, fullGc, heapAndExternal, now } from "./process-stats.ts";
import { seededDelays } from "./rng.ts";
import { TypedTimerHeap } from "./typed-heap.ts";
import type { Metrics, Workload } from "./types.ts";

const DELAY_MOD = 1000;

/**
 * Every row first runs the whole sequence on a small count, unmeasured, so that all
 * measure JIT-compiled code: a cold typed-array heap measured 270 ns per schedule
 * against 55-75 ns warm, which would make any ratio to it meaningless.
 */
const WARMUP_N = 20_000;

function warmedUp(body: (n: number) => Promise<Metrics>) {
  return async (n: number) => {
    await body(Math.min(WARMUP_N, n));
    return body(n);
  };
}

/** Timings and memory readings of one run, turned into the W3 metrics. */
class Phases {
  private mem0 = 0;
  private rss0 = 0;
  scheduleMs = 0;
  cancelMs = 0;
  popMs = NaN;
  bytes = 0;
  rssBytes = 0;
  fired = 0;

  /**
   * Holds the delays for the whole run: V8 frees a local as soon as it is last used, and
   * the 4 MB delay array vanishing before the memory reading would hide 4 bytes per timer.
   */
  constructor(readonly delays: Int32Array) {
    this.n = delays.length;
  }
  readonly n: number;

  /** Call before creating anything that holds timers. */
  baseline(): void {
    fullGc();
    this.mem0 = heapAndExternal();
    this.rss0 = currentRss();
  }

  /** Call with all timers pending. */
  pendingMemory(): void {
    fullGc();
    this.bytes = heapAndExternal() - this.mem0;
    this.rssBytes = currentRss() - this.rss0;
  }

  metrics(): Metrics {
    const cancelled = this.n >> 1;
    const rest = this.n - cancelled;
    if (!Number.isNaN(this.popMs) && this.fired !== rest) {
      throw new Error(`expected ${rest} timers to fire, ${this.fired} did`);
    }
    return {
      n: this.n,
      nsPerSchedule: (this.scheduleMs * 1e6) / this.n,
      nsPerCancel: (this.cancelMs * 1e6) / cancelled,
      nsPerPop: (this.popMs * 1e6) / rest,
      bytesPerPending: this.bytes / this.n,
      rssBytesPerPending: this.rssBytes / this.n,
    };
  }
}

/** The raw core: ids are the timer indices; firing = expire(t) per ms, then drain the ready ring. */
function rawCore(kind: "wasm" | "js") {
  return warmedUp(async (n: number) => {
    const delays = seededDelays(n, DELAY_MOD);
    const p = new Phases(delays);
    p.baseline();
    const core = loadCore(kind);

    let t = now();
    for (let i = 0; i < n; i++) core.timerAdd(i, delays[i]!);
    p.scheduleMs = now() - t;
    p.pendingMemory();

    t = now();
    for (let i = 1; i < n; i += 2) core.timerCancel(i);
    p.cancelMs = now() - t;

    t = now();
    let fired = 0;
    for (let ms = 0; ms < DELAY_MOD; ms++) {
      core.expire(ms);
      let k: number;
      while ((k = core.readyTake(core.outCapacity)) > 0) fired += k;
    }
    p.popMs = now() - t;
    p.fired = fired;
    return p.metrics();
  });
}

/** The event loop: callLater + TimerHandle.cancel inside the main task; virtual time fires the rest. */
function loopLevel(core: "wasm" | "js") {
  return warmedUp(async (n: number) => {
    const delays = seededDelays(n, DELAY_MOD);
    const handles = new Array<TimerHandle | null>(n).fill(null);
    const p = new Phases(delays);
    let fired = 0;
    const onFire = (): void => {
      fired++;
    };
    p.baseline();
    await run(
      function* () {
        const loop = getRunningLoop();
        let t = now();
        for (let i = 0; i < n; i++) handles[i] = loop.callLater(delays[i]!, onFire);
        p.scheduleMs = now() - t;
        p.pendingMemory();

        t = now();
        for (let i = 1; i < n; i += 2) handles[i]!.cancel();
        p.cancelMs = now() - t;

        // Virtual time starts at 0 and every delay is < 1000: this sleep ends after all fired.
        t = now();
        yield* sleep(DELAY_MOD);
        p.popMs = now() - t;
      },
      { core, clock: "virtual" },
    );
    p.fired = fired;
    return p.metrics();
  });
}

export const w3: Workload = {
  "core-wasm": rawCore("wasm"),
  "core-js": rawCore("js"),
  "loop-wasm": loopLevel("wasm"),
  "loop-js": loopLevel("js"),

  "node-settimeout": warmedUp(async (n) => {
    const delays = seededDelays(n, DELAY_MOD);
    const handles = new Array<ReturnType<typeof setTimeout> | null>(n).fill(null);
    const onFire = (): void => {};
    const p = new Phases(delays);
    p.baseline();

    let t = now();
    for (let i = 0; i < n; i++) handles[i] = setTimeout(onFire, delays[i]!);
    p.scheduleMs = now() - t;
    p.pendingMemory();

    t = now();
    for (let i = 1; i < n; i += 2) clearTimeout(handles[i]!);
    p.cancelMs = now() - t;

    for (let i = 0; i < n; i += 2) clearTimeout(handles[i]!); // not measured: just let the process end
    return p.metrics();
  }),

  "typed-heap": warmedUp(async (n) => {
    const delays = seededDelays(n, DELAY_MOD);
    const p = new Phases(delays);
    p.baseline();
    const heap = new TypedTimerHeap();

    let t = now();
    for (let i = 0; i < n; i++) heap.add(i, delays[i]!);
    p.scheduleMs = now() - t;
    p.pendingMemory();

    t = now();
    for (let i = 1; i < n; i += 2) heap.cancel(i);
    p.cancelMs = now() - t;

    t = now();
    let fired = 0;
    for (let ms = 0; ms < DELAY_MOD; ms++) {
      while (heap.popDue(ms) >= 0) fired++;
    }
    p.popMs = now() - t;
    p.fired = fired;
    return p.metrics();
  }),
};
