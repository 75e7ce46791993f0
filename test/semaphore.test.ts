// Semaphore and BoundedSemaphore: asyncio 3.13's semantics, including SEMANTICS.md item
// 10 (strict FIFO) and the slot bookkeeping when a chosen waiter is cancelled.
import { expect, it } from "vitest";
import { createTask, sleep } from "../src/index.ts";
import { ValueError } from "../src/errors.ts";
import { BoundedSemaphore, Semaphore } from "../src/semaphore.ts";
import { forEachCore, now, runVirtual, thrown } from "./helpers.ts";

/** A task that acquires a slot of `slots`, then adds `name` to `order`. */
function acquirer(slots: Semaphore, order: string[], name: string) {
  return createTask(function* () {
    yield* slots.acquire();
    order.push(name);
  });
}

forEachCore("Semaphore", (core) => {
  it("an acquire left by return() while it waits leaves the queue and takes no slot (a generator's finally)", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const acquire = slots.acquire();
      const parked = acquire.next(); // waits: yields its waiter future
      const whileWaiting = String(slots);
      const left = acquire.return!(true);
      const afterLeaving = String(slots);
      slots.release();
      return [parked.done, whileWaiting, left.done, afterLeaving, String(slots)];
    });
    expect(out).toEqual([
      false,
      "<Semaphore [locked, waiters:1]>",
      true,
      "<Semaphore [locked]>",
      "<Semaphore [unlocked, value:1]>",
    ]);
  });

  it("lets `value` tasks in at once and queues the rest", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(2);
      const worker = (name: string, work: number) =>
        createTask(function* () {
          yield* slots.with(function* () {
            log.push(`${name} in at ${now()}`);
            yield* sleep(work);
          });
        });
      const tasks = [worker("a", 10), worker("b", 30), worker("c", 10), worker("d", 10), worker("e", 10)];
      for (const task of tasks) yield* task;
    });
    // c gets a's slot at 10, d gets c's at 20, e gets b's at 30.
    expect(log).toEqual(["a in at 0", "b in at 0", "c in at 10", "d in at 20", "e in at 30"]);
  });

  it("acquire() returns true; locked() reads true when no slot is free", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(2);
      const states = [slots.locked()];
      const results = [yield* slots.acquire(), yield* slots.acquire()];
      states.push(slots.locked());
      slots.release();
      states.push(slots.locked());
      return { results, states };
    });
    expect(out).toEqual({ results: [true, true], states: [false, true, false] });
  });

  it("waiters are served first come, first served", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const waiter = (name: string, arriveAt: number) =>
        createTask(function* () {
          yield* sleep(arriveAt);
          yield* slots.acquire();
          log.push(`${name} at ${now()}`);
        });
      const tasks = [waiter("c", 3), waiter("a", 1), waiter("b", 2)];
      for (let i = 0; i < 3; i++) {
        yield* sleep(10);
        slots.release();
      }
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual(["a at 10", "b at 20", "c at 30"]);
  });

  it("SEMANTICS 10: a task that releases and asks again at once waits behind the others", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      const greedy = createTask(function* () {
        for (let round = 1; round <= 2; round++) {
          yield* slots.acquire();
          log.push(`greedy ${round} at ${now()}`);
          yield* sleep(10);
          slots.release();
          log.push(`after release: locked=${slots.locked()}`);
        }
        slots.release();
      });
      const polite = (name: string) =>
        createTask(function* () {
          yield* sleep(1);
          yield* slots.acquire();
          log.push(`${name} at ${now()}`);
          yield* sleep(10);
          slots.release();
        });
      const others = [polite("b"), polite("c")];
      yield* greedy;
      for (const task of others) yield* task;
    });
    expect(log).toEqual([
      "greedy 1 at 0",
      "after release: locked=true", // the slot is already b's
      "b at 10",
      "c at 20",
      "greedy 2 at 30",
      "after release: locked=false",
    ]);
  });

  it("a newcomer queues behind waiters even while a slot is free", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const order: string[] = [];
      const a = acquirer(slots, order, "a");
      yield* sleep(1);
      slots.release();
      slots.release();
      // One slot went to a (not yet run), one is free: but a newcomer may not take it,
      // because a's acquire will wake the next waiter in line first.
      const tryWhileQueued = slots.tryAcquire();
      const b = acquirer(slots, order, "b");
      yield* a;
      yield* b;
      return { tryWhileQueued, order, value: slots._value };
    });
    expect(out).toEqual({ tryWhileQueued: false, order: ["a", "b"], value: 0 });
  });

  it("while a second chosen waiter has yet to run, the first one asking again queues behind it", async () => {
    // CPython 3.13 (the same program with asyncio.Semaphore): ['a', 'b', 'a again'].
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const order: string[] = [];
      const a = createTask(function* () {
        yield* slots.acquire();
        order.push("a");
        yield* slots.acquire(); // b is chosen but has not run: a may not take the free slot
        order.push("a again");
      });
      const b = acquirer(slots, order, "b");
      yield* sleep(1);
      slots.release(); // chooses a
      slots.release(); // chooses b
      slots.release(); // one slot free, with b still to run
      yield* a;
      yield* b;
      return { order, value: slots._value, text: String(slots) };
    });
    expect(out).toEqual({ order: ["a", "b", "a again"], value: 0, text: "<Semaphore [locked]>" });
  });

  it("tryAcquire() takes a free slot without waiting and refuses when none is free", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      return [slots.tryAcquire(), slots.tryAcquire(), slots.locked()];
    });
    expect(out).toEqual([true, false, true]);
  });

  it("a waiter cancelled while parked never takes a slot; the next waiter does", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const waiter = (name: string) =>
        createTask(function* () {
          try {
            yield* slots.acquire();
          } catch (error) {
            log.push(`${name} ${(error as Error).name} at ${now()}`);
            throw error;
          }
          log.push(`${name} in at ${now()}`);
        });
      const b = waiter("b");
      const c = waiter("c");
      yield* sleep(5);
      b.cancel();
      yield* sleep(5);
      slots.release();
      yield* c;
      log.push(`value=${slots._value} locked=${slots.locked()} b cancelled=${b.cancelled()}`);
    });
    expect(log).toEqual(["b CancelledError at 5", "c in at 10", "value=0 locked=true b cancelled=true"]);
  });

  it("a task whose coroutine is acquire() itself, cancelled before its first step, ends cancelled and takes nothing", async () => {
    // asyncio throws the CancelledError into the coroutine that never ran: no wait to leave.
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const early = createTask(slots.acquire()); // before any waiter: no queue yet
      early.cancel();
      const parked = createTask(slots.acquire());
      yield* sleep(1);
      const late = createTask(slots.acquire()); // with a waiter queued
      late.cancel();
      yield* sleep(1);
      const result = [early.cancelled(), late.cancelled(), String(slots)];
      parked.cancel();
      return result;
    });
    expect(out).toEqual([true, true, "<Semaphore [locked, waiters:1]>"]);
  });

  it("a waiter cancelled just as a slot is handed to it gives the slot to the next waiter", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      yield* slots.acquire();
      const waiter = (name: string) =>
        createTask(function* () {
          try {
            yield* slots.acquire();
          } catch (error) {
            log.push(`${name} ${(error as Error).name} at ${now()}`);
            throw error;
          }
          log.push(`${name} in at ${now()}`);
          yield* sleep(10);
          slots.release();
        });
      const b = waiter("b");
      const c = waiter("c");
      const d = waiter("d");
      yield* sleep(10);
      slots.release(); // chooses b, reserving the slot for it
      b.cancel(); // too late to cancel b's future: b must hand the slot on
      yield* c;
      yield* d;
      log.push(`value=${slots._value} locked=${slots.locked()}`);
    });
    expect(log).toEqual(["b CancelledError at 10", "c in at 10", "d in at 20", "value=1 locked=false"]);
  });

  it("several releases at once wake as many waiters, in order", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const tasks = ["a", "b", "c"].map((name) =>
        createTask(function* () {
          yield* slots.acquire();
          log.push(`${name} at ${now()}`);
        }),
      );
      yield* sleep(4);
      slots.release();
      slots.release();
      yield* sleep(4);
      slots.release();
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual(["a at 4", "b at 4", "c at 8"]);
  });

  it("releases right after cancelling the waiters in front go to the ones behind them, whose slots are all accounted for", async () => {
    // The cancelled waiters are still queued (their tasks have not run); each release
    // takes them out of the way once, rather than walking past them all every time.
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const log: string[] = [];
      const tasks = ["a", "b", "c", "d", "e", "f"].map((name) =>
        createTask(function* () {
          yield* slots.acquire();
          log.push(name);
        }),
      );
      yield* sleep(1);
      for (const task of tasks.slice(0, 3)) task.cancel();
      const afterCancelling = [slots.locked(), String(slots)];
      slots.release();
      slots.release();
      const afterReleasing = String(slots);
      yield* sleep(1);
      const cancelled = tasks.map((task) => task.cancelled());
      slots.release();
      slots.release(); // "f" takes one; one stays free
      yield* sleep(1);
      return { afterCancelling, afterReleasing, cancelled, log, end: [slots.locked(), String(slots)] };
    });
    expect(out).toEqual({
      afterCancelling: [true, "<Semaphore [locked, waiters:6]>"],
      afterReleasing: "<Semaphore [locked, waiters:6]>", // as asyncio's deque: until their tasks run
      cancelled: [true, true, true, false, false, false],
      log: ["d", "e", "f"],
      end: [false, "<Semaphore [unlocked, value:1]>"],
    });
  });

  it("with() returns the body's result and gives the slot back", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      const value = yield* slots.with(function* () {
        yield* sleep(2);
        return `inside, locked=${slots.locked()}`;
      });
      return { value, locked: slots.locked(), time: now() };
    });
    expect(out).toEqual({ value: "inside, locked=true", locked: false, time: 2 });
  });

  it("with() gives the slot back when the body throws or the task is cancelled", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      let thrownMessage = "";
      try {
        yield* slots.with(function* () {
          yield* sleep(1);
          throw new Error("boom");
        });
      } catch (error) {
        thrownMessage = (error as Error).message;
      }
      const afterThrow = slots._value;
      const holder = createTask(
        slots.with(function* () {
          yield* sleep(1000);
        }),
      );
      yield* sleep(5);
      const whileHeld = slots._value;
      holder.cancel();
      yield* sleep(0);
      yield* sleep(0);
      return { thrownMessage, afterThrow, whileHeld, afterCancel: slots._value, cancelled: holder.cancelled() };
    });
    expect(out).toEqual({ thrownMessage: "boom", afterThrow: 1, whileHeld: 0, afterCancel: 1, cancelled: true });
  });

  it("Semaphore(Infinity) never makes a task wait, as asyncio's with float('inf')", async () => {
    const out = await runVirtual(core, function* () {
      const unlimited = new Semaphore(Infinity);
      for (let i = 0; i < 1000; i++) yield* unlimited.acquire();
      const locked = unlimited.locked();
      unlimited.release();
      return [locked, String(unlimited)];
    });
    expect(out).toEqual([false, "<Semaphore [unlocked, value:Infinity]>"]);
  });

  it("misuse: a negative or non-integer initial value, and with() of a non-coroutine", async () => {
    expect(thrown(() => new Semaphore(-1))).toBe("ValueError: new Semaphore(): the initial value must be >= 0, got -1");
    expect(new Semaphore(0).locked()).toBe(true);
    expect(thrown(() => new Semaphore(1.5))).toBe(
      "ValueError: new Semaphore(): the initial value must be an integer or Infinity, got number 1.5",
    );
    expect(thrown(() => new Semaphore(Number.NaN))).toBe(
      "ValueError: new Semaphore(): the initial value must be an integer or Infinity, got number NaN",
    );
    expect(thrown(() => new Semaphore({ value: 2 } as never))).toBe(
      "TypeError: new Semaphore(): the initial value must be an integer or Infinity, got an object of class Object",
    );
    expect(thrown(() => new BoundedSemaphore(-2))).toBe("ValueError: new BoundedSemaphore(): the initial value must be >= 0, got -2");
    // Infinity - 1 is Infinity: no slot taken could ever be given back.
    expect(thrown(() => new BoundedSemaphore(Infinity))).toBe(
      "ValueError: new BoundedSemaphore(): the initial value must be finite, got Infinity (a Semaphore may have it)",
    );
    expect(() => new Semaphore(-1)).toThrow(ValueError);
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      try {
        yield* slots.with("not a body" as never);
      } catch (error) {
        return [(error as Error).message, slots._value];
      }
      return ["no error", slots._value];
    });
    expect(out).toEqual([
      'Semaphore.with() needs a generator (call a function* to get one), got the string "not a body"',
      1,
    ]);
  });

  it("toString() shows the state, the value and the waiters", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(1);
      const free = String(slots);
      yield* slots.acquire();
      createTask(slots.acquire());
      yield* sleep(0);
      return [free, String(slots)];
    });
    expect(out).toEqual(["<Semaphore [unlocked, value:1]>", "<Semaphore [locked, waiters:1]>"]);
  });

  it("a waiter chosen by release() counts as waiting until its task runs, as in asyncio's deque", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const waiter = createTask(slots.acquire());
      yield* sleep(0);
      slots.release(); // chooses the waiter: its slot is taken, its task not run yet
      slots.release(); // a free slot, but the chosen waiter still stands in line
      const chosen = [slots.locked(), slots.tryAcquire(), String(slots)];
      yield* waiter;
      return [chosen, [slots.locked(), String(slots)]];
    });
    expect(out).toEqual([
      [true, false, "<Semaphore [locked, waiters:1]>"],
      [false, "<Semaphore [unlocked, value:1]>"],
    ]);
  });

  it("a chosen waiter, when it runs, wakes at once as many newcomers queued behind it as there are free slots", async () => {
    // asyncio 3.13's `while self._value > 0: if not self._wake_up_next(): break`: a wakes b
    // and c together, so both run before a's own sleep(0) is over.
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const order: string[] = [];
      const waiter = (name: string) =>
        createTask(function* () {
          yield* slots.acquire();
          order.push(name);
          yield* sleep(0);
          order.push(`${name} again`);
        });
      const a = waiter("a");
      yield* sleep(1);
      const newcomers = [waiter("b"), waiter("c")]; // they ask in the next step, before a runs
      slots.release(); // chooses a
      slots.release();
      slots.release(); // two slots free, but b and c must queue behind a
      yield* sleep(1);
      for (const task of [a, ...newcomers]) task.cancel();
      return { order, value: slots._value, text: String(slots), time: now() };
    });
    expect(out).toEqual({
      order: ["a", "b", "c", "a again", "b again", "c again"],
      value: 0,
      text: "<Semaphore [locked]>",
      time: 2,
    });
  });

  it("a release() while a slot is free already, with a waiter queued behind a chosen one, wakes that waiter at once", async () => {
    // asyncio's release() wakes the next waiter whatever the value: b is woken by the
    // releaser, not later when a runs, so b runs before the releaser's sleep(0) is over.
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(0);
      const order: string[] = [];
      const a = acquirer(slots, order, "a");
      yield* sleep(1);
      const b = acquirer(slots, order, "b"); // queues behind a, which is chosen but has not run yet
      const releaser = createTask(function* () {
        slots.release(); // two slots free now
        order.push("released");
        yield* sleep(0);
        order.push("releaser again");
      });
      slots.release(); // chooses a
      slots.release(); // a slot free, nobody queued yet
      yield* sleep(1);
      return [order, a.done(), b.done(), releaser.done(), String(slots)];
    });
    // CPython 3.13 prints the same order and `[unlocked, value:1]`.
    expect(out).toEqual([["released", "a", "b", "releaser again"], true, true, true, "<Semaphore [unlocked, value:1]>"]);
  });

  it("a waiter cancelled and taken out by release() does not spoil the count of chosen waiters", async () => {
    // As asyncio 3.13 reads it: c's future, done, is still in the deque, so the semaphore
    // is locked with one waiter until c runs.
    const out = await runVirtual(core, function* () {
      const slots = new Semaphore(2);
      slots.tryAcquire();
      slots.tryAcquire();
      const waiter = () => createTask(slots.acquire());
      const [a, b, c] = [waiter(), waiter(), waiter()];
      yield* sleep(0);
      a.cancel();
      slots.release(); // takes a out (cancelled), chooses b
      yield* sleep(1); // a and b run: b holds a slot
      slots.release(); // chooses c
      slots.release(); // b's slot given back: one free while c has yet to run
      const whileChosen = [slots.locked(), String(slots)];
      yield* c;
      return [whileChosen, b.done(), String(slots)];
    });
    expect(out).toEqual([[true, "<Semaphore [locked, waiters:1]>"], true, "<Semaphore [unlocked, value:1]>"]);
  });
});

