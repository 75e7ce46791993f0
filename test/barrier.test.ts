// Barrier: asyncio.Barrier's semantics, including SEMANTICS.md item 11. Every expected
// order below is the one CPython 3.13 produces for the same schedule.
import { expect, it } from "vitest";
import { createTask, gather, sleep } from "../src/index.ts";
import { BrokenBarrierError } from "../src/errors.ts";
import { Barrier } from "../src/barrier.ts";
import { forEachCore, now, runVirtual, thrown } from "./helpers.ts";

/** A task that waits at `barrier` and logs "name index at t", or "name Error at t" and rethrows. */
function loggedParty(barrier: Barrier, log: string[], name: string) {
  return createTask(function* () {
    try {
      const index = yield* barrier.wait();
      log.push(`${name} ${index} at ${now()}`);
    } catch (error) {
      log.push(`${name} ${(error as Error).name} at ${now()}`);
      throw error;
    }
  });
}

forEachCore("Barrier", (core) => {
  it("a party that arrives while a reset drains the old cycle waits for the next cycle (CPython 3.13)", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const barrier = new Barrier(2);
      const a = loggedParty(barrier, log, "A");
      yield* sleep(1);
      const reset = createTask(barrier.reset());
      const b = loggedParty(barrier, log, "B"); // while A still drains with BrokenBarrierError
      yield* sleep(1);
      const c = loggedParty(barrier, log, "C");
      yield* gather([a, reset, b, c], { returnExceptions: true });
      return [log, String(barrier)];
    });
    expect(out).toEqual([["A BrokenBarrierError at 1", "C 1 at 2", "B 0 at 2"], "<Barrier [filling, waiters:0/2]>"]);
  });

  it("SEMANTICS 11: the last party to arrive goes through first, then the rest in arrival order", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(3);
      const party = (name: string, arriveAt: number) =>
        createTask(function* () {
          yield* sleep(arriveAt);
          log.push(`${name} arrives at ${now()}, nWaiting=${barrier.nWaiting}`);
          const index = yield* barrier.wait();
          log.push(`${name} through with index ${index} at ${now()}`);
        });
      const tasks = [party("x", 10), party("y", 0), party("z", 5)];
      for (const task of tasks) yield* task;
      log.push(`nWaiting=${barrier.nWaiting} broken=${barrier.broken}`);
    });
    expect(log).toEqual([
      "y arrives at 0, nWaiting=0",
      "z arrives at 5, nWaiting=1",
      "x arrives at 10, nWaiting=2",
      "x through with index 2 at 10",
      "y through with index 0 at 10",
      "z through with index 1 at 10",
      "nWaiting=0 broken=false",
    ]);
  });

  it("is reusable: each round lets its parties through together", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(2);
      const party = (name: string, pause: number) =>
        createTask(function* () {
          for (let round = 0; round < 3; round++) {
            yield* sleep(pause);
            const index = yield* barrier.wait();
            log.push(`${name} r${round} ${index} at ${now()}`);
          }
        });
      yield* gather([party("a", 2), party("b", 5)]);
    });
    expect(log).toEqual([
      "b r0 1 at 5",
      "a r0 0 at 5",
      "b r1 1 at 10",
      "a r1 0 at 10",
      "b r2 1 at 15",
      "a r2 0 at 15",
    ]);
  });

  it("tasks beyond `parties` wait for the next round while the current one drains", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(2);
      const party = (name: string) =>
        createTask(function* () {
          const index = yield* barrier.wait();
          log.push(`${name} ${index} at ${now()}`);
        });
      const tasks = ["a", "b", "c", "d", "e"].map(party);
      yield* sleep(1);
      log.push(`nWaiting=${barrier.nWaiting}`);
      yield* sleep(1);
      tasks.push(party("f"));
      for (const task of tasks) yield* task;
    });
    expect(log).toEqual(["b 1 at 0", "a 0 at 0", "d 1 at 0", "c 0 at 0", "nWaiting=1", "f 1 at 2", "e 0 at 2"]);
  });

  it("a barrier of one party lets every task through at once with index 0", async () => {
    const out = await runVirtual(core, function* () {
      const barrier = new Barrier(1);
      return [yield* barrier.wait(), yield* barrier.wait(), now(), barrier.parties];
    });
    expect(out).toEqual([0, 0, 0, 1]);
  });

  it("abort() breaks it: waiters and later arrivals get BrokenBarrierError until reset()", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(3);
      const party = (name: string) =>
        createTask(function* () {
          try {
            const index = yield* barrier.wait();
            log.push(`${name} ${index}`);
          } catch (error) {
            const broken = error instanceof BrokenBarrierError;
            log.push(`${name} ${(error as Error).name}: ${(error as Error).message} at ${now()} ${broken}`);
          }
        });
      const tasks = [party("a"), party("b")];
      yield* sleep(1);
      log.push(`nWaiting=${barrier.nWaiting}`);
      yield* barrier.abort();
      log.push(`broken=${barrier.broken} nWaiting=${barrier.nWaiting}`);
      for (const task of tasks) yield* task;
      yield* party("late");
      yield* barrier.reset();
      log.push(`after reset broken=${barrier.broken}`);
      yield* gather(["x", "y", "z"].map(party));
    });
    expect(log).toEqual([
      "nWaiting=2",
      "broken=true nWaiting=0",
      "a BrokenBarrierError: Abort or reset of barrier at 1 true",
      "b BrokenBarrierError: Abort or reset of barrier at 1 true",
      "late BrokenBarrierError: Barrier aborted at 1 true",
      "after reset broken=false",
      "z 2",
      "x 0",
      "y 1",
    ]);
  });

  it("reset() fails the current waiters; a task arriving meanwhile waits for the fresh round", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(3);
      const party = (name: string) =>
        createTask(function* () {
          try {
            const index = yield* barrier.wait();
            log.push(`${name} ${index} at ${now()}`);
          } catch (error) {
            log.push(`${name} ${(error as Error).name}: ${(error as Error).message} at ${now()}`);
          }
        });
      const first = [party("a"), party("b")];
      yield* sleep(2);
      yield* barrier.reset();
      log.push(`reset: broken=${barrier.broken} nWaiting=${barrier.nWaiting} ${String(barrier)}`);
      const c = party("c"); // arrives while a and b are still leaving
      for (const task of first) yield* task;
      log.push(`${String(barrier)} nWaiting=${barrier.nWaiting}`);
      yield* sleep(1);
      yield* gather([c, party("d"), party("e")]);
    });
    expect(log).toEqual([
      "reset: broken=false nWaiting=0 <Barrier [resetting, waiters:0/3]>",
      "a BrokenBarrierError: Abort or reset of barrier at 2",
      "b BrokenBarrierError: Abort or reset of barrier at 2",
      "<Barrier [filling, waiters:1/3]> nWaiting=1",
      "e 2 at 3",
      "c 0 at 3",
      "d 1 at 3",
    ]);
  });

  it("a waiter cancelled while the barrier fills leaves it (unbroken, as in asyncio); the round completes without it", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(3);
      const party = (name: string) => loggedParty(barrier, log, name);
      const t1 = party("t1");
      yield* sleep(1);
      const t2 = party("t2");
      yield* sleep(1);
      log.push(`nWaiting=${barrier.nWaiting}`);
      t1.cancel();
      yield* sleep(1);
      log.push(`nWaiting=${barrier.nWaiting} broken=${barrier.broken} t1 cancelled=${t1.cancelled()}`);
      yield* gather([t2, party("t3"), party("t4")]);
      log.push(`nWaiting=${barrier.nWaiting} broken=${barrier.broken}`);
    });
    // asyncio 3.13 gives t2 and t3 the same index: t2 took 1 when t1 held 0, and t3 took
    // 1 after t1 left. Kept for fidelity.
    expect(log).toEqual([
      "nWaiting=2",
      "t1 CancelledError at 2",
      "nWaiting=1 broken=false t1 cancelled=true",
      "t4 2 at 3",
      "t2 1 at 3",
      "t3 1 at 3",
      "nWaiting=0 broken=false",
    ]);
  });

  it("a waiter cancelled after the round is released but before it runs ends cancelled; the barrier fills again", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const barrier = new Barrier(2);
      const party = (name: string) => loggedParty(barrier, log, name);
      const a = party("a");
      yield* sleep(1);
      const b = party("b");
      yield* sleep(0); // b arrives, releases the round and leaves, all in one step
      log.push(`a done=${a.done()} b done=${b.done()}`);
      a.cancel(); // a was released but has not run yet
      yield* gather([a, b], { returnExceptions: true });
      log.push(`${String(barrier)} broken=${barrier.broken} a cancelled=${a.cancelled()}`);
      yield* gather([party("x"), party("y")]);
    });
    expect(log).toEqual([
      "b 1 at 1",
      "a done=false b done=true",
      "a CancelledError at 1",
      "<Barrier [filling, waiters:0/2]> broken=false a cancelled=true",
      "y 1 at 1",
      "x 0 at 1",
    ]);
  });

  it("misuse: parties below 1 is a ValueError, a non-integer a TypeError", () => {
    expect(thrown(() => new Barrier(0))).toBe("ValueError: new Barrier(): parties must be > 0, got 0");
    expect(thrown(() => new Barrier(-3))).toBe("ValueError: new Barrier(): parties must be > 0, got -3");
    expect(thrown(() => new Barrier(2.5))).toBe("ValueError: new Barrier(): parties must be an integer, got number 2.5");
    expect(thrown(() => new Barrier("3" as never))).toBe('TypeError: new Barrier(): parties must be an integer, got the string "3"');
    expect(String(new Barrier(4))).toBe("<Barrier [filling, waiters:0/4]>");
  });

  it("toString() of a broken barrier shows the state only, as asyncio's repr", async () => {
    const out = await runVirtual(core, function* () {
      const barrier = new Barrier(3);
      yield* barrier.abort();
      const broken = String(barrier);
      yield* barrier.reset();
      return [broken, String(barrier)];
    });
    expect(out).toEqual(["<Barrier [broken]>", "<Barrier [filling, waiters:0/3]>"]);
  });
});
