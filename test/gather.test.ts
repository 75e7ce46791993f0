// gather(): input order, error propagation, cancellation both ways (SEMANTICS.md item 4).
import { expect, it } from "vitest";
import { CancelledError, createTask, gather, getRunningLoop, sleep } from "../src/index.ts";
import { after, failAfter, forEachCore, goesOnWhenCancelled, messageOf, outcome, runVirtual, virtualLoop } from "./helpers.ts";

forEachCore("gather", (core) => {
  it("returns results in input order, not completion order, typed as a tuple", async () => {
    const out = await runVirtual(core, function* () {
      const [a, b, c] = yield* gather([after(30, "slow"), after(10, 2), after(20, true)]);
      const typed: [string, number, boolean] = [a, b, c];
      return [typed, getRunningLoop().time()];
    });
    expect(out).toEqual([["slow", 2, true], 30]);
  });

  it("accepts tasks and futures alongside coroutines", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const future = loop.createFuture<string>();
      loop.callLater(5, () => future.setResult("future"));
      const task = createTask(after(1, "task"));
      return yield* gather([task, future, after(2, "coroutine")]);
    });
    expect(out).toEqual(["task", "future", "coroutine"]);
  });

  it("with eager tasks, a child that an eager child's first step finishes is seen through its callback, an iteration later (asyncio 3.13)", async () => {
    // CPython 3.13 with the eager task factory prints the same: the gather is pending,
    // and a callback scheduled before it runs before main resumes.
    const out = await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        const log: string[] = [];
        const reply = loop.createFuture<number>();
        function* answer() {
          reply.setResult(1);
          return 2;
        }
        loop.callSoon(() => log.push("callback"));
        const all = gather([reply, answer()]);
        log.push(`done at once: ${all.done()}`);
        log.push(`results: ${(yield* all).join(", ")}`);
        return log;
      },
      { eagerTasks: true },
    );
    expect(out).toEqual(["done at once: false", "callback", "results: 1, 2"]);
  });

  it("refusing a later awaitable leaves the children made before it running, their errors retrieved (asyncio)", async () => {
    const { loop, errors } = virtualLoop(core);
    const out = await loop.runUntilComplete(function* () {
      const failing = createTask(failAfter(5, "lost with the gather"));
      let refused = "";
      try {
        gather([failing, 42 as never]);
      } catch (error) {
        refused = (error as Error).name;
      }
      yield* sleep(10);
      return [refused, failing.done()];
    });
    loop.close();
    expect([...out, errors]).toEqual(["TypeError", true, []]);
  });

  it("of futures already done is done when it returns, so awaiting it does not suspend (asyncio 3.12+)", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const done = createTask(after(0, "early"));
      yield* sleep(1);
      createTask(function* () {
        log.push("another task ran");
      });
      const all = gather([done, done]);
      log.push(`done at once: ${all.done()}`);
      log.push(`results: ${(yield* all).join(", ")}`);
      return [...log]; // the other task, ready all along, has not run yet
    });
    expect(out).toEqual(["done at once: true", "results: early, early"]);
  });

  it("of futures already done, raises the first failure in input order, at once (asyncio 3.12+)", async () => {
    // CPython 3.13.0: gather(a, b) of two failed futures is done at once and raises a's
    // error; gather(c, a) with c cancelled raises CancelledError.
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const failed = (message: string) => {
        const f = loop.createFuture<number>();
        f.setException(new Error(message));
        return f;
      };
      const cancelled = loop.createFuture<number>();
      cancelled.cancel();
      const said: string[] = [];
      for (const children of [[failed("first"), failed("second")], [cancelled, failed("after a cancelled one")]]) {
        const all = gather(children);
        said.push(`done at once: ${all.done()}, ${yield* messageOf(() => all)}`);
      }
      return said;
    });
    expect(out).toEqual(["done at once: true, Error: first", "done at once: true, CancelledError: "]);
  });

  it("of nothing is an empty array", async () => {
    expect(await runVirtual(core, () => gather([]))).toEqual([]);
  });

  it("raises the first error to the awaiter at once; the other children keep running", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const slow = createTask(function* () {
        yield* sleep(100);
        log.push(`slow finished at ${loop.time()}`);
      });
      const all = gather([failAfter(10, "first"), failAfter(20, "second"), slow]);
      try {
        yield* all;
      } catch (error) {
        log.push(`caught ${(error as Error).message} at ${loop.time()}`);
      }
      // Done with that error, the gather refuses cancel() and leaves the others running
      // (CPython 3.13.0: g.cancel() is False and the pending child is not cancelled).
      log.push(`cancel() of the done gather: ${all.cancel()}`);
      yield* slow;
    });
    expect(log).toEqual(["caught first at 10", "cancel() of the done gather: false", "slow finished at 100"]);
  });

  it("with returnExceptions, puts errors in their slots", async () => {
    const out = await runVirtual(core, () =>
      gather([after(1, "ok"), failAfter(2, "bad")], { returnExceptions: true }),
    );
    expect(out[0]).toBe("ok");
    expect(out[1]).toBeInstanceOf(Error);
    expect((out[1] as Error).message).toBe("bad");
  });

  it("cancelling the gather cancels its children and ends it with CancelledError", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const child = (name: string) =>
        (function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push(`${name} cleaned up`);
          }
        })();
      const all = gather([child("a"), child("b")]);
      yield* sleep(10);
      expect(all.cancel()).toBe(true);
      try {
        yield* all;
      } catch (error) {
        log.push(`awaiter got ${(error as Error).name}`);
      }
      expect(all.cancel()).toBe(false);
    });
    expect(log).toEqual(["a cleaned up", "b cleaned up", "awaiter got CancelledError"]);
  });

  it("a cancelled gather that ends after its children keeps the cancellation's message, as asyncio's does", async () => {
    const out = await runVirtual(core, function* () {
      const messages: string[] = [];
      // returnExceptions: the gather waits for every child, then raises the last one's CancelledError.
      const settled = gather([sleep(10), sleep(10)], { returnExceptions: true });
      yield* sleep(1);
      settled.cancel("shutdown");
      messages.push(yield* messageOf(() => settled));
      // A child that swallows the cancellation while it sleeps: the message went to its
      // sleep (asyncio's sleep future), not to the child, so the error has none, as
      // CPython's `CancelledError()`.
      const stubborn = createTask(function* () {
        try {
          yield* sleep(10);
        } catch {
          return "kept going";
        }
      });
      const waiter = createTask(() => gather([stubborn], { returnExceptions: true }));
      yield* sleep(1);
      waiter.cancel("closing");
      messages.push(yield* messageOf(() => waiter));
      return [...messages, stubborn.result()];
    });
    expect(out).toEqual(["CancelledError: shutdown", "CancelledError: ", "kept going"]);
  });

  it("cancelling the task that awaits a gather cancels the children", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const waiter = createTask(function* () {
        yield* gather([
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              log.push("child cleaned up");
            }
          })(),
        ]);
      });
      yield* sleep(5);
      waiter.cancel();
      yield* gather([waiter], { returnExceptions: true });
      expect(waiter.cancelled()).toBe(true);
    });
    expect(log).toEqual(["child cleaned up"]);
  });

  it("SEMANTICS 4: a child cancelled from outside makes the awaiter see CancelledError; it is not cancelled itself and the others go on", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const victim = createTask(after(1000, "victim"));
      const survivor = createTask(after(50, "survivor"));
      const awaiter = createTask(function* () {
        try {
          yield* gather([victim, survivor]);
        } catch (error) {
          log.push(`awaiter caught ${(error as Error).name} at ${loop.time()}`);
        }
        yield* sleep(1);
        return "awaiter finished";
      });
      yield* sleep(10);
      victim.cancel();
      expect(yield* awaiter).toBe("awaiter finished");
      expect(awaiter.cancelled()).toBe(false);
      expect(yield* survivor).toBe("survivor");
      log.push(`survivor finished at ${loop.time()}`);
    });
    expect(log).toEqual(["awaiter caught CancelledError at 10", "survivor finished at 50"]);
  });

  it("SEMANTICS 4: with returnExceptions, the cancelled child's slot holds a CancelledError", async () => {
    const out = await runVirtual(core, function* () {
      const victim = createTask(after(1000, "victim"));
      const all = gather([victim, after(20, "other")], { returnExceptions: true });
      yield* sleep(10);
      victim.cancel("from outside");
      return yield* all;
    });
    expect(out[0]).toBeInstanceOf(CancelledError);
    expect((out[0] as Error).message).toBe("from outside");
    expect(out[1]).toBe("other");
  });

  it("cancel() when every child is done, though not yet reported, refuses and the gather ends with the results", async () => {
    // asyncio's _GatheringFuture.cancel: it is cancelled only if a child took the request.
    const out = await runVirtual(core, function* () {
      const child = getRunningLoop().createFuture<number>();
      const gathering = gather([child]);
      child.setResult(1);
      const took = gathering.cancel();
      return [took, yield* outcome(() => gathering)];
    });
    expect(out).toEqual([false, "value: 1"]);
  });

  it("cancel() that an earlier child took is taken, and a nested gather after it that refuses is left as it was", async () => {
    // asyncio: one child's True is enough, whatever the children after it answer.
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const pending = loop.createFuture<number>();
      const doneChild = loop.createFuture<number>();
      const inner = gather([doneChild]);
      doneChild.setResult(1); // done, not yet reported: the inner gather refuses
      const outer = gather([pending, inner], { returnExceptions: true });
      const took = outer.cancel();
      return [took, yield* outcome(() => outer), yield* outcome(() => inner)];
    });
    expect(out).toEqual([true, "CancelledError", "value: 1"]); // the inner gather was not cancelled
  });

  it("cancelled, it raises with the message of the child's own cancellation, the last one asked", async () => {
    // The child swallows its cancellation but a second cancel() ("m2") is what it ended
    // with: asyncio's gather raises the child's _make_cancelled_error(), not its own "m1".
    const out = await runVirtual(core, function* () {
      const child = createTask(goesOnWhenCancelled(10, 1));
      yield* sleep(1);
      const gathering = gather([child]);
      gathering.cancel("m1");
      child.cancel("m2");
      return yield* messageOf(() => gathering);
    });
    expect(out).toBe("CancelledError: m2");
  });

  it("runs one coroutine passed twice as one task", async () => {
    const out = await runVirtual(core, function* () {
      const once = after(5, "same");
      return yield* gather([once, once]);
    });
    expect(out).toEqual(["same", "same"]);
  });

  it("waits once for a future or task passed more than once, pending or done", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const pending = loop.createFuture<string>();
      const task = createTask(after(5, "task"));
      const done = loop.createFuture<string>();
      done.setResult("done");
      loop.callLater(10, () => pending.setResult("pending"));
      const repeated = [pending, task, done, pending, task, pending, done];
      return yield* gather([...repeated, ...repeated, ...repeated]); // past where an array of callbacks ends
    });
    expect(out).toEqual(Array(3).fill(["pending", "task", "done", "pending", "task", "pending", "done"]).flat());
  });
});
