// Condition: asyncio.Condition's semantics, including the reacquire-before-raising of a
// cancelled wait() and the notification passed on by a waiter that cannot use it.
import { expect, it } from "vitest";
import { createTask, gather, sleep } from "../src/index.ts";
import { CancelledError } from "../src/errors.ts";
import { Condition } from "../src/condition.ts";
import { Lock } from "../src/lock.ts";
import { forEachCore, messageOf, now, runVirtual, thrown } from "./helpers.ts";

forEachCore("Condition", (core) => {
  it("notify() wakes the oldest waiter, notify(2) the next two, notifyAll() the rest; each holds the lock", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const tasks = ["a", "b", "c", "d"].map((name) =>
        createTask(
          cond.with(function* () {
            const result = yield* cond.wait();
            log.push(`${name} ${result} at ${now()}, locked=${cond.locked()}`);
            yield* sleep(1); // holding the lock: the next woken task waits for it
          }),
        ),
      );
      yield* sleep(10);
      yield* cond.with(function* () {
        cond.notify();
      });
      yield* sleep(10);
      log.push("--");
      yield* cond.with(() => cond.notify(2)); // a body that does not wait may be a plain function
      yield* sleep(10);
      log.push("--");
      yield* cond.with(function* () {
        cond.notifyAll();
      });
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual([
      "a true at 10, locked=true",
      "--",
      "b true at 20, locked=true",
      "c true at 21, locked=true",
      "--",
      "d true at 30, locked=true",
    ]);
  });

  it("wait() releases the lock while waiting, and returns only once the notifier releases it", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const waiter = createTask(
        cond.with(function* () {
          log.push(`waiting at ${now()}`);
          yield* cond.wait();
          log.push(`back with the lock at ${now()}`);
        }),
      );
      yield* sleep(5);
      log.push(`lock free while waiting: ${!cond.locked()}`);
      yield* cond.with(function* () {
        cond.notify();
        yield* sleep(20); // the woken waiter cannot return before this release
        log.push(`notifier releases at ${now()}`);
      });
      yield* waiter;
    });
    expect(log).toEqual([
      "waiting at 0",
      "lock free while waiting: true",
      "notifier releases at 25",
      "back with the lock at 25",
    ]);
  });

  it("waitFor() checks the predicate first, waits until it is truthy, and returns its value", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const items: string[] = [];
      let calls = 0;
      const consumer = createTask(
        cond.with(function* () {
          const item = yield* cond.waitFor(() => {
            calls++;
            return items.shift();
          });
          log.push(`got ${item} at ${now()} after ${calls} checks`);
        }),
      );
      for (const [at, item] of [[10, ""], [20, "x"]] as const) {
        yield* sleep(at - now());
        yield* cond.with(function* () {
          items.push(item); // "" is falsy: the consumer waits again
          cond.notifyAll();
        });
      }
      yield* consumer;
      const ready = yield* cond.with(function* () {
        return yield* cond.waitFor(() => 7);
      });
      log.push(`ready at once: ${ready} at ${now()}`);
    });
    expect(log).toEqual(["got x at 20 after 3 checks", "ready at once: 7 at 20"]);
  });

  it("a waiter cancelled while another task holds the lock raises only once it has the lock back", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const waiter = createTask(
        cond.with(function* () {
          try {
            yield* cond.wait();
          } catch (error) {
            log.push(`waiter ${(error as Error).name} at ${now()}, locked=${cond.locked()}`);
            throw error;
          }
        }),
      );
      yield* sleep(1);
      yield* cond.acquire();
      log.push(`main holds the lock at ${now()}`);
      waiter.cancel();
      yield* sleep(10);
      log.push(`main releases at ${now()}, waiter done=${waiter.done()}`);
      cond.release();
      try {
        yield* waiter;
      } catch (error) {
        log.push(`${error instanceof CancelledError}, cancelled=${waiter.cancelled()}, locked=${cond.locked()}`);
      }
    });
    expect(log).toEqual([
      "main holds the lock at 1",
      "main releases at 11, waiter done=false",
      "waiter CancelledError at 11, locked=true",
      "true, cancelled=true, locked=false",
    ]);
  });

  it("a cancellation that hits while wait() reacquires the lock is held back until the lock is back", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const waiter = createTask(
        cond.with(function* () {
          try {
            yield* cond.wait();
          } catch (error) {
            log.push(`waiter ${(error as Error).message} at ${now()}, locked=${cond.locked()}`);
            throw error;
          }
        }),
      );
      yield* sleep(1);
      yield* cond.acquire();
      cond.notify();
      yield* sleep(1); // the waiter is now parked on the lock, not on the condition
      waiter.cancel("first");
      yield* sleep(1);
      waiter.cancel("second");
      yield* sleep(1);
      log.push(`main releases at ${now()}`);
      cond.release();
      yield* gather([waiter], { returnExceptions: true });
    });
    // Each cancellation interrupts the lock acquire and is retried; the last one is raised.
    expect(log).toEqual(["main releases at 4", "waiter second at 4, locked=true"]);
  });

  it("an error other than a cancellation that hits while wait() reacquires the lock is raised at once, not retried", async () => {
    // Only cancellations are held back: a retry after any error could spin on a broken lock.
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      yield* cond.acquire();
      const wait = cond.wait();
      const parked = wait.next(); // releases the lock, waits to be notified
      const holder = createTask(
        cond.with(function* () {
          cond.notify(); // wakes the wait, which then waits for the lock this task holds
          yield* sleep(5);
        }),
      );
      yield* sleep(1);
      const reacquiring = wait.next(); // notified: now parked on the lock
      let outcome: string;
      try {
        outcome = `no error, done=${wait.throw!(new Error("boom")).done}`;
      } catch (error) {
        outcome = (error as Error).message;
      }
      yield* holder;
      return [parked.done, reacquiring.done, outcome, String(cond)];
    });
    expect(out).toEqual([false, false, "boom", "<Condition [unlocked]>"]);
  });

  it("a waiter cancelled just after being notified passes the notification to the next waiter", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const tasks = ["a", "b", "c"].map((name) =>
        createTask(
          cond.with(function* () {
            try {
              const result = yield* cond.wait();
              log.push(`${name} woke ${result} at ${now()}`);
            } catch (error) {
              log.push(`${name} ${(error as Error).name} at ${now()}`);
              throw error;
            }
          }),
        ),
      );
      yield* sleep(5);
      yield* cond.with(function* () {
        cond.notify(1);
      });
      tasks[0]!.cancel(); // a was chosen but has not run: its wakeup must not be lost
      yield* sleep(5);
      log.push(`done: ${tasks.map((t) => t.done()).join(",")}`);
      yield* cond.with(function* () {
        cond.notifyAll();
      });
      yield* gather(tasks, { returnExceptions: true });
    });
    expect(log).toEqual(["a CancelledError at 5", "b woke true at 5", "done: true,true,false", "c woke true at 10"]);
  });

  it("notify() with nobody waiting does nothing; notify(0) wakes nobody", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      yield* cond.acquire();
      cond.notify();
      cond.notifyAll();
      const waiter = createTask(
        cond.with(function* () {
          yield* cond.wait();
        }),
      );
      cond.release();
      yield* sleep(1);
      yield* cond.with(function* () {
        cond.notify(0);
      });
      yield* sleep(1);
      const afterZero = waiter.done();
      yield* cond.with(function* () {
        cond.notify();
      });
      yield* waiter;
      return [afterZero, waiter.done(), now()];
    });
    expect(out).toEqual([false, true, 2]);
  });

  it("two conditions can share one lock", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const lock = new Lock();
      const notEmpty = new Condition(lock);
      const notFull = new Condition(lock);
      const box: number[] = [];
      const consumer = createTask(function* () {
        for (let i = 0; i < 3; i++) {
          yield* notEmpty.with(function* () {
            const item = yield* notEmpty.waitFor(() => box.shift());
            log.push(`took ${item} at ${now()}`);
            notFull.notify();
          });
          yield* sleep(10);
        }
      });
      for (let item = 1; item <= 3; item++) {
        yield* notFull.with(function* () {
          yield* notFull.waitFor(() => box.length === 0);
          box.push(item);
          log.push(`put ${item} at ${now()}, shared=${lock.locked() && notEmpty.locked()}`);
          notEmpty.notify();
        });
      }
      yield* consumer;
    });
    expect(log).toEqual([
      "put 1 at 0, shared=true",
      "took 1 at 0",
      "put 2 at 0, shared=true",
      "took 2 at 10",
      "put 3 at 10, shared=true",
      "took 3 at 20",
    ]);
  });

  it("with() releases the lock when the body throws or the task is cancelled", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      const message = yield* messageOf(function* () {
        yield* cond.with(function* () {
          throw new Error("inside");
        });
      });
      const afterThrow = cond.locked();
      const waiter = createTask(
        cond.with(function* () {
          yield* cond.wait();
        }),
      );
      yield* sleep(3);
      waiter.cancel();
      yield* gather([waiter], { returnExceptions: true });
      return { message, afterThrow, afterCancel: cond.locked(), cancelled: waiter.cancelled(), waiting: cond._waiters.size };
    });
    expect(out).toEqual({ message: "Error: inside", afterThrow: false, afterCancel: false, cancelled: true, waiting: 0 });
  });

  it("misuse: wait(), notify() and notifyAll() without the lock are RuntimeErrors; a non-Lock is refused", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      return [
        yield* messageOf(function* () {
          yield* cond.wait();
        }),
        yield* messageOf(function* () {
          yield* cond.waitFor(() => false);
        }),
        yield* messageOf(function* () {
          cond.notify();
        }),
        yield* messageOf(function* () {
          cond.notifyAll();
        }),
        yield* messageOf(function* () {
          cond.release();
        }),
        yield* messageOf(function* () {
          new Condition({} as never);
        }),
      ];
    });
    expect(out).toEqual([
      "RuntimeError: cannot wait on un-acquired lock",
      "RuntimeError: cannot wait on un-acquired lock",
      "RuntimeError: cannot notify on un-acquired lock",
      "RuntimeError: cannot notify on un-acquired lock",
      "RuntimeError: Lock is not acquired.",
      "TypeError: new Condition() needs a Lock or nothing, got an object of class Object",
    ]);
  });

  it("misuse: notify() of what is not a number of tasks, and a predicate that is a function* or async", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      const waiter = createTask(cond.with(() => cond.wait()));
      yield* sleep(1);
      const messages = yield* cond.with(function* () {
        return [
          thrown(() => cond.notify("x" as never)),
          thrown(() => cond.notify(null as never)),
          thrown(() => cond.notify(Number.NaN)),
          yield* messageOf(() => cond.waitFor(function* () {
            return true;
          } as never)),
          yield* messageOf(() => cond.waitFor(async () => true)),
        ];
      });
      yield* sleep(1);
      const stillWaiting = !waiter.done(); // no notify went through
      waiter.cancel();
      return [...messages, stillWaiting];
    });
    expect(out).toEqual([
      'TypeError: Condition.notify() takes a number of tasks to wake, got the string "x"',
      "TypeError: Condition.notify() takes a number of tasks to wake, got null",
      "TypeError: Condition.notify() takes a number of tasks to wake, got number NaN",
      "TypeError: Condition.waitFor(): the predicate returned a generator, which is not an answer; it must be a plain function, not a function* or an async one",
      "TypeError: Condition.waitFor(): the predicate returned a Promise, which is not an answer; it must be a plain function, not a function* or an async one",
      true,
    ]);
  });

  it("tryAcquire() and toString() go through the lock", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      const first = cond.tryAcquire();
      const second = cond.tryAcquire();
      createTask(
        cond.with(function* () {
          yield* cond.wait();
        }),
      );
      const held = String(cond);
      cond.release();
      yield* sleep(1);
      return [first, second, held, String(cond)];
    });
    expect(out).toEqual([true, false, "<Condition [locked]>", "<Condition [unlocked, waiters:1]>"]);
  });

  it("toString() counts a notified or cancelled waiter until its task runs, as asyncio's repr does", async () => {
    const out = await runVirtual(core, function* () {
      const cond = new Condition();
      const waiters = [0, 1, 2, 3].map(() => createTask(cond.with(() => cond.wait())));
      yield* sleep(0);
      const seen: string[] = [];
      waiters[3]!.cancel();
      yield* cond.with(function* () {
        for (let i = 0; i < 3; i++) {
          cond.notify(1);
          seen.push(String(cond));
        }
      });
      yield* gather(waiters, { returnExceptions: true });
      return [...seen, String(cond)];
    });
    // CPython 3.13 prints the same for the same program.
    expect(out).toEqual([
      "<Condition [locked, waiters:4]>",
      "<Condition [locked, waiters:4]>",
      "<Condition [locked, waiters:4]>",
      "<Condition [unlocked]>",
    ]);
  });

  it("a cancelled waiter that notify() passed over does not cut off the waiters after it", async () => {
    const log = await runVirtual(core, function* () {
      const cond = new Condition();
      const log: string[] = [];
      const waiter = (name: string) =>
        createTask(function* () {
          yield* cond.with(function* () {
            yield* cond.wait();
            log.push(name);
          });
        });
      const tasks = ["w1", "w2", "w3", "w4"].map(waiter);
      yield* sleep(0);
      tasks[1]!.cancel(); // notify() passes w2 over and takes it out; its own cleanup does too
      yield* cond.with(() => cond.notify(2)); // w1 and w3
      yield* sleep(0);
      waiter("w5");
      yield* sleep(0);
      yield* cond.with(() => cond.notifyAll()); // w4 and w5
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual(["w1", "w3", "w4", "w5"]);
  });

  it("notify(n) counts as asyncio's `idx >= n`: a negative n wakes nobody, notify(1.5) wakes two", async () => {
    // CPython: the same program logs [] then ['a', 'b'].
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const tasks = ["a", "b", "c", "d"].map((name) =>
        createTask(
          cond.with(function* () {
            yield* cond.wait();
            log.push(`${name} at ${now()}`);
          }),
        ),
      );
      yield* sleep(1);
      yield* cond.with(() => cond.notify(-1));
      yield* sleep(1);
      log.push("--");
      yield* cond.with(() => cond.notify(1.5));
      yield* sleep(1);
      for (const task of tasks) task.cancel();
      yield* gather(tasks, { returnExceptions: true });
    });
    expect(log).toEqual(["--", "a at 2", "b at 2"]);
  });

  it("a waiter cancelled before any notify() still passes a notification on, as asyncio 3.13's `except BaseException: self._notify(1)`", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const cond = new Condition();
      const tasks = ["a", "b", "c"].map((name) =>
        createTask(
          cond.with(function* () {
            try {
              yield* cond.wait();
              log.push(`${name} woke at ${now()}`);
            } catch (error) {
              log.push(`${name} ${(error as Error).name} at ${now()}`);
              throw error;
            }
          }),
        ),
      );
      yield* sleep(5);
      tasks[0]!.cancel(); // never notified: the spurious wakeup goes to b, the oldest left
      yield* sleep(5);
      log.push(`c done=${tasks[2]!.done()}`);
      yield* cond.with(() => cond.notifyAll());
      yield* gather(tasks, { returnExceptions: true });
    });
    expect(log).toEqual(["a CancelledError at 5", "b woke at 5", "c done=false", "c woke at 10"]);
  });

  it("misuse: new Condition() of null or 0 is refused, not taken as the default lock", () => {
    const out = [thrown(() => new Condition(null as never)), thrown(() => new Condition(0 as never))];
    expect(out).toEqual([
      "TypeError: new Condition() needs a Lock or nothing, got null",
      "TypeError: new Condition() needs a Lock or nothing, got number 0",
    ]);
  });
});
