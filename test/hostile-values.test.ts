// Values that throw when looked at: a revoked Proxy, a `name` or `stack` getter that
// throws, an error no console can print. Whatever a program hands the loop, the loop
// reports it, goes on, and loses no task.
import { afterEach, expect, it, vi } from "vitest";
import {
  type Awaitable,
  createTask,
  EventLoop,
  type ExceptionContext,
  gather,
  getRunningLoop,
  PriorityQueue,
  Queue,
  run,
  sleep,
  taskGroup,
} from "../src/index.ts";
import { forEachCore, messageOf, runVirtual, thrown } from "./helpers.ts";

/** A function or object whose every use throws: a revoked Proxy. */
function revoked<T extends object>(target: T): T {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

/** A function that throws `error`, and whose `name` throws when read. */
function namelessThrower(error: Error): () => void {
  const callback = (): void => {
    throw error;
  };
  Object.defineProperty(callback, "name", {
    get() {
      throw new Error("the name getter");
    },
  });
  return callback;
}

/** What console.error prints from now on, read as a console reads it: each error's stack. */
function printedByConsole(): string[] {
  const printed: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    printed.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" | "));
  });
  return printed;
}

/** An error whose `stack` getter throws: no console can print it. */
function unprintableError(): Error {
  const error = new Error("unprintable");
  Object.defineProperty(error, "stack", {
    get() {
      throw new Error("the stack getter");
    },
  });
  return error;
}

