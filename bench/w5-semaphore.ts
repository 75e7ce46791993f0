/**
 * W5: N tasks (100,000) limited by a semaphore of 100 slots. Every task takes a slot,
 * suspends once while holding it (wasyncio `yield* sleep(0)`, native/p-limit `await null`,
 * Effect.yieldNow) and gives the slot back. (p-limit and the Effect row keep the jobs not
 * started yet in their own queue rather than as parked tasks; same limit, same order.) All N tasks are spawned up front, so 99,900
 * of them queue on the semaphore at first: this measures the wait queue, the hand-over
 * of a slot from a releasing task to a waiter, and one scheduler round trip per task.
 *
 * Reported: wall from the first spawn until the last task finished, in µs per task
 * (wall / N). Each row counts the tasks holding a slot, and checks that the count never
 * went over 100, reached 100, and that all N tasks ran.
 */
import { createTask, gather, run, Semaphore, sleep, type Task, type Yielded } from "../src/index.ts";
import { now } from "./process-stats.ts";
import type { Metrics, Workload } from "./types.ts";

const SLOTS = 100;

/**
 * The same bookkeeping in every row: `enter` when a task got its slot, `leave` before it
 * gives it back. It costs two increments per task, and catches a semaphore that lets too
 * many tasks in (or never lets the tasks overlap at all, which would not be this workload).
 */
function holders() {
  let active = 0;
  let peak = 0;
  let finished = 0;
  return {
    enter(): void {
      if (++active > peak) peak = active;
    },
    leave(): void {
      active--;
      finished++;
    },
    result(n: number, wallMs: number): Metrics {
      if (finished !== n) throw new Error(`expected ${n} tasks to finish, ${finished} did`);
      if (peak !== SLOTS) throw new Error(`expected at most and at some point exactly ${SLOTS} slot holders, the peak was ${peak}`);
      return { n, wallMs, usPerTask: (wallMs * 1e3) / n };
    },
  };
}

/** createTask per task, then gather; `shape` is how a task holds its slot. */
function wasyncio(core: "wasm" | "js", shape: "acquire" | "with") {
  return async (n: number) => {
    const count = holders();
    const sem = new Semaphore(SLOTS);
    // The explicit form, as asyncio code without `async with` would write it.
    function* acquireRelease() {
      yield* sem.acquire();
      try {
        count.enter();
        yield* sleep(0);
        count.leave();
      } finally {
        sem.release();
      }
    }
    // The scoped form (asyncio's `async with sem:`): one more generator per task.
    function* body() {
      count.enter();
      yield* sleep(0);
      count.leave();
    }
    function* scoped() {
      yield* sem.with(body);
    }
    return spawnAndGather(core, count, n, n, shape === "acquire" ? acquireRelease : scoped);
  };
}

/**
 * The floor for promises: a counting semaphore written for this benchmark. A release
 * with waiters hands its slot straight to the oldest one (so `free` never goes up and
 * down in between); the waiters are a plain array with a moving head, since
 * `Array.shift` on 100,000 entries moves them all.
 */
class NativeSemaphore {
  private waiters: (() => void)[] = [];
  private head = 0;
  constructor(private free: number) {}

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head]!;
      this.waiters[this.head++] = undefined!; // let the resolver go
      if (this.head === this.waiters.length) {
        this.waiters = [];
        this.head = 0;
      }
      next();
    } else this.free++;
  }
}

/**
 * The same bound without a semaphore: SLOTS worker tasks take the jobs in turn, as
 * Effect's bounded forEach does (and as asyncio code often bounds concurrency, with a
 * fixed set of workers). Only SLOTS tasks ever exist, instead of one per job.
 */
function workers(core: "wasm" | "js") {
  return async (n: number) => {
    const count = holders();
    let taken = 0;
    function* worker() {
      while (taken < n) {
        taken++;
        count.enter();
        yield* sleep(0);
        count.leave();
      }
    }
    return spawnAndGather(core, count, n, SLOTS, worker);
  };
}

/**
 * Times a fresh loop that spawns `tasks` tasks running `body` and gathers them, and gives
 * W5's metrics for its `n` jobs.
 */
