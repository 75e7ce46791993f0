// The host-neutral conformance suite: scenarios that must behave the same in every host
// (Node, Deno, Bun, Chromium, workerd, edge-runtime). Plain ECMAScript with no test
// framework, so that each host's runner can bundle and run it as it is. Each scenario
// throws on failure; `runScenarios` runs them all and reports.
import {
  CancelledError,
  createTask,
  gather,
  getRunningLoop,
  type LoopOptions,
  run,
  sleep,
  timeout,
  TimeoutError,
} from "../../src/index.ts";

/** One behaviour to check; `options` says which core to use (and any host specifics). */
export interface Scenario {
  name: string;
  run(options: LoopOptions): Promise<void>;
}

/** What a host's runner prints and checks. */
export interface ConformanceReport {
  passed: number;
  failed: number;
  failures: { name: string; error: string }[];
  /** The core the loops actually ran on ("wasm" or "js"). */
  core: string;
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const virtual = (options: LoopOptions): LoopOptions => ({ ...options, clock: "virtual" });

export const scenarios: Scenario[] = [
  {
    name: "callbacks run in scheduling order, timers by deadline then insertion",
    async run(options) {
      const seen: string[] = [];
      await run(function* () {
        const loop = getRunningLoop();
        loop.callLater(20, () => seen.push("t20"));
        loop.callLater(10, () => seen.push("t10a"));
        loop.callLater(10, () => seen.push("t10b"));
        loop.callSoon(() => seen.push("soon1"));
        loop.callSoon(() => seen.push("soon2"));
        const cancelled = loop.callLater(15, () => seen.push("cancelled"));
        cancelled.cancel();
        yield* sleep(30);
      }, virtual(options));
      assertEqual(seen, ["soon1", "soon2", "t10a", "t10b", "t20"], "order");
    },
  },
  {
    name: "the article's arithmetic: 16 s in sequence, 7 s as tasks, in virtual time",
    async run(options) {
      const op = (ms: number, value: number) =>
        (function* () {
          yield* sleep(ms);
          return value;
        })();
      const sequential = await run(function* () {
        for (const [ms, v] of [[5000, 0.5], [7000, -10], [3000, 30], [1000, 200]] as const) yield* op(ms, v);
        return getRunningLoop().time();
      }, virtual(options));
      assertEqual(sequential, 16000, "sequential time");
      const concurrent = await run(function* () {
        const results = yield* gather([op(5000, 0.5), op(7000, -10), op(3000, 30), op(1000, 200)]);
        return [results, getRunningLoop().time()];
      }, virtual(options));
      assertEqual(concurrent, [[0.5, -10, 30, 200], 7000], "gather results and time");
    },
  },
  {
    name: "cancellation throws at the suspension point; cleanup that sleeps completes",
    async run(options) {
      const log: string[] = [];
      await run(function* () {
        const loop = getRunningLoop();
        const task = createTask(function* () {
          try {
            yield* sleep(10_000);
          } finally {
            yield* sleep(50);
            log.push(`cleaned up at ${loop.time()}`);
          }
        });
        yield* sleep(100);
        task.cancel("stop");
        try {
          yield* task;
        } catch (error) {
          log.push(`${(error as Error).name}: ${(error as Error).message}`);
          if (!(error instanceof CancelledError)) throw error;
        }
      }, virtual(options));
      assertEqual(log, ["cleaned up at 150", "CancelledError: stop"], "log");
    },
  },
  {
    name: "a timeout scope raises TimeoutError at its deadline",
    async run(options) {
      const out = await run(function* () {
        try {
          yield* timeout(100, function* () {
            yield* sleep(1000);
          });
          return "no timeout";
        } catch (error) {
          return `${error instanceof TimeoutError} at ${getRunningLoop().time()}`;
        }
      }, virtual(options));
      assertEqual(out, "true at 100", "timeout");
    },
  },
  {
    name: "virtual time runs an hour of sleeps at once",
    async run(options) {
      const t = await run(function* () {
        for (let i = 0; i < 60; i++) yield* sleep(60_000);
        return getRunningLoop().time();
      }, virtual(options));
      assertEqual(t, 3_600_000, "virtual time");
    },
  },
  {
    name: "real time: a 20 ms sleep takes at least 20 ms of loop time",
    async run(options) {
      const t = await run(function* () {
        yield* sleep(20);
        return getRunningLoop().time();
      }, { ...options, clock: "real" });
      if (!(t >= 20)) throw new Error(`loop time after sleep(20) was ${t}`);
    },
  },
];

/** Runs every scenario with `options` and reports; never throws. */
export async function runScenarios(options: LoopOptions = {}): Promise<ConformanceReport> {
  const report: ConformanceReport = { passed: 0, failed: 0, failures: [], core: "" };
  report.core = await run(function* () {
    return getRunningLoop().core;
  }, options);
  for (const scenario of scenarios) {
    try {
      await scenario.run(options);
      report.passed++;
    } catch (error) {
      report.failed++;
      report.failures.push({ name: scenario.name, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  }
  return report;
}

/** The one line each host prints: `<host>: N passed, N failed (core: wasm)`. */
export function summaryLine(host: string, report: ConformanceReport): string {
  return `${host}: ${report.passed} passed, ${report.failed} failed (core: ${report.core})`;
}
