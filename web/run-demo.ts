// Runs one demo in virtual time and keeps what the page shows: its printed lines, its
// loop time and core, and the timeline of its tasks.
import type { Example } from "../examples/lib/example.ts";
import type { TaskTimeline } from "../src/index.ts";

/** What a demo's run gave the page. */
export interface DemoRun {
  /** What the demo printed with console.log, line by line. */
  readonly output: readonly string[];
  /** Virtual ms when its main finished. */
  readonly loopTime: number;
  readonly core: "wasm" | "js";
  readonly timeline: TaskTimeline | undefined;
}

/**
 * Runs `demo` on a new virtual-time loop, on the core given (the default core if none),
 * with console.log caught for the page while it runs.
 */
export async function runDemo(demo: Example, core?: "wasm" | "js"): Promise<DemoRun> {
  const output: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void output.push(args.map(String).join(" "));
  try {
    const run = await demo.run({ clock: "virtual", core });
    return { output, loopTime: run.loopTime, core: run.core, timeline: run.timeline };
  } finally {
    console.log = log;
  }
}
