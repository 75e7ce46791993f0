// Debug mode reports an operation dropped without `yield*` (asyncio's "coroutine ... was
// never awaited"): each of the runtime's operations that does nothing until awaited,
// once the garbage collector takes it unstarted, or its loop closes with it unstarted. Started ones, and ones handed to the
// runtime (createTask, gather, waitFor), are never reported, and watching them changes
// nothing they do: the recorded CPython programs leave the same traces under it.
import { expect, it } from "vitest";
import {
  abortable,
  Barrier,
  BoundedSemaphore,
  Condition,
  createTask,
  disableDebug,
  emit,
  enableDebug,
  Event,
  EventLoop,
  forAwait,
  Future,
  gather,
  getRunningLoop,
  Lock,
  type Operation,
  Queue,
  sleep,
  staggeredRace,
  taskGroup,
  timeout,
  timeoutAt,
  until,
  wait,
  waitFor,
} from "../src/index.ts";
import { traceOf } from "./cpython/interpreter.ts";
import { recording } from "./cpython/recording.ts";
import { collectUntil } from "./garbage.ts";
import { forEachCore, messageOf, runVirtual, thrown } from "./helpers.ts";

/** The first line of each report, sorted: collection order is not the creation order. */
function headlines(warnings: readonly string[]): string[] {
  return warnings.map((warning) => warning.split("\n")[0]!).sort();
}

async function* numbers(): AsyncGenerator<number> {
  yield 1;
}

/** Creates one of each operation and drops it, as code missing its `yield*`s would. */
function forgetEveryYieldStar(): void {
  const lock = new Lock();
  const slots = new BoundedSemaphore(2);
  const queue = new Queue<number>(1);
  const event = new Event();
  const cond = new Condition();
  const barrier = new Barrier(2);
  const future = new Future<number>();
  const body = function* () {};
  sleep(100);
  sleep(0);
  lock.acquire();
  lock.with(body);
  slots.acquire();
  slots.with(body);
  queue.put(1); // there is room, but a put does nothing until it is awaited
  queue.get();
  queue.join();
  event.wait();
  cond.acquire();
  cond.with(body);
  cond.wait();
  cond.waitFor(() => true);
  barrier.wait();
  barrier.reset();
  barrier.abort();
  timeout(10, body);
  timeoutAt(10, body);
  waitFor(future, 10);
  wait([future]);
  taskGroup(body);
  abortable(new AbortController().signal, body);
  forAwait(numbers(), body);
  staggeredRace([body], 10);
  emit("an item");
}

