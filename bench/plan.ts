/**
 * What `npm run bench` runs: every (workload, system) pair, its size, and the figures
 * recorded earlier on this machine for the anchor systems (printed next to this run's, as
 * a check that this run's anchors behave like the recorded ones).
 */
export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "W5" | "W6" | "W7";

export interface Case {
  workload: WorkloadId;
  /** The system id the child understands (see the workload's file). */
  system: string;
  /** How the table names it. */
  label: string;
  /** True for wasyncio rows: the ones the targets apply to. */
  ours?: boolean;
  /** Runs at most this many times whatever --runs says (effection W1 takes ~14 s a run). */
  maxRuns?: number;
  /** The reference figure recorded earlier for this system, in the table's main unit, if it has one. */
  anchorDoc?: string;
}

/** Workload sizes: full, and --quick for a smoke run. */
export const SIZES: Record<WorkloadId, { full: number; quick: number; what: string }> = {
  W1: { full: 100_000, quick: 10_000, what: "tasks" },
  W2: { full: 1_000_000, quick: 100_000, what: "switches" },
  W3: { full: 1_000_000, quick: 100_000, what: "timers" },
  W4: { full: 10_000, quick: 2_000, what: "tasks" },
  W5: { full: 100_000, quick: 10_000, what: "tasks" },
  W7: { full: 100_000, quick: 10_000, what: "tasks" },
  W6: { full: 1_000_000, quick: 100_000, what: "messages" },
};

export const TITLES: Record<WorkloadId, string> = {
  W1: "W1: spawn tasks, each sleeps a seeded delay in [0, 50) ms, gather all",
  W2: "W2: context switches (two tasks taking turns)",
  W3: "W3: timers, seeded delays in [0, 1000) ms, cancel every other, fire the rest",
  W4: "W4: tasks sleeping 10 s, cancel all, until every finally block ran",
  W5: "W5: tasks limited by a Semaphore(100), each suspending once while holding a slot",
  W7: "W7: spawn tasks that finish without suspending, gather them: lazy vs eager tasks",
  W6: "W6: queue ping-pong between two tasks over two unbounded queues",
};

