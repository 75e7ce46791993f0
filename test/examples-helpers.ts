import { vi } from "vitest";
import type { Example, ExampleRun, RunOptions } from "../examples/lib/example.ts";

/** An example's run with what it printed. */
export interface Captured<T> {
  run: ExampleRun<T>;
  /** The arguments of each console.log call. */
  calls: unknown[][];
  /** The printed text, split into lines ("\nX" gives "" then "X", as on a terminal). */
  lines: string[];
  /** The arguments of each console.error call (the loop's default exception handler logs there). */
  errors: unknown[][];
}

/** Runs `example`, capturing console.log and console.error instead of printing. */
export async function runCaptured<T>(example: Example<T>, options: RunOptions): Promise<Captured<T>> {
  const calls: unknown[][] = [];
  const errors: unknown[][] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    calls.push(args);
  });
  const error = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
  try {
    const run = await example.run(options);
    const lines = calls.flatMap((args) => args.map(String).join(" ").split("\n"));
    return { run, calls, lines, errors };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The number in a `Task-N` name; throws for any other name. */
export function taskNumber(name: string): number {
  const match = /^Task-(\d+)$/.exec(name);
  if (match === null) throw new Error(`not a default task name: ${JSON.stringify(name)}`);
  return Number(match[1]);
}
