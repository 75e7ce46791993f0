// Bad input gets an error that names the problem, and the loop keeps running.
import { expect, it } from "vitest";
import {
  abortable,
  allTasks,
  asCompleted,
  Barrier,
  captureCallGraph,
  Condition,
  ContextVar,
  type Awaitable,
  type Coroutine,
  createTask,
  disableDebug,
  enableDebug,
  ensureFuture,
  Event,
  EventLoop,
  forAwait,
  formatCallGraph,
  formatTaskTree,
  formatTimeline,
  Future,
  gather,
  getRunningLoop,
  InvalidStateError,
  isDebugEnabled,
  Lock,
  PriorityQueue,
  Queue,
  recordTimeline,
  run,
  runMain,
  Runner,
  RuntimeError,
  serveExecutor,
  Semaphore,
  sleep,
  staggeredRace,
  Task,
  taskGroup,
  taskTree,
  timeout,
  timeoutAt,
  until,
  ValueError,
  wait,
  waitFor,
  WorkerExecutor,
  type Yielded,
} from "../src/index.ts";
import { after, failAfter, forEachCore, messageOf, outcome, runVirtual, thrown, virtualLoop } from "./helpers.ts";

/** The message of what calling `body` threw, or awaiting what it returned, if that is awaitable. */
function* messageOfCall(body: () => unknown): Generator<Yielded, string, unknown> {
  return yield* messageOf(function* () {
    const made = body();
    if (made !== null && typeof made === "object" && Symbol.iterator in made) yield* made as Coroutine;
  });
}

