import { type Coroutine, getRunningLoop, recordTimeline, run, type TaskTimeline } from "../../src/index.ts";

/** How to run an example: virtual time (default) or real time, on either scheduler core. */
export interface RunOptions {
  clock?: "virtual" | "real";
  core?: "wasm" | "js";
}

/** What running an example gave. */
export interface ExampleRun<T> {
  /** What the example's main returned (for the tests; the article's output is printed). */
  value: T;
  /** The loop's time, in ms, when main finished: exact under the virtual clock. */
  loopTime: number;
  /** The scheduler core the loop ran on. */
  core: "wasm" | "js";
  /** What the tasks did while main ran, when the example records it (see {@link measured}). */
  timeline?: TaskTimeline;
}

/**
 * One runnable snippet of an article. Every example has this shape, whatever the article:
 * the tour, `npm run example` and the tests need nothing else.
 */
export interface Example<T = unknown> {
  /** For `npm run example -- <name>`; unique within its article (`<article>/<name>` always works). */
  readonly name: string;
  /** A short title. */
  readonly title: string;
  /** The article's slug: the folder the example lives in. */
  readonly article: string;
  /** The heading of the article section the snippet comes from. */
  readonly section: string;
  /** One line the tour prints before the example's output. */
  readonly explanation: string;
  /** Runs the example on a fresh event loop; it prints the article's output with console.log. */
  run(options?: RunOptions): Promise<ExampleRun<T>>;
}

/** An example whose article code is a coroutine `main` run by `asyncio.run(main())` (or Jupyter's top-level `await main()`). */
export interface CoroutineExample<T> extends Example<T> {
  readonly main: () => Coroutine<T>;
}

/**
 * Awaits `coro`, then reports what it returned with the running loop's time and core,
 * and the timeline of its tasks: `run(measured(coro), options)` is `asyncio.run(coro)`
 * plus what the tour shows and the tests check.
 */
export function* measured<T>(coro: Coroutine<T>): Coroutine<ExampleRun<T>> {
  const timeline = recordTimeline();
  let value: T;
  try {
    value = yield* coro;
  } finally {
    timeline.stop();
  }
  const loop = getRunningLoop();
  return { value, loopTime: loop.time(), core: loop.core, timeline };
}

/** Defines an example from its coroutine `main`, which {@link run} runs on a new loop. */
export function coroutineExample<T>(
  spec: Omit<Example<T>, "run"> & { main: () => Coroutine<T> },
): CoroutineExample<T> {
  const { main } = spec;
  return {
    ...spec,
    run: ({ clock = "virtual", core }: RunOptions = {}) => run(() => measured(main()), { clock, core }),
  };
}
