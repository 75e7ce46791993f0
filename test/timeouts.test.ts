// timeout()/timeoutAt() scopes and waitFor(), in the spirit of CPython's test_timeouts.py
// and test_waitfor.py, including SEMANTICS.md items 5-7.
import { expect, it } from "vitest";
import {
  allTasks,
  createTask,
  currentTask,
  type EventLoop,
  getRunningLoop,
  RuntimeError,
  sleep,
  timeout,
  type Timeout,
  timeoutAt,
  until,
  waitFor,
} from "../src/index.ts";
import { forEachCore, goesOnWhenCancelled, messageOf, outcome, runVirtual, thrown } from "./helpers.ts";

forEachCore("timeout scopes", (core) => {
  it("raise TimeoutError at the deadline, after the body's cleanup", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      try {
        yield* timeout(100, function* () {
          try {
            yield* sleep(1000);
          } finally {
            log.push(`cleanup at ${loop.time()}`);
            yield* sleep(5);
          }
        });
      } catch (error) {
        // The cause is the CancelledError the body got: without a message, as asyncio's.
        const cause = (error as Error).cause as Error;
        log.push(`${(error as Error).name} at ${loop.time()}; cause ${cause.name}("${cause.message}")`);
      }
      expect(currentTask()!.cancelling()).toBe(0);
    });
    expect(log).toEqual(["cleanup at 100", 'TimeoutError at 105; cause CancelledError("")']);
  });

  it("names the deadline in its message: whole ms as they are, others to 0.1 ms", async () => {
    const messages = await runVirtual(core, function* () {
      const out: string[] = [];
      for (const when of [100, 123.456789]) {
        try {
          yield* timeoutAt(when, function* () {
            yield* sleep(1000);
          });
        } catch (error) {
          out.push((error as Error).message);
        }
      }
      return out;
    });
    expect(messages).toEqual([
      "timed out: the deadline at 100 ms (loop time) passed",
      "timed out: the deadline at 123.5 ms (loop time) passed",
    ]);
  });

  it("describe themselves as asyncio's repr does: the state, and the deadline while active", async () => {
    const out = await runVirtual(core, function* () {
      const seen: string[] = [];
      let scope!: object;
      yield* timeout(100.25, function* (s) {
        scope = s;
        seen.push(String(s));
      });
      seen.push(String(scope));
      try {
        yield* timeout(5, function* (s) {
          scope = s;
          try {
            yield* sleep(10);
          } finally {
            seen.push(String(s));
          }
        });
      } catch {}
      seen.push(String(scope));
      return seen;
    });
    expect(out).toEqual([
      "<Timeout [active] when=100.3>",
      "<Timeout [finished]>",
      "<Timeout [expiring]>",
      "<Timeout [expired]>",
    ]);
  });

  it("return the body's value when it finishes in time, and expired() stays false", async () => {
    const out = await runVirtual(core, function* () {
      let scope!: { expired(): boolean; when(): number };
      const value = yield* timeout(100, function* (s) {
        scope = s;
        yield* sleep(99);
        return "in time";
      });
      return [value, scope.expired(), scope.when(), getRunningLoop().time()];
    });
    expect(out).toEqual(["in time", false, 100, 99]);
  });

  it("timeout(Infinity) never fires; reschedule() moves the deadline", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const never = yield* outcome(() =>
        timeout(Infinity, function* () {
          yield* sleep(1_000_000);
          return "done";
        }),
      );
      const start = loop.time();
      const moved = yield* outcome(() =>
        timeout(Infinity, function* (scope) {
          scope.reschedule(loop.time() + 50);
          yield* sleep(60);
        }),
      );
      return [never, moved, loop.time() - start];
    });
    expect(out).toEqual(["value: done", "TimeoutError", 50]);
  });

  it("reschedule() updates when(); reschedule(Infinity) drops the deadline set before", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const whens: number[] = [];
      const ended = yield* outcome(() =>
        timeout(50, function* (scope) {
          scope.reschedule(loop.time() + 80);
          whens.push(scope.when());
          scope.reschedule(Infinity);
          whens.push(scope.when());
          yield* sleep(100);
          return "done";
        }),
      );
      return [whens, ended, loop.time()];
    });
    expect(out).toEqual([[80, Infinity], "value: done", 100]);
  });

  it("a scope that ended in time leaves no timer behind to cancel its task later", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const value = yield* timeout(10, function* () {
        yield* sleep(5);
        return "in time";
      });
      const later = yield* outcome(() => sleep(20));
      return [value, later, loop.time()];
    });
    expect(out).toEqual(["in time", "value: undefined", 25]);
  });

  it("expired, uncancels its task even when the body swallows the cancellation (asyncio)", async () => {
    const out = await runVirtual(core, function* () {
      const task = currentTask()!;
      let scope!: { expired(): boolean };
      const value = yield* timeout(10, function* (s) {
        scope = s;
        try {
          yield* sleep(100);
        } catch {
          // swallowed
        }
        return "swallowed";
      });
      return [value, task.cancelling(), scope.expired()];
    });
    expect(out).toEqual(["swallowed", 0, true]);
  });

  it("entered with a cancellation already pending, still raises TimeoutError when it expires (asyncio)", async () => {
    const out = await runVirtual(core, function* () {
      const task = currentTask()!;
      task.cancel();
      try {
        yield* sleep(1);
      } catch {
        // caught, not uncancelled: cancelling() stays 1
      }
      const before = task.cancelling();
      const ended = yield* outcome(() =>
        timeout(10, function* () {
          yield* sleep(100);
        }),
      );
      return [before, ended, task.cancelling()];
    });
    expect(out).toEqual([1, "TimeoutError", 1]);
  });

  it("a refused reschedule() leaves the deadline as it was", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      let refused: string[] = [];
      const ended = yield* outcome(() =>
        timeout(50, function* (scope) {
          refused = [Number.NaN, "60" as never].map((when) => thrown(() => scope.reschedule(when)));
          yield* sleep(100);
        }),
      );
      return [refused, ended, loop.time()];
    });
    expect(out).toEqual([
      [
        "RangeError: reschedule(): the deadline is NaN; it must be a number of milliseconds",
        'TypeError: reschedule(): the deadline must be a number of milliseconds, got the string "60"',
      ],
      "TimeoutError",
      50,
    ]);
  });

  it("reschedule() sets the deadline on the scope's loop, also when called from another loop or from outside any", async () => {
    const scopes: Timeout[] = [];
    let scopesLoop!: EventLoop;
    const expiries = runVirtual(core, function* () {
      scopesLoop = getRunningLoop();
      const seen: string[] = [];
      for (let i = 0; i < 2; i++) {
        const result = yield* outcome(() =>
          timeout(Infinity, function* (scope) {
            scopes.push(scope);
            yield* sleep(Infinity); // no deadline: virtual time stays put until one is set
          }),
        );
        seen.push(`${result} at ${scopesLoop.time()}`);
      }
      return seen;
    });
    const scopeCount = async (n: number) => {
      while (scopes.length < n) await new Promise((resolve) => setTimeout(resolve, 1));
    };
    await scopeCount(1);
    // A watchdog on a loop of its own, whose clock and run are not the scope's.
    await runVirtual(core, function* () {
      scopes[0]!.reschedule(scopesLoop.time() + 5);
      yield* sleep(1);
    });
    await scopeCount(2);
    scopes[1]!.reschedule(scopesLoop.time() + 5); // plain async code: no loop is running
    expect(await expiries).toEqual(["TimeoutError at 5", "TimeoutError at 10"]);
  });

  it("under the virtual clock, one that expires while a foreign promise is pending says time jumped past it", async () => {
    const messages = await runVirtual(
      core,
      function* () {
        const messages: string[] = [];
        for (const body of [
          () => until(new Promise((resolve) => setTimeout(resolve, 200))), // real work, 200 real ms
          () => sleep(120_000), // virtual work: time jumps, as it should
        ]) {
          try {
            yield* timeout(60_000, body);
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
        return messages;
      },
      { autojumpThreshold: 5 },
    );
    expect(messages).toEqual([
      "timed out: the deadline at 60000 ms (loop time) passed; virtual time jumped there while a promise (until) was pending: see autojumpThreshold",
      "timed out: the deadline at 120000 ms (loop time) passed",
    ]);
  });

  it("timeoutAt takes a loop time; a deadline already past cancels at the next step", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      yield* sleep(10);
      const past = yield* outcome(() =>
        timeoutAt(5, function* () {
          yield* sleep(1);
        }),
      );
      return [past, loop.time()];
    });
    expect(out).toEqual(["TimeoutError", 10]);
  });

  it("timeoutAt(now) cancels at the next step, before a sleep(0) of the body ends (asyncio calls it soon)", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      yield* sleep(10);
      const now = yield* outcome(() =>
        timeoutAt(loop.time(), function* () {
          yield* sleep(0);
          return "in time";
        }),
      );
      return [now, loop.time()];
    });
    expect(out).toEqual(["TimeoutError", 10]);
  });

  it("nested scopes: the inner one expiring is the inner one's TimeoutError only", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      yield* timeout(1000, function* (outer) {
        log.push(
          yield* outcome(() =>
            timeout(10, function* () {
              yield* sleep(100);
            }),
          ),
        );
        log.push(`outer expired: ${outer.expired()}`);
        yield* sleep(5);
      });
      log.push(`at ${loop.time()}`);
      return log;
    });
    expect(out).toEqual(["TimeoutError", "outer expired: false", "at 15"]);
  });

  it("nested scopes: the outer one expiring passes through the inner one as cancellation", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      log.push(
        yield* outcome(() =>
          timeout(10, function* () {
            try {
              yield* timeout(1000, function* () {
                yield* sleep(100);
              });
            } catch (error) {
              log.push(`inner scope raised ${(error as Error).name}`);
              throw error;
            }
          }),
        ),
      );
      return log;
    });
    expect(out).toEqual(["inner scope raised CancelledError", "TimeoutError"]);
  });

  it("a scope can be entered only once, only in a task, and rescheduled only while active", async () => {
    const out = await runVirtual(core, function* () {
      let saved!: { reschedule(when: number): void };
      yield* timeout(10, function* (scope) {
        saved = scope;
      });
      const messages: string[] = [];
      try {
        saved.reschedule(5);
      } catch (error) {
        messages.push((error as Error).message);
      }
      return messages;
    });
    expect(out).toEqual(["Cannot change state of finished Timeout"]);
    // Outside a loop it can be made (its deadline then counts from its start), not run.
    expect(() => timeout(10, function* () {}).next()).toThrow(RuntimeError);
  });

  it("SEMANTICS 5: a timeout due at the same instant as the awaited task finishing wins; the task ends cancelled", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      // The task's timer is set first, the scope's second, both due at 100.
      const task = createTask(function* () {
        yield* sleep(100);
        return "task value";
      });
      const result = yield* outcome(() => timeoutAt(100, () => task));
      return [result, task.cancelled(), loop.time()];
    });
    expect(out).toEqual(["TimeoutError", true, 100]);
  });

  it("SEMANTICS 5: with a future set at that same instant, the future keeps its result and the body still times out", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const future = loop.createFuture<string>();
      loop.callAt(100, () => future.setResult("set at 100"));
      const result = yield* outcome(() => timeoutAt(100, () => future));
      return [result, future.result()];
    });
    expect(out).toEqual(["TimeoutError", "set at 100"]);
  });

  it("SEMANTICS 5: a body sleeping until exactly the deadline times out", async () => {
    const out = await runVirtual(core, () =>
      outcome(() =>
        timeout(100, function* () {
          yield* sleep(100);
          return "slept";
        }),
      ),
    );
    expect(out).toBe("TimeoutError");
  });

  it("SEMANTICS 7: an outside cancellation is never turned into TimeoutError", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(() =>
        timeout(1000, function* () {
          yield* sleep(10_000);
        }),
      );
      yield* sleep(10);
      task.cancel();
      return yield* outcome(() => task);
    });
    expect(out).toBe("CancelledError");
  });

  it("say expired() in the body's cleanup, once the deadline has cancelled it, as asyncio's EXPIRING state does", async () => {
    const out = await runVirtual(core, function* () {
      const seen: boolean[] = [];
      const ended = yield* outcome(() =>
        timeout(10, function* (scope) {
          try {
            yield* sleep(100);
          } finally {
            seen.push(scope.expired());
          }
        }),
      );
      return [seen, ended];
    });
    expect(out).toEqual([[true], "TimeoutError"]);
  });

  it("count their deadline from the call, not from when they are awaited (asyncio reads the time in timeout())", async () => {
    const out = await runVirtual(core, function* () {
      const scope = timeout(100, function* () {
        yield* sleep(80);
        return "done";
      });
      yield* sleep(50); // the deadline is 100; the body, begun now, would end at 130
      return [yield* outcome(() => scope), getRunningLoop().time()];
    });
    expect(out).toEqual(["TimeoutError", 100]);
  });

  it("made outside any loop, count from where they start, having no time to count from before", async () => {
    const made = timeout(100, function* () {
      yield* sleep(50);
      return "done";
    });
    const out = await runVirtual(core, function* () {
      yield* sleep(80);
      return [yield* outcome(() => made), getRunningLoop().time()];
    });
    expect(out).toEqual(["value: done", 130]);
  });

  it("SEMANTICS 7: even when the outside cancellation arrives after the timeout fired, during cleanup", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const task = createTask(function* () {
        try {
          yield* timeout(10, function* () {
            try {
              yield* sleep(1000);
            } finally {
              // The timeout fired at 10; the outside cancel comes at 15, during this cleanup.
              try {
                yield* sleep(10);
              } catch (error) {
                log.push(`cleanup interrupted by ${(error as Error).name}`);
              }
            }
          });
        } catch (error) {
          log.push(`scope raised ${(error as Error).name}`);
          throw error;
        }
      });
      yield* sleep(15);
      task.cancel();
      log.push(yield* outcome(() => task));
      return log;
    });
    expect(out).toEqual(["cleanup interrupted by CancelledError", "scope raised CancelledError", "CancelledError"]);
  });
});

