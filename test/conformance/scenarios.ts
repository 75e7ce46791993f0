// The host-neutral conformance suite: scenarios that must behave the same in every host
// (Node, Deno, Bun, Chromium, workerd, edge-runtime). Plain ECMAScript with no test
// framework, so that each host's runner can bundle and run it as it is. Each scenario
// throws on failure; `runScenarios` runs them all and reports.
import {
  abortable,
  BoundedSemaphore,
  CancelledError,
  ContextVar,
  createTask,
  currentTask,
  emit,
  enableDebug,
  EventLoop,
  type ExceptionContext,
  ExceptionGroup,
  forAwait,
  formatCallGraph,
  formatTaskTree,
  formatTimeline,
  gather,
  getRunningLoop,
  LifoQueue,
  Lock,
  type LoopOptions,
  PriorityQueue,
  Queue,
  recordTimeline,
  run,
  runMain,
  Runner,
  Semaphore,
  sleep,
  staggeredRace,
  taskGroup,
  timeout,
  TimeoutError,
  until,
  type Yielded,
} from "../../src/index.ts";
import { traceOf } from "../cpython/interpreter.ts";
import { recording } from "../cpython/recording.ts";

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
    name: "equal deadlines fire in insertion order, across hundreds of timers and tasks",
    async run(options) {
      const fired: number[] = [];
      const woke: string[] = [];
      await run(function* () {
        const loop = getRunningLoop();
        // 300 timers over 5 distinct deadlines, inserted in a scrambled deadline order.
        for (let i = 0; i < 300; i++) loop.callLater(((i * 7) % 5) * 10, () => fired.push(i));
        for (const name of ["a", "b", "c", "d"]) {
          createTask(function* () {
            yield* sleep(100);
            woke.push(name);
          });
        }
        loop.callAt(100, () => woke.push("callAt"));
        yield* sleep(200);
      }, virtual(options));
      const expected = Array.from({ length: 300 }, (_, i) => i).sort((x, y) => ((x * 7) % 5) - ((y * 7) % 5) || x - y);
      assertEqual(fired, expected, "timer order");
      // The callAt was inserted first: the tasks register their sleeps when they first run.
      assertEqual(woke, ["callAt", "a", "b", "c", "d"], "wake order");
    },
  },
  {
    name: "gather: the first error reaches the awaiter while the others run on; returnExceptions fills slots",
    async run(options) {
      const log: string[] = [];
      const out = await run(function* () {
        const loop = getRunningLoop();
        const ok = function* (ms: number, value: string) {
          yield* sleep(ms);
          log.push(`${value} at ${loop.time()}`);
          return value;
        };
        const fail = function* (ms: number, message: string): Generator<Yielded, never, unknown> {
          yield* sleep(ms);
          throw new Error(message);
        };
        let first = "no error";
        try {
          yield* gather([ok(30, "a"), fail(10, "boom"), ok(20, "c")]);
        } catch (error) {
          first = `${(error as Error).message} at ${loop.time()}`;
        }
        yield* sleep(50);
        const settled = yield* gather([ok(5, "d"), fail(5, "bad")], { returnExceptions: true });
        return [first, settled.map((x) => (x instanceof Error ? `Error: ${x.message}` : x))];
      }, virtual(options));
      assertEqual(out, ["boom at 10", ["d", "Error: bad"]], "gather outcomes");
      assertEqual(log, ["c at 20", "a at 30", "d at 65"], "children ran on");
    },
  },
  {
    name: "a TaskGroup whose child fails cancels the siblings and raises an ExceptionGroup",
    async run(options) {
      const log = await run(function* () {
        const loop = getRunningLoop();
        const log: string[] = [];
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(function* () {
              try {
                yield* sleep(1000);
              } finally {
                log.push(`sibling cleaned up at ${loop.time()}`);
              }
            });
            tg.createTask(function* () {
              yield* sleep(10);
              throw new Error("child failed");
            });
          });
        } catch (error) {
          const group = error as ExceptionGroup;
          log.push(`${error instanceof ExceptionGroup}: ${group.errors.map((e: Error) => e.message).join(", ")}`);
        }
        return log;
      }, virtual(options));
      assertEqual(log, ["sibling cleaned up at 10", "true: child failed"], "log");
    },
  },
  {
    name: "until() bridges promises: a resolved value, a rejection, an async function",
    async run(options) {
      const out = await run(function* () {
        const a = yield* until(Promise.resolve(5));
        let b = "no error";
        try {
          yield* until(Promise.reject(new Error("nope")));
        } catch (error) {
          b = (error as Error).message;
        }
        const c = yield* until(async () => {
          await null;
          return "async";
        });
        return [a, b, c, getRunningLoop().time()];
      }, virtual(options));
      assertEqual(out, [5, "nope", "async", 0], "until results");
    },
  },
  {
    name: "a timeout over a hung until() aborts its signal with the CancelledError",
    async run(options) {
      const out = await run(function* () {
        let signal: AbortSignal | undefined;
        let outcome = "no timeout";
        try {
          yield* timeout(100, function* () {
            yield* until((s) => {
              signal = s;
              return new Promise<never>(() => {});
            });
          });
        } catch (error) {
          outcome = `${(error as Error).name} at ${getRunningLoop().time()}`;
        }
        return [outcome, signal?.aborted, signal?.reason instanceof CancelledError];
      }, { ...virtual(options), autojumpThreshold: 0 });
      assertEqual(out, ["TimeoutError at 100", true, true], "timeout over until");
    },
  },
  {
    name: "a Lock admits one holder at a time, first come first served",
    async run(options) {
      const log: string[] = [];
      await run(function* () {
        const loop = getRunningLoop();
        const lock = new Lock();
        const worker = function* (name: string) {
          yield* lock.with(function* () {
            log.push(`${name} in at ${loop.time()}`);
            yield* sleep(10);
          });
        };
        yield* gather([worker("a"), worker("b"), worker("c")]);
      }, virtual(options));
      assertEqual(log, ["a in at 0", "b in at 10", "c in at 20"], "lock order");
    },
  },
  {
    name: "two Queues play ping-pong and join() waits for taskDone()",
    async run(options) {
      const log: string[] = [];
      const last = await run(function* () {
        const ping = new Queue<number>();
        const pong = new Queue<number>();
        createTask(function* () {
          for (;;) {
            const n = yield* ping.get();
            log.push(`pong ${n}`);
            ping.taskDone();
            yield* pong.put(n + 1);
          }
        });
        let n = 0;
        for (let i = 0; i < 3; i++) {
          yield* ping.put(n);
          log.push(`ping ${n}`);
          n = yield* pong.get();
        }
        yield* ping.join();
        return n;
      }, virtual(options));
      assertEqual(log, ["ping 0", "pong 0", "ping 1", "pong 1", "ping 2", "pong 2"], "ping-pong");
      assertEqual(last, 3, "last value");
    },
  },
  {
    // Where the host has process signals, runMain listens while main runs; elsewhere
    // (browsers, workers, edge functions) it is run.
    name: "runMain runs main as run does, on hosts with process signals and without",
    async run(options) {
      const answer = await runMain(function* () {
        yield* sleep(5);
        return getRunningLoop().time();
      }, virtual(options));
      assertEqual(answer, 5, "main's result");
    },
  },
  {
    name: "staggeredRace: the second mirror starts after the delay, answers first, and the first is cancelled",
    async run(options) {
      const outcome = await run(function* () {
        const log: string[] = [];
        const mirror = (name: string, ms: number) =>
          function* () {
            try {
              return yield* sleep(ms, name);
            } finally {
              log.push(`${name} done at ${getRunningLoop().time()}`);
            }
          };
        const { result, index, errors } = yield* staggeredRace([mirror("near", 300), mirror("far", 50)], 100);
        return { result, index, errors: errors.map((error) => (error === null ? null : (error as Error).name)), log };
      }, virtual(options));
      assertEqual(
        outcome,
        { result: "far", index: 1, errors: ["CancelledError", null], log: ["far done at 150", "near done at 150"] },
        "race",
      );
    },
  },
  {
    // A minified build (the Vite page) renames classes, so descriptions must not come
    // from constructor.name.
    name: "queues and semaphores describe themselves by their own names, minified or not",
    async run(options) {
      const descriptions = await run(function* () {
        const slots = new BoundedSemaphore(1);
        yield* slots.acquire();
        const blocked = createTask(slots.acquire(), { name: "blocked" });
        yield* sleep(0);
        const described = [
          String(new Queue<number>(2)),
          String(new PriorityQueue<number>(2)),
          String(new LifoQueue<number>(2)),
          String(new Semaphore(3)),
          String(slots),
          formatTaskTree().split("\n").find((line) => line.includes("blocked")) ?? "",
        ];
        blocked.cancel();
        return described;
      }, virtual(options));
      assertEqual(
        descriptions,
        [
          "<Queue maxsize=2 qsize=0>",
          "<PriorityQueue maxsize=2 qsize=0>",
          "<LifoQueue maxsize=2 qsize=0>",
          "<Semaphore [unlocked, value:3]>",
          "<BoundedSemaphore [locked, waiters:1]>",
          "blocked: acquire() on <BoundedSemaphore [locked, waiters:1]>",
        ],
        "descriptions",
      );
    },
  },
  {
    name: "a Runner runs two mains on one loop and one context; close() cancels what they left, cleanup included",
    async run(options) {
      const user = new ContextVar<string>("user", { default: "nobody" });
      const log: string[] = [];
      const runner = new Runner(virtual(options));
      await runner.run(function* () {
        user.set("ada");
        createTask(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            yield* sleep(5); // cleanup that waits
            log.push(`left behind, cleaned up at ${getRunningLoop().time()}`);
          }
        });
        yield* sleep(10);
      });
      const second = await runner.run(function* () {
        yield* sleep(10);
        return `${user.get()} at ${getRunningLoop().time()}`;
      });
      const loop = runner.getLoop();
      await runner.close();
      assertEqual([second, ...log, loop.isClosed()], ["ada at 20", "left behind, cleaned up at 25", true], "runner");
    },
  },
  {
    name: "the task tree and the call graph say what each task waits on, and who waits on it",
    async run(options) {
      const [tree, graph] = await run(function* () {
        currentTask()!.setName("main");
        const lock = new Lock();
        yield* lock.acquire();
        let seen: string[] = [];
        getRunningLoop().callLater(50, () => {
          seen = [formatTaskTree(), formatCallGraph(blocked)];
          lock.release();
        });
        const blocked = createTask(lock.with(function* () {}), { name: "fetch-b" });
        yield* taskGroup(function* (tg) {
          tg.createTask(sleep(300), { name: "fetch-a" });
          tg.createTask(function* () {
            yield* gather([blocked]);
          }, { name: "gathering" });
        });
        return seen;
      }, virtual(options));
      assertEqual(
        tree!.split("\n"),
        [
          "main: the end of its taskGroup()",
          "├── fetch-a: sleep() until 300 ms",
          "└── gathering: gather() of 1",
          "    └── fetch-b: acquire() on <Lock [locked, waiters:1]>",
        ],
        "task tree",
      );
      assertEqual(
        graph!.split("\n"),
        [
          "* Task(name='fetch-b')",
          "  + Waiting on: acquire() on <Lock [locked, waiters:1]>",
          "  + Awaited by:",
          "    * Future(gather() of 1)",
          "      + Awaited by:",
          "        * Task(name='gathering')",
          "          + Waiting on: gather() of 1",
          "          + Awaited by:",
          "            * Task(name='main')",
          "              + Waiting on: the end of its taskGroup()",
        ],
        "call graph",
      );
    },
  },
  {
    name: "a timeline records what each task did, and draws it",
    async run(options) {
      const text = await run(function* () {
        currentTask()!.setName("main");
        const timeline = recordTimeline();
        const lock = new Lock();
        const fetch = (ms: number) => lock.with(() => sleep(ms));
        yield* gather([createTask(fetch(300), { name: "fetch-a" }), createTask(fetch(200), { name: "fetch-b" })]);
        timeline.stop();
        return formatTimeline(timeline, { width: 20 });
      }, virtual(options));
      assertEqual(
        text.split("\n"),
        [
          "         0 ms          500 ms",
          "main     --------------------",
          "fetch-a  ============",
          "fetch-b  ------------========",
          "         = sleeping  - waiting  # ready or running",
        ],
        "timeline",
      );
    },
  },
  {
    name: "debug mode reports slow steps, a sleep yielded without its *, and where a task was created, from this host's stack traces",
    async run(options) {
      const loop = new EventLoop(virtual(options));
      const warnings: string[] = [];
      const reports: ExceptionContext[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      enableDebug({ loop, slowCallbackDuration: 0, warn: (message) => warnings.push(message) });
      function startAbandonedTask(): void {
        createTask(sleep(Infinity), { name: "abandoned" });
      }
      await loop.runUntilComplete(
        loop.createTask(function* () {
          startAbandonedTask();
          yield* sleep(1);
          try {
            yield sleep(1) as never; // the * forgotten: reported at once (a minified build renames what tells it)
          } catch {
            // and refused, in any mode
          }
        }),
      );
      loop.close();
      const bare = warnings.filter((warning) => warning.startsWith("wasyncio: sleep() was yielded, not delegated to"));
      assertEqual(bare.length, 1, "reports of the bare yield");
      const slowStep = warnings.find((warning) => warning.startsWith("wasyncio: executing <Task pending name=abandoned> took "));
      if (slowStep === undefined) throw new Error(`no report of the abandoned task's step in ${JSON.stringify(warnings)}`);
      assertEqual(reports.map((report) => report.message), ["Task was destroyed but it is pending!"], "reports");
      // The function that created the task, by the name this host's stack traces give it
      // (a minifier may have renamed it).
      const createdAt = reports[0]!.createdAt ?? "";
      if (!createdAt.includes(startAbandonedTask.name) || !slowStep.includes(startAbandonedTask.name)) {
        throw new Error(`${startAbandonedTask.name} is not named in ${JSON.stringify(createdAt)}`);
      }
    },
  },
  {
    name: "an AbortSignal cancels an abortable() scope: its cleanup runs, then the signal's reason is thrown",
    async run(options) {
      const log = await run(function* () {
        const log: string[] = [];
        const controller = new AbortController();
        getRunningLoop().callLater(50, () => controller.abort("client went away"));
        try {
          yield* abortable(controller.signal, function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(10);
              log.push(`cleaned up at ${getRunningLoop().time()}`);
            }
          });
        } catch (reason) {
          log.push(`${String(reason)} at ${getRunningLoop().time()}`);
        }
        return log;
      }, virtual(options));
      assertEqual(log, ["cleaned up at 60", "client went away at 60"], "abortable");
    },
  },
  {
    name: "forAwait reads an async generator item by item and closes it when the body stops early",
    async run(options) {
      const log = await run(function* () {
        const log: string[] = [];
        async function* source(): AsyncGenerator<number> {
          try {
            for (let n = 1; ; n++) yield n;
          } finally {
            log.push("closed");
          }
        }
        yield* forAwait(source(), function* (n) {
          yield* sleep(10);
          log.push(`${n} at ${getRunningLoop().time()}`);
          return n < 3;
        });
        return log;
      }, virtual(options));
      assertEqual(log, ["1 at 10", "2 at 20", "3 at 30", "closed"], "forAwait");
    },
  },
  {
    name: "forAwait reads a producer (a function* that emits) in the reading task, and closes it when the body stops early",
    async run(options) {
      const log = await run(function* () {
        const log: string[] = [];
        const reader = currentTask();
        function* ticks() {
          try {
            for (let n = 1; ; n++) {
              yield* sleep(10);
              yield* emit(`${n} in the reader: ${currentTask() === reader}`);
            }
          } finally {
            yield* sleep(5); // a cleanup that waits, before forAwait returns
            log.push(`closed at ${getRunningLoop().time()}`);
          }
        }
        yield* forAwait(ticks(), function* (item) {
          log.push(`${item} at ${getRunningLoop().time()}`);
          return !item.startsWith("2 ");
        });
        return log;
      }, virtual(options));
      assertEqual(log, ["1 in the reader: true at 10", "2 in the reader: true at 20", "closed at 25"], "forAwait of a producer");
    },
  },
  {
    name: "the programs recorded on CPython 3.13's asyncio leave the same traces",
    async run(options) {
      if (recording.programs.length < 300) throw new Error(`only ${recording.programs.length} programs recorded`);
      for (const [index, { program, trace }] of recording.programs.entries()) {
        assertEqual(await traceOf(program, options), trace, `program ${index}`);
      }
    },
  },
  {
    name: "a loop kept busy lets the host run its timers: by tasks that never wait, or by settled promises",
    async run(options) {
      // Each sleep(0) is ready work at once, and each until() of a settled promise wakes
      // the loop from a microtask: the host gets a turn only when the loop yields one.
      // Without it the host's timer never runs; each way stops after a bounded count.
      const busyWays = {
        "sleep(0)": () => sleep(0),
        "until(settled promise)": () => until(Promise.resolve()),
      };
      for (const [way, wait] of Object.entries(busyWays)) {
        let hostTimerRan = false;
        const waits = await run(function* () {
          setTimeout(() => (hostTimerRan = true), 0);
          let n = 0;
          for (; !hostTimerRan && n < 1_000_000; n++) yield* wait();
          return n;
        }, { ...options, clock: "real" });
        if (!hostTimerRan) throw new Error(`${way}: the host's setTimeout(0) did not run in ${waits} waits`);
      }
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
  {
    // JavaScriptCore prints an error whose name is an inherited getter as plain "Error".
    name: "errors name themselves first in their stack, as every engine prints them",
    async run() {
      const errors = [new TimeoutError("m"), new ExceptionGroup("m", [new Error("inner")])];
      assertEqual(
        errors.map((error) => error.stack?.split("\n")[0]),
        ["TimeoutError: m", "ExceptionGroup: m (1 sub-exception)"],
        "the first line of each stack",
      );
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
