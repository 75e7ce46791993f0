/**
 * W4: N tasks (10,000) each `try { sleep 10 s } finally { count++ }`; once all of them
 * are parked in the sleep, cancel them all and wait until every finally block ran.
 * Reported: the cancel phase (from the first cancel to the last finally observed by the
 * waiter) in µs per task. Spawning is not timed. Each row checks that all N finally
 * blocks ran.
 *
 * Each child runs the workload six times. The first round is the reported figure (a
 * one-shot, as the reference measurements were): it runs the cancel path cold, in V8's interpreter and
 * baseline tiers, since 10,000 cancellations are too few to reach optimized code. The
 * median of rounds 4-6 shows the same path once the JIT has seen it.
 */
import { createTask, gather, run, sleep, type Task } from "../src/index.ts";
import { hostTurn, now } from "./process-stats.ts";
import type { Metrics, Workload } from "./types.ts";

const SLEEP_MS = 10_000;

interface Round {
  cancelMs: number;
  started: number;
  finallies: number;
}

function result(n: number, cancelMs: number, started: number, finallies: number): Round {
  if (started !== n) throw new Error(`expected ${n} tasks to be sleeping before the cancel, ${started} were`);
  if (finallies !== n) throw new Error(`expected ${n} finally blocks to run, ${finallies} did`);
  return { cancelMs, started, finallies };
}

/** Rounds per child: 1 cold (reported), 2 to warm up, 3 warm (their median is shown too). */
const ROUNDS = 6;
const WARM_FROM = 3;

/** Runs a row ROUNDS times in this process: the first round cold, the last three warm. */
function rounds(round: (n: number) => Promise<Round>) {
  return async (n: number): Promise<Metrics> => {
    const ms: number[] = [];
    for (let r = 0; r < ROUNDS; r++) ms.push((await round(n)).cancelMs);
    const warm = ms.slice(WARM_FROM).sort((a, b) => a - b)[(ROUNDS - WARM_FROM) >> 1]!;
    return { n, cancelMs: ms[0]!, usPerTask: (ms[0]! * 1e3) / n, usPerTaskWarm: (warm * 1e3) / n };
  };
}

/** Task.cancel on each task, then gather(returnExceptions) to wait for all of them. */
function wasyncio(core: "wasm" | "js") {
  return rounds(async (n: number) => {
    let started = 0;
    let finallies = 0;
    function* sleeper() {
      started++;
      try {
        yield* sleep(SLEEP_MS);
      } finally {
        finallies++;
      }
    }
    let cancelMs = 0;
    await run(
      function* () {
        const tasks = new Array<Task<void>>(n);
        for (let i = 0; i < n; i++) tasks[i] = createTask(sleeper());
        yield* sleep(0); // the tasks were queued first: they all start and park before this returns
        const t0 = now();
        for (const task of tasks) task.cancel();
        yield* gather(tasks, { returnExceptions: true });
        cancelMs = now() - t0;
      },
      { core, clock: "real" },
    );
    return result(n, cancelMs, started, finallies);
  });
}

export const w4: Workload = {
  "wasyncio-wasm": wasyncio("wasm"),
  "wasyncio-js": wasyncio("js"),

  /** The usual native pattern: one AbortController per task, a listener that rejects the sleep. */
  "native-abort-per-task": rounds(async (n) => {
    let started = 0;
    let finallies = 0;
    function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    }
    async function sleeper(signal: AbortSignal): Promise<void> {
      started++;
      try {
        await abortableSleep(SLEEP_MS, signal);
      } finally {
        finallies++;
      }
    }
    const controllers = new Array<AbortController>(n);
    const promises = new Array<Promise<void>>(n);
    for (let i = 0; i < n; i++) {
      controllers[i] = new AbortController();
      promises[i] = sleeper(controllers[i]!.signal);
    }
    await hostTurn();
    const t0 = now();
    for (const controller of controllers) controller.abort();
    await Promise.allSettled(promises);
    return result(n, now() - t0, started, finallies);
  }),

  effect: rounds(async (n) => {
    const Effect = await import("effect/Effect");
    const Fiber = await import("effect/Fiber");
    let started = 0;
    let finallies = 0;
    const sleeper = Effect.suspend(() => {
      started++;
      return Effect.sleep(SLEEP_MS);
    }).pipe(Effect.ensuring(Effect.sync(() => void finallies++)));
    let cancelMs = 0;
    await Effect.runPromise(
      Effect.gen(function* () {
        const fibers = new Array<import("effect/Fiber").Fiber<void>>(n);
        for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(sleeper);
        // Let every fiber start and suspend in its sleep: Effect starts forked fibers in
        // batches, and interrupting one that never started runs no finalizer.
        while (started < n) yield* Effect.sleep(1);
        const t0 = now();
        yield* Fiber.interruptAll(fibers);
        cancelMs = now() - t0;
      }),
    );
    return result(n, cancelMs, started, finallies);
  }),

  /**
   * The floor under every generator-based runtime: no scheduler at all, only what V8
   * charges to throw an error into N suspended generators and run their `finally` blocks
   * (a generator throw costs about as much as all the rest of a cancellation, cold).
   */
  "generator-throw-floor": rounds(async (n) => {
    let started = 0;
    let finallies = 0;
    function* sleeper() {
      started++;
      try {
        yield;
      } finally {
        finallies++;
      }
    }
    const generators = new Array<Generator>(n);
    for (let i = 0; i < n; i++) {
      generators[i] = sleeper();
      generators[i]!.next();
    }
    const error = new Error("cancelled");
    await hostTurn();
    const t0 = now();
    for (const generator of generators) {
      try {
        generator.throw(error);
      } catch {
        // it comes back out, after the finally block ran
      }
    }
    return result(n, now() - t0, started, finallies);
  }),

  /** effection: spawn every task in one scope, then destroy (halt) the scope. */
  effection: rounds(async (n) => {
    const { createScope, sleep: effectionSleep } = await import("effection");
    let started = 0;
    let finallies = 0;
    function* sleeper() {
      started++;
      try {
        yield* effectionSleep(SLEEP_MS);
      } finally {
        finallies++;
      }
    }
    const [scope, destroy] = createScope();
    for (let i = 0; i < n; i++) scope.run(sleeper);
    await hostTurn();
    const t0 = now();
    await destroy();
    return result(n, now() - t0, started, finallies);
  }),
};
