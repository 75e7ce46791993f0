// Runner (asyncio.Runner): several main coroutines on one loop and one context, then a
// close() that does what the end of run() does.
import { expect, it } from "vitest";
import {
  CancelledError,
  EventLoop,
  Context,
  ContextVar,
  createTask,
  getRunningLoop,
  run,
  Runner,
  sleep,
  until,
} from "../src/index.ts";
import { forEachCore, now, rejection, thrown } from "./helpers.ts";

forEachCore("Runner", (core) => {
  it("runs mains one after another on one loop and one context; close() cancels what they left", async () => {
    const user = new ContextVar<string>("user", { default: "nobody" });
    const runner = new Runner({ clock: "virtual", core });
    const log: string[] = [];
    const first = await runner.run(function* () {
      user.set("ada");
      createTask(function* () {
        try {
          for (;;) {
            yield* sleep(10);
            log.push(`tick at ${now()}`);
          }
        } finally {
          log.push(`ticker cleaned up at ${now()}`);
        }
      });
      yield* sleep(15);
      return "first";
    });
    log.push(first);
    const second = await runner.run(function* () {
      log.push(`second sees user ${user.get()} at ${now()}`);
      yield* sleep(20);
      return "second";
    });
    log.push(second);
    const loop = runner.getLoop();
    expect(loop.isClosed()).toBe(false);
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(thrown(() => runner.getLoop())).toBe("RuntimeError: Runner is closed"); // as asyncio's
    expect(user.get()).toBe("nobody");
    expect(log).toEqual([
      "tick at 10",
      "first",
      "second sees user ada at 15",
      "tick at 20",
      "tick at 30",
      "second",
      "ticker cleaned up at 35",
    ]);
  });

  it("a main that fails rejects its run; the runner goes on", async () => {
    const runner = new Runner({ clock: "virtual", core });
    await expect(
      runner.run(function* () {
        yield* sleep(5);
        throw new Error("first main failed");
      }),
    ).rejects.toThrow("first main failed");
    expect(await runner.run(function* () {
      yield* sleep(5);
      return now();
    })).toBe(10);
    await runner.close();
  });

  it("refuses a run while another is in progress, after close, and from inside a loop", async () => {
    const runner = new Runner({ clock: "virtual", core });
    const first = runner.run(function* () {
      yield* sleep(10);
      return "done";
    });
    const whileRunning = rejection(runner.run(function* () {})); // refused now, read below
    const closeWhileRunning = await runner.close().then(
      () => "closed",
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(await first).toBe("done");
    const fromInside = await new Runner({ clock: "virtual", core }).run(function* () {
      return yield* until(rejection(runner.run(function* () {})));
    });
    const closing = runner.close();
    expect(runner.close()).toBe(closing);
    await closing;
    expect([await whileRunning, closeWhileRunning, fromInside, await rejection(runner.run(function* () {}))]).toEqual([
      "RuntimeError: Runner.run() is already running a coroutine",
      "RuntimeError: Runner.close() cannot be called while run() is in progress",
      "RuntimeError: Runner.run() cannot be called from a running event loop",
      "RuntimeError: Runner is closed",
    ]);
  });

  it("close() reports a leftover task that fails while being cancelled, and still closes", async () => {
    const runner = new Runner({ clock: "virtual", core });
    const reports: string[] = [];
    runner.getLoop().setExceptionHandler((_loop, context) => {
      reports.push(`${context.message}: ${(context.exception as Error).message}`);
    });
    await runner.run(function* () {
      createTask(function* () {
        try {
          yield* sleep(Infinity);
        } catch (error) {
          if (error instanceof CancelledError) throw new Error("cleanup failed");
        }
      });
    });
    const loop = runner.getLoop();
    await runner.close();
    expect(reports).toEqual(["unhandled exception during run() shutdown: cleanup failed"]);
    expect(loop.isClosed()).toBe(true);
  });

  it("the end of run() gives callbacks a leftover task's cleanup schedules as many iterations as asyncio.run's", async () => {
    // asyncio.run cancels the tasks left, then runs the loop twice more (to shut down
    // async generators and the default executor): a chain of callbacks, each scheduling
    // the next, gets to its sixth on CPython 3.13; the rest is dropped with the loop.
    const ran: number[] = [];
    await run(
      function* () {
        const loop = getRunningLoop();
        createTask(function* () {
          try {
            yield* sleep(1_000);
          } finally {
            const chain = (i: number): void => {
              ran.push(i);
              if (i < 20) loop.callSoon(() => chain(i + 1));
            };
            loop.callSoon(() => chain(1));
          }
        });
        yield* sleep(1);
      },
      { clock: "virtual", core },
    );
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("run(main, { context }) runs main in that context instead of the runner's", async () => {
    const v = new ContextVar<number>("v", { default: 0 });
    const runner = new Runner({ clock: "virtual", core });
    const mine = new Context();
    await runner.run(
      function* () {
        v.set(1);
      },
      { context: mine },
    );
    const seen = await runner.run(function* () {
      return [v.get(), getRunningLoop() === runner.getLoop()];
    });
    await runner.close();
    expect([mine.get(v), ...seen]).toEqual([1, 0, true]);
  });
});

it("the runner's context is copied at its first run, not when it is made (asyncio's lazy init)", async () => {
  const v = new ContextVar<string>("v", { default: "unset" });
  const runner = new Runner({ clock: "virtual" });
  v.set("set after Runner()");
  const first = await runner.run(function* () {
    const seen = v.get();
    v.set("set by the first main");
    return seen;
  });
  v.set("set after the first run");
  const second = await runner.run(function* () {
    return v.get();
  });
  await runner.close();
  expect([first, second]).toEqual(["set after Runner()", "set by the first main"]);
});

it("getLoop() is a first use, as asyncio's get_loop(): it copies the context then, and close() closes the loop", async () => {
  const v = new ContextVar<string>("v", { default: "unset" });
  const runner = new Runner({ clock: "virtual" });
  const loop = runner.getLoop();
  v.set("set after getLoop()");
  const seen = await runner.run(function* () {
    return v.get();
  });
  await runner.close();
  expect([seen, loop.isClosed()]).toEqual(["unset", true]);
  const unrun = new Runner({ clock: "virtual" });
  const itsLoop = unrun.getLoop();
  await unrun.close();
  expect(itsLoop.isClosed()).toBe(true);
});

it("close() of a runner never used does nothing: it can still run, then close (asyncio's)", async () => {
  const runner = new Runner({ clock: "virtual" });
  await runner.close();
  const value = await runner.run(function* () {
    yield* sleep(5);
    return "ran after close()";
  });
  const loop = runner.getLoop();
  await runner.close();
  expect([value, loop.isClosed()]).toEqual(["ran after close()", true]);
});

it("bad options are refused when the runner is made", () => {
  expect(thrown(() => new Runner({ clock: "wall" as never }))).toBe(
    'TypeError: clock must be "real" or "virtual", got the string "wall"',
  );
});

it("a bad main or context is refused naming the call that got it, and the runner goes on", async () => {
  const runner = new Runner({ clock: "virtual" });
  const loop = new EventLoop({ clock: "virtual" });
  expect(await rejection(runner.run(function* () {}, { context: 5 as never }))).toBe(
    "TypeError: Runner.run(): context must be a Context, got number 5",
  );
  expect(await rejection(runner.run(5 as never))).toBe(
    "TypeError: Runner.run() needs a generator (call a function* to get one), got number 5",
  );
  expect(await rejection(loop.runUntilComplete(5 as never))).toBe(
    "TypeError: runUntilComplete() needs a generator (call a function* to get one), got number 5",
  );
  expect(await runner.run(function* () {
    return "still runs";
  })).toBe("still runs");
  await runner.close();
  loop.close();
});