forEachCore("operations never awaited", (core) => {
  it("each one dropped unstarted is reported, with where it was created", async () => {
    const warnings: string[] = [];
    await runVirtual(core, function* () {
      enableDebug({ warn: (message) => warnings.push(message) });
      forgetEveryYieldStar();
      yield* sleep(0);
    });
    const expected = [
      "sleep()",
      "sleep()",
      "acquire() on <Lock [unlocked]>",
      "Lock.with()",
      "acquire() on <BoundedSemaphore [unlocked, value:2]>",
      "BoundedSemaphore.with()",
      "put() on <Queue maxsize=1 qsize=0>", // it put nothing
      "get() on <Queue maxsize=1 qsize=0>",
      "join() on <Queue maxsize=1 qsize=0>",
      "wait() on <Event [unset]>",
      "acquire() on <Condition [unlocked]>",
      "Condition.with()",
      "wait() on <Condition [unlocked]>",
      "waitFor() on <Condition [unlocked]>",
      "wait() on <Barrier [filling, waiters:0/2]>",
      "reset() on <Barrier [filling, waiters:0/2]>",
      "abort() on <Barrier [filling, waiters:0/2]>",
      "timeout()",
      "timeoutAt()",
      "waitFor()",
      "wait()",
      "taskGroup()",
      "abortable()",
      "forAwait()",
      "staggeredRace()",
      "emit()",
    ].map((what) => `wasyncio: ${what} was never awaited; is a yield* missing?`);
    await collectUntil(() => warnings.length >= expected.length);
    expect(headlines(warnings)).toEqual(expected.sort());
    for (const warning of warnings) {
      const createdAt = warning.split("\n  created at:\n")[1]!;
      expect(createdAt.split("\n")[0]).toMatch(/forgetEveryYieldStar.*never-awaited\.test\.ts/);
    }
  });

  it("one dropped while its loop runs is reported when the collector takes it, not only at the close", async () => {
    const warnings: string[] = [];
    const beforeTheClose = await runVirtual(core, function* () {
      enableDebug({ warn: (message) => warnings.push(message) });
      (() => void sleep(5))(); // made and dropped
      yield* until(collectUntil(() => warnings.length > 0));
      return headlines(warnings);
    });
    expect(beforeTheClose).toEqual(["wasyncio: sleep() was never awaited; is a yield* missing?"]);
    expect(warnings.length).toBe(1);
  });

  it("one still unstarted when its loop closes is reported then, without waiting for the collector, and once", async () => {
    const warnings: string[] = [];
    const kept: Operation<void>[] = [];
    const balance = await runVirtual(core, function* deposit() {
      enableDebug({ warn: (message) => warnings.push(message) });
      const lock = new Lock();
      let balance = 0;
      lock.with(function* () {
        balance += 100; // never runs: the with() was not awaited
      });
      kept.push(sleep(10)); // still referenced when the loop closes
      yield* sleep(1);
      return balance;
    });
    expect(balance).toBe(0);
    expect(headlines(warnings)).toEqual([
      "wasyncio: Lock.with() was never awaited; is a yield* missing?",
      "wasyncio: sleep() was never awaited; is a yield* missing?",
    ]);
    expect(warnings[0]!.split("\n  created at:\n")[1]!.split("\n")[0]).toMatch(/deposit.*never-awaited\.test\.ts/);
    kept.length = 0;
    for (let round = 0; round < 3; round++) await collectUntil(() => false);
    expect(warnings).toHaveLength(2); // not again when collected
  });

  it("one made before debug mode was turned on again, or off, is still reported when its loop closes", async () => {
    const kept: Operation<void>[] = []; // out of the collector's reach: only the close reports them
    const reported: Record<string, string[]> = {};
    for (const then of ["enabled again", "disabled", "disabled, enabled again"]) {
      const warnings: string[] = (reported[then] = []);
      await runVirtual(core, function* () {
        enableDebug({ warn: (message) => warnings.push(`first: ${message}`) });
        kept.push(sleep(10));
        if (then !== "enabled again") disableDebug();
        if (then !== "disabled") enableDebug({ warn: (message) => warnings.push(`second: ${message}`), slowCallbackDuration: 50 });
        kept.push(sleep(20)); // watched only if debug mode is on again
        yield* sleep(1);
      });
      expect(kept.every((op) => op !== null)).toBe(true);
    }
    expect(Object.fromEntries(Object.entries(reported).map(([then, warnings]) => [then, headlines(warnings)]))).toEqual({
      "enabled again": [
        "first: wasyncio: sleep() was never awaited; is a yield* missing?",
        "second: wasyncio: sleep() was never awaited; is a yield* missing?",
      ],
      disabled: ["first: wasyncio: sleep() was never awaited; is a yield* missing?"],
      "disabled, enabled again": [
        "first: wasyncio: sleep() was never awaited; is a yield* missing?",
        "second: wasyncio: sleep() was never awaited; is a yield* missing?",
      ],
    });
  });

  it("one awaited in the cleanup of a task its loop's close() leaves pending is not reported, debug mode on or turned off", async () => {
    const reported: string[][] = [];
    for (const turnedOff of [false, true]) {
      const warnings: string[] = [];
      const loop = new EventLoop({ clock: "virtual", core });
      loop.setExceptionHandler(() => {}); // the cleanup's wait is reported there
      await loop.runUntilComplete(function* () {
        enableDebug({ warn: (message) => warnings.push(message) });
        const op = sleep(5); // awaited below, by the cleanup the close runs
        createTask(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            yield* op;
          }
        });
        if (turnedOff) disableDebug();
        yield* sleep(1);
      });
      loop.close();
      reported.push(headlines(warnings));
    }
    expect(reported).toEqual([[], []]);
  });

  it("one started, awaited or handed to the runtime is not reported, and works as it would", async () => {
    const warnings: string[] = [];
    const results = await runVirtual(core, function* () {
      enableDebug({ warn: (message) => warnings.push(message) });
      const loop = getRunningLoop();
      const queue = new Queue<string>();
      const lock = new Lock();
      const results: unknown[] = [];
      results.push(yield* sleep(5, "slept"));
      const consumer = createTask(queue.get());
      yield* queue.put("job");
      results.push(yield* consumer);
      results.push(yield* lock.with(function* () {
        return lock.locked();
      }));
      results.push(yield* gather([sleep(1, "a"), timeout(10, function* () {
        return yield* sleep(2, "b");
      })]));
      results.push(yield* waitFor(sleep(3, "c"), 10));
      const started = sleep(1); // started by hand, then dropped
      started.next();
      results.push(loop.time());
      sleep(1); // the control: this one is reported
      return results;
    });
    expect(results).toEqual(["slept", "job", true, ["a", "b"], "c", 10]);
    await collectUntil(() => warnings.length >= 1);
    for (let round = 0; round < 3; round++) await collectUntil(() => false);
    expect(headlines(warnings)).toEqual(["wasyncio: sleep() was never awaited; is a yield* missing?"]);
  });

  it("one yielded without its * is reported at once, with where it was made, and refused", async () => {
    const warnings: string[] = [];
    const results = await runVirtual(core, function* yieldsBare() {
      enableDebug({ warn: (message) => warnings.push(message) });
      const delegated = yield* sleep(5, "five");
      let bare = "";
      try {
        yield sleep(5, "five") as never;
      } catch (error) {
        bare = String(error).replace(/Task-\d+/, "Task-N");
      }
      // A producer's item is read by the task the same way.
      function* producer() {
        yield sleep(1) as never;
      }
      const produced = yield* messageOf(() => forAwait(producer(), function* () {}));
      return [delegated, bare, produced.replace(/Task-\d+/, "Task-N"), getRunningLoop().time()];
    });
    expect(results).toEqual(["five", "TypeError: Task Task-N yielded an operation without its *", "TypeError: Task Task-N yielded an operation without its *", 5]);
    expect(warnings.map((warning) => warning.split("\n")[0])).toEqual([
      "wasyncio: sleep() was yielded, not delegated to: write `yield*`",
      "wasyncio: sleep() was yielded, not delegated to: write `yield*`",
    ]);
    expect(warnings[0]!.split("\n  created at:\n")[1]!.split("\n")[0]).toMatch(/yieldsBare.*never-awaited\.test\.ts/);
  });

  it("one awaited a second time throws asyncio's RuntimeError, naming what it waits on as it is then, where it would give back nothing at once", async () => {
    const results = await runVirtual(core, function* () {
      enableDebug({ warn: () => {} });
      const lock = new Lock();
      const results: unknown[] = [];
      const attempt = function* (op: Operation<unknown> | Future<unknown>) {
        try {
          results.push(yield* op);
        } catch (error) {
          results.push(String(error));
        }
      };
      const nap = sleep(5, "slept");
      yield* attempt(nap);
      yield* attempt(nap);
      const scope = timeout(10, function* () {
        return yield* sleep(1, "in time");
      });
      yield* attempt(scope);
      yield* attempt(scope);
      const acquire = lock.acquire();
      yield* attempt(acquire);
      yield* attempt(acquire); // named with the lock as it is now
      lock.release();
      // Handed to the runtime once it is done, too: the task fails with the same error.
      const handedOver = sleep(1, "gathered");
      yield* attempt(gather([handedOver]));
      yield* attempt(gather([handedOver]));
      results.push(lock.locked(), getRunningLoop().time());
      return results;
    });
    const reused = (what: string) =>
      `RuntimeError: ${what} was awaited already: an operation runs once, so call ${what.split(" ")[0]} again for another`;
    expect(results).toEqual([
      "slept",
      reused("sleep()"),
      "in time",
      reused("timeout()"),
      true, // what acquire() gives, as in asyncio
      reused("acquire() on <Lock [locked]>"),
      ["gathered"],
      reused("sleep()"),
      false, // the second acquire took nothing
      7,
    ]);
  });

  it("one closed by hand with return(), awaited again, throws the same RuntimeError", async () => {
    const message = await runVirtual(core, function* () {
      enableDebug({ warn: () => {} });
      const nap = sleep(10, "slept");
      nap.next(); // started by hand,
      nap.return!(undefined as never); // then closed
      return yield* messageOf(() => nap);
    });
    expect(message).toBe("RuntimeError: sleep() was awaited already: an operation runs once, so call sleep() again for another");
  });

  it("one finished, then closed or thrown into by hand, acts as a finished generator does: only awaiting it again is refused", async () => {
    // As without debug mode, and as CPython's close() and throw() of a finished coroutine.
    const outcome = (debug: boolean) =>
      runVirtual(core, function* () {
        if (debug) enableDebug({ warn: () => {} });
        const nap = sleep(1, "slept");
        const value = yield* nap;
        const closed = nap.return!(undefined as never);
        return [value, closed, thrown(() => nap.throw!(new Error("boom")))];
      });
    const expected = ["slept", { done: true, value: undefined }, "Error: boom"];
    expect(await outcome(false)).toEqual(expected);
    expect(await outcome(true)).toEqual(expected);
  });

  it("one a cancellation interrupted, awaited again, throws the same RuntimeError", async () => {
    const results = await runVirtual(core, function* () {
      enableDebug({ warn: () => {} });
      const results: string[] = [];
      const sleeper = createTask(function* () {
        const nap = sleep(10);
        results.push(yield* messageOf(() => nap));
        results.push(yield* messageOf(() => nap));
      });
      yield* sleep(1);
      sleeper.cancel();
      yield* sleeper;
      return results;
    });
    expect(results).toEqual([
      "CancelledError: ",
      "RuntimeError: sleep() was awaited already: an operation runs once, so call sleep() again for another",
    ]);
  });

  it("nothing is watched on a loop that is not in debug mode", async () => {
    const warnings: string[] = [];
    const plainIsShared = await runVirtual(core, function* () {
      sleep(1);
      new Lock().acquire();
      return sleep(0) === sleep(0);
    });
    const watchedIsShared = await runVirtual(core, function* () {
      enableDebug({ warn: (message) => warnings.push(message) });
      return sleep(0) === sleep(0);
    });
    // Without debug mode, sleep(0) is the one shared operation; with it, each is watched.
    expect([plainIsShared, watchedIsShared]).toEqual([true, false]);
    await collectUntil(() => warnings.length >= 2);
    for (let round = 0; round < 3; round++) await collectUntil(() => false);
    expect(headlines(warnings)).toEqual(Array(2).fill("wasyncio: sleep() was never awaited; is a yield* missing?"));
  });
});

forEachCore("watching operations", (core) => {
  it(`changes no trace of the ${recording.programs.length} recorded CPython programs, and finds none dropped`, async () => {
    const warnings: string[] = [];
    const changed: number[] = [];
    for (const [index, { program, trace }] of recording.programs.entries()) {
      const watched = await traceOf(program, { core }, (loop: EventLoop) => {
        enableDebug({ loop, slowCallbackDuration: Infinity, warn: (message) => warnings.push(message) });
      });
      if (JSON.stringify(watched) !== JSON.stringify(trace)) changed.push(index);
    }
    for (let round = 0; round < 3; round++) await collectUntil(() => false);
    expect(changed).toEqual([]);
    expect(warnings).toEqual([]);
  }, 60_000);
});
