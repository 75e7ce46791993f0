/**
 * W2: N context switches (1,000,000). Every row runs two concurrent tasks that take
 * turns, N/2 suspensions each, so one "switch" is one suspension of a task and its
 * resumption after the other task ran: ns per switch = wall / N.
 *
 * Two shapes:
 * - yield: each task gives the turn back to the scheduler (wasyncio `yield* sleep(0)`,
 *   native `await null`, effection `yield* until(Promise.resolve())`, Effect.yieldNow).
 * - ping-pong: no scheduler queue of the task's own making; each task wakes the other by
 *   settling the future/promise it waits on, handing over a fresh one each turn.
 */
import { type Future, getRunningLoop, run, sleep } from "../src/index.ts";
import { now } from "./process-stats.ts";
import type { Metrics, Workload } from "./types.ts";

function result(n: number, wallMs: number, switches: number): Metrics {
  if (switches !== n) throw new Error(`expected ${n} switches, counted ${switches}`);
  return { n, wallMs, nsPerSwitch: (wallMs * 1e6) / n };
}

/** Two wasyncio tasks, each `yield* sleep(0)` n/2 times. */
function wasyncioSleep0(core: "wasm" | "js") {
  return async (n: number) => {
    let switches = 0;
    function* yielder(turns: number) {
      for (let i = 0; i < turns; i++) {
        yield* sleep(0);
        switches++;
      }
    }
    const t0 = now();
    await run(
      function* () {
        const loop = getRunningLoop();
        const a = loop.createTask(yielder(n / 2));
        const b = loop.createTask(yielder(n / 2));
        yield* a;
        yield* b;
      },
      { core },
    );
    return result(n, now() - t0, switches);
  };
}

/**
 * Two wasyncio tasks handing each other a fresh Future each turn, through one shared
 * slot: a task makes a fresh future, leaves it in the slot for its peer, settles the
 * future the peer left there (which wakes the peer) and waits on its own.
 *
 * (A first version passed each new future as the result of the previous one. That makes
 * every settled future point to the next, and V8 then kept the whole chain alive: the
 * native version went from 108 to 650 ns per switch, measuring the GC, not the switch.)
 */
function wasyncioFuturePingPong(core: "wasm" | "js") {
  return async (n: number) => {
    let switches = 0;
    let slot: Future<void> | null = null;
    function* player(turns: number) {
      const loop = getRunningLoop();
      for (let i = 0; i < turns; i++) {
        const mine = loop.createFuture<void>();
        const peer = slot;
        slot = mine;
        peer?.setResult();
        yield* mine;
        switches++;
      }
      // Release the peer's last wait.
      const peer = slot;
      slot = null;
      peer?.setResult();
    }
    const t0 = now();
    await run(
      function* () {
        const loop = getRunningLoop();
        const a = loop.createTask(player(n / 2));
        const b = loop.createTask(player(n / 2));
        yield* a;
        yield* b;
      },
      { core },
    );
    return result(n, now() - t0, switches);
  };
}

export const w2: Workload = {
  "wasyncio-wasm-sleep0": wasyncioSleep0("wasm"),
  "wasyncio-js-sleep0": wasyncioSleep0("js"),
  "wasyncio-wasm-future-pingpong": wasyncioFuturePingPong("wasm"),
  "wasyncio-js-future-pingpong": wasyncioFuturePingPong("js"),

  /** The floor: a bare microtask per switch. */
  "native-await-null": async (n) => {
    let switches = 0;
    async function yielder(turns: number): Promise<void> {
      for (let i = 0; i < turns; i++) {
        await null;
        switches++;
      }
    }
    const t0 = now();
    await Promise.all([yielder(n / 2), yielder(n / 2)]);
    return result(n, now() - t0, switches);
  },

  /** The same hand-over as the wasyncio ping-pong, with promises and their resolve functions. */
  "native-promise-pingpong": async (n) => {
    let switches = 0;
    let slot: (() => void) | null = null;
    async function player(turns: number): Promise<void> {
      for (let i = 0; i < turns; i++) {
        let resolve!: () => void;
        const mine = new Promise<void>((r) => (resolve = r));
        const peer = slot;
        slot = resolve;
        peer?.();
        await mine;
        switches++;
      }
      const peer = slot;
      slot = null;
      peer?.();
    }
    const t0 = now();
    await Promise.all([player(n / 2), player(n / 2)]);
    return result(n, now() - t0, switches);
  },

  effection: async (n) => {
    const { run: runEffection, spawn, until } = await import("effection");
    let switches = 0;
    function* yielder(turns: number) {
      for (let i = 0; i < turns; i++) {
        yield* until(Promise.resolve());
        switches++;
      }
    }
    const t0 = now();
    await runEffection(function* () {
      const a = yield* spawn(() => yielder(n / 2));
      const b = yield* spawn(() => yielder(n / 2));
      yield* a;
      yield* b;
    });
    return result(n, now() - t0, switches);
  },

  effect: async (n) => {
    const Effect = await import("effect/Effect");
    let switches = 0;
    const yielder = (turns: number) =>
      Effect.gen(function* () {
        for (let i = 0; i < turns; i++) {
          yield* Effect.yieldNow;
          switches++;
        }
      });
    const t0 = now();
    await Effect.runPromise(Effect.all([yielder(n / 2), yielder(n / 2)], { concurrency: "unbounded", discard: true }));
    return result(n, now() - t0, switches);
  },
};
