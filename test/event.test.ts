// Event: asyncio.Event's semantics, including SEMANTICS.md item 12.
import { expect, it } from "vitest";
import { createTask, getRunningLoop, run, sleep } from "../src/index.ts";
import { RuntimeError } from "../src/errors.ts";
import { Event } from "../src/event.ts";
import { forEachCore, now, runVirtual } from "./helpers.ts";

forEachCore("Event", (core) => {
  it("starts unset; set() and clear() move the flag; wait() on a set event returns true at once", async () => {
    const out = await runVirtual(core, function* () {
      const event = new Event();
      const states = [event.isSet()];
      event.set();
      states.push(event.isSet());
      const result = yield* event.wait();
      event.clear();
      states.push(event.isSet());
      return { states, result, time: now() };
    });
    expect(out).toEqual({ states: [false, true, false], result: true, time: 0 });
  });

  it("set() wakes every waiter, in the order they started waiting, at the time of the set", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const event = new Event();
      const waiter = (name: string, arriveAt: number) =>
        createTask(function* () {
          yield* sleep(arriveAt);
          const result = yield* event.wait();
          log.push(`${name} ${result} at ${now()}`);
        });
      const tasks = [waiter("c", 3), waiter("a", 1), waiter("b", 2)];
      yield* sleep(25);
      event.set();
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual(["a true at 25", "b true at 25", "c true at 25"]);
  });

  it("SEMANTICS 12: set() then clear() at once, even twice, still wakes everyone already waiting, once, and their wait() gives true", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const event = new Event();
      const waiter = (name: string) =>
        createTask(function* () {
          const result = yield* event.wait();
          log.push(`${name} woke with ${result} at ${now()}, isSet=${event.isSet()}`);
        });
      const early = [waiter("a"), waiter("b")];
      yield* sleep(10);
      event.set();
      event.clear();
      // Again, before the woken waiters ran: they are still queued, and woken already.
      event.set();
      event.clear();
      // A task that starts waiting after the clear() is not woken by that set().
      const late = waiter("late");
      for (const task of early) yield* task;
      yield* sleep(10);
      log.push(`late done=${late.done()}`);
      event.set();
      yield* late;
    });
    expect(log).toEqual([
      "a woke with true at 10, isSet=false",
      "b woke with true at 10, isSet=false",
      "late done=false",
      "late woke with true at 20, isSet=true",
    ]);
  });

  it("a second set() is harmless, and after clear() wait() blocks until the next set()", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const event = new Event();
      event.set();
      event.set();
      yield* event.wait();
      log.push(`passed at ${now()}`);
      event.clear();
      getRunningLoop().callLater(15, () => event.set());
      yield* event.wait();
      log.push(`passed again at ${now()}`);
    });
    expect(log).toEqual(["passed at 0", "passed again at 15"]);
  });

  it("a cancelled waiter leaves the queue; the others are still woken", async () => {
    const out = await runVirtual(core, function* () {
      const event = new Event();
      const log: string[] = [];
      const waiter = (name: string) =>
        createTask(function* () {
          try {
            yield* event.wait();
            log.push(`${name} woke at ${now()}`);
          } catch (error) {
            log.push(`${name} ${(error as Error).name} at ${now()}`);
            throw error;
          }
        });
      const a = waiter("a");
      const b = waiter("b");
      yield* sleep(5);
      a.cancel();
      yield* sleep(5);
      const queued = event._waiters.size;
      event.set();
      yield* b;
      return { log, queued, left: event._waiters.size, aCancelled: a.cancelled() };
    });
    expect(out).toEqual({
      log: ["a CancelledError at 5", "b woke at 10"],
      queued: 1,
      left: 0,
      aCancelled: true,
    });
  });

  it("a waiter cancelled after set() but before it runs ends cancelled; the flag stays set", async () => {
    const out = await runVirtual(core, function* () {
      const event = new Event();
      const a = createTask(event.wait());
      const b = createTask(event.wait());
      yield* sleep(1);
      event.set();
      a.cancel();
      yield* b;
      yield* sleep(0);
      return { a: a.cancelled(), b: b.result(), isSet: event.isSet(), left: event._waiters.size };
    });
    expect(out).toEqual({ a: true, b: true, isSet: true, left: 0 });
  });

  it("toString() shows the flag and the waiters", async () => {
    const out = await runVirtual(core, function* () {
      const event = new Event();
      createTask(event.wait());
      yield* sleep(0);
      const waiting = String(event);
      event.set();
      return [waiting, String(event)];
    });
    expect(out).toEqual(["<Event [unset, waiters:1]>", "<Event [set, waiters:1]>"]);
  });

  it("an event built outside any loop works in one; one that parked tasks of a loop refuses another", async () => {
    const event = new Event();
    await run(
      function* () {
        getRunningLoop().callLater(3, () => event.set());
        yield* event.wait();
      },
      { clock: "virtual", core },
    );
    event.clear();
    const out = await runVirtual(core, function* () {
      try {
        yield* event.wait();
        return "no error";
      } catch (error) {
        return `${error instanceof RuntimeError} ${(error as Error).message}`;
      }
    });
    expect(out).toBe("true Event is bound to a different event loop (the first that waited on it): runs that share one must share a loop");
  });

  it("wait() on a set event returns at once, even while woken waiters have yet to run", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const event = new Event();
      const waiter = (name: string) =>
        createTask(function* () {
          const result = yield* event.wait();
          log.push(`${name} ${result} at ${now()}`);
        });
      const early = waiter("early");
      yield* sleep(1);
      const late = waiter("late"); // asks in the next step, before early has run
      event.set();
      yield* sleep(1);
      log.push(`late done=${late.done()}`);
      late.cancel();
      yield* early;
    });
    // CPython: the same program logs late first, then early, both True.
    expect(log).toEqual(["late true at 1", "early true at 1", "late done=true"]);
  });
});
