/**
 * One benchmark child: `node --expose-gc --import tsx bench/child.ts <workload> <system> <n>`.
 * Runs exactly one (workload, system) pair, so its peak RSS is that system's alone, and
 * prints the metrics as one JSON line prefixed with RESULT_PREFIX (anything else the
 * system logs to stdout is ignored by the runner).
 */
import type { Workload } from "./types.ts";

export const RESULT_PREFIX = "@@bench-result ";

/** Imported on demand: a child loads only its own workload's module. */
const workloads: Record<string, () => Promise<Workload>> = {
  W1: async () => (await import("./w1-spawn.ts")).w1,
  W2: async () => (await import("./w2-switch.ts")).w2,
  W3: async () => (await import("./w3-timers.ts")).w3,
  W4: async () => (await import("./w4-cancel.ts")).w4,
  W5: async () => (await import("./w5-semaphore.ts")).w5,
  W7: async () => (await import("./w7-eager.ts")).w7,
  W6: async () => (await import("./w6-queue.ts")).w6,
};

async function main(): Promise<void> {
  const [workload, system, nText] = process.argv.slice(2);
  const load = workloads[workload ?? ""];
  const bench = load === undefined ? undefined : (await load())[system ?? ""];
  if (bench === undefined) throw new Error(`unknown workload/system: ${workload} ${system}`);
  const n = Number(nText);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad size: ${nText}`);
  const metrics = await bench(n);
  process.stdout.write(RESULT_PREFIX + JSON.stringify(metrics) + "\n");
}

// Only when run as the child entry point, not when the runner imports RESULT_PREFIX.
if (process.argv[1]?.endsWith("child.ts")) {
  main().then(
    // Exit at once: some systems leave host timers behind (Node's cleared timers, effection's scope).
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
