/** What the tour and `npm run example` print around an example's own output. */
import { format } from "node:util";
import { formatTimeline } from "../../src/index.ts";
import type { Example, ExampleRun, RunOptions } from "./example.ts";

/** What presenting an example measured. */
export interface Presented {
  run: ExampleRun<unknown>;
  /** Wall-clock ms the example took. */
  wallMs: number;
}

/**
 * Prints the example's explanation, then runs it with its console.log output indented
 * under a bar (console.error, where the loop's default exception handler reports,
 * under a dotted one), then the time it took: loop time under the virtual clock, wall time
 * under the real one.
 */
export async function present(example: Example, options: RunOptions, heading: string): Promise<Presented> {
  const clock = options.clock ?? "virtual";
  const log = console.log;
  const logError = console.error;
  log(heading);
  log(`  ${example.explanation}`);
  const under = (bar: string) => (...args: unknown[]): void => {
    for (const line of format(...args).split("\n")) log(line === "" ? `  ${bar}` : `  ${bar} ${line}`);
  };
  console.log = under("│");
  console.error = under("┊"); // what reaches the loop's exception handler
  const start = performance.now();
  let run: ExampleRun<unknown>;
  try {
    run = await example.run(options);
  } finally {
    console.log = log;
    console.error = logError;
  }
  const wallMs = performance.now() - start;
  if (clock === "virtual") {
    log(`  ⏱ ${seconds(run.loopTime)} s of virtual time (loop.time() = ${run.loopTime} ms; ${wallMs.toFixed(1)} ms of real time)`);
  } else {
    log(`  ⏱ ${seconds(wallMs)} s of wall time (loop.time() = ${run.loopTime.toFixed(1)} ms)`);
  }
  // Where tasks ran side by side, the timeline shows how their times overlap.
  const timeline = run.timeline;
  if (timeline !== undefined && timeline.rows.length > 1 && timeline.end! > timeline.start) {
    for (const line of formatTimeline(timeline, { width: 48 }).split("\n")) log(`    ${line}`);
  }
  return { run, wallMs };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Reads `--real`, `--virtual` and `--core=wasm|js` (or `--core js`) from argv; the rest are returned. */
export function parseArgs(argv: readonly string[]): { options: RunOptions; rest: string[]; error?: string } {
  const options: RunOptions = { clock: "virtual" };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--real") options.clock = "real";
    else if (arg === "--virtual") options.clock = "virtual";
    else if (arg === "--core" || arg.startsWith("--core=")) {
      const core = arg === "--core" ? argv[++i] : arg.slice("--core=".length);
      if (core !== "wasm" && core !== "js") return { options, rest, error: `--core must be wasm or js, got ${String(core)}` };
      options.core = core;
    } else if (arg.startsWith("--")) return { options, rest, error: `unknown option ${arg}` };
    else rest.push(arg);
  }
  return { options, rest };
}