forEachCore("bad input", (core) => {
  it("sleep(NaN) is a RangeError naming NaN; a non-number is a TypeError", async () => {
    const out = await runVirtual(core, function* () {
      return [
        yield* messageOf(function* () {
          yield* sleep(Number.NaN);
        }),
        yield* messageOf(function* () {
          yield* sleep("10" as never);
        }),
        // Nothing that JavaScript would turn into 0 sleeps 0: each is refused.
        ...(yield* gather([null, false, []].map((delay) => messageOf(() => sleep(delay as never))))),
        // asyncio's None for "no timeout" is Infinity here: the message says so.
        yield* messageOf(() => timeout(null as never, function* () {})),
      ];
    });
    expect(out).toEqual([
      "RangeError: sleep(): the delay is NaN; it must be a number of milliseconds",
      "TypeError: sleep(): the delay must be a number of milliseconds, got the string \"10\"",
      "TypeError: sleep(): the delay must be a number of milliseconds, got null",
      "TypeError: sleep(): the delay must be a number of milliseconds, got boolean false",
      "TypeError: sleep(): the delay must be a number of milliseconds, got an object of class Array",
      "TypeError: timeout(): the timeout must be a number of milliseconds, got null (Infinity means no timeout)",
    ]);
  });

  it("a negative delay means now, Infinity means never", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      loop.callLater(-5, () => seen.push(`negative at ${loop.time()}`));
      loop.callLater(Infinity, () => seen.push("never"));
      yield* sleep(-100);
      seen.push(`slept(-100) until ${loop.time()}`);
      yield* sleep(10);
      return seen;
    });
    // As in asyncio: the task's reschedule was queued during the previous iteration,
    // the due timer joins the queue behind it at the start of the next.
    expect(out).toEqual(["slept(-100) until 0", "negative at 0"]);
  });

  it("callLater/callAt with NaN throw at the call, and the loop goes on", async () => {
    const { loop } = virtualLoop(core);
    expect(() => loop.callLater(Number.NaN, () => {})).toThrow(/delay is NaN/);
    // Each names what it was given: a delay, a loop time, a timeout, a deadline.
    expect(thrown(() => loop.callAt(Number.NaN, () => {}))).toBe("RangeError: callAt(): the time is NaN; it must be a number of milliseconds");
    expect(thrown(() => timeout(Number.NaN, function* () {}))).toBe("RangeError: timeout(): the timeout is NaN; it must be a number of milliseconds");
    expect(thrown(() => timeoutAt("5" as never, function* () {}))).toBe(
      'TypeError: timeoutAt(): the deadline must be a number of milliseconds, got the string "5"',
    );
    expect(() => loop.callSoon(42 as never)).toThrow(/callSoon\(\) needs a function to call, got number 42/);
    const t = await loop.runUntilComplete(function* () {
      yield* sleep(7);
      return loop.time();
    });
    expect(t).toBe(7);
  });

  /** What callSoon, callLater, callAt and addDoneCallback throw when given a `function*`. */
  const refusalsOfFunctionStar = (loop: EventLoop, doneCallback: never) => {
    const work = function* () {} as never; // the types refuse it too (LoopCallback)
    return [
      thrown(() => loop.callSoon(work)),
      thrown(() => loop.callLater(5, work)),
      thrown(() => loop.callAt(5, work)),
      thrown(() => loop.createFuture().addDoneCallback(doneCallback)),
    ];
  };
  const functionStarRefused = ["callSoon()", "callLater()", "callAt()", "addDoneCallback()"].map(
    (what) => `TypeError: ${what} got a function*, which runs nothing when called: pass a plain function, which may createTask() one`,
  );

  it("a function* as a callback is refused outside debug mode too: it would run nothing, silently", async () => {
    const { loop } = virtualLoop(core);
    expect(refusalsOfFunctionStar(loop, function* () {} as never)).toEqual(functionStarRefused);
    // The loop goes on.
    expect(await loop.runUntilComplete(sleep(1, "on"))).toBe("on");
    loop.close();
  });

  it("in debug mode a function* as a callback is refused, as asyncio's refuses a coroutine function", async () => {
    const { loop } = virtualLoop(core);
    enableDebug({ loop });
    // An async function* too, which only debug mode tells by name.
    expect(refusalsOfFunctionStar(loop, async function* () {} as never)).toEqual(functionStarRefused);
    // An async function runs its body when called: it stays a callback.
    let ran = false;
    loop.callSoon(async () => {
      ran = true;
    });
    await loop.runUntilComplete(sleep(1));
    expect(ran).toBe(true);
    loop.close();
  });

  it("yielding something that is not awaitable throws a TypeError into the coroutine, naming it", async () => {
    const out = await runVirtual(core, function* () {
      const messages: string[] = [];
      const queue = new Queue<number>();
      const bads = [42, "text", { a: 1 }, Promise.resolve(1), (function* () {})(), queue.get(), sleep(5, "five"), sleep(0), null];
      for (const bad of bads) {
        try {
          yield bad as never; // deliberately not awaitable: only the run time refuses it
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      yield* sleep(1); // the task, and the loop, carry on
      return messages;
    });
    expect(out).toHaveLength(9);
    expect(out[0]).toMatch(/yielded number 42, which is not awaitable/);
    expect(out[1]).toMatch(/yielded the string "text", which is not awaitable/);
    expect(out[2]).toMatch(/yielded an object of class Object, which is not awaitable/);
    expect(out[3]).toMatch(/yielded a Promise, which is not awaitable\. .*until\(promise\)/);
    expect(out[4]).toMatch(/yielded a generator, which is not awaitable\. Use yield\*/);
    // Not by its class's name, which a minifier changes: `yield queue.get()` lacks its `*`.
    // It is awaitable, with its `*`: the message says no more than what is missing.
    expect(out[5]).toMatch(/^Task Task-\d+ yielded an operation without its \*$/);
    // A sleep too, as asyncio refuses a `yield` used instead of `yield from`: it would
    // wait, then give back what the task sends to end a sleep instead of its value.
    expect(out[6]).toMatch(/^Task Task-\d+ yielded an operation without its \*$/);
    expect(out[7]).toMatch(/^Task Task-\d+ yielded an operation without its \*$/);
    // Only a bare `yield` (undefined) is a yield to the other tasks; null is a mistake.
    expect(out[8]).toMatch(/^Task Task-\d+ yielded null, which is not awaitable/);
  });

  it("new Task() takes the running loop when given none, as asyncio's Task(coro), and refuses what is not a coroutine", async () => {
    const out = await runVirtual(core, function* () {
      const task = new Task(after(5, "made"));
      return [
        task.getLoop() === getRunningLoop(),
        yield* task,
        thrown(() => new Task(5 as never)),
        thrown(() => new Task((function* () {}) as never)),
      ];
    });
    expect(out).toEqual([
      true,
      "made",
      "TypeError: new Task() needs a generator (call a function* to get one), got number 5",
      expect.stringMatching(/^TypeError: new Task\(\) needs a generator \(call a function\* to get one\), got (a )?function/),
    ]);
    expect(thrown(() => new Task((function* () {})()))).toMatch(/^RuntimeError: no running event loop/);
  });

  it("a function* or async function* given as the exception handler, or as debug mode's warn, is refused: it would report nothing", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const refusals = [
        thrown(() => loop.setExceptionHandler(function* () {} as never)),
        thrown(() => loop.setExceptionHandler(async function* () {} as never)),
        thrown(() => enableDebug({ warn: function* () {} as never })),
      ];
      return [...refusals, loop.getExceptionHandler(), isDebugEnabled()];
    });
    expect(out).toEqual([
      "TypeError: setExceptionHandler() got a function*, which runs nothing when called: pass a plain function, which may createTask() one",
      "TypeError: setExceptionHandler() got a function*, which runs nothing when called: pass a plain function, which may createTask() one",
      "TypeError: enableDebug()'s warn() got a function*, which runs nothing when called: pass a plain function, which may createTask() one",
      null,
      false,
    ]);
  });

  it("a generator that a task runs, stepped again by another (yield* of it, or a second task), gets asyncio's RuntimeError where it waits", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const lock = new Lock();
      const semaphore = new Semaphore(1);
      const queue = new Queue<number>();
      const future = loop.createFuture<string>();
      yield* lock.acquire();
      yield* semaphore.acquire();
      const waits: [string, () => Awaitable<unknown>][] = [
        ["a future", () => future],
        ["a sleep", () => sleep(100, "slept")],
        ["a lock", () => lock.acquire()],
        ["a semaphore", () => semaphore.acquire()],
        ["a queue", () => queue.get()],
      ];
      const seen: string[] = [];
      for (const [what, wait] of waits) {
        const job = (function* () {
          return yield* wait();
        })();
        createTask(job); // the task parks the generator on its wait...
        yield* sleep(1);
        try {
          yield* job; // ...and this steps it again: `yield* task` was meant
          seen.push(`${what}: no error`);
        } catch (error) {
          seen.push(`${what}: ${(error as Error).name}: ${(error as Error).message.split(":")[0]}`);
        }
      }
      // Given to a second task: that task fails the same way, and leaves the generator to
      // the first, whose work goes on (asyncio refuses the second task's first step).
      const job = (function* () {
        yield* sleep(50);
        return "the first task's result";
      })();
      const first = createTask(job);
      yield* sleep(1);
      const second = createTask(job);
      yield* sleep(1);
      seen.push(`second task: ${second.exception()}`, `first task: ${yield* first}`);
      // Still the ordinary ways: one future awaited by many tasks, one sleep awaited twice in turn.
      future.setResult("ready");
      const nap = sleep(5, "nap");
      const many = yield* gather([createTask(function* () { return yield* future; }), createTask(function* () { return yield* future; })]);
      seen.push(`${many.join(" ")} ${yield* nap} ${yield* nap} at ${loop.time()}`);
      return seen;
    });
    expect(out).toEqual([
      "a future: RuntimeError: coroutine is being awaited already",
      "a sleep: RuntimeError: coroutine is being awaited already",
      "a lock: RuntimeError: coroutine is being awaited already",
      "a semaphore: RuntimeError: coroutine is being awaited already",
      "a queue: RuntimeError: coroutine is being awaited already",
      "second task: RuntimeError: coroutine is being awaited already: stepped again while it waits in sleep() (yield* its task, not the generator)",
      "first task: the first task's result",
      "ready ready nap nap at 65",
    ]);
  });

  it("a sleep of 1 ms given to a second task is refused too; a sleep a cancellation interrupted, or whose generator was closed, sleeps again", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const job = (function* () {
        return yield* sleep(1, "the first task's result");
      })();
      const first = createTask(job);
      const second = createTask(job);
      yield* sleep(5);
      const seen = [`first: ${first.result()}`, `second: ${thrown(() => second.result()).split(":")[0]}`];
      const interrupted = createTask(function* () {
        const nap = sleep(10, "nap");
        seen.push(yield* outcome(() => nap));
        seen.push(`${yield* outcome(() => nap)} at ${loop.time()}`);
      });
      yield* sleep(1);
      interrupted.cancel();
      yield* interrupted;
      const nap = sleep(10, "nap");
      const abandoned = (function* () {
        return yield* nap;
      })();
      abandoned.next(); // it starts the sleep...
      abandoned.return("closed"); // ...and is closed, as a for...of's break closes a generator
      seen.push(`${yield* outcome(() => nap)} at ${loop.time()}`);
      return seen;
    });
    expect(out).toEqual(["first: the first task's result", "second: RuntimeError", "CancelledError", "value: nap at 16", "value: nap at 26"]);
  });

  it("a bare yield of a sleep is refused at once, without waiting, and the same sleep still works with yield*", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const nap = sleep(5, "five");
      let refused = "";
      try {
        yield nap as never;
      } catch (error) {
        refused = `${(error as Error).name} at ${loop.time()}`;
      }
      return [refused, yield* nap, loop.time()];
    });
    expect(out).toEqual(["TypeError at 0", "five", 5]);
  });

  it("a Future or Task yielded without its * (plain JavaScript) is awaited: the yield gives its result or throws its error", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const reply = loop.createFuture<number>();
      loop.callLater(5, () => reply.setResult(42));
      const fromFuture = (yield reply as never) as unknown;
      const failing = createTask(function* () {
        yield* sleep(3);
        throw new ValueError("from the task");
      });
      let fromTask = "";
      try {
        yield failing as never;
      } catch (error) {
        fromTask = (error as Error).message;
      }
      return [fromFuture, fromTask, loop.time()];
    });
    expect(out).toEqual([42, "from the task", 8]);
  });

  it("a sleep stepped by hand outside any task does not let a later bare yield of one pass", async () => {
    function* job() {
      yield* sleep(10);
    }
    job().next(); // as a unit test of job might: the sleep is delegated to, outside a task
    const out = await runVirtual(core, function* () {
      try {
        yield sleep(5) as never;
      } catch (error) {
        return `${(error as Error).name} at ${getRunningLoop().time()}`;
      }
      return "passed";
    });
    expect(out).toBe("TypeError at 0");
  });

  it("an uncaught bad yield fails only that task", async () => {
    const out = await runVirtual(core, function* () {
      const bad = createTask(function* () {
        yield 7 as never;
      });
      const good = createTask(function* () {
        yield* sleep(5);
        return "good";
      });
      const [badResult, goodResult] = yield* gather([bad, good], { returnExceptions: true });
      return [(badResult as Error).name, goodResult];
    });
    expect(out).toEqual(["TypeError", "good"]);
  });

  it("awaiting a future of another loop is a RuntimeError in the task", async () => {
    const other = new EventLoop({ clock: "virtual", core });
    const foreign = other.createFuture();
    const out = await runVirtual(core, () =>
      messageOf(function* () {
        yield* foreign;
      }),
    );
    expect(out).toMatch(/^RuntimeError: Task Task-\d+ got <Future pending> attached to a different loop$/);
  });

  it("a task awaiting itself is a RuntimeError, in its first step or a later one", async () => {
    const out = await runVirtual(core, function* () {
      const awaitingItself = (firstSleep: boolean) => {
        const self: Task<string> = createTask(function* (): Generator<Yielded, string> {
          if (firstSleep) yield* sleep(1);
          try {
            yield* self;
          } catch (error) {
            return `${(error as Error).name}: ${(error as Error).message}`;
          }
          return "no error";
        });
        return self;
      };
      return yield* gather([awaitingItself(false), awaitingItself(true)]);
    });
    const refused = expect.stringMatching(/^RuntimeError: Task Task-\d+ cannot await itself$/);
    expect(out).toEqual([refused, refused]);
  });

  it("result() or exception() before done and setting a result twice are InvalidStateErrors", () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    expect(() => f.result()).toThrow(new InvalidStateError("Result is not set."));
    expect(() => f.exception()).toThrow(new InvalidStateError("Exception is not set."));
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow(
      new InvalidStateError("invalid state: <Future finished result=1> is already done"),
    );
    const cancelled = loop.createFuture();
    cancelled.cancel();
    expect(() => cancelled.setException(new Error("late"))).toThrow(/<Future cancelled> is already done/);
  });

  it("an async function or async function* is refused when the task is created, not when it first runs", () => {
    const { loop } = virtualLoop(core);
    expect(() => loop.createTask((async function fetchUser() {}) as never)).toThrow(
      new TypeError(
        "createTask() needs a function*, got an async function (fetchUser)",
      ),
    );
    expect(() => loop.createTask((async function* lines() {}) as never)).toThrow(new TypeError("createTask() needs a function*, got an async function* (lines)"));
    expect(() => loop.createTask((async function* () {})() as never)).toThrow(
      /got an object.* \(a task runs a function\*, not an async function\*\)$/,
    );
    expect(loop.isClosed()).toBe(false);
  });

  it("so is one given to run(), a Runner or a scope: refused by that name, before it is called", async () => {
    let called = false;
    async function main() {
      called = true;
    }
    const refused = (what: string) => new TypeError(`${what} needs a function*, got an async function (main)`);
    await expect(run(main as never)).rejects.toThrow(refused("run()"));
    const runner = new Runner();
    await expect(runner.run(main as never)).rejects.toThrow(refused("Runner.run()"));
    await runner.close();
    const signal = new AbortController().signal;
    const messages = await runVirtual(core, function* () {
      const out: string[] = [];
      for (const scope of [
        () => timeout(10, main as never),
        () => timeoutAt(10, main as never),
        () => taskGroup(main as never),
        () => abortable(signal, main as never),
        () => forAwait([] as never, main as never),
        () => new Lock().with(main as never),
        () => new Semaphore(1).with(main as never),
      ]) {
        out.push(yield* messageOf(scope));
      }
      return out;
    });
    expect(messages).toEqual(
      ["timeout()", "timeoutAt()", "taskGroup()", "abortable()", "forAwait()", "Lock.with()", "Semaphore.with()"].map(
        (what) => `TypeError: ${refused(what).message}`,
      ),
    );
    expect(called).toBe(false);
  });

  it("a scope given a body that is neither a function nor a generator refuses it when made, not wrapped in an ExceptionGroup", async () => {
    const signal = new AbortController().signal;
    const out = await runVirtual(core, function* () {
      const refusals: string[] = [];
      for (const [what, make] of [
        ["taskGroup()", (body: never) => taskGroup(body)],
        ["timeout()", (body: never) => timeout(10, body)],
        ["timeoutAt()", (body: never) => timeoutAt(10, body)],
        ["abortable()", (body: never) => abortable(signal, body)],
      ] as const) {
        for (const body of [5, null, Promise.resolve(1), until(Promise.resolve(1))]) {
          // Thrown by the call itself: the scope never starts.
          refusals.push(thrown(() => make(body as never)).replace(what, "<scope>"));
        }
      }
      return refusals;
    });
    expect(new Set(out)).toEqual(
      new Set([
        "TypeError: <scope> needs a function* or a generator, got number 5",
        "TypeError: <scope> needs a function* or a generator, got null",
        "TypeError: <scope> needs a function* or a generator, got a Promise (wrap a promise in until(promise); a task runs a function*, not an async function)",
        "TypeError: <scope> needs a function* or a generator, got <Future pending>, whose work began already and goes on (pass () => future, or use waitFor())",
      ]),
    );
    expect(out.length).toBe(16);
  });

  it("a main that returns a Future or Task instead of awaiting it rejects run(), naming both, and the loop shuts down", async () => {
    let cancelledChildren = 0;
    function* child() {
      try {
        yield* sleep(10);
      } finally {
        cancelledChildren++;
      }
    }
    await expect(
      // @ts-expect-error -- returning the gather does not compile either (MainBody)
      runVirtual(core, function* () {
        return gather([child(), child()]);
      }),
    ).rejects.toThrow(
        /^<Task finished name=Task-\d+> returned <Future pending>, not a value: was a yield\* missing\? \(yield\* until\(promise\) awaits a promise\)$/,
    );
    expect(cancelledChildren).toBe(2); // run() cancelled what was left, as it does after any main
    await expect(
      // @ts-expect-error -- returning the task does not compile either
      runVirtual(core, function* () {
        return createTask(child(), { name: "forgotten" });
      }),
    ).rejects.toThrow(/returned <Task pending name=forgotten>, not a value/);
    // A finished one is refused too: the mistake is the same, whether or not it is done yet.
    const { loop } = virtualLoop(core);
    const done = loop.createFuture<number>();
    done.setResult(1);
    // @ts-expect-error -- a body returning a Future does not compile either
    await expect(loop.runUntilComplete(function* () {
      return done;
    })).rejects.toThrow(/returned <Future finished result=1>, not a value/);
    expect(await loop.runUntilComplete(function* () {
      return yield* done;
    })).toBe(1);
    loop.close();
  });

  it("a main that returns a promise is refused too, even one that waits for a task: it would wait for good", async () => {
    let cancelledChildren = 0;
    await expect(
      // @ts-expect-error -- returning a promise does not compile either (MainBody)
      runVirtual(core, function* () {
        const child = createTask(function* () {
          try {
            yield* sleep(10);
            return 21;
          } finally {
            cancelledChildren++;
          }
        });
        return child.then((value) => value * 2);
      }),
    ).rejects.toThrow(/^<Task finished name=Task-\d+> returned a Promise, not a value: was a yield\* missing\? \(yield\* until\(promise\) awaits a promise\)$/);
    expect(cancelledChildren).toBe(1); // the task the promise waited for was cancelled by run()
    // One that does not depend on the loop is refused as well: the mistake is the same.
    // @ts-expect-error -- a body returning a promise does not compile
    await expect(runVirtual(core, function* () { return Promise.resolve(5); })).rejects.toThrow(/returned a Promise, not a value/);
    const thenable = { then: (resolve: (value: number) => void) => resolve(5) } as PromiseLike<number>;
    // @ts-expect-error -- nor one returning any other thenable
    await expect(runVirtual(core, function* () { return thenable; })).rejects.toThrow(/returned an object of class Object, not a value/);
    expect(await runVirtual(core, function* () { return yield* until(Promise.resolve(5)); })).toBe(5);
  });

  it("messages name what they got: an anonymous function, an instance of an anonymous class, a string cut after 40 characters", async () => {
    const got = (value: unknown) => thrown(() => new Barrier(value as never)).replace(/^.*got /, "");
    expect([got(() => {}), got(new (class {})()), got("x".repeat(40)), got("y".repeat(41))]).toEqual([
      "a function (anonymous)",
      "an object",
      `the string "${"x".repeat(40)}"`,
      `the string "${"y".repeat(40)}..."`,
    ]);
    const text = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture<unknown>();
      future.setResult(() => {});
      return String(future);
    });
    expect(text).toBe("<Future finished result=a function (anonymous)>");
  });

  it("an iterable whose Symbol.iterator is not a function, or a thenable given as a body, is refused by name", async () => {
    const notIterable = { [Symbol.iterator]: null };
    const out = await runVirtual(core, function* () {
      return [
        yield* messageOf(() => staggeredRace(notIterable as never, 1)),
        yield* messageOf(() => forAwait(notIterable as never, () => {})),
        thrown(() => createTask({ then: () => {} } as never)),
      ];
    });
    expect(out).toEqual([
      "TypeError: staggeredRace() takes an iterable of bodies, got an object of class Object",
      "TypeError: forAwait() takes an iterable of items (async or not), got an object of class Object",
      "TypeError: createTask() needs a generator (call a function* to get one), got an object of class Object (wrap a promise in until(promise); a task runs a function*, not an async function)",
    ]);
  });

  it("createTask with something that is not a generator is a TypeError naming it", async () => {
    const { loop } = virtualLoop(core);
    expect(() => loop.createTask(42 as never)).toThrow(/createTask\(\) needs a generator .* got number 42/);
    // An iterator is not a coroutine: it has no throw() to deliver a cancellation with.
    expect(() => loop.createTask([1, 2].values() as never)).toThrow(/createTask\(\) needs a generator/);
    expect(() => loop.createTask(Promise.resolve() as never)).toThrow(/got a Promise .*until\(promise\)/);
    expect(() => loop.createTask(loop.createFuture() as never)).toThrow(
      /got <Future pending> \(a Future is awaited, not run: yield\* it, or pass \(\) => future\)/,
    );
    await expect(run(null as never)).rejects.toThrow(/needs a generator .* got null/);
    // A plain function is called in the task; what it returns must be awaitable.
    const task = loop.createTask((() => 5) as never);
    await expect(loop.runUntilComplete(task)).rejects.toThrow(
      new TypeError(
        "createTask() needs a generator (call a function* to get one), got number 5 from its body, a plain function (make it a function*)",
      ),
    );
  });

  it("a timeoutAt() or timeout() body that returns no generator is refused in the name of the one called", async () => {
    const out = await runVirtual(core, function* () {
      return [
        yield* messageOf(() => timeoutAt(100, (() => 5) as never)),
        yield* messageOf(() => timeout(100, (() => 5) as never)),
      ];
    });
    expect(out).toEqual([
      "TypeError: timeoutAt() needs a generator (call a function* to get one), got number 5 from its body, a plain function (make it a function*)",
      "TypeError: timeout() needs a generator (call a function* to get one), got number 5 from its body, a plain function (make it a function*)",
    ]);
  });

  it("a hand-written coroutine whose next() returns no iterator result fails its task, saying so", async () => {
    const { loop } = virtualLoop(core);
    const broken = {
      next: () => undefined,
      throw: (error: unknown) => {
        throw error;
      },
      [Symbol.iterator]() {
        return this;
      },
    };
    const task = loop.createTask(broken as never, { name: "broken" });
    const other = loop.createTask(function* () {
      yield* sleep(5);
      return "the loop went on";
    });
    await expect(loop.runUntilComplete(task)).rejects.toThrow(
      new TypeError("Task broken: its coroutine's next() returned undefined instead of { value, done }"),
    );
    expect(await loop.runUntilComplete(other)).toBe("the loop went on");
  });

  it("a hand-written coroutine whose result's done or value getter throws fails its task with that error", async () => {
    const { loop } = virtualLoop(core);
    const coroutine = (result: () => object) => ({
      next: result,
      throw: (error: unknown) => {
        throw error;
      },
      [Symbol.iterator]() {
        return this;
      },
    });
    const badDone = new Error("the done getter");
    const badValue = new Error("the value getter");
    const tasks = [
      loop.createTask(coroutine(() => ({ get done(): boolean { throw badDone; }, value: 1 })) as never),
      loop.createTask(coroutine(() => ({ done: true, get value(): number { throw badValue; } })) as never),
      loop.createTask(coroutine(() => ({ done: false, get value(): number { throw badValue; } })) as never),
    ];
    const outcomes = await loop.runUntilComplete(function* () {
      return yield* gather(tasks, { returnExceptions: true });
    });
    expect(outcomes).toEqual([badDone, badValue, badValue]);
    expect(tasks.every((task) => task.done())).toBe(true);
  });

  it("a hand-written coroutine without return() that its loop's close leaves pending is reported as destroyed, and its closing is no error", async () => {
    const { loop, errors } = virtualLoop(core);
    const never = loop.createFuture();
    const withoutReturn = {
      next: () => ({ done: false, value: never }),
      throw: (error: unknown) => {
        throw error;
      },
      [Symbol.iterator]() {
        return this;
      },
    };
    loop.createTask(withoutReturn as never, { name: "without-return" });
    await loop.runUntilComplete(function* () {
      yield* sleep(1);
    });
    loop.close();
    // Nothing to close: it has no cleanup that could have waited.
    expect(errors).toEqual(["Task was destroyed but it is pending!"]);
  });

  it("createTask outside a running loop names the problem", () => {
    expect(() => createTask(function* () {})).toThrow(new RuntimeError("no running event loop"));
  });

  it("gather rejects what it cannot await", async () => {
    const out = await runVirtual(core, () =>
      messageOf(function* () {
        yield* gather([Promise.resolve(1) as never]);
      }),
    );
    expect(out).toBe(
      "TypeError: gather() needs a Future, a Task or a generator, got a Promise" +
        " (wrap a promise in until(promise); a task runs a function*, not an async function)",
    );
    function* fetchNumber() {
      return yield* sleep(1, 7);
    }
    // The function* itself, where what it makes was meant: told to call it.
    const uncalled = await runVirtual(core, function* () {
      return [
        yield* messageOf(() => gather([fetchNumber as never])),
        yield* messageOf(() => waitFor(fetchNumber as never, 10)),
      ];
    });
    expect(uncalled).toEqual([
      "TypeError: gather() needs a Future, a Task or a generator, got a function (fetchNumber) (call it to get a generator)",
      "TypeError: waitFor() needs a Future, a Task or a generator, got a function (fetchNumber) (call it to get a generator)",
    ]);
    const notArrays = await runVirtual(core, function* () {
      return [thrown(() => gather(5 as never)), thrown(() => gather(sleep(1) as never))];
    });
    expect(notArrays).toEqual([
      "TypeError: gather() takes an array of awaitables, gather([a, b, c]), got number 5",
      "TypeError: gather() takes an array of awaitables, gather([a, b, c]), got an object of class SleepOp",
    ]);
  });

  it("options may be left out or null; anything else that is not an object is refused, named", async () => {
    const notOptions = "worker" as never;
    const refused = (what: string) => `${what}: options must be an object, got the string "worker"`;
    // null reads as no options, as WebIDL dictionaries and Node's APIs take it.
    const results = await runVirtual(core, function* () {
      const task = createTask(sleep(1, "task"), null as never);
      const [gathered] = yield* gather([task], null as never);
      const { done } = yield* wait([task], null as never);
      const timeline = recordTimeline();
      yield* taskGroup(function* (tg) {
        tg.createTask(sleep(1), null as never);
      });
      timeline.stop();
      const firsts: unknown[] = [];
      for (const next of asCompleted([task], null as never)) firsts.push(yield* next);
      return [gathered, done.size, firsts, typeof formatTimeline(timeline, null as never), task.getName()];
    });
    expect(results).toEqual(["task", 1, ["task"], "string", expect.stringMatching(/^Task-\d+$/)]);
    expect(new ContextVar("v", null as never).get(7)).toBe(7);
    expect(() => new ContextVar("v", null as never).get()).toThrow(/has no value and no default/);
    expect(await run(function* () { return yield* sleep(1, "ran"); }, null as never)).toBe("ran");
    const runner = new Runner(null as never);
    expect(await runner.run(function* () { return yield* sleep(0, "runner"); }, null as never)).toBe("runner");
    await runner.close();

    // A string where options go is a mistake: say so, and leave the loop running.
    await expect(run(function* () {}, notOptions)).rejects.toThrow(new TypeError(refused("run()")));
    await expect(runMain(function* () {}, notOptions)).rejects.toThrow(new TypeError(refused("runMain()")));
    expect(() => new EventLoop(notOptions)).toThrow(new TypeError(refused("new EventLoop()")));
    expect(() => new Runner(notOptions)).toThrow(new TypeError(refused("new Runner()")));
    expect(() => new ContextVar("v", notOptions)).toThrow(new TypeError(refused("new ContextVar()")));
    expect(() => new WorkerExecutor(() => ({}) as never, notOptions)).toThrow(new TypeError(refused("new WorkerExecutor()")));
    const messages = await runVirtual(core, function* () {
      const out: string[] = [];
      const attempt = function* (body: () => unknown) {
        out.push(yield* messageOfCall(body));
      };
      yield* attempt(() => createTask(function* () {}, notOptions));
      yield* attempt(() => getRunningLoop().createTask(function* () {}, notOptions));
      yield* attempt(() => gather([], notOptions));
      yield* attempt(() => wait([createTask(sleep(0))], notOptions));
      yield* attempt(() => [...asCompleted([createTask(sleep(0))], notOptions)]);
      yield* attempt(() => formatTimeline(recordTimeline(), notOptions));
      yield* attempt(() => taskGroup(function* (tg) { tg.createTask(sleep(0), notOptions); }));
      yield* sleep(1); // the loop goes on
      out.push(`time ${getRunningLoop().time()}`);
      return out;
    });
    expect(messages).toEqual([
      `TypeError: ${refused("createTask()")}`,
      `TypeError: ${refused("createTask()")}`,
      `TypeError: ${refused("gather()")}`,
      `TypeError: ${refused("wait()")}`,
      `TypeError: ${refused("asCompleted()")}`,
      `TypeError: ${refused("formatTimeline()")}`,
      `ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)`,
      "time 1",
    ]);
  });

  it("asCompleted() refuses a bad option before it starts the work it was given", async () => {
    const out = await runVirtual(core, function* () {
      let ran = 0;
      function* work() {
        ran++;
        yield* sleep(1);
      }
      const refused = [
        thrown(() => asCompleted([work()], { timeot: 5 } as never)),
        thrown(() => asCompleted([work(), work()], { timeout: Number.NaN })),
      ];
      yield* sleep(10);
      return [...refused.map((message) => message.split(":")[0]), ran];
    });
    expect(out).toEqual(["TypeError", "RangeError", 0]);
  });

  it("a misspelt option is refused, naming it and the options there are, as Python refuses an unknown keyword", async () => {
    const unknown = (what: string, key: string, known: string) => `${what}: unknown option "${key}"; it takes ${known}`;
    const loopKeys = "core, clock, autojumpThreshold, eagerTasks";
    await expect(run(function* () {}, { clok: "virtual" } as never)).rejects.toThrow(new TypeError(unknown("run()", "clok", loopKeys)));
    await expect(runMain(function* () {}, { signal: [] } as never)).rejects.toThrow(
      new TypeError(unknown("runMain()", "signal", `${loopKeys}, signals`)),
    );
    expect(() => new EventLoop({ eager: true } as never)).toThrow(new TypeError(unknown("new EventLoop()", "eager", loopKeys)));
    // Options are read with their inherited keys (`options.clock`), so those are checked too.
    expect(() => new EventLoop(Object.create({ clok: "virtual" }))).toThrow(new TypeError(unknown("new EventLoop()", "clok", loopKeys)));
    expect(() => new Runner({ debug: true } as never)).toThrow(new TypeError(unknown("new Runner()", "debug", loopKeys)));
    expect(() => new ContextVar("v", { defualt: 1 } as never)).toThrow(new TypeError(unknown("new ContextVar()", "defualt", "default")));
    expect(() => new Queue({ maxSize: 1 } as never)).toThrow(new TypeError(unknown("new Queue()", "maxSize", "maxsize")));
    expect(() => new PriorityQueue({ key: () => 0 } as never)).toThrow(
      new TypeError(unknown("new PriorityQueue()", "key", "maxsize, compare")),
    );
    expect(() => new WorkerExecutor(() => ({}) as never, { workers: 2 } as never)).toThrow(
      new TypeError(unknown("new WorkerExecutor()", "workers", "maxWorkers")),
    );
    const messages = await runVirtual(core, function* () {
      const out: string[] = [];
      const attempt = function* (body: () => unknown) {
        out.push(yield* messageOfCall(body));
      };
      yield* attempt(() => createTask(function* () {}, { nmae: "x" } as never));
      yield* attempt(() => gather([], { returnException: true } as never));
      yield* attempt(() => wait([createTask(sleep(0))], { timout: 5 } as never));
      yield* attempt(() => [...asCompleted([createTask(sleep(0))], { timeOut: 5 } as never)]);
      yield* attempt(() => formatTimeline(recordTimeline(), { columns: 5 } as never));
      yield* sleep(1); // the loop goes on
      out.push(`time ${getRunningLoop().time()}`);
      return out;
    });
    expect(messages).toEqual([
      `TypeError: ${unknown("createTask()", "nmae", "name, eager, context")}`,
      `TypeError: ${unknown("gather()", "returnException", "returnExceptions")}`,
      `TypeError: ${unknown("wait()", "timout", "timeout, returnWhen")}`,
      `TypeError: ${unknown("asCompleted()", "timeOut", "timeout")}`,
      `TypeError: ${unknown("formatTimeline()", "columns", "width")}`,
      "time 1",
    ]);
  });

  it("a boolean option or argument must be true or false: \"no\" would read as true; left out, it has its default", async () => {
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const messages = [
        thrown(() => new EventLoop({ eagerTasks: "no" as never })),
        thrown(() => createTask(sleep(1), { eager: 1 as never })),
        thrown(() => gather([], { returnExceptions: "yes" as never })),
        thrown(() => queue.shutdown("immediately" as never)),
        // null is no boolean either (a whole options object of null is none, not a flag).
        thrown(() => new EventLoop({ eagerTasks: null as never })),
        thrown(() => gather([], { returnExceptions: null as never })),
      ];
      // None of those took effect: the queue is open, and options left out have their defaults.
      queue.putNowait(1);
      const [gathered] = yield* gather([createTask(failAfter(1, "boom"))], { returnExceptions: true });
      const tasks = [createTask(sleep(1), { eager: undefined }), createTask(sleep(1), { eager: false })];
      yield* gather(tasks);
      queue.shutdown(false);
      return [...messages, String(gathered), queue.qsize()];
    });
    expect(out).toEqual([
      'TypeError: eagerTasks must be true or false, got the string "no"',
      "TypeError: createTask(): eager must be true or false, got number 1",
      'TypeError: gather(): returnExceptions must be true or false, got the string "yes"',
      'TypeError: Queue.shutdown(): immediate must be true or false, got the string "immediately"',
      "TypeError: eagerTasks must be true or false, got null",
      "TypeError: gather(): returnExceptions must be true or false, got null",
      "Error: boom",
      1,
    ]);
  });

  it("ensureFuture() without a loop uses the running one; a ContextVar's reset() and an unbound set() are refused by name", async () => {
    const variable = new ContextVar<number>("depth");
    const out = await runVirtual(core, function* () {
      const task = ensureFuture(sleep(1, "slept"));
      const same = ensureFuture(task) === task;
      return [yield* task, same, task];
    });
    expect(out.slice(0, 2)).toEqual(["slept", true]);
    // A Future is returned as it is, with no loop running too, as asyncio's.
    const task = out[2] as Task<string>;
    expect([ensureFuture(task) === task, ensureFuture(task, undefined) === task, ensureFuture(task, null) === task]).toEqual([true, true, true]);
    expect(thrown(() => ensureFuture(sleep(1)))).toBe(
      "RuntimeError: no running event loop: ensureFuture() was called outside a loop's tasks and callbacks, with no loop given",
    );
    // What is not awaitable is refused as such with no loop running too, as in asyncio.
    expect(thrown(() => ensureFuture("ok" as never))).toBe('TypeError: ensureFuture() needs a Future, a Task or a generator, got the string "ok"');
    expect(thrown(() => ensureFuture(sleep(1), {} as never))).toBe("TypeError: ensureFuture() needs an EventLoop, got an object of class Object");
    // A Future or Task made by hand with something else for its loop is refused when made,
    // not when it is first settled or awaited.
    expect(thrown(() => new Future(42 as never))).toBe("TypeError: a Future needs an EventLoop, got number 42");
    expect(thrown(() => new Task(sleep(1), {} as never))).toBe("TypeError: a Future needs an EventLoop, got an object of class Object");
    expect(thrown(() => variable.reset(5 as never))).toBe("TypeError: ContextVar.reset() needs the Token that set() returned, got number 5");
    expect(thrown(() => variable.reset(undefined as never))).toBe(
      "TypeError: ContextVar.reset() needs the Token that set() returned, got undefined",
    );
    const { set, get } = variable;
    expect(thrown(() => set(1))).toBe("TypeError: ContextVar.set() was called without its variable: call it as variable.set(value)");
    expect(thrown(() => get())).toBe("TypeError: ContextVar.get() was called without its variable: call it as variable.get()");
  });

  it("a future of another loop is refused with asyncio's ValueError by everything that would wait for it for good", async () => {
    const other = new EventLoop({ clock: "virtual", core });
    const foreign = other.createFuture();
    const out = await runVirtual(core, function* () {
      const ours = getRunningLoop().createFuture();
      return [
        yield* messageOf(() => wait([foreign])),
        yield* messageOf(() => gather([ours, foreign])),
        // A coroutine first: its task is on the running loop, as asyncio takes the loop
        // of the first awaitable (the foreign future's loop was taken, and the gather failed
        // only when awaited, with a RuntimeError about its task).
        yield* messageOf(() => gather([sleep(1), foreign])),
        yield* messageOf(() => waitFor(foreign, 10)),
        thrown(() => asCompleted([foreign])),
        thrown(() => ensureFuture(foreign, getRunningLoop())),
      ];
    });
    const refused = (what: string) => `ValueError: ${what} got <Future pending>, attached to a different loop`;
    expect(out).toEqual([
      refused("wait()"),
      refused("gather()"),
      refused("gather()"),
      refused("waitFor()"),
      refused("asCompleted()"),
      refused("ensureFuture()"),
    ]);
    const loop = new EventLoop({ clock: "virtual", core });
    const error = await loop.runUntilComplete(foreign).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ValueError);
    expect(`${error!.name}: ${error!.message}`).toBe(refused("runUntilComplete()"));
    expect(loop.isRunning()).toBe(false); // refused before it started
    loop.close();
    other.close();
  });

  it("errors about counts and ports name the function that was given them", async () => {
    expect(thrown(() => serveExecutor({}, null as never))).toBe(
      "TypeError: serveExecutor() needs a worker or port with addEventListener (the Web's) or on (node:worker_threads), got null",
    );
    const loop = new EventLoop({ clock: "virtual", core });
    expect(thrown(() => loop.createFuture().addDoneCallback(null as never))).toBe("TypeError: addDoneCallback() needs a function, got null");
    loop.close();
  });

  it("wait() and asCompleted() name what is not iterable; Condition.waitFor() names a predicate that is not a function", async () => {
    const messages = await runVirtual(core, function* () {
      const out: string[] = [];
      out.push(yield* messageOf(() => wait(undefined as never)));
      out.push(yield* messageOf(function* () {
        asCompleted(42 as never);
      }));
      out.push(yield* messageOf(function* () {
        new Condition().waitFor(true as never);
      }));
      return out;
    });
    expect(messages).toEqual([
      "TypeError: wait() takes an iterable of futures or tasks, got undefined",
      "TypeError: asCompleted() takes an iterable of futures, tasks or generators, got number 42",
      "TypeError: Condition.waitFor() needs a predicate function, got boolean true",
    ]);
  });

  it("wait(), asCompleted() and staggeredRace() refuse one future or coroutine, which is iterable but would never end", async () => {
    const messages = await runVirtual(core, function* () {
      const task = createTask(sleep(5), { name: "worker" });
      const done = createTask(sleep(0), { name: "done" });
      yield* sleep(1);
      const out: string[] = [];
      out.push(yield* messageOf(() => wait(task as never)));
      out.push(yield* messageOf(() => wait(done as never)));
      out.push(yield* messageOf(() => wait(sleep(5) as never)));
      out.push(yield* messageOf(function* () {
        asCompleted(task as never);
      }));
      let ran = false;
      out.push(yield* messageOf(function* () {
        asCompleted(
          (function* () {
            ran = true;
            yield* sleep(1);
          })() as never,
        );
      }));
      out.push(yield* messageOf(() => staggeredRace(task as never, 0)));
      task.cancel();
      return [...out, ran];
    });
    expect(messages).toEqual([
      "TypeError: wait() takes an iterable of futures or tasks, got one: <Task pending name=worker> (put it in an array)",
      "TypeError: wait() takes an iterable of futures or tasks, got one: <Task finished name=done result=undefined> (put it in an array)",
      "TypeError: wait() takes an iterable of futures or tasks, got one: a generator (put it in an array)",
      "TypeError: asCompleted() takes an iterable of futures, tasks or generators, got one: <Task pending name=worker> (put it in an array)",
      "TypeError: asCompleted() takes an iterable of futures, tasks or generators, got one: a generator (put it in an array)",
      "TypeError: staggeredRace() takes an iterable of bodies, got <Task pending name=worker>",
      false,
    ]);
  });

  it("inspection functions take a loop or null (the running one), a future, a timeline; anything else is named", async () => {
    const messages = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const notALoop = "loop" as never;
      const calls = [
        () => allTasks(notALoop),
        () => taskTree(notALoop),
        () => formatTaskTree(notALoop),
        () => recordTimeline(notALoop),
        () => enableDebug({ loop: notALoop }),
        () => disableDebug(notALoop),
        () => isDebugEnabled(notALoop),
        () => captureCallGraph(loop as never),
        () => formatCallGraph(loop as never),
        () => captureCallGraph(0 as never), // not taken for "no future": the current task
        () => formatTimeline({ rows: [] } as never),
      ];
      const out: unknown[] = [allTasks(null as never).size, taskTree(null as never).length, isDebugEnabled(null as never)];
      out.push(...calls.map(thrown));
      yield* sleep(1);
      return out;
    });
    expect(messages).toEqual([
      1,
      1,
      false,
      'TypeError: allTasks() needs an EventLoop, got the string "loop"',
      'TypeError: taskTree() needs an EventLoop, got the string "loop"',
      'TypeError: formatTaskTree() needs an EventLoop, got the string "loop"',
      'TypeError: recordTimeline() needs an EventLoop, got the string "loop"',
      'TypeError: enableDebug() needs an EventLoop, got the string "loop"',
      'TypeError: disableDebug() needs an EventLoop, got the string "loop"',
      'TypeError: isDebugEnabled() needs an EventLoop, got the string "loop"',
      "TypeError: captureCallGraph() needs a Future or Task, got an object of class EventLoop",
      "TypeError: formatCallGraph() needs a Future or Task, got an object of class EventLoop",
      "TypeError: captureCallGraph() needs a Future or Task, got number 0",
      "TypeError: formatTimeline() needs the TaskTimeline that recordTimeline() returned, got an object of class Object",
    ]);
  });

  it("an operation awaited with await in async code is refused, saying to use yield*; a task can be awaited", async () => {
    const refused =
      "TypeError: a wasyncio operation is awaited with yield* in a function*, not with await (from async code, await a task that runs it; an async function* cannot yield* one)";
    const out = await runVirtual(core, function* () {
      const queue = new Queue<number>();
      const lock = new Lock();
      const operations: (() => unknown)[] = [
        () => sleep(50),
        () => sleep(0),
        () => queue.put(1),
        () => queue.get(),
        () => lock.acquire(),
        () => lock.with(function* () {}),
        () => new Event().wait(),
      ];
      const made = operations.map((make) => make()); // made in the task, as a helper would
      const results = yield* until(
        (async () => {
          const seen: string[] = [];
          for (const operation of made) {
            try {
              await operation;
              seen.push("no error");
            } catch (error) {
              seen.push(String(error));
            }
          }
          return seen;
        })(),
      );
      // In debug mode too, where operations are watched behind a Proxy.
      enableDebug({ warn: () => {} });
      const watched = yield* until(Promise.resolve(sleep(5)).then(String, String));
      const task = createTask(sleep(5, "a task is awaited"));
      const fromTask = yield* until((async () => await task)());
      return [...results, watched, fromTask, queue.qsize(), lock.locked()];
    });
    expect(out).toEqual([...Array(8).fill(refused), "a task is awaited", 0, false]);
  });

  it("an async function* that yield*s an operation is told it cannot", async () => {
    const out = await runVirtual(core, function* () {
      async function* ticks() {
        yield* sleep(1) as unknown as Iterable<never>; // an async generator's yield* awaits what it yields
        yield 1;
      }
      return yield* messageOf(() => forAwait(ticks(), () => {}));
    });
    expect(out).toMatch(/^TypeError: a wasyncio operation is awaited with yield\* in a function\*, not with await .*an async function\* cannot yield\* one\)$/);
  });

  it("scopes made in async code, outside any loop, are refused the same way when awaited", async () => {
    const refused =
      "TypeError: a wasyncio operation is awaited with yield* in a function*, not with await (from async code, await a task that runs it; an async function* cannot yield* one)";
    const messages: string[] = [];
    for (const make of [() => timeout(5, sleep(1)), () => timeoutAt(5, sleep(1)), () => taskGroup(function* () {})]) {
      try {
        // Refused by the types too (TS1320): awaited here as async code untyped would.
        await (make() as unknown);
        messages.push("no error");
      } catch (error) {
        messages.push(String(error));
      }
    }
    expect(messages).toEqual([refused, refused, refused]);
    // Made outside and run in a loop, a timeout counts from where it starts.
    const op = timeout(5, sleep(10));
    const out = await runVirtual(core, function* () {
      yield* sleep(100);
      return yield* messageOf(() => op);
    });
    expect(out).toBe("TimeoutError: timed out: the deadline at 105 ms (loop time) passed");
  });
});
