// Producers: a function* that emits items with `yield* emit(item)`, asyncio's async
// generator, read by forAwait in the reading task. Each expectation was checked against
// the same program on CPython 3.13 (an `async def` with `yield`, read by `async for` in
// `contextlib.aclosing`, which closes it on leaving as forAwait does).
import { expect, it } from "vitest";
import {
  aiter,
  ContextVar,
  type ExceptionGroup,
  createTask,
  currentTask,
  emit,
  EventLoop,
  forAwait,
  GeneratorExit,
  getRunningLoop,
  Lock,
  type Producer,
  Runner,
  shutdownProducers,
  sleep,
  taskGroup,
  type TaskGroup,
  timeout,
  until,
  ValueError,
} from "../src/index.ts";
import { failAfter, forEachCore, messageOf, now, runVirtual, thrown, virtualLoop } from "./helpers.ts";

/** Emits 1..count, one every 1000 ms; its finally block logs, waits 5 ms and logs again. */
function* ticks(count: number, log: string[]) {
  try {
    for (let n = 1; n <= count; n++) {
      yield* sleep(1000);
      yield* emit(n);
    }
  } finally {
    log.push(`closing at ${now()}`);
    yield* sleep(5);
    log.push(`closed at ${now()}`);
  }
}

forEachCore("producers read by forAwait", (core) => {
  it("gives the items in order, waiting in between, and the producer ends in its finally", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(ticks(3, log), (n) => void log.push(`tick ${n} at ${now()}`));
      log.push(`done at ${now()}`);
      return log;
    });
    expect(log).toEqual(["tick 1 at 1000", "tick 2 at 2000", "tick 3 at 3000", "closing at 3000", "closed at 3005", "done at 3005"]);
  });

  it("waits for a function* body before asking for the next item", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(ticks(2, log), function* (n) {
        yield* sleep(300);
        log.push(`tick ${n} handled at ${now()}`);
      });
      return log;
    });
    expect(log).toEqual(["tick 1 handled at 1300", "tick 2 handled at 2600", "closing at 2600", "closed at 2605"]);
  });

  it("closes the producer when the body returns false, and waits for its finally block", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      yield* forAwait(ticks(10, log), (n) => {
        log.push(`tick ${n}`);
        return n < 2;
      });
      log.push(`done at ${now()}`);
      return log;
    });
    expect(log).toEqual(["tick 1", "tick 2", "closing at 2000", "closed at 2005", "done at 2005"]);
  });

  it("closes the producer when the body throws; an error from closing it is the one raised, as with asyncio's aclosing()", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* failsToClose() {
        try {
          yield* emit("a");
          yield* emit("b");
        } finally {
          yield* sleep(5);
          log.push(`closing fails at ${now()}`);
          throw new Error("closing failed");
        }
      }
      log.push(
        yield* messageOf(() =>
          forAwait(failsToClose(), (item) => {
            throw new Error(`body failed on ${item}`);
          }),
        ),
      );
      return log;
    });
    expect(log).toEqual(["closing fails at 5", "Error: closing failed"]);
  });

  it("raises what the producer throws, at the point the reader asked for the item", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* failing() {
        yield* emit(1);
        yield* sleep(10);
        throw new RangeError("no more");
      }
      log.push(yield* messageOf(() => forAwait(failing(), (n) => void log.push(`item ${n} at ${now()}`))));
      log.push(`at ${now()}`);
      return log;
    });
    expect(log).toEqual(["item 1 at 0", "RangeError: no more", "at 10"]);
  });

  it("cancelling the reader throws CancelledError where the producer waits; its finally runs and may wait", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* producer() {
        try {
          yield* emit(1);
          yield* sleep(1000);
          yield* emit(2);
        } catch (error) {
          log.push(`producer got ${(error as Error).name} at ${now()}`);
          throw error;
        } finally {
          yield* sleep(5);
          log.push(`producer cleaned up at ${now()}`);
        }
      }
      const reader = createTask(forAwait(producer(), (n) => void log.push(`item ${n}`)));
      yield* sleep(100);
      reader.cancel("stop reading");
      log.push(yield* messageOf(() => reader));
      log.push(`reader done at ${now()}, cancelled: ${reader.cancelled()}`);
      return log;
    });
    expect(log).toEqual([
      "item 1",
      "producer got CancelledError at 100",
      "producer cleaned up at 105",
      "CancelledError: stop reading",
      "reader done at 105, cancelled: true",
    ]);
  });

  it("cancelling the reader while its body waits closes the producer", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const reader = createTask(
        forAwait(ticks(5, log), function* (n) {
          log.push(`tick ${n}`);
          yield* sleep(10_000);
        }),
      );
      yield* sleep(1500);
      reader.cancel();
      log.push(yield* messageOf(() => reader));
      return log;
    });
    expect(log).toEqual(["tick 1", "closing at 1500", "closed at 1505", "CancelledError: "]);
  });

  it("a cancellation while the producer's finally block waits is not dropped for the body's error", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const reader = createTask(
        forAwait(ticks(5, log), () => {
          throw new Error("body failed");
        }),
      );
      yield* sleep(1002); // the producer's finally block waits from 1000 to 1005
      reader.cancel();
      log.push(yield* messageOf(() => reader));
      return log;
    });
    expect(log).toEqual(["closing at 1000", "CancelledError: "]);
  });

  it("a producer that emits while it is being closed is left there, and the reader gets a RuntimeError, once", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      let tries = 0;
      function* stubborn() {
        try {
          yield* emit(1);
        } finally {
          for (;;) {
            try {
              tries++;
              yield* emit(2); // asyncio: "async generator ignored GeneratorExit"
            } catch (error) {
              log.push(`producer got ${(error as Error).name}`);
            }
          }
        }
      }
      log.push(yield* messageOf(() => forAwait(stubborn(), () => false)));
      log.push(`tries: ${tries}`);
      return log;
    });
    expect(log).toEqual(["RuntimeError: forAwait(): the producer gave an item while it was being closed, instead of ending (did a catch swallow the GeneratorExit? throw it on)", "tries: 1"]);
  });

  it("closing throws GeneratorExit where the producer emitted: a catch sees it, and a producer that swallows it and ends is closed", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* swallows() {
        try {
          yield* emit(1);
          yield* emit(2);
        } catch (error) {
          log.push(`caught ${(error as Error).name}, a GeneratorExit: ${error instanceof GeneratorExit}, an Error: ${error instanceof Error}`);
          // Made without capturing a stack, which took most of a forAwait's time to leave early.
          log.push(`${String(error)} / ${(error as Error).stack} / ${JSON.stringify(Object.keys(error as Error))}`);
        }
        log.push("ended after the catch");
      }
      yield* forAwait(swallows(), () => false);
      log.push("forAwait returned");
      return log;
    });
    expect(log).toEqual([
      "caught GeneratorExit, a GeneratorExit: true, an Error: true",
      `GeneratorExit: the producer's reader left: it closes / GeneratorExit: the producer's reader left: it closes / ["name"]`,
      "ended after the catch",
      "forAwait returned",
    ]);
  });

  it("closing reaches through yield* into a producer whose finally waits: the code after that yield* does not run", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* outer() {
        try {
          yield* ticks(5, log); // its finally block waits 5 ms
          log.push("after the yield*: must not run");
          yield* emit(99);
        } finally {
          log.push(`outer finally at ${now()}`);
        }
      }
      // A producer that maps another, read from an array: its forAwait waits to close the array's iterator.
      function* mapped() {
        yield* forAwait([1, 2, 3], function* (x) {
          yield* emit(x * 10);
        });
        log.push("after the mapping forAwait: must not run");
        yield* emit(-1);
      }
      yield* forAwait(outer(), (n) => n < 1);
      yield* forAwait(mapped(), (n) => {
        log.push(`mapped ${n}`);
        return false;
      });
      log.push(`done at ${now()}`);
      return log;
    });
    expect(log).toEqual(["closing at 1000", "closed at 1005", "outer finally at 1005", "mapped 10", `done at 1005`]);
  });

  it("a timeout or task group around an emit is left when the producer is closed, as asyncio's async with is", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* inTimeout() {
        // (A scope's body is typed as a coroutine, which does not emit: see the README.)
        yield* timeout(100, function* () {
          yield* emit(1);
          yield* emit(2);
        } as never);
      }
      yield* forAwait(inTimeout(), () => false);
      // The timeout's deadline at 100 must not cancel this task afterwards.
      log.push(yield* messageOf(() => sleep(500)));
      log.push(`at ${now()}, cancelling: ${currentTask()!.cancelling()}`);
      // A task group ends its children and raises what ended its body, as asyncio's
      // (a BaseExceptionGroup there, of the GeneratorExit); its failing child, cancelled,
      // does not cancel this task later.
      function* inGroup() {
        yield* taskGroup(function* (group: TaskGroup) {
          group.createTask(failAfter(150, "child failed"));
          yield* emit(1);
          yield* emit(2);
        } as never);
      }
      try {
        yield* forAwait(inGroup(), () => false);
      } catch (error) {
        const inner = (error as ExceptionGroup).exceptions.map((e) => (e as Error).name);
        log.push(`${(error as Error).name} of ${inner.join(", ")} at ${now()}`);
      }
      log.push(yield* messageOf(() => sleep(500)));
      log.push(`at ${now()}`);
      return log;
    });
    expect(log).toEqual(["no error", "at 500, cancelling: 0", "ExceptionGroup of GeneratorExit at 500", "no error", "at 1000"]);
  });

  it("a producer that yields an operation without its * gets a TypeError there", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const lock = new Lock();
      function* forgetful() {
        try {
          yield lock.acquire() as never;
        } catch (error) {
          log.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
        yield* emit("went on");
      }
      yield* forAwait(forgetful(), (item) => void log.push(item));
      return log;
    });
    expect(log).toEqual(["TypeError: forAwait(): the producer yielded an operation without its * (yield* it)", "went on"]);
  });

  it("a producer that yield*s another emits that one's items too", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* both(): Producer<number | string> {
        yield* emit("first");
        yield* ticks(2, log);
        yield* emit("last");
      }
      yield* forAwait(both(), (item) => void log.push(`${item} at ${now()}`));
      return log;
    });
    expect(log).toEqual(["first at 0", "1 at 1000", "2 at 2000", "closing at 2000", "closed at 2005", "last at 2005"]);
  });

  it("a producer that maps and filters another reads it with forAwait, emitting from the body; leaving closes both", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* oddDoubled() {
        yield* forAwait(ticks(10, log), function* (n) {
          if (n % 2 === 1) yield* emit(n * 2);
        });
      }
      yield* forAwait(oddDoubled(), (n) => {
        log.push(`got ${n} at ${now()}`);
        return n < 6;
      });
      return log;
    });
    expect(log).toEqual(["got 2 at 1000", "got 6 at 3000", "closing at 3000", "closed at 3005"]);
  });

  it("a producer waits on futures, locks and promises in the reading task, with its context", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const requestId = new ContextVar<string>("requestId", { default: "none" });
      const lock = new Lock();
      const ready = getRunningLoop().createFuture<string>();
      let reader: unknown = null;
      function* producer() {
        log.push(`producer runs in the reader: ${currentTask() === reader}, request ${requestId.get()}`);
        yield* emit(yield* ready);
        yield* lock.acquire();
        try {
          yield* emit("under the lock");
        } finally {
          lock.release();
        }
        yield* emit(yield* until(Promise.resolve("from a promise")));
      }
      createTask(function* () {
        yield* sleep(50);
        ready.setResult("future set at 50");
      });
      const task = createTask(function* () {
        requestId.set("r-7");
        yield* forAwait(producer(), (item) => void log.push(`${item}, locked: ${lock.locked()}`));
      });
      reader = task;
      yield* task;
      return log;
    });
    expect(log).toEqual([
      "producer runs in the reader: true, request r-7",
      "future set at 50, locked: false",
      "under the lock, locked: true",
      "from a promise, locked: false",
    ]);
  });

  it("a plain generator is read as for await reads one: its items, promises awaited first", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* plain() {
        try {
          yield 1;
          yield Promise.resolve(2);
          yield 3;
        } catch (error) {
          log.push(`caught ${(error as Error).name}`); // return() closes it: no GeneratorExit comes in
          throw error;
        } finally {
          log.push("closed");
        }
      }
      yield* forAwait(plain(), (n) => {
        log.push(`item ${n}`);
        return n < 2;
      });
      return log;
    });
    expect(log).toEqual(["item 1", "item 2", "closed"]);
  });

  it("a plain generator that yields a rejected promise is closed before the rejection is raised, as for await closes it under the current spec", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* plain() {
        try {
          yield 1;
          yield Promise.reject(new ValueError("rejected item"));
          yield 3;
        } finally {
          log.push("closed");
        }
      }
      log.push(yield* messageOf(() => forAwait(plain(), (n) => void log.push(`item ${n}`))));
      return log;
    });
    expect(log).toEqual(["item 1", "closed", "ValueError: rejected item"]);
  });

  it("leaving a plain generator whose finally waits closes it in the reading task: its cleanup waits and ends", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* plain() {
        try {
          yield 1;
          yield 2;
        } finally {
          log.push(`closing at ${now()}`);
          yield* sleep(5);
          log.push(`closed at ${now()}`);
        }
      }
      yield* forAwait(plain() as Producer<number>, (n) => {
        log.push(`item ${n}`);
        return false;
      });
      log.push(`done at ${now()}`);
      return log;
    });
    expect(log).toEqual(["item 1", "closing at 0", "closed at 5", "done at 5"]);
  });

  it("leaving a plain generator whose cleanup throws: after a body that threw, the body's error is raised; after a stop, the cleanup's, as for await does", async () => {
    const out = await runVirtual(core, function* () {
      function* plain() {
        try {
          yield 1;
          yield 2;
        } finally {
          throw new ValueError("cleanup failed");
        }
      }
      const afterThrow = yield* messageOf(() =>
        forAwait(plain(), () => {
          throw new Error("body failed");
        }),
      );
      const afterStop = yield* messageOf(() => forAwait(plain(), () => false));
      return [afterThrow, afterStop];
    });
    expect(out).toEqual(["Error: body failed", "ValueError: cleanup failed"]);
  });

  it("a plain yield after an emit() resumes with undefined, as a generator read by for await does", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* producer(): Generator<unknown, void, unknown> {
        yield* emit("a");
        log.push(`yield "b" gave ${String(yield "b")}`);
        log.push(`yield "c" gave ${String(yield "c")}`);
      }
      yield* forAwait(producer(), (item) => void log.push(`item ${String(item)}`));
      return log;
    });
    expect(log).toEqual(["item a", "item b", 'yield "b" gave undefined', "item c", 'yield "c" gave undefined']);
  });

  it("an item whose `then` getter throws fails the read with that error, as for await does", async () => {
    const odd = {
      get then(): never {
        throw new ValueError("then getter failed");
      },
    };
    function* plain(): Generator<unknown, void> {
      yield odd;
    }
    let native = "no error";
    try {
      for await (const item of plain()) void item;
    } catch (error) {
      native = String(error);
    }
    const ours = await runVirtual(core, function* () {
      return yield* messageOf(() => forAwait(plain(), () => {}));
    });
    expect([ours, native]).toEqual(["ValueError: then getter failed", "ValueError: then getter failed"]);
  });

  it("a producer that yields a revoked Proxy fails the read there, as for await does: the producer's catch does not get it", async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    function* producer(log: string[]): Generator<unknown, void, unknown> {
      try {
        yield proxy;
      } catch (error) {
        log.push(`producer caught ${(error as Error).name}`);
        yield "after";
      }
    }
    const native: string[] = [];
    try {
      for await (const item of producer(native)) native.push(`item ${String(item)}`);
    } catch (error) {
      native.push(`reader got ${(error as Error).name}`);
    }
    const ours = await runVirtual(core, function* () {
      const log: string[] = [];
      const message = yield* messageOf(() => forAwait(producer(log) as Producer<unknown>, (item) => void log.push(`item ${String(item)}`)));
      log.push(`reader got ${message.split(":")[0]}`);
      return log;
    });
    expect([ours, native]).toEqual([["reader got TypeError"], ["reader got TypeError"]]);
  });

  it("a bare yield; in a producer lets the other tasks run, and is not an item", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* producer() {
        yield* emit("a");
        yield; // another task's turn
        yield* emit("b");
      }
      createTask(function* () {
        log.push("other task ran");
      });
      yield* forAwait(producer(), (item) => void log.push(`item ${item}`));
      return log;
    });
    expect(log).toEqual(["item a", "other task ran", "item b"]);
  });

  it("an item with a `then` field that is not a function is given as it is, as for await does: it is no promise", async () => {
    const rule = { when: "cold", then: "heat" };
    const out = await runVirtual(core, function* () {
      function* rules() {
        yield rule;
      }
      const seen: unknown[] = [];
      yield* forAwait(rules(), (item) => {
        seen.push(item);
      });
      yield* forAwait([1], () => rule as never); // nor is it a body's answer to refuse
      return seen;
    });
    expect(out).toEqual([rule]);
  });

  it("a producer run as a task, or awaited with yield*, is refused where it emits", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const asTask = createTask(ticks(1, log) as never);
      log.push(yield* messageOf(() => asTask));
      log.push(yield* messageOf(() => ticks(1, log) as never));
      return log;
    });
    const refused =
      "TypeError: Task Task-# yielded an item of emit() (a function* that emits is a producer: read it with forAwait(producer(), body), not as a task nor with yield*), which is not awaitable. Use yield* with a Future, a Task, sleep(), gather() or until(promise).";
    expect(log.map((line) => line.replace(/Task-\d+/, "Task-#"))).toEqual([
      "closing at 1000",
      "closed at 1005",
      refused,
      "closing at 2005",
      "closed at 2010",
      refused,
    ]);
  });

  it("a producer is stepped by one reader at a time: a second reader of a running producer is refused", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const shared = ticks(3, log);
      const first = createTask(forAwait(shared, (n) => void log.push(`first got ${n}`)));
      yield* sleep(1);
      log.push(yield* messageOf(() => forAwait(shared, (n) => void log.push(`second got ${n}`))));
      yield* first;
      return log;
    });
    expect(log).toEqual([
      "RuntimeError: forAwait(): the producer is running already, for another reader (it takes one step at a time)",
      "first got 1",
      "first got 2",
      "first got 3",
      "closing at 3000",
      "closed at 3005",
    ]);
  });
});

