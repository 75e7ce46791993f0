// Debug mode: slow callbacks and steps are reported with where their task was created,
// and the exception handler's reports say where a failed or abandoned task came from.
// Durations are not asserted: a threshold of 0 reports every callback, Infinity none.
import { afterEach, expect, it, vi } from "vitest";
import {
  createTask,
  disableDebug,
  enableDebug,
  EventLoop,
  type ExceptionContext,
  type Future,
  getRunningLoop,
  isDebugEnabled,
  sleep,
} from "../src/index.ts";
import { forEachCore, runVirtual, thrown } from "./helpers.ts";

afterEach(() => vi.restoreAllMocks());

/** Starts the task named "worker": its creation is what the reports point at. */
function startWorker(): void {
  createTask(sleep(10), { name: "worker" });
}

/** Starts the task named "replier", which awaits `reply`: its creation is what its reports point at. */
function startReplier(reply: Future<number>): void {
  createTask(function* () {
    yield* reply;
  }, { name: "replier" });
}

forEachCore("debug mode", (core) => {
  it("reports each callback and step that reaches slowCallbackDuration, with where its task was created", async () => {
    const warnings: string[] = [];
    await runVirtual(core, function* () {
      enableDebug({ slowCallbackDuration: 0, warn: (message) => warnings.push(message) });
      startWorker();
      yield* sleep(20);
    });
    const worker = warnings.filter((message) => message.includes("name=worker"));
    // Its first step, and the step that ends its sleep; then its done callbacks.
    expect(worker.length).toBeGreaterThanOrEqual(2);
    expect(worker[0]).toMatch(/^wasyncio: executing <Task pending name=worker> took \d+\.\d ms\n {2}created at:\n/);
    const createdAt = worker[0]!.split("created at:\n")[1]!;
    expect(createdAt.split("\n")[0]).toMatch(/startWorker.*debug-mode\.test\.ts/);
    expect(createdAt).not.toMatch(/src[\\/](task|loop|future|tasks|debug-mode)\.ts/);
  });

  it("takes its creation traces without changing the program's Error.stackTraceLimit", async () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 7; // the program's own choice
    try {
      const during = await runVirtual(core, function* () {
        enableDebug({ slowCallbackDuration: 0, warn: () => {} });
        startWorker(); // a task, and a sleep operation: each traced
        yield* sleep(20);
        return Error.stackTraceLimit;
      });
      expect([during, Error.stackTraceLimit]).toEqual([7, 7]);
    } finally {
      Error.stackTraceLimit = before;
    }
  });

  it("a step that takes exactly slowCallbackDuration reaches it (asyncio's dt >= slow_callback_duration)", async () => {
    const warnings: string[] = [];
    const frozen = performance.now();
    const clock = vi.spyOn(performance, "now").mockReturnValue(frozen); // every step takes 0 ms
    try {
      await runVirtual(core, function* () {
        enableDebug({ slowCallbackDuration: 0, warn: (message) => warnings.push(message) });
        getRunningLoop().callSoon(function tick() {});
        yield* sleep(1);
      });
    } finally {
      clock.mockRestore();
    }
    expect(warnings[0]).toBe("wasyncio: executing <Handle tick> took 0.0 ms");
  });

  it("reports a future's done callbacks one by one, each named: the task it wakes, or callback name(future)", async () => {
    const warnings: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const reply = loop.createFuture<number>();
      createTask(
        function* () {
          yield* reply;
        },
        { name: "worker" },
      );
      reply.addDoneCallback(function first() {});
      reply.addDoneCallback(function second() {});
      yield* sleep(1);
      enableDebug({ slowCallbackDuration: 0, warn: (message) => warnings.push(message.split("\n")[0]!) });
      reply.setResult(1);
      yield* sleep(1);
      reply.addDoneCallback(function late() {}); // done already: scheduled on its own
      yield* sleep(1);
    });
    const executed = warnings.map((line) => line.replace(/ took .*/, ""));
    expect(executed).toEqual(
      expect.arrayContaining([
        "wasyncio: executing <Task finished name=worker result=undefined>", // its last step, after the await
        "wasyncio: executing callback first(<Future finished result=1>)",
        "wasyncio: executing callback second(<Future finished result=1>)",
        "wasyncio: executing callback late(<Future finished result=1>)",
      ]),
    );
    expect(executed.filter((line) => line.includes("Future finished") && !line.includes("callback"))).toEqual([]);
    expect(executed.filter((line) => line.includes("[object Object]"))).toEqual([]);
  });

  it("reports a task's step after an await with where the task was created, not where the future it awaited was", async () => {
    const warnings: string[] = [];
    await runVirtual(core, function* () {
      enableDebug({ slowCallbackDuration: 0, warn: (message) => warnings.push(message) });
      const reply = getRunningLoop().createFuture<number>(); // traced too: made here, in the main task
      startReplier(reply);
      yield* sleep(1);
      reply.setResult(1);
      yield* sleep(1);
    });
    const step = warnings.find((message) => message.startsWith("wasyncio: executing <Task finished name=replier"));
    expect(step).toBeDefined();
    expect(step!.split("created at:\n")[1]!.split("\n")[0]).toMatch(/startReplier.*debug-mode\.test\.ts/);
  });

  it("by default reports what holds the loop 100 ms or more (asyncio's slow_callback_duration of 0.1 s)", async () => {
    const warnings: string[] = [];
    await runVirtual(core, function* () {
      enableDebug({ warn: (message) => warnings.push(message.split("\n")[0]!) });
      getRunningLoop().callSoon(function busy() {
        const end = performance.now() + 150;
        while (performance.now() < end) {} // holds the loop: at least 150 ms
      });
      yield* sleep(10);
    });
    expect(warnings).toEqual([expect.stringMatching(/^wasyncio: executing <Handle busy> took \d+\.\d ms$/)]);
  });

  it("reports nothing below the threshold, nor once debug mode is off", async () => {
    const warnings: string[] = [];
    const states = await runVirtual(core, function* () {
      const before = isDebugEnabled();
      enableDebug({ slowCallbackDuration: Infinity, warn: (message) => warnings.push(message) });
      const during = isDebugEnabled();
      startWorker();
      yield* sleep(20);
      enableDebug({ slowCallbackDuration: 0, warn: (message) => warnings.push(message) });
      disableDebug();
      startWorker();
      yield* sleep(20);
      return [before, during, isDebugEnabled()];
    });
    expect(states).toEqual([false, true, false]);
    expect(warnings).toEqual([]);
  });

  it("leaves a createdAt the program's own report gives as it is", async () => {
    const seen = await runVirtual(core, function* () {
      enableDebug({ warn: () => {} });
      const loop = getRunningLoop();
      const seen: unknown[] = [];
      loop.setExceptionHandler((_loop, context) => seen.push(context.createdAt));
      const task = createTask(sleep(1));
      loop.callExceptionHandler({ message: "mine", task, createdAt: "where I say" });
      loop.callExceptionHandler({ message: "mine", task });
      yield* task;
      return seen;
    });
    expect(seen[0]).toBe("where I say");
    expect(seen[1]).toMatch(/debug-mode\.test\.ts/); // without one, where the task was made
  });

  it("gives the exception handler where a failed or abandoned task was created", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_loop, context) => contexts.push(context));
    enableDebug({ loop });
    await loop.runUntilComplete(
      loop.createTask(function* () {
        createTask(
          function* () {
            throw new Error("nobody looks");
          },
          { name: "failing" },
        );
        createTask(sleep(Infinity), { name: "abandoned" });
        const future = getRunningLoop().createFuture();
        future.setException(new Error("a future's"));
        yield* sleep(1);
      }),
    );
    loop.close();
    const reports = contexts.map((c) => [c.message, c.task?.getName() ?? "future", /debug-mode\.test\.ts/.test(c.createdAt ?? "")]);
    expect(reports).toEqual([
      ["Task was destroyed but it is pending!", "abandoned", true],
      // After the pending tasks' cleanup, which may still read an error or make one.
      ["Future exception was never retrieved", "future", true], // failed at once
      ["Task exception was never retrieved", "failing", true], // failed at its first step
    ]);
  });

  it("prints where the task was created in the default handler's report; not outside debug mode", async () => {
    const printed: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(String(args[0])));
    for (const debug of [true, false]) {
      const loop = new EventLoop({ clock: "virtual", core });
      if (debug) enableDebug({ loop });
      await loop.runUntilComplete(
        loop.createTask(function* () {
          startWorker();
          yield* sleep(1);
        }),
      );
      loop.close(); // the worker is still sleeping: "Task was destroyed but it is pending!"
    }
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/^wasyncio: Task was destroyed but it is pending!\n {2}<Task pending name=worker>\n {2}created at:\n.*startWorker/);
    expect(printed[1]).toBe("wasyncio: Task was destroyed but it is pending!\n  <Task pending name=worker>");
  });

  it("puts the exception of a report with a creation trace on a line of its own", async () => {
    const printed: unknown[][] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
    const loop = new EventLoop({ clock: "virtual", core });
    enableDebug({ loop });
    const failed = new Error("lost");
    loop.createTask(function* () {
      throw failed;
    });
    await loop.runUntilComplete(loop.createTask(sleep(1)));
    loop.close(); // the failure was never retrieved
    expect(printed).toHaveLength(1);
    const [text, exception] = printed[0]!;
    expect(text).toMatch(/^wasyncio: Task exception was never retrieved\n {2}<Task finished name=Task-\d+ exception=Error\("lost"\)>\n {2}created at:\n[^]*\n $/);
    expect(exception).toBe(failed);
  });

  it("reports a warn() that throws to the exception handler, and the loop and its tasks go on", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(`${context.message}: ${(context.exception as Error).message}`));
    enableDebug({
      loop,
      slowCallbackDuration: 0,
      warn: () => {
        throw new Error("broken logger");
      },
    });
    const value = await loop.runUntilComplete(
      loop.createTask(function* () {
        yield* sleep(10);
        return "finished";
      }),
    );
    loop.close();
    expect(value).toBe("finished");
    expect(reports.length).toBeGreaterThan(1);
    expect(new Set(reports)).toEqual(new Set(["Exception in debug mode's warn(): broken logger"]));
  });

  it("refuses bad options with errors that name them, and needs a loop", async () => {
    const messages = await runVirtual(core, function* () {
      return [
        thrown(() => enableDebug({ slowCallbackDuration: Number.NaN })),
        thrown(() => enableDebug({ slowCallbackDuration: -1 })),
        thrown(() => enableDebug({ warn: "loud" as never })),
        isDebugEnabled(),
      ];
    });
    expect(messages).toEqual([
      "RangeError: enableDebug(): slowCallbackDuration: the duration is NaN; it must be a number of milliseconds",
      "RangeError: enableDebug(): slowCallbackDuration is -1 ms; it must be 0 or more",
      "TypeError: enableDebug(): warn must be a function, got the string \"loud\"",
      false,
    ]);
    expect(thrown(() => enableDebug())).toBe(
      "RuntimeError: no running event loop: enableDebug() was called outside a loop's tasks and callbacks, with no loop given",
    );
  });
});
