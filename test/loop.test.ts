// The event loop: callbacks, timers, handles, iterations, virtual time, running and closing.
import { expect, it, vi } from "vitest";
import { createTask, disableDebug, enableDebug, EventLoop, type ExceptionContext, gather, getRunningLoop, RuntimeError, run, sleep, type TimerHandle, until } from "../src/index.ts";
import { forEachCore, thrown, virtualLoop, watchHostTimers, withinRealTime, xorshift32 } from "./helpers.ts";
import { queueMacrotask } from "../src/host.ts";

forEachCore("EventLoop", (core) => {
  it("runs callSoon callbacks in scheduling order, with their arguments", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.callSoon((a: string, b: string) => seen.push(a + b), "a", "1");
    loop.callSoon(() => seen.push("b"));
    loop.callSoon(() => seen.push("c"));
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["a1", "b", "c"]);
    expect(loop.core).toBe(core);
  });

  it("runs callbacks scheduled during an iteration in the next iteration", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.callSoon(() => {
      seen.push("first");
      loop.callSoon(() => seen.push("scheduled by first"));
    });
    loop.callSoon(() => seen.push("second"));
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(seen).toEqual(["first", "second", "scheduled by first"]);
  });

  it("fires timers at their deadlines in virtual time, equal deadlines in scheduling order, a negative delay ahead of a zero one", async () => {
    const { loop } = virtualLoop(core);
    const seen: [string, number][] = [];
    const note = (name: string) => () => seen.push([name, loop.time()]);
    loop.callLater(300, note("c"));
    loop.callLater(100, note("a1"));
    loop.callLater(100, note("a2"));
    loop.callAt(200, note("b"));
    loop.callLater(0, note("zero"));
    // A negative delay is a deadline in the past: ahead of the timer due at 0 made before it.
    loop.callLater(-50, note("negative means now"));
    await loop.runUntilComplete(function* () {
      yield* sleep(1000);
    });
    expect(seen).toEqual([
      ["negative means now", 0],
      ["zero", 0],
      ["a1", 100],
      ["a2", 100],
      ["b", 200],
      ["c", 300],
    ]);
    expect(loop.time()).toBe(1000);
  });

  it("a timer for a time already past runs at once, and time never goes back; its handle keeps the time asked for", async () => {
    // asyncio's loop.time() is monotonic, and TimerHandle.when() is the time given.
    const { loop } = virtualLoop(core);
    const seen: [string, number][] = [];
    await loop.runUntilComplete(function* () {
      yield* sleep(100);
      const past = loop.callAt(50.5, () => seen.push(["callAt(50.5)", loop.time()]));
      seen.push(["its when()", past.when()]);
      yield* sleep(10);
      seen.push(["after sleep(10)", loop.time()]);
    });
    expect(seen).toEqual([
      ["its when()", 50.5],
      ["callAt(50.5)", 100],
      ["after sleep(10)", 110],
    ]);
  });

  it("never runs a cancelled handle, whether its timer is pending or already due", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    const pending = loop.callLater(10, () => seen.push("pending"));
    const soon = loop.callSoon(() => seen.push("soon"));
    let dueSibling: ReturnType<typeof loop.callLater> | undefined;
    // Both due at 20: the first one cancels the second, which is already in the same batch.
    loop.callLater(20, () => {
      seen.push("first at 20");
      dueSibling!.cancel();
    });
    dueSibling = loop.callLater(20, () => seen.push("cancelled sibling"));
    pending.cancel();
    soon.cancel();
    expect(pending.cancelled()).toBe(true);
    await loop.runUntilComplete(function* () {
      yield* sleep(30);
    });
    expect(seen).toEqual(["first at 20"]);
  });

  it("handles describe themselves by their callback's name, and a cancelled one as cancelled (asyncio's repr)", () => {
    const { loop } = virtualLoop(core);
    const soon = loop.callSoon(function tick() {});
    const later = loop.callLater(10, function tock() {});
    const anonymous = loop.callSoon(() => {});
    const before = [String(soon), String(later), String(anonymous)];
    soon.cancel();
    later.cancel();
    expect([...before, String(soon), String(later)]).toEqual([
      "<Handle tick>",
      "<TimerHandle tock>",
      "<Handle callback>",
      "<Handle cancelled>",
      "<TimerHandle cancelled>",
    ]);
    loop.close();
  });

  it("a loop describes itself by whether it runs, whether it is closed, debug mode and its core (asyncio's repr)", async () => {
    const { loop } = virtualLoop(core);
    const seen = [String(loop)];
    enableDebug({ loop, warn: () => {} });
    await loop.runUntilComplete(function* () {
      seen.push(String(loop));
    });
    disableDebug(loop);
    loop.close();
    seen.push(String(loop));
    expect(seen).toEqual([
      `<EventLoop running=false closed=false debug=false core=${core}>`,
      `<EventLoop running=true closed=false debug=true core=${core}>`,
      `<EventLoop running=false closed=true debug=false core=${core}>`,
    ]);
  });

  it("does not let a stale handle cancel the callback that reuses its id", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    const old = loop.callLater(5, () => seen.push("old"));
    await loop.runUntilComplete(function* () {
      yield* sleep(10);
      // `old` ran; its id is free and is handed to the next callback.
      loop.callLater(5, () => seen.push("new"));
      old.cancel();
      yield* sleep(10);
    });
    expect(seen).toEqual(["old", "new"]);
  });

  it("cancelling a callSoon handle leaves every timer pending, whatever id the handle has", async () => {
    // Ids 1..1,024 for the handles: the last sits just past the Wasm core's table of
    // timer positions, where a bound off by one would find the heap's first timer.
    const { loop, errors } = virtualLoop(core);
    const seen: string[] = [];
    loop.callLater(100, () => seen.push("timer"));
    const handles = Array.from({ length: 1_024 }, () => loop.callSoon(() => seen.push("soon")));
    for (const handle of handles) handle.cancel();
    await loop.runUntilComplete(sleep(1_000));
    expect(errors).toEqual([]);
    expect(seen).toEqual(["timer"]);
  });

  it("runs 3,000 timers due at the same instant, in the order they were scheduled", async () => {
    // More than the Wasm core's ready ring holds at first: it grows while they move.
    const { loop, errors } = virtualLoop(core);
    const seen: number[] = [];
    for (let i = 0; i < 3_000; i++) loop.callLater(10, (index: number) => seen.push(index), i);
    await withinRealTime(loop.runUntilComplete(sleep(100)), 5_000);
    expect(errors).toEqual([]);
    expect(seen).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
  });

  it("fires 1,000,000 seeded callLater timers exactly once each, in deadline order, in virtual time", async () => {
    const { loop } = virtualLoop(core);
    const random = xorshift32();
    const N = 1_000_000;
    const fired = new Uint8Array(N);
    let count = 0;
    let lastWhen = -1;
    let lastIndex = -1;
    let outOfOrder = 0;
    let firedLate = 0;
    const delays = new Uint16Array(N);
    const onFire = (index: number): void => {
      const when = delays[index]!;
      if (loop.time() !== when) firedLate++;
      if (when < lastWhen || (when === lastWhen && index < lastIndex)) outOfOrder++;
      fired[index]!++;
      lastWhen = when;
      lastIndex = index;
      count++;
    };
    await loop.runUntilComplete(function* () {
      for (let i = 0; i < N; i++) {
        delays[i] = random() % 1000;
        loop.callLater(delays[i]!, onFire, i);
      }
      yield* sleep(1000);
    });
    expect(count).toBe(N);
    expect(fired.every((f) => f === 1)).toBe(true);
    expect(outOfOrder).toBe(0);
    expect(firedLate).toBe(0);
  });

  it("reads the clock afresh at each callLater", async () => {
    const { loop } = virtualLoop(core);
    const whens: number[] = [];
    await loop.runUntilComplete(function* () {
      whens.push(loop.callLater(10, () => {}).when());
      yield* sleep(25);
      whens.push(loop.callLater(10, () => {}).when());
    });
    expect(whens).toEqual([10, 35]);
  });

  it("sends a throwing callback to the exception handler and keeps running the others", async () => {
    const { loop, errors } = virtualLoop(core);
    const seen: string[] = [];
    const boom = new Error("boom");
    loop.callSoon(() => {
      throw boom;
    });
    loop.callSoon(() => seen.push("after"));
    loop.callLater(5, () => seen.push("timer"));
    await loop.runUntilComplete(function* () {
      yield* sleep(10);
    });
    expect(errors).toEqual([boom]);
    expect(seen).toEqual(["after", "timer"]);
  });

  it("sends the rejection of an async callback, or of any thenable a callback returns, to the exception handler, not to the host as unhandled", async () => {
    const { loop } = virtualLoop(core);
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => {
      reports.push(`${context.message}: ${(context.exception as Error).message}`);
    });
    const unhandled: unknown[] = [];
    const stopWatching = watchUnhandledRejections(unhandled);
    try {
      const out = await loop.runUntilComplete(function* () {
        const seen: string[] = [];
        loop.callSoon(async function soon() {
          throw new Error("soon");
        });
        loop.callLater(1, async function later() {
          await null;
          throw new Error("later");
        });
        const future = loop.createFuture<number>();
        future.addDoneCallback(async function done() {
          throw new Error("done");
        });
        loop.callLater(2, () => future.setResult(1));
        loop.callSoon(async () => seen.push("an async callback that succeeds"));
        // Not a Promise of this realm: another library's, or another realm's.
        loop.callSoon(function thenable() {
          return { then: (_resolve: unknown, reject: (error: Error) => void) => reject(new Error("thenable")) };
        });
        const ticker = createTask(function* () {
          for (let i = 0; i < 3; i++) yield* sleep(1);
          seen.push("ticker finished");
        });
        yield* sleep(3);
        yield* ticker;
        yield* until(new Promise((resolve) => setTimeout(resolve, 0))); // the rejections are reported
        return seen;
      });
      expect(out).toEqual(["an async callback that succeeds", "ticker finished"]);
    } finally {
      stopWatching();
    }
    expect(reports.sort()).toEqual([
      "Exception in callback <Handle soon>: soon",
      "Exception in callback <TimerHandle later>: later",
      "Exception in callback done(<Future finished result=1>): done",
      "Exception in callback <Handle thenable>: thenable",
    ].sort());
    expect(unhandled).toEqual([]);
  });

  it("the exception handler runs in the loop for a report made between its turns (an async callback's rejection)", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.setExceptionHandler((_loop, context) => {
      const inLoop = getRunningLoop() === loop; // throws outside any loop
      loop.createTask(function* () {
        seen.push(`task for ${(context.exception as Error).message}`);
      });
      seen.push(`${(context.exception as Error).message}: in the loop ${inLoop}`);
    });
    loop.callSoon(async () => {
      throw new Error("at once");
    });
    loop.callSoon(async () => {
      await null;
      throw new Error("later");
    });
    await loop.runUntilComplete(sleep(10));
    // Sorted: when a rejection comes, between which turns, is the host's business.
    expect(seen.sort()).toEqual(["at once: in the loop true", "later: in the loop true", "task for at once", "task for later"]);
    loop.close();
  });

  it("the exception handler of a loop that is not running runs outside any loop", async () => {
    // As asyncio's, called from a loop stopped or not yet run: get_running_loop() raises.
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.setExceptionHandler(() => void seen.push(thrown(() => getRunningLoop())));
    loop.callExceptionHandler({ message: "before its run" });
    await loop.runUntilComplete(sleep(1));
    loop.callExceptionHandler({ message: "after its run" });
    loop.close();
    expect(seen).toEqual(Array(2).fill("RuntimeError: no running event loop"));
  });

  it("an async exception handler that rejects falls back to the default handler", async () => {
    const { loop } = virtualLoop(core);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.setExceptionHandler(async () => {
      throw new Error("handler broke later");
    });
    loop.callSoon(() => {
      throw new Error("first");
    });
    await loop.runUntilComplete(function* () {
      yield* until(new Promise((resolve) => setTimeout(resolve, 0)));
    });
    expect(spy.mock.calls.map(([text, error]) => `${text} ${(error as Error).message}`)).toEqual([
      "wasyncio: Unhandled error in exception handler handler broke later",
      "wasyncio: Exception in callback <Handle callback>\n  <Handle callback> first",
    ]);
    spy.mockRestore();
  });

  it("a default handler overridden by a subclass that throws is logged, and the loop goes on (asyncio's second protection)", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const given: string[] = [];
    class BrokenDefault extends EventLoop {
      override defaultExceptionHandler(context: ExceptionContext): void {
        given.push(context.context === undefined ? context.message : `${context.message}, about: ${context.context.message}`);
        throw new Error("spam");
      }
    }
    try {
      for (const handler of [null, () => { throw new Error("custom handler broke"); }]) {
        const loop = new BrokenDefault({ clock: "virtual", core });
        loop.setExceptionHandler(handler);
        const log: string[] = [];
        loop.callSoon(function zeroError() {
          throw new RangeError("zero");
        });
        loop.callSoon(() => void log.push("next callback ran"));
        loop.callSoon(() => loop.stop());
        await loop.runForever();
        log.push(`running: ${loop.isRunning()}`);
        loop.callExceptionHandler({ message: "called directly" }); // "never throws"
        loop.close();
        expect(log).toEqual(["next callback ran", "running: false"]);
      }
      // A handler that throws is one report, with what it was given (asyncio's `context`).
      expect(given).toEqual([
        "Exception in callback <Handle zeroError>",
        "called directly",
        "Unhandled error in exception handler, about: Exception in callback <Handle zeroError>",
        "Unhandled error in exception handler, about: called directly",
      ]);
      expect(spy.mock.calls.map(([text, error]) => `${text} ${(error as Error).message}`)).toEqual(
        Array(4).fill("wasyncio: Exception in default exception handler spam"),
      );
    } finally {
      spy.mockRestore();
    }
  });

  it("reports through the default handler (console.error) when none is set", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.callSoon(() => {
      throw new Error("to the console");
    });
    await loop.runUntilComplete(function* () {
      yield* sleep(1);
    });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![1])).toMatch(/to the console/);
    spy.mockRestore();
  });

  it("the default handler says what asyncio's says of a context without a message", () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = new Error("no message with it");
    loop.callExceptionHandler({ exception: error } as never);
    loop.callExceptionHandler({ message: "" });
    expect(spy.mock.calls).toEqual([["wasyncio: Unhandled exception in event loop", error], ["wasyncio: Unhandled exception in event loop"]]);
    spy.mockRestore();
    loop.close();
  });

  it("the default handler prints what a callback threw even when that is undefined", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.callSoon(function failsWithNothing() {
      throw undefined;
    });
    await loop.runUntilComplete(function* () {
      yield* sleep(1);
    });
    // The exception is an argument of its own, undefined, not left out as if none was thrown.
    expect(spy.mock.calls.map((call) => [call.length, call[1]])).toEqual([[2, undefined]]);
    expect(String(spy.mock.calls[0]![0])).toMatch(/^wasyncio: Exception in callback <Handle failsWithNothing>/);
    spy.mockRestore();
    loop.close();
  });

  it("survives an exception handler that throws", async () => {
    const { loop } = virtualLoop(core);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.setExceptionHandler(() => {
      throw new Error("handler broke");
    });
    const seen: string[] = [];
    loop.callSoon(() => {
      throw new Error("first");
    });
    loop.callSoon(() => seen.push("still running"));
    await loop.runUntilComplete(function* () {
      yield* sleep(1);
    });
    expect(seen).toEqual(["still running"]);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("stop() ends runForever after the current iteration", async () => {
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.callSoon(() => {
      seen.push("a");
      loop.stop();
      loop.callSoon(() => seen.push("next iteration"));
    });
    loop.callSoon(() => seen.push("b"));
    await loop.runForever();
    expect(seen).toEqual(["a", "b"]);
    expect(loop.isRunning()).toBe(false);
    // What was scheduled waits for the next run.
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["a", "b", "next iteration"]);
  });

  it("an iteration runs exactly the callbacks ready when it began, however many batches the core hands them in", async () => {
    // 2,001: more than one batch of either core's, and not a whole number of them.
    const { loop } = virtualLoop(core);
    let ran = 0;
    let followUps = 0;
    for (let i = 0; i < 2001; i++) {
      loop.callSoon(() => {
        ran++;
        loop.callSoon(() => followUps++);
      });
    }
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect({ ran, followUps }).toEqual({ ran: 2001, followUps: 0 });
    loop.close();
  });

  it("a stop() before the run is kept: the run does one iteration, as in asyncio", async () => {
    // CPython 3.13 prints: callback ran, run_forever returned, second iteration, and
    // "Event loop stopped before Future completed." from run_until_complete.
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.callSoon(() => seen.push("callback ran"));
    loop.callSoon(() => loop.callSoon(() => seen.push("second iteration")));
    loop.stop();
    await loop.runForever();
    seen.push("runForever returned");
    loop.stop();
    await expect(
      loop.runUntilComplete(function* () {
        yield* sleep(0);
        return 1;
      }),
    ).rejects.toThrow(new RuntimeError("Event loop stopped before Future completed."));
    expect(seen).toEqual(["callback ran", "runForever returned", "second iteration"]);
    // The stop was used up: the next run goes on until its future is done.
    expect(await loop.runUntilComplete(function* () {
      return yield* sleep(5, "ran");
    })).toBe("ran");
  });

  it("a timer handle cancelled after its loop closed does nothing, not even to the next loop's timers", async () => {
    // A closed loop's core may already serve the next loop (see releaseCore), where the
    // stale handle's id may name a timer of that loop's.
    const { loop: closed } = virtualLoop(core);
    const stale = closed.callLater(1000, () => {});
    await closed.runUntilComplete(function* () {});
    closed.close();
    const { loop: next } = virtualLoop(core);
    const seen: string[] = [];
    next.callLater(1000, () => seen.push("the next loop's timer"));
    stale.cancel();
    expect(stale.cancelled()).toBe(true);
    await next.runUntilComplete(function* () {
      yield* sleep(2000);
    });
    expect(seen).toEqual(["the next loop's timer"]);
  });

  it("stop() from host code, while runForever() waits for its host timer, ends the run", async () => {
    const loop = new EventLoop({ core }); // the real clock: the loop idles in a host timer
    loop.callLater(60_000, () => {});
    setTimeout(() => loop.stop(), 5);
    const ended = await withinRealTime(loop.runForever().then(() => "runForever returned"), 2000);
    expect(ended).toBe("runForever returned");
    loop.close();
  });

  it("a timer due beyond the host's longest delay (about 24.8 days) is waited for without a host timer that fires at once", async () => {
    // setTimeout takes a longer delay for 1 ms: the loop would wake, find nothing due, and
    // arm again, a thousand times a second for days.
    const hostTimers = vi.spyOn(globalThis, "setTimeout");
    try {
      const loop = new EventLoop({ core });
      let fired = false;
      loop.callLater(30 * 86_400_000, () => (fired = true));
      setTimeout(() => loop.stop(), 20);
      await withinRealTime(loop.runForever(), 2000);
      loop.close();
      expect(fired).toBe(false);
      // The stop's, the loop's one host timer, and withinRealTime's (not counting a host
      // turn that a host gives through setTimeout(0)).
      const delays = hostTimers.mock.calls.map(([, delay]) => Number(delay ?? 0)).filter((delay) => delay > 0);
      expect(delays.sort((a, b) => a - b)).toEqual([20, 2000, 2 ** 31 - 1]);
    } finally {
      hostTimers.mockRestore();
    }
  });

  it("runUntilComplete rejects when the loop is stopped before the future is done", async () => {
    const { loop } = virtualLoop(core);
    const never = loop.createFuture();
    loop.callLater(10, () => loop.stop());
    await expect(loop.runUntilComplete(never)).rejects.toThrow(/stopped before Future completed/);
  });

  it("refuses to run twice at once, also from its own task, and refuses everything once closed", async () => {
    const { loop } = virtualLoop(core);
    const first = loop.runUntilComplete(function* () {
      yield* sleep(10);
      try {
        yield* until(loop.runUntilComplete(function* () {})); // awaited: the task raises, as in asyncio
        return "ran nested";
      } catch (error) {
        return String(error);
      }
    });
    const second = loop.runUntilComplete(function* () {}); // refused now, read below
    const third = loop.runForever();
    expect(() => loop.close()).toThrow(/Cannot close a running event loop/);
    await expect(second).rejects.toThrow(new RuntimeError("This event loop is already running"));
    await expect(third).rejects.toThrow(new RuntimeError("This event loop is already running"));
    expect(await first).toBe("RuntimeError: This event loop is already running");
    loop.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => loop.callSoon(() => {})).toThrow(/Event loop is closed/);
    expect(() => loop.callLater(1, () => {})).toThrow(/Event loop is closed/);
    expect(() => loop.createFuture()).toThrow(/Event loop is closed/);
    expect(() => loop.createTask(function* () {})).toThrow(/Event loop is closed/);
    await expect(loop.runUntilComplete(function* () {})).rejects.toThrow(/Event loop is closed/);
  });

  it("run() from inside a running loop is an error the task can catch; the loop goes on", async () => {
    const result = await run(
      function* () {
        let message = "";
        try {
          yield* until(run(function* () {}));
        } catch (error) {
          message = (error as Error).message;
        }
        yield* sleep(5);
        return message;
      },
      { clock: "virtual", core },
    );
    expect(result).toMatch(/cannot be called from a running event loop/);
  });

  it("a loop's own run methods refuse to start from a task of another running loop", async () => {
    // asyncio: "Cannot run the event loop while another loop is running".
    const other = new EventLoop({ clock: "virtual", core });
    other.callSoon(() => other.stop()); // were one to start, it would end
    const program = run(
      function* () {
        const refused: string[] = [];
        for (const start of [() => other.runUntilComplete(function* () {}), () => other.runForever()]) {
          try {
            yield* until(start());
          } catch (error) {
            refused.push((error as Error).message);
          }
        }
        return refused;
      },
      { clock: "virtual", core },
    );
    const messages = await withinRealTime(program, 2000); // the loop started would hang it
    expect(messages).toEqual(Array(2).fill("Cannot run the event loop while another loop is running"));
    expect(other.isRunning()).toBe(false);
    other.close();
  });

  it("lets independent run() calls from plain async code interleave", async () => {
    const order: string[] = [];
    const a = run(
      function* () {
        for (let i = 0; i < 3; i++) {
          order.push(`a${i}`);
          yield* sleep(1);
        }
        return "a";
      },
      { core },
    );
    const b = run(
      function* () {
        for (let i = 0; i < 3; i++) {
          order.push(`b${i}`);
          yield* sleep(1);
        }
        return "b";
      },
      { core },
    );
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(order.filter((x) => x.startsWith("a"))).toEqual(["a0", "a1", "a2"]);
    expect(order.filter((x) => x.startsWith("b"))).toEqual(["b0", "b1", "b2"]);
  });

  it("real clock: a sleep takes at least its delay", async () => {
    const start = performance.now();
    const loopTime = await run(
      function* () {
        yield* sleep(20);
        return getRunningLoop().time();
      },
      { core },
    );
    expect(loopTime).toBeGreaterThanOrEqual(20);
    expect(performance.now() - start).toBeGreaterThanOrEqual(19);
  });

  it("real clock: a timer cancelled by host code between turns takes the loop's host timer with it", async () => {
    // The host timers of half a minute or more, which only the loop's are (armed for what
    // is left until 60 s, or 120 s, a little less than that): one left behind would wake
    // the loop for nothing, and keep the process alive until then.
    const hostTimers = watchHostTimers((ms) => ms >= 30_000);
    const { live: long, hostSetTimeout: hostSet } = hostTimers;
    try {
      const seen = await run(
        function* () {
          const loop = getRunningLoop();
          const handle = loop.callLater(60_000, () => {});
          const later = loop.callLater(120_000, () => {});
          const seen: number[] = [];
          // The loop is idle in between; it arms its host timer in a turn of its own, which
          // a loaded browser may run after a 5 ms timer: wait for the count, up to a second.
          const settled = async (count: number): Promise<number> => {
            for (let waited = 0; long.size !== count && waited < 1_000; waited += 5) {
              await new Promise((resolve) => hostSet(resolve, 5));
            }
            return long.size;
          };
          yield* until(async () => {
            seen.push(await settled(1));
            handle.cancel(); // from host code: the host timer moves to the later deadline
            await new Promise((resolve) => hostSet(resolve, 5));
            seen.push(long.size);
            later.cancel(); // the last one: no host timer at all
            seen.push(await settled(0));
          });
          return seen;
        },
        { core },
      );
      expect(seen).toEqual([1, 1, 0]);
    } finally {
      hostTimers.restore();
    }
  });

  it("real clock: a timer that host code schedules between turns, earlier than the one the loop waits for, fires first", async () => {
    const first = await withinRealTime(
      run(
        function* () {
          const loop = getRunningLoop();
          const late = loop.callLater(2_000, () => {}); // the loop's host timer is set for this
          const first = yield* until(
            new Promise<string>((resolve) =>
              setTimeout(() => {
                // From host code, while the loop sits idle until its timer of 2 s.
                loop.callLater(20, () => resolve("the loop's timer of 20 ms"));
                setTimeout(() => resolve("a host timer of 500 ms"), 500);
              }, 10),
            ),
          );
          late.cancel();
          return first;
        },
        { core },
      ),
      5_000,
    );
    expect(first).toBe("the loop's timer of 20 ms");
  });

  it("a callback that makes the core grow its memory leaves the rest of its batch to run (Wasm: the view of the batch is detached)", async () => {
    const { loop, errors } = virtualLoop(core);
    const ran: string[] = [];
    const timers: TimerHandle[] = [];
    loop.callSoon(() => {
      // Enough timers to make the core's heap, and its memory, grow.
      for (let i = 0; i < 200_000; i++) timers.push(loop.callLater(1_000, () => {}));
      ran.push("first");
    });
    loop.callSoon(() => ran.push("second"));
    loop.callSoon(() => ran.push("third"));
    loop.callSoon(() => loop.stop());
    await withinRealTime(loop.runForever(), 10_000);
    for (const timer of timers) timer.cancel();
    expect({ ran, errors }).toEqual({ ran: ["first", "second", "third"], errors: [] });
    loop.close();
  });

  it("real clock: a promise that settles after the loop sat idle resumes its task at once, not a host task later", async () => {
    const order = await run(
      function* () {
        const order: string[] = [];
        // Idle for longer than a turn's budget; then, in a task of the host's, the promise
        // settles and the host queues a task of its own.
        const answer = yield* until(
          new Promise<string>((resolve) =>
            setTimeout(() => {
              resolve("answer");
              queueMacrotask(() => order.push("the host's next task"));
            }, 30),
          ),
        );
        order.push(`task resumed with the ${answer}`);
        yield* until(new Promise((resolve) => setTimeout(resolve, 5)));
        return order;
      },
      { core },
    );
    expect(order).toEqual(["task resumed with the answer", "the host's next task"]);
  });

  it("real clock: cancelling the last until() in a turn does not send the next wake-up from a promise to a host task", async () => {
    const order = await run(
      function* () {
        const order: string[] = [];
        const waiting = createTask(function* () {
          yield* until(new Promise(() => {})); // the only foreign promise the loop waits on
        });
        yield* sleep(0);
        queueMacrotask(() => order.push("the host's next task"));
        // In a turn: no foreign promise is pending any more, which matters only between
        // turns (see the autojump). The turn goes on; it must not also queue a turn of its own.
        waiting.cancel();
        const answer = yield* until(Promise.resolve("answer"));
        order.push(`task resumed with the ${answer}`);
        yield* until(new Promise((resolve) => setTimeout(resolve, 5)));
        return order;
      },
      { core },
    );
    expect(order).toEqual(["task resumed with the answer", "the host's next task"]);
  });

  it("real clock: a task that keeps the loop busy still lets host callbacks run", async () => {
    let hostTimerFired = false;
    setTimeout(() => (hostTimerFired = true), 0);
    const sawHostTimer = await run(
      function* () {
        // Busy, yielding only to the loop; a loop that never yielded to the host would
        // spin here for the whole two seconds.
        const giveUp = performance.now() + 2000;
        while (!hostTimerFired && performance.now() < giveUp) yield* sleep(0);
        return hostTimerFired;
      },
      { core },
    );
    expect(sawHostTimer).toBe(true);
  });

  it("real clock: a task that waits only on settled promises, after the loop sat idle, still lets host callbacks run", async () => {
    // Once the host has run a task of its own (here, while the loop sat idle), the next
    // turn starts a new budget; turns queued in microtasks after it go on with that one.
    // A loop that started a new budget for each would chain microtasks without end.
    let hostTimerFired = false;
    const sawHostTimer = await run(
      function* () {
        yield* until(new Promise((resolve) => setTimeout(resolve, 20))); // idle: the host runs its tasks
        setTimeout(() => (hostTimerFired = true), 0);
        const giveUp = performance.now() + 2000;
        while (!hostTimerFired && performance.now() < giveUp) yield* until(Promise.resolve());
        return hostTimerFired;
      },
      { core },
    );
    expect(sawHostTimer).toBe(true);
  });

  it("real clock: an iteration of very many callbacks still lets the host in within the turn's budget", async () => {
    // 50,000 tasks, 10 sleep(0) each: 10 iterations of 50,000 callbacks. Counting
    // iterations alone, the loop read its clock only every 16th and ran all ten first.
    const TASKS = 50_000;
    const ROUNDS = 10;
    let finished = 0;
    let finishedWhenHostRan = -1;
    const hostTurn = new Promise<void>((resolve) =>
      setTimeout(() => {
        finishedWhenHostRan = finished;
        resolve();
      }, 0),
    );
    await run(
      function* () {
        const tasks = [];
        for (let t = 0; t < TASKS; t++) {
          tasks.push(
            createTask(function* () {
              for (let r = 0; r < ROUNDS; r++) yield* sleep(0);
              finished++;
            }),
          );
        }
        yield* gather(tasks);
      },
      { core },
    );
    await hostTurn;
    expect([finished, finishedWhenHostRan < TASKS]).toEqual([TASKS, true]);
  });

  it("real clock: steps that each take longer than the turn's budget let the host in after the first", async () => {
    // Each step holds the loop for 20 ms (the clock is made to say so). Reading the clock
    // only every 64 units of work, the loop ran all six (twelve units) before the host.
    let fakeNow = performance.now();
    const clock = vi.spyOn(performance, "now").mockImplementation(() => fakeNow);
    try {
      let steps = 0;
      let stepsWhenHostRan = -1;
      // Queued as the loop queues its own next turn: it runs as soon as the loop yields.
      queueMacrotask(() => (stepsWhenHostRan = steps));
      await run(
        function* () {
          for (let i = 0; i < 6; i++) {
            fakeNow += 20;
            steps++;
            yield* sleep(0);
          }
        },
        { core },
      );
      expect([steps, stepsWhenHostRan]).toEqual([6, 1]);
      // A first step that is quick but not instant (2 ms): the clock is still read after
      // the next one, not 64 units of work later, so the slow step after it lets the host in.
      steps = 0;
      stepsWhenHostRan = -1;
      queueMacrotask(() => (stepsWhenHostRan = steps));
      await run(
        function* () {
          for (let i = 0; i < 6; i++) {
            fakeNow += i === 0 ? 2 : 20;
            steps++;
            yield* sleep(0);
          }
        },
        { core },
      );
      expect([steps, stepsWhenHostRan]).toEqual([6, 2]);
    } finally {
      clock.mockRestore();
    }
  });

  it("a host whose clock stands still while code runs (deployed Cloudflare Workers) still gets turns from a busy loop", async () => {
    // There the turn's 8 ms never pass: the loop also counts the callbacks it ran.
    const frozen = performance.now();
    const clock = vi.spyOn(performance, "now").mockReturnValue(frozen);
    try {
      const busyWays = { "sleep(0)": () => sleep(0), "until(settled)": () => until(Promise.resolve()) };
      const waitsBeforeHostRan: Record<string, number> = {};
      for (const [way, wait] of Object.entries(busyWays)) {
        let hostRan = false;
        setTimeout(() => (hostRan = true), 0);
        waitsBeforeHostRan[way] = await run(
          function* () {
            let n = 0;
            for (; !hostRan && n < 1_000_000; n++) yield* wait(); // a bound, for a loop that never yields
            return n;
          },
          { core, clock: "virtual" },
        );
      }
      for (const [way, waits] of Object.entries(waitsBeforeHostRan)) expect(waits, way).toBeLessThan(1_000_000);
    } finally {
      clock.mockRestore();
    }
  });

  it("virtual clock: jumps straight to the next deadline", async () => {
    const start = performance.now();
    const t = await run(
      function* () {
        yield* sleep(3_600_000);
        return getRunningLoop().time();
      },
      { clock: "virtual", core },
    );
    expect(t).toBe(3_600_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("rejects unknown options with a clear error", () => {
    expect(() => new EventLoop({ clock: "fast" as never })).toThrow(/clock must be "real" or "virtual"/);
    expect(() => new EventLoop({ autojumpThreshold: Number.NaN })).toThrow(/NaN/);
    expect(() => new EventLoop({ autojumpThreshold: -5 })).toThrow(new RangeError("autojumpThreshold is -5 ms; it must be 0 or more"));
    expect(new EventLoop({ clock: "virtual", autojumpThreshold: 0 }).isClosed()).toBe(false);
  });
});

/** Collects the host's unhandled rejections (Node's, Deno's and Bun's process, or a page's window) until the returned stop. */
function watchUnhandledRejections(into: unknown[]): () => void {
  const host = globalThis as { process?: NodeJS.Process; addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
  if (host.process?.on !== undefined) {
    const onUnhandled = (reason: unknown) => void into.push(reason);
    host.process.on("unhandledRejection", onUnhandled);
    return () => void host.process!.off("unhandledRejection", onUnhandled);
  }
  const onUnhandled = (event: PromiseRejectionEvent) => {
    into.push(event.reason);
    event.preventDefault();
  };
  host.addEventListener!("unhandledrejection", onUnhandled);
  return () => host.removeEventListener!("unhandledrejection", onUnhandled);
}
