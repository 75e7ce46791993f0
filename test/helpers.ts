// Shared fixtures: every behavioural test body runs once per scheduler core.
import { describe } from "vitest";
import { EventLoop, type LoopOptions } from "../src/index.ts";
import { run } from "../src/index.ts";
import type { TaskBody } from "../src/index.ts";

export const CORES = ["wasm", "js"] as const;
export type CoreName = (typeof CORES)[number];

/** Declares the same suite for the Wasm core and the JS core. */
export function forEachCore(title: string, body: (core: CoreName) => void): void {
  for (const core of CORES) describe(`${title} [${core} core]`, () => body(core));
}

/** Runs `main` on a fresh virtual-time loop of the given core. */
export function runVirtual<T>(core: CoreName, main: TaskBody<T>, options: LoopOptions = {}): Promise<T> {
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