/** Ticks of a task that counts virtual milliseconds: it keeps counting while the rest misbehaves. */
function* ticking(ticks: number[], upTo: number) {
  for (let i = 1; i <= upTo; i++) {
    yield* sleep(1);
    ticks.push(i);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

forEachCore("hostile values", (core) => {
  it("a callback whose name cannot be read reports its error to the handler, and the loop goes on", async () => {
    const reports: string[] = [];
    const ticks: number[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      // Calling a revoked Proxy is a TypeError, worded by each engine its own way.
      loop.setExceptionHandler((_loop, context) => {
        const error = context.exception as Error;
        reports.push(`${context.message} :: ${error instanceof TypeError ? "a TypeError" : error.message}`);
      });
      const ticker = createTask(ticking(ticks, 3));
      loop.callSoon(namelessThrower(new Error("the callback failed")));
      const handle = loop.callLater(1, revoked(function callback() {}));
      expect(String(handle)).toBe("<TimerHandle callback>");
      yield* ticker;
    });
    expect(ticks).toEqual([1, 2, 3]);
    expect(reports).toEqual([
      "Exception in callback <Handle callback> :: the callback failed",
      "Exception in callback <TimerHandle callback> :: a TypeError",
    ]);
  });

  it("a done callback whose name cannot be read is reported; the other callbacks and the awaiting task still run", async () => {
    const reports: string[] = [];
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reports.push(context.message));
      const future = loop.createFuture<number>();
      const seen: string[] = [];
      future.addDoneCallback(namelessThrower(new Error("first")));
      future.addDoneCallback(revoked(function second() {}));
      future.addDoneCallback(() => seen.push("third"));
      loop.callLater(1, () => future.setResult(7));
      const value = yield* future;
      yield* sleep(0);
      return [value, seen];
    });
    expect(out).toEqual([7, ["third"]]);
    expect(reports).toEqual([
      "Exception in callback anonymous(<Future finished result=7>)",
      "Exception in callback anonymous(<Future finished result=7>)",
    ]);
  });

  it("a task that throws a revoked Proxy fails with it, and whoever awaits the task hears of it", async () => {
    const proxy = revoked({});
    const out = await runVirtual(core, function* () {
      const thrower = createTask(function* () {
        yield* sleep(1);
        throw proxy;
      });
      const settled = yield* gather([thrower], { returnExceptions: true });
      let caught: unknown;
      try {
        yield* gather([createTask((function* () { yield* sleep(1); throw proxy; })())]);
      } catch (error) {
        caught = error;
      }
      const future = getRunningLoop().createFuture<never>();
      getRunningLoop().callLater(1, () => future.setException(proxy));
      const awaiting = createTask(function* () {
        return yield* future;
      });
      const [awaited] = yield* gather([awaiting], { returnExceptions: true });
      // Not taken for a cancellation: a group with such a child fails with it.
      const grouped = yield* messageOf(() =>
        taskGroup(function* (tg) {
          tg.createTask(function* () {
            yield* sleep(1);
            throw proxy;
          });
        }),
      );
      return [thrower.done(), thrower.cancelled(), settled[0] === proxy, caught === proxy, awaiting.done(), awaited === proxy, grouped];
    });
    expect(out).toEqual([true, false, true, true, true, true, "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)"]);
  });

  it("cancel() with a message that cannot be made text still cancels, whatever the task waits on", async () => {
    const unprintable = {
      toString() {
        throw new Error("the toString");
      },
    };
    const out = await runVirtual(core, function* () {
      const ticks: number[] = [];
      const ticker = createTask(ticking(ticks, 5));
      const log: string[] = [];
      const waiter = (name: string, wait: () => Awaitable<unknown>) =>
        createTask(function* () {
          try {
            yield* wait();
          } finally {
            log.push(`${name} cleaned up`);
          }
        }, { name });
      const future = getRunningLoop().createFuture();
      const tasks = [
        waiter("sleeping", () => sleep(50)),
        waiter("awaiting", () => future),
        waiter("waiting forever", () => sleep(Infinity)),
      ];
      yield* sleep(1);
      const unstarted = waiter("unstarted", () => sleep(50)); // cancelled before its first step
      const gathered = gather(tasks);
      gathered.cancel(unprintable as never);
      unstarted.cancel(revoked({}) as never);
      const outcomes = yield* gather([...tasks, unstarted, gathered], { returnExceptions: true });
      yield* ticker;
      return [
        outcomes.map((outcome) => `${(outcome as Error).name}: ${(outcome as Error).message}`),
        log,
        future.cancelled(),
        ticks.length,
      ];
    });
    expect(out).toEqual([
      [
        ...Array(3).fill("CancelledError: an object of class Object"),
        "CancelledError: an object that cannot be inspected",
        "CancelledError: an object of class Object",
      ],
      ["sleeping cleaned up", "awaiting cleaned up", "waiting forever cleaned up"],
      true,
      5,
    ]);
  });

  it("a task that yields a revoked Proxy is told it is not awaitable", async () => {
    const out = await runVirtual(core, function* () {
      try {
        yield revoked({}) as never;
      } catch (error) {
        return String(error);
      }
      return "not thrown";
    });
    expect(out).toMatch(/^TypeError: Task Task-\d+ yielded an object that cannot be inspected, which is not awaitable\./);
  });

  it("an error message about a revoked Proxy or a hostile getter describes it rather than throwing the Proxy's error", async () => {
    const hostileName = async function body() {};
    Object.defineProperty(hostileName, "name", {
      get() {
        throw new Error("name getter");
      },
    });
    const hostileClass = new (class {})();
    Object.defineProperty(hostileClass, "constructor", {
      get() {
        throw new Error("constructor getter");
      },
    });
    await runVirtual(core, function* () {
      expect(thrown(() => createTask(hostileName as never))).toBe("TypeError: createTask() needs a function*, got an async function (anonymous)");
      expect(thrown(() => createTask(hostileClass as never))).toMatch(/got an object that cannot be inspected$/);
    });
  });

  it("the default handler prints what it can of an error that cannot be printed, and the loop goes on", async () => {
    const printed = printedByConsole();
    const unprintable = unprintableError();
    const ticks: number[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const ticker = createTask(ticking(ticks, 3));
      loop.callSoon(() => {
        throw unprintable;
      });
      loop.callSoon(() => {
        throw undefined; // eslint-disable-line no-throw-literal
      });
      yield* ticker;
    });
    expect(ticks).toEqual([1, 2, 3]);
    expect(printed).toEqual([
      "wasyncio: Exception in callback <Handle callback>\n  <Handle callback> | (the error cannot be printed)",
      "wasyncio: Exception in callback <Handle callback>\n  <Handle callback> | undefined",
    ]);
  });

  it("an exception handler that throws what cannot be printed is reported as far as it can be; the loop goes on", async () => {
    const printed = printedByConsole();
    const unprintable = unprintableError();
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      loop.setExceptionHandler(() => {
        throw unprintable;
      });
      loop.callExceptionHandler({ message: "first" });
      loop.callExceptionHandler(undefined as unknown as ExceptionContext);
      yield* sleep(1);
      return "went on";
    });
    expect(out).toBe("went on");
    expect(printed).toEqual([
      "wasyncio: Unhandled error in exception handler | (the error cannot be printed)",
      "wasyncio: first",
      // No context at all: what reading it threw, and nothing of what it was given.
      expect.stringMatching(/^wasyncio: Unhandled error in exception handler \| TypeError: /),
    ]);
  });

  it("a task that fails with an unprintable error and is never awaited is reported when the loop closes", async () => {
    const printed = printedByConsole();
    const unprintable = unprintableError();
    Object.defineProperty(unprintable, "message", {
      get() {
        throw new Error("the message getter");
      },
    });
    const loop = new EventLoop({ clock: "virtual", core });
    const failing = loop.createTask(
      (function* () {
        yield* sleep(1);
        throw unprintable;
      })(),
      { name: "failing" },
    );
    await loop.runUntilComplete(
      loop.createTask(function* () {
        yield* sleep(5);
      }),
    );
    loop.close();
    expect(failing.done()).toBe(true);
    expect(printed).toEqual([
      "wasyncio: Task exception was never retrieved\n  <Task finished name=failing exception=(a value that cannot be shown)> | (the error cannot be printed)",
    ]);
  });
});

it("a PriorityQueue refuses NaN, as an item or as what compare answers, instead of losing its order", async () => {
  await run(function* () {
    const queue = new PriorityQueue<number>();
    queue.putNowait(2);
    expect(thrown(() => queue.putNowait(Number.NaN))).toBe("TypeError: PriorityQueue cannot order NaN");
    queue.putNowait(1);
    expect([queue.getNowait(), queue.getNowait()]).toEqual([1, 2]);
    const byScore = new PriorityQueue<[number, string]>({ compare: (a, b) => a[0] - b[0] });
    byScore.putNowait([1, "a"]);
    expect(thrown(() => byScore.putNowait([Number.NaN, "b"]))).toBe(
      "TypeError: PriorityQueue: compare must return a number (negative, zero or positive), got number NaN",
    );
    const pairs = new PriorityQueue<[number, number]>();
    pairs.putNowait([1, 1]);
    expect(thrown(() => pairs.putNowait([1, Number.NaN]))).toBe("TypeError: PriorityQueue cannot order NaN");
  });
});

forEachCore("null as a result", (core) => {
  it("stays null through a queue, a sleep and a done future: it is not taken for undefined", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<null>();
      queue.putNowait(null);
      const future = getRunningLoop().createFuture<null>();
      future.setResult(null);
      return [yield* queue.get(), yield* sleep(0, null), yield* future];
    });
    expect(out).toEqual([null, null, null]);
  });
});