forEachCore("BoundedSemaphore", (core) => {
  it("release() past the initial value is a ValueError and changes nothing", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new BoundedSemaphore(2);
      yield* slots.acquire();
      slots.release();
      const tooMany = thrown(() => slots.release());
      let isValueError = false;
      try {
        slots.release();
      } catch (error) {
        isValueError = error instanceof ValueError;
      }
      return { tooMany, isValueError, value: slots._value };
    });
    expect(out).toEqual({
      tooMany: "ValueError: BoundedSemaphore released too many times",
      isValueError: true,
      value: 2,
    });
  });

  it("behaves as a Semaphore within its bound, FIFO included", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const slots = new BoundedSemaphore(1);
      const tasks = ["a", "b", "c"].map((name) =>
        createTask(
          slots.with(function* () {
            log.push(`${name} at ${now()}`);
            yield* sleep(5);
          }),
        ),
      );
      for (const task of tasks) yield* task;
      log.push(`value=${slots._value} ${String(slots)}`);
    });
    expect(log).toEqual(["a at 0", "b at 5", "c at 10", "value=1 <BoundedSemaphore [unlocked, value:1]>"]);
  });

  it("like asyncio, the bound counts free slots only: a second release while a waiter is chosen passes", async () => {
    const out = await runVirtual(core, function* () {
      const slots = new BoundedSemaphore(1);
      yield* slots.acquire();
      const waiter = createTask(slots.acquire());
      yield* sleep(1);
      slots.release(); // the slot goes to the waiter at once
      const again = thrown(() => slots.release());
      yield* waiter;
      return again;
    });
    // The chosen waiter's slot is already subtracted, so the value is 0 again and the
    // double release goes unnoticed, exactly as in asyncio 3.13.
    expect(out).toBe("no error");
  });
});