/** Emits 1, 2, ... after each delay of `delays` in turn, logging a cancellation and its finally block. */
function* delayed(delays: number[], log: string[]) {
  try {
    for (let n = 1; n <= delays.length; n++) {
      try {
        yield* sleep(delays[n - 1]!);
      } catch (error) {
        log.push(`cancelled at ${now()}`);
        throw error;
      }
      yield* emit(n);
    }
  } finally {
    log.push(`finally at ${now()}`);
  }
}

forEachCore("aiter(): a producer read item by item", (core) => {
  it("next() gives the items, then done; a timeout around one next() cancels the producer where it waits, which ends it", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(delayed([10, 20, 500, 10], log));
      for (let i = 0; i < 4; i++) {
        try {
          const step = yield* timeout(100, items.next());
          log.push(step.done ? `ended at ${now()}` : `got ${step.value} at ${now()}`);
        } catch (error) {
          log.push(`${(error as Error).name} at ${now()}`);
        }
      }
      yield* items.close(); // ended already: nothing to do
      return log;
    });
    // As asyncio's anext() under asyncio.timeout().
    expect(log).toEqual(["got 1 at 10", "got 2 at 30", "cancelled at 130", "finally at 130", "TimeoutError at 130", "ended at 130"]);
  });

  it("an iterator whose producer returned, or threw, is finished", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* one(fails: boolean) {
        yield* emit(1);
        if (fails) throw new ValueError("failed");
      }
      const ended = aiter(one(false));
      yield* ended.next();
      log.push(`${JSON.stringify(yield* ended.next())} ${String(ended)}`);
      const failed = aiter(one(true));
      yield* failed.next();
      log.push(`${yield* messageOf(() => failed.next())} ${String(failed)}`);
      return log;
    });
    expect(log).toEqual(['{"done":true} <ProducerIterator finished>', "ValueError: failed <ProducerIterator finished>"]);
  });

  it("close() throws GeneratorExit where it stopped and waits for its finally; next() after it is done; closing twice, or unstarted, runs nothing", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(ticks(5, log));
      const first = yield* items.next();
      log.push(`first ${first.value}`);
      yield* items.close();
      log.push(`closed at ${now()}`);
      log.push(`next after close: ${JSON.stringify(yield* items.next())}`);
      yield* items.close();
      const generator = ticks(5, log);
      const unstarted = aiter(generator);
      yield* unstarted.close();
      log.push(`unstarted closed: ${JSON.stringify(yield* unstarted.next())}`);
      // Finished, not just forgotten: whoever still holds the generator cannot run it either.
      log.push(`its generator: ${JSON.stringify(generator.next())}`);
      return log;
    });
    expect(log).toEqual([
      "first 1",
      "closing at 1000",
      "closed at 1005",
      "closed at 1005",
      'next after close: {"done":true}',
      'unstarted closed: {"done":true}',
      'its generator: {"done":true}',
    ]);
  });

  it("zips two producers in step, typed, closing both when either ends", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* letters() {
        try {
          for (const letter of "abc") {
            yield* sleep(15);
            yield* emit(letter);
          }
        } finally {
          log.push(`letters closed at ${now()}`);
        }
      }
      function* zip<A, B>(left: Producer<A>, right: Producer<B>) {
        const a = aiter(left);
        const b = aiter(right);
        try {
          for (;;) {
            const x = yield* a.next();
            const y = yield* b.next();
            if (x.done || y.done) return;
            yield* emit([x.value, y.value] as const);
          }
        } finally {
          yield* b.close();
          yield* a.close();
        }
      }
      yield* forAwait(zip(ticks(2, log), letters()), ([n, letter]) => {
        log.push(`${n}${letter} at ${now()}`);
      });
      return log;
    });
    // The third round: ticks ends (its finally waits 5 ms), then letters gives "c" at 2050,
    // and zip, seeing the end, closes letters there.
    expect(log).toEqual(["1a at 1015", "2b at 2030", "closing at 2030", "closed at 2035", "letters closed at 2050"]);
  });

  it("tasks may take turns at one producer between items; a next() while another task's runs the producer is refused", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(ticks(3, log));
      const reader = (name: string) =>
        createTask(function* () {
          for (;;) {
            const step = yield* items.next();
            if (step.done) return;
            log.push(`${name} got ${step.value}`);
            yield* sleep(1500);
          }
        });
      const a = reader("a");
      yield* sleep(500);
      log.push(yield* messageOf(() => items.next())); // a's next() waits inside the producer
      yield* sleep(700); // a got item 1 at 1000, and waits in its own body until 2500
      const b = reader("b");
      yield* a;
      yield* b;
      return log;
    });
    expect(log).toEqual([
      "RuntimeError: ProducerIterator.next(): the producer is running already, for another reader (it takes one step at a time)",
      "a got 1",
      "b got 2",
      "a got 3",
      "closing at 3700",
      "closed at 3705",
    ]);
  });

  it("forAwait reads an iterator on from where next() left it, and closes it when it leaves", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(ticks(5, log));
      log.push(`by hand: ${(yield* items.next()).value}`);
      yield* forAwait(items, (n) => {
        log.push(`by forAwait: ${n}`);
        return n < 3;
      });
      log.push(`then: ${JSON.stringify(yield* items.next())}`);
      return log;
    });
    expect(log).toEqual(["by hand: 1", "by forAwait: 2", "by forAwait: 3", "closing at 3000", "closed at 3005", 'then: {"done":true}']);
  });

  it("the end of run() closes the producers left open after a next(), all at once, and reports a cleanup's error (asyncio's shutdown_asyncgens)", async () => {
    // CPython 3.13 logs the same for the same program (in real time: a few ms later each).
    const log: string[] = [];
    function* closing(name: string, count: number, fails = false, cleanupMs = 5) {
      try {
        for (let n = 1; n <= count; n++) {
          yield* sleep(1000);
          yield* emit(n);
        }
      } finally {
        log.push(`${name} closing at ${now()}`);
        yield* sleep(cleanupMs);
        log.push(`${name} closed at ${now()}`);
        if (fails) throw new ValueError(`${name}'s cleanup`);
      }
    }
    const kept = await runVirtual(core, function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => {
        log.push(`reported: ${context.message}: ${(context.exception as Error).message}, ${context.producer === b}`);
      });
      const a = aiter(closing("a", 5));
      yield* a.next();
      const b = aiter(closing("b", 5, true, 10)); // run() waits for the longest cleanup
      yield* b.next();
      const c = aiter(closing("c", 1)); // read to its end: nothing left to close
      yield* c.next();
      yield* c.next();
      const d = aiter(closing("d", 5)); // closed by hand: not again
      yield* d.next();
      yield* d.close();
      aiter(closing("e", 5)); // never begun: never runs
      log.push(`main returns at ${now()}`);
      return [a, b, c, d]; // kept: a loop holds what it will close weakly
    });
    expect(log).toEqual([
      "c closing at 3000",
      "c closed at 3005",
      "d closing at 4005",
      "d closed at 4010",
      "main returns at 4010",
      "a closing at 4010",
      "b closing at 4010",
      "a closed at 4015",
      "b closed at 4020",
      "reported: an error occurred during closing of a producer left open: b's cleanup, true",
    ]);
    expect(kept.length).toBe(4);
  });

  it("a Runner's close() closes what its runs left open, a generator of plain yields too (by return())", async () => {
    const log: string[] = [];
    function* plain() {
      try {
        yield "first";
        yield "second";
      } finally {
        log.push("plain closed");
      }
    }
    const runner = new Runner({ clock: "virtual", core });
    // Kept: a loop holds what it will close weakly.
    const kept = await runner.run(function* () {
      const items = aiter(closing());
      log.push(`got ${(yield* items.next()).value}`);
      const words = aiter(plain() as Producer<string>);
      log.push(`got ${(yield* words.next()).value}`);
      return [items, words];
    });
    log.push("between runs");
    await runner.close();
    expect(log).toEqual(["got 1", "got first", "between runs", "closing at 1000", "plain closed", "closed at 1005"]);
    expect(kept.length).toBe(2);

    function* closing() {
      yield* ticks(3, log);
    }
  });

  it("a loop closed while a task waits in a producer's step closes the producer first, then the reader (asyncio's GeneratorExit)", async () => {
    // CPython 3.13 prints the same four lines (its reports of the destroyed tasks come
    // when they are collected).
    const log: string[] = [];
    function* waiting(name: string) {
      try {
        yield* sleep(10_000);
        yield* emit(1);
      } finally {
        log.push(`${name} producer finally`);
      }
    }
    const { loop } = virtualLoop(core);
    await loop.runUntilComplete(function* () {
      createTask(function* () {
        try {
          yield* aiter(waiting("next")).next();
        } finally {
          log.push("next reader finally");
        }
      });
      createTask(function* () {
        try {
          yield* forAwait(waiting("forAwait"), () => {});
        } finally {
          log.push("forAwait reader finally");
        }
      });
      yield* sleep(1);
    });
    loop.close();
    expect(log).toEqual(["next producer finally", "next reader finally", "forAwait producer finally", "forAwait reader finally"]);
  });

  it("a loop closed while a task reads a producer whose cleanup waits: the reader gets a RuntimeError there, and it is reported", async () => {
    // As in CPython 3.13, where the reader gets "coroutine ignored GeneratorExit" at its
    // `async for`, and its finally blocks run with it; the rest of the producer's does not.
    const log: string[] = [];
    const { loop, errors } = virtualLoop(core);
    await loop.runUntilComplete(function* () {
      const never = getRunningLoop().createFuture();
      function* cleanupWaits() {
        try {
          yield* sleep(10_000);
          yield* emit(1);
        } finally {
          log.push("producer cleanup waits");
          yield* never;
          log.push("producer cleanup resumed");
        }
      }
      createTask(
        function* () {
          try {
            yield* forAwait(cleanupWaits(), () => {});
          } catch (error) {
            log.push(`reader caught ${(error as Error).name}`);
            throw error;
          }
        },
        { name: "reader" },
      );
      yield* sleep(1);
    });
    loop.close();
    expect(log).toEqual(["producer cleanup waits", "reader caught RuntimeError"]);
    expect(errors.map(String)).toEqual([
      "Task was destroyed but it is pending!",
      "RuntimeError: a producer the task read waited in its cleanup after its loop closed; the rest of that cleanup did not run",
    ]);
  });

  it("a next() or close() while another task's close() waits for the cleanup is refused, as asyncio's 'already running'", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(ticks(5, log));
      yield* items.next();
      const closing = createTask(items.close());
      yield* sleep(1); // the cleanup waits 5 ms
      log.push(`while closing: ${String(items)}`);
      log.push(yield* messageOf(() => items.close()));
      log.push(yield* messageOf(() => items.next()));
      yield* closing;
      log.push(`after: ${String(items)}, ${JSON.stringify(yield* items.next())}`);
      return log;
    });
    expect(out).toEqual([
      "closing at 1000",
      "while closing: <ProducerIterator running>",
      "RuntimeError: ProducerIterator.close(): the producer is running already, for another reader (it takes one step at a time)",
      "RuntimeError: ProducerIterator.next(): the producer is running already, for another reader (it takes one step at a time)",
      "closed at 1005",
      'after: <ProducerIterator finished>, {"done":true}',
    ]);
  });

  it("shutdownProducers() closes a producer opened in the same step too", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const items = aiter(
        (function* () {
          try {
            yield* emit(1);
          } finally {
            log.push("producer closed");
          }
        })(),
      );
      log.push(`first: ${(yield* items.next()).value}`);
      yield* shutdownProducers();
      log.push(String(items));
      return log;
    });
    expect(log).toEqual(["first: 1", "producer closed", "<ProducerIterator finished>"]);
  });

  it("shutdownProducers() closes and reports the producers left open in the order they were begun, across host jobs", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      function* failing(name: string) {
        try {
          yield* emit(1);
        } finally {
          log.push(`${name} closing`);
          throw new ValueError(name);
        }
      }
      getRunningLoop().setExceptionHandler((_loop, context) => log.push(`reported ${(context.exception as Error).message}`));
      const a = aiter(failing("a"));
      yield* a.next();
      // The host job that began a ends (a virtual sleep would not end it).
      yield* until(new Promise((resolve) => setTimeout(resolve, 0)));
      const b = aiter(failing("b"));
      yield* b.next();
      yield* shutdownProducers(); // in the job that began b
      return log;
    });
    expect(log).toEqual(["a closing", "b closing", "reported a", "reported b"]);
  });

  it("shutdownProducers() closes what a loop run by hand left open; a cleanup that throws undefined is reported too", async () => {
    const log: string[] = [];
    function* failing() {
      try {
        yield* emit(1);
      } finally {
        yield* sleep(5);
        log.push(`cleanup at ${now()}`);
        throw undefined; // eslint-disable-line no-throw-literal
      }
    }
    const loop = new EventLoop({ clock: "virtual", core });
    loop.setExceptionHandler((_loop, context) => log.push(`reported: ${context.message}: ${String(context.exception)}`));
    const kept = await loop.runUntilComplete(function* () {
      const items = aiter(failing());
      const unstarted = aiter(failing());
      log.push(`${String(unstarted)}; ${String(items)}`);
      yield* items.next();
      log.push(String(items));
      return [items, unstarted];
    });
    await loop.runUntilComplete(shutdownProducers());
    await loop.runUntilComplete(shutdownProducers()); // nothing is left open
    loop.close();
    expect(log).toEqual([
      "<ProducerIterator not started>; <ProducerIterator not started>",
      "<ProducerIterator suspended>",
      "cleanup at 5",
      "reported: an error occurred during closing of a producer left open: undefined",
    ]);
    expect(kept.length).toBe(2);
  });

  it("aiter() gives one iterator per producer, and refuses what is no producer", async () => {
    const out = await runVirtual(core, function* () {
      const producer = ticks(1, []);
      const items = aiter(producer);
      return [aiter(producer) === items, aiter(items) === items, thrown(() => aiter(Promise.resolve(1) as never))];
    });
    expect(out).toEqual([true, true, "TypeError: aiter() needs a producer (call a function* that emits), got a Promise"]);
  });
});

