// Lock: asyncio.Lock's semantics, including SEMANTICS.md item 10 and the cancellation
// edge cases of Lib/asyncio/locks.py (a waiter cancelled as the lock is handed to it).
import { expect, it } from "vitest";
import { createTask, EventLoop, type Future, gather, getRunningLoop, sleep } from "../src/index.ts";
import { CancelledError, RuntimeError } from "../src/errors.ts";
import { Lock } from "../src/lock.ts";
import { forEachCore, messageOf, now, outcome, runVirtual, thrown } from "./helpers.ts";

forEachCore("Lock", (core) => {
  it("an acquire left by return() while it waits leaves the queue and takes nothing (a generator's finally)", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const acquire = lock.acquire();
      const parked = acquire.next(); // waits: yields its waiter future
      const whileWaiting = String(lock);
      const left = acquire.return!(true);
      const afterLeaving = String(lock);
      lock.release();
      return [parked.done, whileWaiting, left.done, afterLeaving, String(lock)];
    });
    expect(out).toEqual([false, "<Lock [locked, waiters:1]>", true, "<Lock [locked]>", "<Lock [unlocked]>"]);
  });

  it("an acquire stepped on after its waiter future failed raises that error and leaves the queue, so the next waiter still gets the lock", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const acquire = lock.acquire();
      const parked = acquire.next(); // waits: yields its waiter future
      (parked.value as unknown as Future<void>).cancel("gave up");
      const stepped = thrown(() => acquire.next());
      const afterLeaving = String(lock);
      const next = createTask(function* () {
        yield* lock.acquire();
        return `next took it at ${now()}`;
      });
      yield* sleep(1);
      lock.release();
      yield* sleep(1);
      const nextDone = next.done();
      next.cancel();
      return [stepped, afterLeaving, nextDone, yield* outcome(() => next)];
    });
    expect(out).toEqual(["CancelledError: gave up", "<Lock [locked]>", true, "value: next took it at 1"]);
  });

  it("an acquire left by return() after release() chose it passes the turn to the next waiter", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const first = lock.acquire();
      first.next(); // parked first in line
      const second = createTask(function* () {
        yield* lock.acquire();
        log.push(`second took the lock at ${now()}`);
        lock.release();
      });
      yield* sleep(1); // the second task parks behind the first acquire
      lock.release(); // chooses the first acquire
      first.return!(true); // which leaves without taking the lock
      yield* second;
      log.push(String(lock));
    });
    expect(log).toEqual(["second took the lock at 1", "<Lock [unlocked]>"]);
  });

  it("a free lock is taken at once; release() frees it; locked() follows", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const states = [lock.locked()];
      const result = yield* lock.acquire();
      states.push(lock.locked());
      lock.release();
      states.push(lock.locked());
      return { result, states, time: now() };
    });
    expect(out).toEqual({ result: true, states: [false, true, false], time: 0 });
  });

  it("waiters get the lock first come, first served, each when the previous one releases", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      const worker = (name: string, arriveAt: number) =>
        createTask(function* () {
          yield* sleep(arriveAt);
          yield* lock.acquire();
          log.push(`${name} got it at ${now()}`);
          yield* sleep(10);
          lock.release();
        });
      // Arrival order is deliberately not creation order.
      const tasks = [worker("c", 3), worker("a", 0), worker("d", 4), worker("b", 1)];
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual(["a got it at 0", "b got it at 10", "c got it at 20", "d got it at 30"]);
  });

  it("SEMANTICS 10: a task that releases and asks again at once waits behind the others", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      const greedy = createTask(function* () {
        for (let round = 1; round <= 2; round++) {
          yield* lock.acquire();
          log.push(`greedy ${round} at ${now()}`);
          yield* sleep(10);
          lock.release();
          // asyncio's design: the lock reads free until the chosen waiter runs, yet
          // nobody can jump the queue in between.
          log.push(`after release: locked=${lock.locked()} tryAcquire=${lock.tryAcquire()}`);
        }
      });
      const polite = (name: string) =>
        createTask(function* () {
          yield* sleep(1);
          yield* lock.acquire();
          log.push(`${name} at ${now()}`);
          yield* sleep(10);
          lock.release();
        });
      const others = [polite("b"), polite("c")];
      yield* greedy;
      for (const task of others) yield* task;
    });
    expect(log).toEqual([
      "greedy 1 at 0",
      "after release: locked=false tryAcquire=false",
      "b at 10",
      "c at 20",
      "greedy 2 at 30",
      "after release: locked=false tryAcquire=true",
    ]);
  });

  it("once release() has chosen the only waiter, tryAcquire() refuses until that waiter has taken the lock", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = createTask(function* () {
        yield* lock.acquire();
        return "W took it";
      });
      yield* sleep(0);
      lock.release(); // chooses W, which has not run yet
      const barged = lock.tryAcquire();
      return [barged, lock.locked(), yield* waiter, lock.locked()];
    });
    expect(out).toEqual([false, false, "W took it", true]);
  });

  it("tryAcquire() takes a free lock and refuses a held one, without waiting", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const first = lock.tryAcquire();
      const second = lock.tryAcquire();
      lock.release();
      return [first, second, lock.locked()];
    });
    expect(out).toEqual([true, false, false]);
  });

  it("a waiter cancelled while parked never takes the lock; the next waiter does", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = (name: string) =>
        createTask(function* () {
          try {
            yield* lock.acquire();
          } catch (error) {
            log.push(`${name} ${(error as Error).name} at ${now()}, locked=${lock.locked()}`);
            throw error;
          }
          log.push(`${name} got it at ${now()}`);
          lock.release();
        });
      const b = waiter("b");
      const c = waiter("c");
      yield* sleep(5);
      b.cancel();
      yield* sleep(5);
      lock.release();
      yield* c;
      log.push(`b cancelled=${b.cancelled()}, locked=${lock.locked()}`);
    });
    expect(log).toEqual([
      "b CancelledError at 5, locked=true",
      "c got it at 10",
      "b cancelled=true, locked=false",
    ]);
  });

  it("a waiter cancelled in the middle of the queue leaves only its own place: the ones around it get the lock in turn", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const log: string[] = [];
      const waiters = ["W1", "W2", "W3"].map((name) =>
        createTask(function* () {
          yield* lock.acquire();
          log.push(`${name} at ${now()}`);
          yield* sleep(1);
          lock.release();
        }),
      );
      yield* sleep(1);
      waiters[1]!.cancel(); // W2, behind W1
      yield* sleep(1);
      const whileHeld = String(lock);
      lock.release();
      yield* sleep(5);
      return [whileHeld, log, yield* outcome(() => waiters[1]!)];
    });
    expect(out).toEqual(["<Lock [locked, waiters:2]>", ["W1 at 2", "W3 at 3"], "CancelledError"]);
  });

  it("a newcomer queues behind a live waiter even when the head of the queue is a cancelled one", async () => {
    // CPython 3.13 (the same program with asyncio.Lock): ['c', 'main'].
    const order: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = (name: string) =>
        createTask(function* () {
          yield* lock.acquire();
          order.push(name);
          yield* sleep(1);
          lock.release();
        });
      const b = waiter("b");
      const c = waiter("c");
      yield* sleep(1); // both parked, b first
      b.cancel(); // b's future is cancelled, b has not run yet: c is still waiting behind it
      lock.release();
      yield* lock.acquire(); // must wait behind c, not jump past the cancelled b
      order.push(`main at ${now()}`);
      lock.release();
      yield* gather([b, c], { returnExceptions: true });
    });
    expect(order).toEqual(["c", "main at 2"]);
  });

  it("a waiter cancelled after the one before it was chosen ends cancelled, and the chosen one takes the lock", async () => {
    // CPython 3.13: b takes it, c ends with CancelledError, the lock is free after.
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const order: string[] = [];
      const waiter = (name: string) =>
        createTask(function* () {
          yield* lock.acquire();
          order.push(name);
          lock.release();
        });
      const b = waiter("b");
      const c = waiter("c");
      yield* sleep(1);
      c.cancel(); // c runs first: it leaves while b is chosen but has not taken the lock yet
      lock.release(); // chooses b
      const results = [yield* outcome(() => b), yield* outcome(() => c)];
      return { order, results, locked: lock.locked() };
    });
    expect(out).toEqual({ order: ["b"], results: ["value: undefined", "CancelledError"], locked: false });
  });

  it("a waiter cancelled just as the lock is handed to it passes it to the next waiter", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = (name: string) =>
        createTask(function* () {
          try {
            yield* lock.acquire();
          } catch (error) {
            log.push(`${name} ${(error as Error).name} at ${now()}, locked=${lock.locked()}`);
            throw error;
          }
          log.push(`${name} got it at ${now()}`);
          yield* sleep(10);
          lock.release();
        });
      const b = waiter("b");
      const c = waiter("c");
      const d = waiter("d");
      yield* sleep(10);
      // release() chooses b by resolving its future; the cancel comes before b runs, so
      // the future cannot be cancelled any more and b must give its turn away itself.
      lock.release();
      b.cancel();
      yield* c;
      yield* d;
      log.push(`b cancelled=${b.cancelled()}, locked=${lock.locked()}`);
    });
    expect(log).toEqual([
      "b CancelledError at 10, locked=false",
      "c got it at 10",
      "d got it at 20",
      "b cancelled=true, locked=false",
    ]);
  });

  it("when every waiter is cancelled, a newcomer takes the free lock without waiting", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const b = createTask(function* () {
        yield* lock.acquire();
        return "b got it";
      });
      yield* sleep(1);
      b.cancel();
      lock.release();
      // b's future is cancelled but b has not run yet: it is still queued, and ignored.
      const jumped = lock.tryAcquire();
      yield* sleep(1);
      return { jumped, b: b.cancelled(), locked: lock.locked() };
    });
    expect(out).toEqual({ jumped: true, b: true, locked: true });
  });

  it("with() returns the body's result and releases the lock", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      let inside = false;
      const value = yield* lock.with(function* () {
        inside = lock.locked();
        yield* sleep(7);
        return 42;
      });
      return { value, inside, after: lock.locked(), time: now() };
    });
    expect(out).toEqual({ value: 42, inside: true, after: false, time: 7 });
  });

  it("with() releases the lock when the body throws, and the error goes on", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const message = yield* messageOf(function* () {
        yield* lock.with(function* () {
          yield* sleep(3);
          throw new Error("body failed");
        });
      });
      return { message, locked: lock.locked(), time: now() };
    });
    expect(out).toEqual({ message: "Error: body failed", locked: false, time: 3 });
  });

  it("with() releases the lock when the task is cancelled inside the body", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      const holder = createTask(function* () {
        yield* lock.with(function* () {
          yield* sleep(1000);
        });
      });
      const next = createTask(function* () {
        yield* sleep(1);
        yield* lock.with(function* () {
          log.push(`next got it at ${now()}`);
        });
      });
      yield* sleep(20);
      holder.cancel();
      yield* next;
      log.push(`holder cancelled=${holder.cancelled()}, locked=${lock.locked()}`);
    });
    expect(log).toEqual(["next got it at 20", "holder cancelled=true, locked=false"]);
  });

  it("with() cancelled while waiting to acquire releases nothing (the holder keeps the lock)", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      let ran = false;
      const waiter = createTask(function* () {
        yield* lock.with(function* () {
          ran = true;
        });
      });
      yield* sleep(5);
      waiter.cancel();
      yield* sleep(0);
      yield* sleep(0);
      return { cancelled: waiter.cancelled(), ran, locked: lock.locked() };
    });
    expect(out).toEqual({ cancelled: true, ran: false, locked: true });
  });

  it("with() also accepts a function returning a future", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const loop = getRunningLoop();
      return yield* lock.with(() => {
        const future = loop.createFuture<string>();
        loop.callLater(4, () => future.setResult(`done at ${loop.time()}, locked=${lock.locked()}`));
        return future;
      });
    });
    expect(out).toBe("done at 4, locked=true");
  });

  it("with() runs a plain function that does not wait under the lock, after the holder, and returns its value", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const log: string[] = [];
      const holder = createTask(lock.with(function* () {
        yield* sleep(10);
        log.push("holder done");
      }));
      yield* sleep(1);
      const counter = { value: 0, bump(): number { return ++this.value; } };
      const value = yield* lock.with(() => {
        log.push(`plain body at ${getRunningLoop().time()}, locked=${lock.locked()}`);
        return counter.bump();
      });
      yield* holder;
      const forwarded = yield* lock.with(() => sleep(3, "a coroutine it returns is awaited"));
      return { log, value, forwarded, locked: lock.locked() };
    });
    expect(out).toEqual({
      log: ["holder done", "plain body at 10, locked=true"],
      value: 1,
      forwarded: "a coroutine it returns is awaited",
      locked: false,
    });
  });

  it("misuse: release() of a free lock, with() of something that is not a coroutine, or of a plain function returning a promise", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      let released: string;
      try {
        lock.release();
        released = "no error";
      } catch (error) {
        released = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const notGenerator = yield* messageOf(function* () {
        yield* lock.with(42 as never);
      });
      let started = 0;
      const promised = yield* messageOf(function* () {
        yield* lock.with((() => {
          started++; // it runs, under the lock, but what it started would go on after the release
          return Promise.resolve(1);
        }) as never);
      });
      // Any thenable, as a promise from another library or realm: what it starts is not the lock's.
      const thenable = yield* messageOf(function* () {
        yield* lock.with((() => ({ then: () => {} })) as never);
      });
      return { released, notGenerator, promised, thenable, started, locked: lock.locked() };
    });
    expect(out).toEqual({
      released: "RuntimeError: Lock is not acquired.",
      notGenerator: "TypeError: Lock.with() needs a generator (call a function* to get one), got number 42",
      promised: "TypeError: Lock.with()'s body returned a Promise: a body that waits is a function* (yield* until(promise) in it)",
      thenable: "TypeError: Lock.with()'s body returned an object of class Object: a body that waits is a function* (yield* until(promise) in it)",
      started: 1,
      locked: false, // the bad argument was refused before the lock was taken; the lock held for the plain function is released
    });
  });

  it("a lock whose waiters belong to one loop refuses to park a task of another loop", async () => {
    const lock = new Lock();
    await runVirtual(core, function* () {
      yield* lock.acquire();
      const waiter = createTask(function* () {
        yield* lock.acquire();
      });
      yield* sleep(1);
      lock.release();
      yield* waiter;
      lock.release();
    });
    // Taking a free lock needs no loop, so it still works from another loop.
    const other = new EventLoop({ clock: "virtual", core });
    const out = await other.runUntilComplete(function* () {
      yield* lock.acquire();
      const blocked = createTask(function* () {
        yield* lock.acquire();
      });
      try {
        yield* blocked;
        return "no error";
      } catch (error) {
        return `${error instanceof RuntimeError} ${(error as Error).message}`;
      } finally {
        lock.release();
      }
    });
    other.close();
    expect(out).toBe("true Lock is bound to a different event loop (the first that waited on it): runs that share one must share a loop");
  });

  it("toString() shows the state and the number of waiters", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      const free = String(lock);
      yield* lock.acquire();
      createTask(lock.acquire());
      yield* sleep(0);
      return [free, String(lock)];
    });
    expect(out).toEqual(["<Lock [unlocked]>", "<Lock [locked, waiters:1]>"]);
  });

  it("a cancelled acquire raises the CancelledError of the cancel() call", async () => {
    const out = await runVirtual(core, function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const waiter = createTask(lock.acquire());
      yield* sleep(1);
      waiter.cancel("stop waiting");
      try {
        yield* waiter;
      } catch (error) {
        return `${error instanceof CancelledError} ${(error as Error).message}`;
      }
      return "no error";
    });
    expect(out).toBe("true stop waiting");
  });
});