forEachCore("waitFor", (core) => {
  it("runs a coroutine inline, in the waiting task, as asyncio 3.12+ does (no task of its own)", async () => {
    const out = await runVirtual(core, function* () {
      const waiting = currentTask();
      const tasksBefore = allTasks().size;
      return yield* waitFor(
        (function* () {
          yield* sleep(5);
          return [currentTask() === waiting, allTasks().size === tasksBefore];
        })(),
        100,
      );
    });
    expect(out).toEqual([true, true]);
  });

  it("returns the result when in time", async () => {
    const out = await runVirtual(core, function* () {
      return [yield* waitFor(sleep(10, "quick"), 100), getRunningLoop().time()];
    });
    expect(out).toEqual(["quick", 10]);
  });

  it("cancels the inner task, waits for its cleanup, and raises TimeoutError", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      const inner = createTask(function* () {
        try {
          yield* sleep(1000);
        } finally {
          yield* sleep(20);
          log.push(`inner cleaned up at ${loop.time()}`);
        }
      });
      log.push(yield* outcome(() => waitFor(inner, 50)));
      log.push(`inner cancelled: ${inner.cancelled()} at ${loop.time()}`);
      return log;
    });
    expect(out).toEqual(["inner cleaned up at 70", "TimeoutError", "inner cancelled: true at 70"]);
  });

  it("SEMANTICS 6: returns the inner task's value when it swallows the timeout's cancellation", async () => {
    const out = await runVirtual(core, function* () {
      const inner = createTask(goesOnWhenCancelled(1000, "swallowed"));
      return [yield* outcome(() => waitFor(inner, 10)), getRunningLoop().time()];
    });
    expect(out).toEqual(["value: swallowed", 10]);
  });

  it("with a timeout <= 0, returns a done result or cancels at once", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const done = loop.createFuture<string>();
      done.setResult("ready");
      const log: string[] = [];
      const other = createTask(function* () {
        log.push("other task ran");
      });
      log.push(yield* waitFor(done, 0)); // without giving way: the other task runs after
      yield* other;
      // A coroutine becomes a task, cancelled before its first step, even one that would
      // return without waiting (asyncio: ensure_future, then cancel and wait).
      log.push(
        yield* outcome(() =>
          waitFor(
            (function* () {
              return "quick";
            })(),
            0,
          ),
        ),
      );
      const first = log.join(", ");
      let second = "no error";
      try {
        yield* waitFor(sleep(10, "late"), -1);
      } catch (error) {
        // asyncio: `raise TimeoutError from exc`, as when a later deadline passes.
        second = `${(error as Error).name}, cause ${((error as Error).cause as Error | undefined)?.name}`;
      }
      return [first, second, loop.time()];
    });
    // As CPython 3.13 gives for the same program.
    expect(out).toEqual(["ready, other task ran, TimeoutError", "TimeoutError, cause CancelledError", 0]);
  });

  it("with a timeout <= 0, an error the awaitable raises as it is cancelled goes through, not TimeoutError", async () => {
    const out = await runVirtual(core, function* () {
      const inner = createTask(function* () {
        try {
          yield* sleep(1000);
        } catch {
          throw new RangeError("cleanup failed");
        }
      });
      yield* sleep(1); // started, so its cleanup runs
      return yield* messageOf(() => waitFor(inner, 0));
    });
    expect(out).toBe("RangeError: cleanup failed");
  });

  it("passes the inner exception through", async () => {
    const out = await runVirtual(core, () =>
      outcome(() =>
        waitFor(
          (function* () {
            yield* sleep(1);
            throw new RangeError("inner");
          })(),
          100,
        ),
      ),
    );
    expect(out).toBe("RangeError");
  });

  it("an outside cancel of the waiter is CancelledError, not TimeoutError", async () => {
    const out = await runVirtual(core, function* () {
      const waiter = createTask(() => waitFor(sleep(1000), 500));
      yield* sleep(10);
      waiter.cancel();
      return yield* outcome(() => waiter);
    });
    expect(out).toBe("CancelledError");
  });

  it("rejects a NaN timeout, naming itself", async () => {
    const out = await runVirtual(core, () => messageOf(() => waitFor(sleep(1), Number.NaN)));
    expect(out).toBe("RangeError: waitFor(): the timeout is NaN; it must be a number of milliseconds");
  });
});
