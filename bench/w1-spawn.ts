/**
 * W1: spawn N tasks (100,000), each sleeps a seeded delay in [0, 50) ms on the real
 * clock, and gather them all.
 *
 * Reported: wall time minus the 50 ms floor (the longest sleep), peak RSS, and RSS per
 * task = (peak RSS - RSS before spawning) / N. The delays are generated before the
 * baseline, so neither the time nor the memory figures include them.
 */
import { createTask, gather, run, sleep, type Task, type Yielded } from "../src/index.ts";
import { currentRss, fullGc, now, peakRss, resetPeakRss } from "./process-stats.ts";
import { seededDelays } from "./rng.ts";
import type { Metrics, Workload } from "./types.ts";

const DELAY_MOD = 50;
const FLOOR_MS = DELAY_MOD;

/** Runs `body` between a clean baseline and the peak reading, and shapes the W1 metrics. */
async function measure(n: number, body: (delays: Int32Array) => Promise<unknown>): Promise<Metrics> {
  const delays = seededDelays(n, DELAY_MOD);
  fullGc();
  const baseline = currentRss();
  resetPeakRss();
  const t0 = now();
  await body(delays);
  const wall = now() - t0;
  const peak = peakRss();
  return {
    n,
    wallMs: wall,
    overFloorMs: wall - FLOOR_MS,
    peakRssBytes: peak,
    baselineRssBytes: baseline,
    bytesPerTask: (peak - baseline) / n,
  };
}

function* sleeper(ms: number) {
  yield* sleep(ms);
}

/**
 * createTask per coroutine, then gather the tasks (asyncio: create_task + gather).
 * With `eager`, every task runs its first step inside createTask (asyncio 3.12's eager
 * task factory), up to its sleep: one loop dispatch less per task.
 */
function wasyncio(core: "wasm" | "js", eagerTasks = false) {
  return (n: number) =>
    measure(n, (delays) =>
      run(
        function* () {
          const tasks = new Array<Task<void>>(n);
          for (let i = 0; i < n; i++) tasks[i] = createTask(sleeper(delays[i]!));
          yield* gather(tasks);
        },
        { core, clock: "real", eagerTasks },
      ),
    );
}

/**
 * gather() given the coroutines themselves, which wraps each in a task. Kept as a second
 * row because it takes a different path in gather (a de-duplication Map per call).
 */
function wasyncioGatherCoroutines(core: "wasm" | "js") {
  return (n: number) =>
    measure(n, (delays) =>
      run(
        function* () {
          const coros = new Array<Generator<Yielded, void>>(n);
          for (let i = 0; i < n; i++) coros[i] = sleeper(delays[i]!);
          yield* gather(coros);
        },
        { core, clock: "real" },
      ),
    );
}

const setTimeoutPromise = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
async function nativeSleeper(ms: number): Promise<void> {
  await setTimeoutPromise(ms);
}

export const w1: Workload = {
  "wasyncio-wasm": wasyncio("wasm"),
  "wasyncio-wasm-eager": wasyncio("wasm", true),
  "wasyncio-js": wasyncio("js"),
  "wasyncio-wasm-gather-coros": wasyncioGatherCoroutines("wasm"),

  native: (n) =>
    measure(n, (delays) => {
      const promises = new Array<Promise<void>>(n);
      for (let i = 0; i < n; i++) promises[i] = nativeSleeper(delays[i]!);
      return Promise.all(promises);
    }),

  // Libraries are imported inside their own rows, so they weigh only on their own RSS.
  effect: async (n) => {
    const Effect = await import("effect/Effect");
    return measure(n, (delays) =>
      Effect.runPromise(Effect.forEach(delays, (ms) => Effect.sleep(ms), { concurrency: "unbounded", discard: true })),
    );
  },

  effection: async (n) => {
    const effection = await import("effection");
    return measure(n, (delays) =>
      effection.run(function* () {
        const tasks = new Array<import("effection").Task<void>>(n);
        for (let i = 0; i < n; i++) {
          const ms = delays[i]!;
          tasks[i] = yield* effection.spawn(() => effection.sleep(ms));
        }
        for (const task of tasks) yield* task;
      }),
    );
  },
};
