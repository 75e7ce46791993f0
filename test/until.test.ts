// until(): foreign promises in, AbortSignal out; virtual time waits for them, within limits.
import { expect, it } from "vitest";
import { CancelledError, createTask, enableDebug, Event, EventLoop, getRunningLoop, run, sleep, timeout, until } from "../src/index.ts";
import { forEachCore, messageOf, runVirtual, withinRealTime } from "./helpers.ts";

const realDelay = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

forEachCore("until", (core) => {
  it("gives a promise's value to the task", async () => {
    expect(await runVirtual(core, () => until(Promise.resolve(5)))).toBe(5);
  });

  it("throws a rejected promise's reason into the task", async () => {
    const out = await runVirtual(core, function* () {
      try {
        yield* until(Promise.reject(new Error("remote failure")));
      } catch (error) {
        return (error as Error).message;
      }
      return "not reached";
    });
    expect(out).toBe("remote failure");
  });

  it("aborts the signal when the waiting task is cancelled", async () => {
    let signal: AbortSignal | undefined;
    const out = await run(
      function* () {
        const task = createTask(function* () {
          return yield* until((s) => {
            signal = s;
            return new Promise<never>((_, reject) => s.addEventListener("abort", () => reject(s.reason)));
          });
        });
        yield* sleep(5);
        task.cancel("user left");
        try {
          yield* task;
        } catch (error) {
          return [error instanceof CancelledError, (error as Error).message];
        }
        return "not reached";
      },
      { core },
    );
    expect(out).toEqual([true, "user left"]);
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(CancelledError);
    expect((signal!.reason as Error).message).toBe("user left"); // the task's cancel message
  });

  it("virtual time waits for a pending promise instead of jumping past it", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const timer = createTask(function* () {
        yield* sleep(1000);
        return loop.time();
      });
      // Resolves after 20 real ms; the 1000 ms virtual timer must not fire first.
      const value = yield* until(realDelay(20, "io"));
      const at = loop.time();
      return [value, at, yield* timer];
    });
    expect(out).toEqual(["io", 0, 1000]);
  });

  it("virtual time waits for an async callback's promise, as for an until(): what it does after an await comes first", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      const ready = new Event();
      loop.callSoon(async () => {
        await realDelay(20, null);
        log.push(`callback set the event at ${loop.time()}`);
        ready.set();
      });
      const reply = loop.createFuture<number>();
      reply.addDoneCallback(async () => {
        await null;
        log.push(`done callback ran on at ${loop.time()}`);
      });
      reply.setResult(1);
      try {
        yield* timeout(1000, ready.wait());
        log.push(`seen at ${loop.time()}`);
      } catch (error) {
        log.push(`${(error as Error).name} at ${loop.time()}`);
      }
      yield* sleep(10); // a settled callback holds nothing: time jumps
      log.push(`slept to ${loop.time()}`);
      return log;
    });
    expect(out).toEqual(["done callback ran on at 0", "callback set the event at 0", "seen at 0", "slept to 10"]);
  });

  it("virtual time jumps anyway after the autojump threshold, so a hung promise cannot block a timeout", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        const hung = createTask(() => until(new Promise<never>(() => {})));
        yield* sleep(500); // only reachable by autojump while `hung` is pending
        hung.cancel();
        try {
          yield* hung;
        } catch (error) {
          return [(error as Error).name, loop.time()];
        }
        return "not reached";
      },
      { autojumpThreshold: 5 },
    );
    expect(out).toEqual(["CancelledError", 500]);
  });

  it("a cancelled until() stops counting as pending at once", async () => {
    const start = performance.now();
    const t = await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        const hung = createTask(() => until(new Promise<never>(() => {})));
        yield* sleep(0);
        hung.cancel();
        yield* sleep(0);
        yield* sleep(0);
        // Nothing foreign is pending any more: this jumps at once, with no autojump wait.
        yield* sleep(10_000);
        return loop.time();
      },
      { autojumpThreshold: 60_000 },
    );
    expect(t).toBe(10_000);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("a promise that settles before anyone awaits it does not hold virtual time for the autojump threshold", async () => {
    const start = performance.now();
    const out = await runVirtual(
      core,
      function* () {
        const early = until(realDelay(10, "settled early")); // started now, awaited later
        yield* sleep(1000); // virtual: waits for the promise, which then has no awaiter
        return [yield* early, getRunningLoop().time()];
      },
      { autojumpThreshold: 60_000 },
    );
    expect(out).toEqual(["settled early", 1000]);
    // Had the loop waited for its autojump timer, this would have taken a minute.
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("an autojump after host code cancelled the next timer leaves time where it is, not at Infinity", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        const ran: string[] = [];
        loop.callLater(Infinity, () => ran.push("never"));
        const next = loop.callLater(100, () => ran.push("cancelled"));
        setTimeout(() => next.cancel(), 5); // from host code, while the loop waits
        yield* until(realDelay(60, "slow")); // longer than the threshold
        const after = loop.time();
        yield* sleep(10);
        return [after, loop.time(), ...ran];
      },
      { autojumpThreshold: 20 },
    );
    expect(out).toEqual([0, 10]);
  });

  it("a maker that throws, or returns no promise, fails the task with a clear error", async () => {
    const out = await runVirtual(core, function* () {
      const messages: string[] = [];
      try {
        yield* until(() => {
          throw new Error("maker failed");
        });
      } catch (error) {
        messages.push((error as Error).message);
      }
      for (const source of [42, () => 5]) {
        try {
          yield* until(source as never);
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      return messages;
    });
    expect(out).toEqual([
      "maker failed",
      "until() needs a promise or a function returning one, got number 42",
      "until() needs a promise or a function returning one, got a function that returned number 5",
    ]);
  });

  it("a thenable whose then throws fails the task with that error, as await does, and is not left pending", async () => {
    const start = performance.now();
    const out = await runVirtual(
      core,
      function* () {
        const broken = {
          then(): never {
            throw new Error("then failed");
          },
        };
        let message = "not thrown";
        try {
          yield* until(broken as PromiseLike<never>);
        } catch (error) {
          message = (error as Error).message;
        }
        // Were it still counted as pending, this would wait the autojump threshold (a minute).
        yield* sleep(10_000);
        return [message, getRunningLoop().time()];
      },
      { autojumpThreshold: 60_000 },
    );
    expect(out).toEqual(["then failed", 10_000]);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("an operation given to until() is refused with what to write instead, in debug mode too", async () => {
    const out = await runVirtual(core, function* () {
      const messages = [yield* messageOf(() => until(sleep(5) as never))];
      enableDebug({ warn: () => {} }); // where operations are watched behind a Proxy
      messages.push(yield* messageOf(() => until(sleep(5) as never)));
      return messages;
    });
    const refused =
      "TypeError: until() needs a promise or a function returning one, got a wasyncio operation, which is awaited with yield* as it is";
    expect(out).toEqual([refused, refused]);
  });

  it("cancel() of one that is done returns false and leaves its signal alone, as a done Future's", async () => {
    const out = await runVirtual(core, function* () {
      let signal!: AbortSignal;
      const waiting = until((given) => ((signal = given), Promise.resolve(1)));
      const result = yield* waiting;
      return [result, waiting.cancel(), waiting.cancelled(), signal.aborted];
    });
    expect(out).toEqual([1, false, false, false]);
  });

  it("one whose function throws is a failure, and holds virtual time no longer: nothing real is pending", async () => {
    // With a threshold of 60 s, a promise counted as pending would hold each jump a minute.
    const ran = runVirtual(
      core,
      function* () {
        const failed = yield* messageOf(() =>
          until(() => {
            throw new Error("no request");
          }),
        );
        for (let i = 0; i < 3; i++) yield* sleep(1000);
        return [failed, getRunningLoop().time()];
      },
      { autojumpThreshold: 60_000 },
    );
    const out = await withinRealTime(ran, 2000); // fails if virtual time is held
    expect(out).toEqual(["Error: no request", 3000]);
  });

  it("one cancelled, whose promise settles later, stops counting once: another real promise still holds virtual time", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        until(new Promise((resolve) => setTimeout(resolve, 5))).cancel();
        yield* until(new Promise((resolve) => setTimeout(resolve, 20))); // the cancelled one's promise settled meanwhile
        const sleeper = createTask(sleep(100_000));
        const start = loop.time();
        const value = yield* until(new Promise((resolve) => setTimeout(resolve, 50, "real")));
        sleeper.cancel();
        return [value, loop.time() - start];
      },
      { autojumpThreshold: 60_000 },
    );
    expect(out).toEqual(["real", 0]);
  });

  it("one cancelled stays cancelled when its promise settles later, as asyncio's run_in_executor() future: the late value or error is dropped", async () => {
    const out = await runVirtual(core, function* () {
      const late = until(realDelay(5, "late"));
      const failing = until(new Promise((_, reject) => setTimeout(reject, 5, new Error("late failure"))));
      late.cancel();
      failing.cancel();
      yield* until(realDelay(20, null)); // both promises settled meanwhile
      return [late.cancelled(), failing.cancelled(), yield* messageOf(() => late)];
    });
    expect(out).toEqual([true, true, "CancelledError: "]);
  });

  it("a promise that settles after the loop closed leaves its until() pending, as asyncio's wrap_future() drops a result for a closed loop: nothing is raised", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    let resolve!: (value: number) => void;
    let reject!: (error: Error) => void;
    const [late, failing] = await loop.runUntilComplete(function* () {
      return [until(new Promise<number>((r) => (resolve = r))), until(new Promise<number>((_, j) => (reject = j)))];
    });
    loop.close();
    resolve(1);
    reject(new Error("late failure"));
    await realDelay(0, null);
    expect([late.done(), failing.done()]).toEqual([false, false]);
  });

  it("a Future of another loop is waited for as a promise (its then()), not refused as another loop's", async () => {
    const other = new EventLoop({ core });
    const foreign = other.createFuture<number>();
    const otherRun = other.runUntilComplete(function* () {
      yield* sleep(10);
      foreign.setResult(7);
    });
    const out = await runVirtual(core, function* () {
      return yield* until(foreign);
    });
    await otherRun;
    other.close();
    expect(out).toBe(7);
  });
});
