/**
 * Claim 1, from "Exploring the World of Asynchronous Programming in Python": "in the
 * following case, we can see that the async version is faster by a factor of 2.5x",
 * for a function that sleeps 2 s, once with time.sleep and once with asyncio.sleep.
 *
 * Why the honest figure is the number of overlapping calls: a sleeping call uses no CPU,
 * it only waits. Called one after another (sync), N calls take the sum of their sleeps.
 * Started together as tasks (async), they wait at the same time, so they take as long as
 * the longest one. The speed-up is sum / longest: for N equal calls, exactly N. Async
 * does not make one call faster; it lets calls overlap. The article's code runs ONE call
 * in each version, so what it measures is 1.0× (2 s both ways): its "2.5×" cannot come
 * from that code. It is what a different setup gives, e.g. calls of 2, 2 and 1 s (5 s of
 * sleeping in 2 s), which is why the last case below is exactly that shape.
 */
import { gather, getRunningLoop, run, sleep, type Coroutine } from "../../src/index.ts";

/** What time.sleep does: blocks the whole thread. Node allows Atomics.wait on its main thread (browsers do not). */
const blocker = new Int32Array(new SharedArrayBuffer(4));
export function blockingSleep(ms: number): void {
  // Nobody ever notifies index 0, so this returns "timed-out" after ms.
  Atomics.wait(blocker, 0, 0, ms);
}

/** The article's `my_function`. */
function myFunction(ms: number): string {
  blockingSleep(ms);
  return "done";
}

/** The article's `my_async_function`. */
function* myAsyncFunction(ms: number): Coroutine<string> {
  yield* sleep(ms);
  return "done";
}

export interface SleepCase {
  /** How long each call sleeps, in ms: one entry per call. */
  sleeps: number[];
  /** Shown next to the row. */
  note?: string;
}

export interface SleepResult extends SleepCase {
  syncSeconds: number;
  asyncSeconds: number;
  /** sync / async, measured. */
  speedup: number;
  /** sum / longest: what overlapping the calls saves, and all it can save. */
  expected: number;
  /** The scheduler core the async version ran on. */
  core: string;
}

/**
 * The article's own code first (one call of 2 s each way), then 1, 2, 3, 5 and 10 equal
 * calls of unitMs (shorter than 2 s, to fit the time budget: the ratio does not depend
 * on it), then three uneven calls whose honest speed-up is exactly 2.5.
 */
export function sleepCases(unitMs: number): SleepCase[] {
  const equal = [1, 2, 3, 5, 10].map((n) => ({ sleeps: Array<number>(n).fill(unitMs) }));
  return [
    { sleeps: [2000], note: "the article's code" },
    ...equal,
    { sleeps: [unitMs, unitMs, unitMs / 2], note: "one way to get 2.5×" },
  ];
}

export function expectedSpeedup(sleeps: number[]): number {
  return sleeps.reduce((a, b) => a + b, 0) / Math.max(...sleeps);
}

export async function measureSleepCase(c: SleepCase): Promise<SleepResult> {
  let start = performance.now();
  const syncResults = c.sleeps.map(myFunction);
  const syncSeconds = (performance.now() - start) / 1000;

  let core = "";
  start = performance.now();
  const asyncResults = await run(
    function* () {
      core = getRunningLoop().core;
      return yield* gather(c.sleeps.map(myAsyncFunction));
    },
    { clock: "real" },
  );
  const asyncSeconds = (performance.now() - start) / 1000;

  for (const r of [...syncResults, ...asyncResults]) if (r !== "done") throw new Error(`expected "done", got ${r}`);
  return { ...c, syncSeconds, asyncSeconds, speedup: syncSeconds / asyncSeconds, expected: expectedSpeedup(c.sleeps), core };
}
