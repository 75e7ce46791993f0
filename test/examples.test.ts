/**
 * Every example of examples/ runs here in virtual time, on both scheduler cores, and must
 * print exactly the expected lines and finish at exactly the expected loop time.
 * An example registered in examples/index.ts without an expectation below fails.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { example as coroutineExample, randint } from "../examples/asynchronous-programming-in-python/creating-a-coroutine.ts";
import type { EventLoopResult } from "../examples/asynchronous-programming-in-python/event-loop.ts";
import { example as futureExample } from "../examples/asynchronous-programming-in-python/future.ts";
import type { CoreRuns } from "../examples/deep-dive-into-python-async-programming/choose-core.ts";
import {
  API_LATENCY_MS,
  type WebServerResult,
  example as webServerExample,
} from "../examples/deep-dive-into-python-async-programming/web-server.ts";
import type { WaitTimes } from "../examples/exploring-the-world-of-asynchronous-programming-in-python/foo-bar-baz-wait.ts";
import { allExamples, articles, findExample, qualifiedName } from "../examples/index.ts";
import type { Example } from "../examples/lib/example.ts";
import { float, format, isTuple, len, print, repr, str, tuple } from "../examples/lib/py.ts";
import type { PartTimes } from "../examples/unlocking-the-power-of-asynchronous-programming-in-python/locks-and-semaphores.ts";
import { ValueError } from "../src/index.ts";
import { type Captured, expectNothingListening, runCaptured, taskNumber, webServerLines } from "./examples-helpers.ts";

const CORES = ["wasm", "js"] as const;
type Core = (typeof CORES)[number];

/** What each example must print and return, by qualified name. */
const expectations: Record<string, (c: Captured<unknown>) => void | Promise<void>> = {
  // ---- Exploring the World of Asynchronous Programming in Python ----

  "exploring-the-world-of-asynchronous-programming-in-python/sleep-sort": ({ lines, run }) => {
    // The article's sleep_sort awaits each sleep in turn: input order, not sorted.
    expect(lines).toEqual(["3", "1", "2"]);
    expect(run.loopTime).toBe(6_000); // 3 + 1 + 2 s, one after another
  },

  "exploring-the-world-of-asynchronous-programming-in-python/sleep-sort-tasks": ({ lines, run }) => {
    expect(lines).toEqual(["1", "2", "3"]);
    expect(run.value).toEqual([1, 2, 3]);
    expect(run.loopTime).toBe(3_000); // the largest value: the sleeps overlap
  },

  "exploring-the-world-of-asynchronous-programming-in-python/foo-bar-baz-gather": ({ lines, run }) => {
    expect(lines).toEqual(["Foo", "Bar", "Baz", "['Foo result', 'Bar result', 'Baz result']"]);
    expect(run.value).toEqual(["Foo result", "Bar result", "Baz result"]); // the article's `results`
    expect(run.loopTime).toBe(3_000); // the longest sleep, not 1 + 2 + 3
  },

  "exploring-the-world-of-asynchronous-programming-in-python/thread-pool-executor": ({ lines, run }) => {
    expect(lines).toEqual(["done"]);
    expect(run.value).toBe("done");
    expect(run.loopTime).toBe(0); // the 2 s are real time on the worker's thread; the loop has no timer
  },

  "exploring-the-world-of-asynchronous-programming-in-python/foo-bar-baz-wait": ({ lines, run }) => {
    // The article's snippet is cut off; its text calls wait's two sets "completed
    // successfully" and "raised an exception": they are done and pending.
    expect(lines).toEqual([
      "Foo",
      "Bar",
      "Baz",
      "1 done, 2 pending",
      "3 done, 0 pending",
      "['Foo result', 'Bar result', 'Baz result']",
    ]);
    expect(run.value).toEqual({ firstCompleted: 1_000, allCompleted: 3_000 } satisfies WaitTimes);
    expect(run.loopTime).toBe(3_000);
  },

  "exploring-the-world-of-asynchronous-programming-in-python/run-until-complete": ({ lines, run }) => {
    expect(lines).toEqual(["done", "Asynchronous version took 2.0 seconds"]);
    expect(run.value).toBe("done");
    expect(run.loopTime).toBe(2_000); // as long as the synchronous time.sleep(2): no 2.5x for one call
  },

  // ---- Unlocking the Power of Asynchronous Programming in Python ----

  "unlocking-the-power-of-asynchronous-programming-in-python/main-coroutine": ({ lines, run }) => {
    expect(lines).toEqual(["Start of main coroutine", "End of main coroutine"]);
    expect(run.loopTime).toBe(2_000);
  },

  "unlocking-the-power-of-asynchronous-programming-in-python/fetch-data-task": ({ lines, run }) => {
    expect(lines).toEqual(["Fetching data...", "Data fetched"]);
    expect(run.value).toBe("Data fetched");
    expect(run.loopTime).toBe(3_000);
  },

  "unlocking-the-power-of-asynchronous-programming-in-python/task-one-two-three": ({ lines, run }) => {
    // The article's <angle brackets> are its notation; the order is gather's input order,
    // although task_three finishes first.
    expect(lines).toEqual(["Task One Done", "Task Two Done", "Task Three Done"]);
    expect(run.loopTime).toBe(3_000); // the longest sleep (2 + 3 + 1 = 6 in sequence)
  },

  "unlocking-the-power-of-asynchronous-programming-in-python/task-group": ({ lines, run }) => {
    // Prints nothing; the article's "<waits for 2 seconds>" twice suggests 4 s, but the
    // two tasks sleep at the same time.
    expect(lines).toEqual([]);
    expect(run.value).toEqual(["Data Fetched", "Data Fetched"]);
    expect(run.loopTime).toBe(2_000);
  },

  "unlocking-the-power-of-asynchronous-programming-in-python/locks-and-semaphores": ({ lines, run }) => {
    expect(lines).toEqual([
      "without a lock: balance 1 after 3 deposits",
      "with a Lock: balance 3 after 3 deposits",
      "Semaphore(2): 4 downloads, at most 2 at once",
    ]);
    // Unlocked deposits overlap (100 ms), locked ones queue (+300 ms), the downloads go
    // two by two (+2 x 1 s).
    expect(run.value).toEqual([100, 400, 2_400] satisfies PartTimes);
    expect(run.loopTime).toBe(2_400);
  },

  // ---- [python] Asynchronous programming in Python ----

  "python-asynchronous-programming-in-python/running-asynchronous-code": ({ lines, run }) => {
    expect(lines).toEqual([]);
    expect(run.value).toEqual([undefined, undefined, undefined]); // [None, None, None]
    expect(run.loopTime).toBe(0);
  },

  // ---- Asynchronous Programming in Python ----

  "asynchronous-programming-in-python/coroutine": ({ lines, run }) => {
    // Math.random is fixed by the test below; randint(2, 5) gives 2 + floor(r * 4).
    expect(lines).toEqual(["This Task Has Been Completed!"]);
    expect(run.value).toBe(5);
    expect(run.loopTime).toBe(5000);
  },

  "asynchronous-programming-in-python/sequential": ({ lines, run }) => {
    expect(lines).toEqual([
      "Division Result :  0.5",
      "Subtraction Result :  -10",
      "Addition Result :  30",
      "Multiplication Result :  200",
    ]);
    expect(run.value).toBeUndefined();
    expect(run.loopTime).toBe(16_000); // 5 + 7 + 3 + 1 s, one after another
  },

  "asynchronous-programming-in-python/create-task": ({ lines, run }) => {
    // In order of the sleeps (1, 3, 5, 7 s), not the article's printed order
    // (Multiplication, Subtraction, Division, Addition), which this code cannot produce.
    expect(lines).toEqual([
      "Multiplication Result :  200",
      "Addition Result :  30",
      "Division Result :  0.5",
      "Subtraction Result :  -10",
    ]);
    expect(run.loopTime).toBe(7_000); // the longest sleep: they ran concurrently
    const [div, sub, add, mul] = run.value as string[];
    expect(sub).toBe("Subtraction");
    // Unnamed tasks get Task-N, N counting up in creation order.
    expect(taskNumber(add!)).toBeGreaterThan(taskNumber(div!));
    expect(taskNumber(mul!)).toBe(taskNumber(add!) + 1);
  },

  "asynchronous-programming-in-python/gather": ({ lines, run }) => {
    // Input order, not finishing order; "Subtraction", not the article's "Subtract".
    expect(lines).toEqual(["Division : 0.5", "Subtraction : -10", "Addition : 30", "Multiplication : 200"]);
    expect(run.loopTime).toBe(7_000);
    const results = run.value as unknown[];
    expect(results).toEqual([
      ["Division", 0.5],
      ["Subtraction", -10],
      ["Addition", 30],
      ["Multiplication", 200],
    ]);
    expect(results.every(isTuple)).toBe(true);
    expect(repr(results)).toBe("[('Division', 0.5), ('Subtraction', -10), ('Addition', 30), ('Multiplication', 200)]");
  },

  "asynchronous-programming-in-python/current-task": ({ lines, run }) => {
    const main = run.value as string; // main's own task: default name, as the article's Task-13
    expect(main).toMatch(/^Task-\d+$/);
    expect(lines).toEqual([
      `Total Tasks (5) : ['${main}', 'Division', 'Subtraction', 'Addition', 'Multiplication']`,
      "Division Started.",
      "Subtraction Started.",
      "Addition Started.",
      "Multiplication Started.",
      "",
      `Total Tasks (1) : ['${main}']`,
      "",
      "Addition Result :  30",
      "Multiplication Result :  200",
      "Subtraction Result :  -10",
      "Division Result :  0.5",
    ]);
    expect(run.loopTime).toBe(7_000);
  },

  "asynchronous-programming-in-python/event-loop": ({ lines, run, errors }) => {
    const { created, pending } = run.value as EventLoopResult;
    expect(created).toHaveLength(4);
    const first = taskNumber(created[0]!);
    expect(created).toEqual([0, 1, 2, 3].map((i) => `Task-${first + i}`));
    expect(lines).toEqual(created.map((name) => `${name} Started.`));
    // runUntilComplete stopped as soon as main returned: no time passed and the four
    // tasks, asleep, were never awaited, so they are still pending when the loop closes.
    expect(pending).toEqual(created);
    expect(run.loopTime).toBe(0);
    // Closing the loop reports each of them, as CPython does when it collects them.
    expect(errors).toEqual(
      created.map((name) => [`wasyncio: Task was destroyed but it is pending!\n  <Task pending name=${name}>`]),
    );
  },

  "asynchronous-programming-in-python/future": ({ lines, run }) => {
    expect(lines).toEqual([
      "foo will await the future",
      "bar will sleep for 2 seconds",
      "bar resolving the future",
      "Future result :  future is resolved",
      "Is future is done?  True",
      "['future is resolved', None]",
      "main exiting",
    ]);
    expect(run.value).toEqual(["future is resolved", undefined]);
    expect(run.loopTime).toBe(2_000);
  },

  // ---- Deep Dive into Python Async Programming ----

  "deep-dive-into-python-async-programming/hello-async": ({ lines, run }) => {
    // Python prints <coroutine object hello_async at 0x...>; a JS coroutine is a generator.
    expect(lines).toEqual(["Coroutine object: [object Generator]", "Hello from async function!", "Async function finished."]);
    expect(run.loopTime).toBe(1_000);
  },

  "deep-dive-into-python-async-programming/choose-core": ({ lines, run }) => {
    const other = run.core === "wasm" ? "js" : "wasm";
    expect(lines).toEqual([
      `Running with the ${run.core} core!`,
      "Done.",
      `Running with the ${other} core!`,
      "Done.",
      "Same output, result and timing on both cores: True",
    ]);
    const { runs, same } = run.value as CoreRuns;
    expect(same).toBe(true);
    expect(runs.map((r) => r.core)).toEqual([run.core, other]);
    expect(runs.map((r) => r.loopTime)).toEqual([1_000, 1_000]);
    expect(runs[0]!.value).toEqual(["Running with the <core> core!", "Done."]);
    expect(run.loopTime).toBe(2_000); // the two runs' loop times, added
  },

  "deep-dive-into-python-async-programming/create-two-tasks": ({ lines, run }) => {
    expect(lines).toEqual([
      "Tasks created, waiting for completion...",
      "Coroutine started",
      "Coroutine started",
      "Coroutine finished",
      "Coroutine finished",
      "Task 1 result: Coroutine result",
      "Task 2 result: Coroutine result",
    ]);
    expect(run.value).toEqual(["Coroutine result", "Coroutine result"]);
    expect(run.loopTime).toBe(2_000); // side by side, not 2 + 2
  },

  "deep-dive-into-python-async-programming/future-methods": ({ lines, run }) => {
    // The article says result() "blocks until done if pending": it raises at once.
    expect(lines).toEqual([
      "future.done(): False",
      "future.result() while pending raises InvalidStateError: Result is not set.",
      "callback: done() is True and result() is 42",
      "await future: 42",
      "task.done(): False task.cancel(): True",
      "task.cancelled(): True",
      "failing.exception(): ValueError('bad input')",
      "a Task is a Future: True",
    ]);
    expect(run.loopTime).toBe(1_000);
  },

  "deep-dive-into-python-async-programming/cpu-bound-workers": ({ lines, run }) => {
    expect(lines.slice(0, 4)).toEqual(["Task 0 started", "Task 1 started", "Task 2 started", "Task 3 started"]);
    // The workers finish in any order; each task reports its own once.
    const finished = lines.slice(4);
    for (const line of finished) expect(line).toMatch(/^Task [0-3] finished in \d+\.\d{4} seconds, result: 10000000$/);
    expect(finished.map((line) => line.split(" ")[1]).sort()).toEqual(["0", "1", "2", "3"]);
    expect(run.value).toEqual([10_000_000, 10_000_000, 10_000_000, 10_000_000]);
    expect(run.loopTime).toBe(0); // the work is real time on the workers' threads; the loop has no timer
  },

  "deep-dive-into-python-async-programming/web-server": async ({ lines, run }) => {
    const result = run.value as WebServerResult;
    expect(lines).toEqual(webServerLines(result));
    expect(result.maxInFlight).toBe(2); // A's and B's handlers waited for the API side by side
    expect(result.clientC).toBe("AbortError");
    expect(result.handlerCCancelled).toBe(true); // the client hung up: its handler task was cancelled
    expect(result.signalCAborted).toBe(true); // ... which aborted the handler's fetch
    // Virtual time skips loop timers; this program has none, only real network I/O.
    expect(run.loopTime).toBe(0);
    await expectNothingListening([result.apiUrl, result.appUrl]); // both servers stopped
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

/** Examples whose story includes a report to the loop's exception handler. */
const REPORTS_TO_THE_HANDLER = new Set(["asynchronous-programming-in-python/event-loop"]);

describe.each(CORES)("examples in virtual time, %s core", (core: Core) => {
  for (const example of allExamples) {
    it(qualifiedName(example), async () => {
      const expectation = expectations[qualifiedName(example)];
      expect(expectation, `no expectation for ${qualifiedName(example)} in test/examples.test.ts`).toBeDefined();
      vi.spyOn(Math, "random").mockReturnValue(0.99);
      const captured = await runCaptured(example, { clock: "virtual", core });
      expect(captured.run.core).toBe(core);
      // Examples print through print(), which makes one console.log call of one string.
      for (const args of captured.calls) {
        expect(args).toHaveLength(1);
        expect(typeof args[0]).toBe("string");
      }
      // Nothing reached the loop's exception handler, unless the example is about that.
      if (!REPORTS_TO_THE_HANDLER.has(qualifiedName(example))) expect(captured.errors).toEqual([]);
      await expectation!(captured);
    });
  }

  it("coroutine: the random sleep is 2 to 5 s, and the loop time follows it exactly", async () => {
    for (const [r, seconds] of [[0, 2], [0.25, 3], [0.5, 4], [0.99, 5]] as const) {
      vi.spyOn(Math, "random").mockReturnValue(r);
      const { run, lines } = await runCaptured(coroutineExample, { clock: "virtual", core });
      expect(lines).toEqual(["This Task Has Been Completed!"]);
      expect(run.value).toBe(seconds);
      expect(run.loopTime).toBe(seconds * 1000);
    }
  });
});

describe("examples in real time", () => {
  it.each(CORES)("future takes 2 s of wall time on the %s core", async (core) => {
    const start = performance.now();
    const { lines, run } = await runCaptured(futureExample, { clock: "real", core });
    const wall = performance.now() - start;
    expect(lines).toHaveLength(7);
    expect(lines[5]).toBe("['future is resolved', None]");
    expect(run.loopTime).toBeGreaterThanOrEqual(2000);
    expect(run.loopTime).toBeLessThan(2500);
    expect(wall).toBeGreaterThanOrEqual(1999);
  });

  it.each(CORES)("web-server: A and B wait for the API together, C's handler is cancelled at once (%s core)", async (core) => {
    const { lines, run, errors } = await runCaptured(webServerExample, { clock: "real", core });
    const result = run.value;
    expect(errors).toEqual([]);
    expect(lines).toEqual(webServerLines(result));
    expect(result).toMatchObject({ maxInFlight: 2, clientC: "AbortError", handlerCCancelled: true, signalCAborted: true });
    // A and B: one API latency, not two; C: far less than the 10 s /slow would take.
    expect(run.loopTime).toBeGreaterThanOrEqual(API_LATENCY_MS["/data"] - 1);
    expect(run.loopTime).toBeLessThan(API_LATENCY_MS["/slow"] / 2);
    await expectNothingListening([result.apiUrl, result.appUrl]);
  });
});

describe("the example registry", () => {
  it("has unique qualified names, and finds examples by name or qualified name", () => {
    const names = allExamples.map(qualifiedName);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(expectations).sort()).toEqual([...names].sort());
    // Bare names are unique too, so the tour's `npm run example -- <name>` hints all work.
    const bare = allExamples.map((e) => e.name);
    expect(new Set(bare).size).toBe(bare.length);
    expect(findExample("gather")?.section).toBe('Execute Multiple Coroutines using "gather()" Method');
    expect(findExample("asynchronous-programming-in-python/future")).toBe(futureExample);
    expect(findExample("web-server")).toBe(webServerExample);
    expect(findExample("nope")).toBeUndefined();
  });

  it("lists the articles in the order of their copies (000 to 004), each example in its article's order", () => {
    expect(articles.map(({ article, examples }) => [article.slug, examples.map((e: Example) => e.name)])).toEqual([
      [
        "exploring-the-world-of-asynchronous-programming-in-python",
        [
          "sleep-sort",
          "sleep-sort-tasks",
          "foo-bar-baz-gather",
          "foo-bar-baz-wait",
          "thread-pool-executor",
          "run-until-complete",
        ],
      ],
      [
        "unlocking-the-power-of-asynchronous-programming-in-python",
        ["main-coroutine", "fetch-data-task", "task-one-two-three", "task-group", "locks-and-semaphores"],
      ],
      ["python-asynchronous-programming-in-python", ["running-asynchronous-code"]],
      [
        "asynchronous-programming-in-python",
        ["coroutine", "sequential", "create-task", "gather", "current-task", "event-loop", "future"],
      ],
      [
        "deep-dive-into-python-async-programming",
        ["hello-async", "choose-core", "create-two-tasks", "future-methods", "web-server", "cpu-bound-workers"],
      ],
    ]);
    for (const { article, examples } of articles) {
      for (const example of examples) expect(example.article).toBe(article.slug);
    }
  });
});

describe("Python printing (examples/lib/py.ts)", () => {
  it("print separates arguments with one space, like Python", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    print("Addition Result : ", 30);
    print([1, "a"], tuple("x"), undefined, true);
    expect(log.mock.calls).toEqual([["Addition Result :  30"], ["[1, 'a'] ('x',) None True"]]);
  });

  it("str and repr follow Python for numbers, strings, tuples, lists, sets and dicts", () => {
    expect([0.5, -10, 200, 1e-5, 1e16, 1.5e300, -0.25, 0.0001, 123456789.125].map(repr)).toEqual([
      "0.5", "-10", "200", "1e-05", "1e+16", "1.5e+300", "-0.25", "0.0001", "123456789.125",
    ]);
    expect([NaN, Infinity, -Infinity, float(30), float(0), float(-0), 10n].map(repr)).toEqual([
      "nan", "inf", "-inf", "30.0", "0.0", "-0.0", "10",
    ]);
    expect(repr(tuple())).toBe("()");
    expect(repr(tuple("Addition", 30))).toBe("('Addition', 30)");
    expect(repr([tuple(1), []])).toBe("[(1,), []]");
    expect(repr("it's")).toBe('"it\'s"');
    expect(repr(`say "it's"`)).toBe(`'say "it\\'s"'`);
    expect(repr("a\nb\\")).toBe("'a\\nb\\\\'");
    expect(repr(new Set())).toBe("set()");
    expect(repr(new Set(["a", 1]))).toBe("{'a', 1}");
    expect(repr(new Map([["k", null]]))).toBe("{'k': None}");
    expect(repr({ a: [false] })).toBe("{'a': [False]}");
    expect(str("plain")).toBe("plain");
  });

  it("str of an exception is its message, repr is Name('message')", () => {
    expect(str(new ValueError("bad input"))).toBe("bad input");
    expect(repr(new ValueError("bad input"))).toBe("ValueError('bad input')");
    expect(repr(new TypeError(""))).toBe("TypeError()");
    expect(repr([new Error("it's")])).toBe(`[Error("it's")]`);
  });

  it("format fills {} and {0} with str() of the arguments", () => {
    expect(format("{} : {}", "Division", 0.5)).toBe("Division : 0.5");
    expect(format("Total Tasks ({}) : {}", 2, ["Task-1", "A"])).toBe("Total Tasks (2) : ['Task-1', 'A']");
    expect(format("{1}{0} {{}}", "a", "b")).toBe("ba {}");
    expect(() => format("{} {}", 1)).toThrow(RangeError);
    expect(len(new Set([1, 2]))).toBe(2);
    expect(len([1])).toBe(1);
  });

  it("randint includes both ends", () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect(randint(2, 5)).toBe(2);
    vi.spyOn(Math, "random").mockReturnValue(0.999999);
    expect(randint(2, 5)).toBe(5);
  });
});