export const CASES: Case[] = [
  { workload: "W1", system: "wasyncio-wasm", label: "wasyncio, Wasm core (createTask + gather)", ours: true },
  { workload: "W1", system: "wasyncio-js", label: "wasyncio, JS core (createTask + gather)", ours: true },
  { workload: "W1", system: "wasyncio-wasm-eager", label: "wasyncio, Wasm core, eager tasks (createTask + gather)", ours: true },
  { workload: "W1", system: "wasyncio-wasm-gather-coros", label: "wasyncio, Wasm core (gather of coroutines)", ours: true },
  { workload: "W1", system: "native", label: "native async fn + setTimeout + Promise.all", anchorDoc: "358 ms, 1.13 KB" },
  { workload: "W1", system: "effect", label: "Effect 4 forEach (unbounded) + Effect.sleep", anchorDoc: "690 ms, 1.84 KB" },
  { workload: "W1", system: "effection", label: "effection 4 spawn + join", maxRuns: 1, anchorDoc: "13,807 ms, 14.75 KB" },

  { workload: "W2", system: "wasyncio-wasm-sleep0", label: "wasyncio, Wasm core: yield* sleep(0)", ours: true },
  { workload: "W2", system: "wasyncio-js-sleep0", label: "wasyncio, JS core: yield* sleep(0)", ours: true },
  { workload: "W2", system: "wasyncio-wasm-future-pingpong", label: "wasyncio, Wasm core: Future ping-pong", ours: true },
  { workload: "W2", system: "wasyncio-js-future-pingpong", label: "wasyncio, JS core: Future ping-pong", ours: true },
  { workload: "W2", system: "native-await-null", label: "native await null (the floor)", anchorDoc: "49" },
  { workload: "W2", system: "native-promise-pingpong", label: "native promise ping-pong", anchorDoc: "70" },
  { workload: "W2", system: "effection", label: "effection yield* until(Promise.resolve())", anchorDoc: "663" },
  { workload: "W2", system: "effect", label: "Effect.yieldNow", anchorDoc: "833" },

  { workload: "W3", system: "core-wasm", label: "raw core, Wasm (loadCore)", ours: true },
  { workload: "W3", system: "core-js", label: "raw core, JS (loadCore)", ours: true },
  { workload: "W3", system: "typed-heap", label: "plain JS typed-array heap (the floor)", anchorDoc: "35 / 71 / 291 / 28" },
  { workload: "W3", system: "loop-wasm", label: "wasyncio loop, Wasm core (callLater/cancel, virtual time)", ours: true },
  { workload: "W3", system: "loop-js", label: "wasyncio loop, JS core (callLater/cancel, virtual time)", ours: true },
  { workload: "W3", system: "node-settimeout", label: "Node setTimeout / clearTimeout", anchorDoc: "422 / 95 / — / 196" },

  { workload: "W4", system: "wasyncio-wasm", label: "wasyncio, Wasm core (cancel + gather)", ours: true },
  { workload: "W4", system: "wasyncio-js", label: "wasyncio, JS core (cancel + gather)", ours: true },
  { workload: "W4", system: "native-abort-per-task", label: "native, one AbortController per task", anchorDoc: "15.1" },
  { workload: "W4", system: "effect", label: "Effect Fiber.interruptAll", anchorDoc: "9.0" },
  { workload: "W4", system: "effection", label: "effection halt scope", anchorDoc: "42.3" },
  { workload: "W4", system: "generator-throw-floor", label: "floor: generator.throw into each, no runtime" },

  { workload: "W5", system: "wasyncio-wasm-acquire", label: "wasyncio, Wasm core: acquire / try-finally release", ours: true },
  { workload: "W5", system: "wasyncio-js-acquire", label: "wasyncio, JS core: acquire / try-finally release", ours: true },
  { workload: "W5", system: "wasyncio-wasm-with", label: "wasyncio, Wasm core: sem.with(body)", ours: true },
  { workload: "W5", system: "wasyncio-js-with", label: "wasyncio, JS core: sem.with(body)", ours: true },
  { workload: "W5", system: "wasyncio-wasm-workers", label: "wasyncio, Wasm core: 100 workers taking the jobs in turn (no semaphore)" },
  { workload: "W5", system: "native", label: "native counting semaphore, promise queue (the floor)" },
  { workload: "W5", system: "p-limit", label: "p-limit 7, pLimit(100) + await null", anchorDoc: "4.8" },
  // Not Effect's Semaphore, which is O(N²) with N waiters in 4.1.0: see w5-semaphore.ts.
  { workload: "W5", system: "effect", label: "Effect 4 forEach({ concurrency: 100 }) + yieldNow", anchorDoc: "2.7" },

  { workload: "W6", system: "wasyncio-wasm", label: "wasyncio, Wasm core: Queue put/get", ours: true },
  { workload: "W6", system: "wasyncio-js", label: "wasyncio, JS core: Queue put/get", ours: true },
  { workload: "W6", system: "native", label: "native promise queue (the floor)" },
  { workload: "W6", system: "effection", label: "effection 4 createQueue add/next", anchorDoc: "794" },
  { workload: "W6", system: "effect", label: "Effect 4 Queue.unbounded offer/take", anchorDoc: "1,840" },

  { workload: "W7", system: "wasyncio-wasm-lazy", label: "wasyncio, Wasm core, lazy tasks", ours: true },
  { workload: "W7", system: "wasyncio-wasm-eager", label: "wasyncio, Wasm core, eager tasks", ours: true },
  { workload: "W7", system: "wasyncio-js-lazy", label: "wasyncio, JS core, lazy tasks", ours: true },
  { workload: "W7", system: "wasyncio-js-eager", label: "wasyncio, JS core, eager tasks", ours: true },
  { workload: "W7", system: "native", label: "native async fn + Promise.all" },
];