async function spawnAndGather(
  core: "wasm" | "js",
  count: ReturnType<typeof holders>,
  n: number,
  tasks: number,
  body: () => Generator<Yielded, void, unknown>,
): Promise<Metrics> {
  const t0 = now();
  await run(
    function* () {
      const spawned = new Array<Task<void>>(tasks);
      for (let i = 0; i < tasks; i++) spawned[i] = createTask(body());
      yield* gather(spawned);
    },
    { core },
  );
  return count.result(n, now() - t0);
}

export const w5: Workload = {
  "wasyncio-wasm-workers": workers("wasm"),
  "wasyncio-wasm-acquire": wasyncio("wasm", "acquire"),
  "wasyncio-js-acquire": wasyncio("js", "acquire"),
  "wasyncio-wasm-with": wasyncio("wasm", "with"),
  "wasyncio-js-with": wasyncio("js", "with"),

  native: async (n) => {
    const count = holders();
    const sem = new NativeSemaphore(SLOTS);
    async function task(): Promise<void> {
      await sem.acquire();
      try {
        count.enter();
        await null;
        count.leave();
      } finally {
        sem.release();
      }
    }
    const t0 = now();
    const promises = new Array<Promise<void>>(n);
    for (let i = 0; i < n; i++) promises[i] = task();
    await Promise.all(promises);
    return count.result(n, now() - t0);
  },

  // Libraries are imported inside their own rows, as in the other workloads.
  "p-limit": async (n) => {
    const { default: pLimit } = await import("p-limit");
    const count = holders();
    const limit = pLimit(SLOTS);
    async function job(): Promise<void> {
      count.enter();
      await null;
      count.leave();
    }
    const t0 = now();
    const promises = new Array<Promise<void>>(n);
    for (let i = 0; i < n; i++) promises[i] = limit(job);
    await Promise.all(promises);
    return count.result(n, now() - t0);
  },

  /**
   * Effect's own way to run at most 100 at once: forEach with `concurrency: 100` keeps
   * the pending items in forEach and forks a fiber as a slot frees up, like p-limit.
   */
  effect: async (n) => {
    const Effect = await import("effect/Effect");
    const count = holders();
    const job = effectJob(Effect, count);
    const indices = Array.from({ length: n }, (_, i) => i);
    const t0 = now();
    await Effect.runPromise(Effect.forEach(indices, () => job, { concurrency: SLOTS, discard: true }));
    return count.result(n, now() - t0);
  },

  /**
   * The semaphore form asked for: all N fibers forked at once, each in
   * `withPermits(1)`. Not in plan.ts: Effect 4.1.0's Semaphore copies its whole waiter
   * set into an array on every release (`Array.from(this.waiters)` in releaseUnsafe),
   * so N releases with ~N waiters cost O(N²): 575 s at N = 100,000 here (2.8 s at
   * 10,000), past the runner's 180 s child timeout. Run it by hand with a small N:
   *   node --expose-gc --import tsx bench/child.ts W5 effect-semaphore 10000
   */
  "effect-semaphore": async (n) => {
    const Effect = await import("effect/Effect");
    // Effect 4 has no Effect.makeSemaphore any more: the semaphore is its own module.
    const Semaphore = await import("effect/Semaphore");
    const count = holders();
    const job = effectJob(Effect, count);
    const indices = Array.from({ length: n }, (_, i) => i);
    const t0 = now();
    await Effect.runPromise(
      Effect.gen(function* () {
        const sem = yield* Semaphore.make(SLOTS);
        const limited = Semaphore.withPermits(sem, 1)(job);
        yield* Effect.forEach(indices, () => limited, { concurrency: "unbounded", discard: true });
      }),
    );
    return count.result(n, now() - t0);
  },
};

/**
 * The Effect rows' task: enter, yieldNow, leave. One description, run by every fiber
 * (descriptions are immutable, so sharing one is safe and saves building N of them).
 */
function effectJob(Effect: typeof import("effect/Effect"), count: ReturnType<typeof holders>) {
  return Effect.sync(count.enter).pipe(Effect.andThen(Effect.yieldNow), Effect.andThen(Effect.sync(count.leave)));
}