describe("the command lines", () => {
  const run = promisify(execFile);
  const tsx = ["--import", "tsx"];

  it("the tour runs every example in virtual time: well under a second, besides the real work of workers and servers", async () => {
    const { stdout } = await run(process.execPath, [...tsx, "examples/tour.ts"]);
    for (const example of allExamples) expect(stdout).toContain(`npm run example -- ${example.name})`);
    expect(stdout).toContain("16.000 s of virtual time (loop.time() = 16000 ms");
    expect(stdout).toContain("  │ Subtraction : -10\n");
    for (const { article } of articles) expect(stdout).toContain(`━━ ${article.title} ━━`);
    expect(stdout).toContain("  │ ['Foo result', 'Bar result', 'Baz result']\n  ⏱ 3.000 s of virtual time (loop.time() = 3000 ms");
    expect(stdout).toContain("  │ API server: the request for C was aborted\n  │ servers stopped\n");
    // Where tasks overlap, a timeline follows: gather's three sleeps of 1, 2 and 3 s under main.
    expect(stdout).toMatch(
      new RegExp(
        String.raw`\(npm run example -- foo-bar-baz-gather\)[^━]*?\(loop\.time\(\) = 3000 ms;[^\n]*\n` +
          String.raw` +0 ms +3000 ms\n` +
          String.raw` +Task-\d+ +-{48}\n +Task-\d+ +={16}\n +Task-\d+ +={32}\n +Task-\d+ +={48}\n` +
          String.raw` +  = sleeping  - waiting  # ready or running\n`,
      ),
    );
    const done = /Done: ([\d.]+) s of loop time in ([\d.]+) s of real time/.exec(stdout);
    expect(done).not.toBeNull();
    // Examples whose loop has no timer (loop time 0) spend real time on threads and
    // sockets, which virtual time cannot skip: the worker's blocking 2 s, say.
    const realWorkMs = [...stdout.matchAll(/\(loop\.time\(\) = 0 ms; ([\d.]+) ms of real time\)/g)]
      .map((match) => Number(match[1]))
      .reduce((sum, ms) => sum + ms, 0);
    expect(realWorkMs).toBeGreaterThan(2000); // thread-pool-executor's worker really blocked for 2 s
    expect(Number(done![2]) - realWorkMs / 1000).toBeLessThan(1);
  });

  it("npm run example runs one example", async () => {
    const { stdout } = await run(process.execPath, [...tsx, "examples/run-example.ts", "future", "--core=js"]);
    expect(stdout).toContain("  │ ['future is resolved', None]\n  │ main exiting\n");
    expect(stdout).toContain("2.000 s of virtual time (loop.time() = 2000 ms");
  });

  it("an unknown example lists the names and exits with status 1", async () => {
    const error = await run(process.execPath, [...tsx, "examples/run-example.ts", "nope"]).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('No example is called "nope".');
    for (const example of allExamples) expect(error?.stderr).toContain(`  ${example.name} `);
  });
});
