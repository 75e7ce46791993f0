// Shared fixtures: every behavioural test body runs once per scheduler core.
import { describe } from "vitest";
import type { Linked } from "../src/linked-list.ts";
import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  EventLoop,
  getRunningLoop,
  type LoopOptions,
  run,
  sleep,
  type MainBody,
} from "../src/index.ts";

export const CORES = ["wasm", "js"] as const;
export type CoreName = (typeof CORES)[number];

/** Declares the same suite for the Wasm core and the JS core. */
export function forEachCore(title: string, body: (core: CoreName) => void): void {
  for (const core of CORES) describe(`${title} [${core} core]`, () => body(core));
}

/** Runs `main` on a fresh virtual-time loop of the given core. */
export function runVirtual<T>(core: CoreName, main: MainBody<T>, options: LoopOptions = {}): Promise<T> {
  return run(main, { clock: "virtual", core, ...options });
}

/** A fresh virtual-time loop whose exception handler collects into `errors`. */
export function virtualLoop(core: CoreName): { loop: EventLoop; errors: unknown[] } {
  const loop = new EventLoop({ clock: "virtual", core });
  const errors: unknown[] = [];
  loop.setExceptionHandler((_loop, context) => errors.push(context.exception ?? context.message));
  return { loop, errors };
}

/** The seeded xorshift32 of the benchmarks' anchors, for reproducible random schedules. */
export function xorshift32(seed = 0x9e3779b9): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** The running loop's time: the virtual ms at which something happened. */
export function now(): number {
  return getRunningLoop().time();
}

/**
 * `promise`, or a failure once `ms` of real time have passed: for what would otherwise
 * hang the test run (a wait that never ends, a loop that never wakes).
 */
export function withinRealTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms of real time`)), ms)),
  ]);
}

/** A coroutine that sleeps `ms`, then returns `value`. */
export function* after<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

/** A coroutine that sleeps `ms` and returns `value`, even when cancelled there: it swallows the CancelledError. */
export function* goesOnWhenCancelled<T>(ms: number, value: T): Coroutine<T> {
  try {
    yield* sleep(ms);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
  }
  return value;
}

/** A coroutine that sleeps `ms`, then throws an Error with `message`. */
export function* failAfter(ms: number, message: string): Coroutine<never> {
  yield* sleep(ms);
  throw new Error(message);
}

/** Awaits `body()` and returns "Name: message" of what it throws, or "no error". */
export function* messageOf(body: () => Awaitable<unknown>): Coroutine<string> {
  try {
    yield* body();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return "no error";
}

/** Awaits `body()` and says how it ended: "value: x", or the name of the error. */
export function* outcome(body: () => Awaitable<unknown>): Coroutine<string> {
  try {
    return `value: ${String(yield* body())}`;
  } catch (error) {
    return (error as Error).name;
  }
}

/** How a promise ends when it fails: "Name: message", or "no error". */
export function rejection(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "no error",
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

/** "Name: message" of what `fn` throws, or "no error". */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return "no error";
}

/** A bare member of a LinkedList or WaiterQueue, numbered, for the lists' model tests. */
export class LinkedItem implements Linked<LinkedItem> {
  _prevLinked: LinkedItem | null = null;
  _nextLinked: LinkedItem | null = null;
  constructor(readonly n: number) {}
}

/**
 * Watches the host timers of `globalThis.setTimeout` whose delay `counts` picks out (the
 * loop's own, told by their long delays): `live` holds those not yet fired or cleared.
 * `restore()` puts the host's functions back; call it in a `finally`.
 */
export function watchHostTimers(counts: (ms: number) => boolean): {
  live: Set<ReturnType<typeof setTimeout>>;
  hostSetTimeout: typeof setTimeout;
  restore(): void;
} {
  const live = new Set<ReturnType<typeof setTimeout>>();
  const { setTimeout: hostSet, clearTimeout: hostClear } = globalThis;
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    const timer = hostSet(() => {
      live.delete(timer);
      callback();
    }, ms);
    if (counts(ms ?? 0)) live.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: ReturnType<typeof setTimeout>) => {
    live.delete(timer);
    hostClear(timer);
  }) as typeof clearTimeout;
  return {
    live,
    hostSetTimeout: hostSet,
    restore() {
      globalThis.setTimeout = hostSet;
      globalThis.clearTimeout = hostClear;
    },
  };
}
