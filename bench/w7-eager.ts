/**
 * W7: spawn N tasks (100,000) that finish without ever suspending (a cache hit, say),
 * then gather them: the case eager tasks are for. A lazy task is scheduled, stepped in
 * a later loop iteration, then its done callbacks run; an eager one runs its whole body
 * inside createTask and is done before createTask returns.
 *
 * Reported: µs per task = wall / N, spawning included.
 */
import { createTask, gather, run, type Task } from "../src/index.ts";
import { now } from "./process-stats.ts";
import type { Metrics, Workload } from "./types.ts";

function* cacheHit(i: number) {
  return i;
}

function wasyncio(core: "wasm" | "js", eager: boolean) {
  return async (n: number): Promise<Metrics> => {
    const t0 = now();
    const total = await run(
      function* () {
        const tasks = new Array<Task<number>>(n);
        for (let i = 0; i < n; i++) tasks[i] = createTask(cacheHit(i), { eager });
        const values = yield* gather(tasks);
        return values.length;
      },
      { core, clock: "real" },
    );
    const wall = now() - t0;
    if (total !== n) throw new Error(`expected ${n} results, got ${total}`);
    return { n, wallMs: wall, usPerTask: (wall * 1000) / n };
  };
}

async function nativeCacheHit(i: number): Promise<number> {
  return i;
}

async function native(n: number): Promise<Metrics> {
  const t0 = now();
  const promises = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) promises[i] = nativeCacheHit(i);
  const values = await Promise.all(promises);
  const wall = now() - t0;
  if (values.length !== n) throw new Error(`expected ${n} results`);
  return { n, wallMs: wall, usPerTask: (wall * 1000) / n };
}

export const w7: Workload = {
  "wasyncio-wasm-lazy": wasyncio("wasm", false),
  "wasyncio-wasm-eager": wasyncio("wasm", true),
  "wasyncio-js-lazy": wasyncio("js", false),
  "wasyncio-js-eager": wasyncio("js", true),
  native,
};
