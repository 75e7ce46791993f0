// race(): the first awaitable to end decides, every other one is cancelled, and the race
// returns (or throws) only once their cleanup has run. All in virtual time, where "once"
// is an exact instant.
import { expect, it } from "vitest";
import {
  type Coroutine,
  createTask,
  currentTask,
  EventLoop,
  formatTaskTree,
  getRunningLoop,
  race,
  sleep,
} from "../src/index.ts";
import { after, failAfter, forEachCore, messageOf, now, outcome, runVirtual, virtualLoop } from "./helpers.ts";

/** A racer that logs how it ends: it returns `value` after `ms`, and its cleanup takes `cleanupMs`. */
function* racer<T>(log: string[], name: string, ms: number, value: T, cleanupMs = 0): Coroutine<T> {
  try {
    yield* sleep(ms);
    return value;
  } catch (error) {
    log.push(`${name} ${(error as Error).name} at ${now()}`);
    throw error;
  } finally {
    if (cleanupMs > 0) yield* sleep(cleanupMs);
    log.push(`${name} cleaned up at ${now()}`);
  }
}

forEachCore("race()", (core) => {
  it("returns the first result once every loser is cancelled and its cleanup, waits included, has run", async () => {
    const log: string[] = [];
    const result = await runVirtual(core, function* () {
      const value = yield* race([racer(log, "slow", 300, "slow"), racer(log, "fast", 100, "fast"), racer(log, "slower", 500, "slower", 50)]);
      log.push(`race returned ${value} at ${now()}`);
      return value;
    });
    expect(result).toBe("fast");
    expect(log).toEqual([
      "fast cleaned up at 100",
      "slow CancelledError at 100",
      "slow cleaned up at 100",
      "slower CancelledError at 100",
      "slower cleaned up at 150",
      "race returned fast at 150",
    ]);
  });

  it("cancels a loser without a message, as asyncio's staggered_race and TaskGroup do: it sees a bare CancelledError", async () => {
    const said: string[] = [];
    function* loser(): Coroutine<string> {
      try {
        yield* sleep(300);
        return "loser";
      } catch (error) {
        said.push(`${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      }
    }
    const value = await runVirtual(core, () => race([loser(), sleep(100, "winner")]));
    expect([value, said]).toEqual(["winner", ["CancelledError: "]]);
  });

  it("throws the winner's error as it is, not wrapped, after the losers' cleanup", async () => {
    const log: string[] = [];
    const message = await runVirtual(core, function* () {
      const said = yield* messageOf(() => race([racer(log, "loser", 300, 1, 20), failAfter(100, "broken")]));
      return `${said} at ${now()}`;
    });
    expect(message).toBe("Error: broken at 120");
    expect(log).toEqual(["loser CancelledError at 100", "loser cleaned up at 120"]);
  });

  it("cancelled itself, cancels them all and waits for their cleanup, even when cancelled again meanwhile; the first cancellation goes on", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const racing = createTask(function* () {
        try {
          return yield* race([racer(log, "a", 1_000, "a", 100), racer(log, "b", 1_000, "b", 200)]);
        } finally {
          log.push(`race ended at ${now()} with ${currentTask()!.cancelling()} cancel requests`);
        }
      }());
      yield* sleep(10);
      racing.cancel("first");
      yield* sleep(50);
      racing.cancel("again"); // in the middle of the cleanup
      yield* sleep(10);
      racing.cancel("and again");
      // As a task group's exit keeps the first (asyncio's TaskGroup does).
      expect(yield* messageOf(() => racing)).toBe("CancelledError: first");
      log.push(`awaited at ${now()}`);
    });
    expect(log).toEqual([
      "a CancelledError at 10",
      "b CancelledError at 10",
      "a cleaned up at 110",
      "b cleaned up at 210",
      "race ended at 210 with 3 cancel requests",
      "awaited at 210",
    ]);
  });

  it("a cancellation that comes during the losers' cleanup wins over the winner's result; the first of several does", async () => {
    const said = await runVirtual(core, function* () {
      const racing = createTask(race([after(10, "won"), racer([], "loser", 1_000, "lost", 100)]));
      yield* sleep(50); // the winner is in; the loser cleans up until 110
      racing.cancel("first");
      yield* sleep(10);
      racing.cancel("again");
      return yield* messageOf(() => racing);
    });
    expect(said).toBe("CancelledError: first");
  });

  it("a winner's error is reported, not lost, when a cancellation of the race goes on instead", async () => {
    const { loop, errors } = virtualLoop(core);
    const outcomes = await loop.runUntilComplete(
      (function* () {
        // Cancelled while the loser cleans up, after the winner failed.
        const during = createTask(race([failAfter(10, "failed before the cleanup"), racer([], "loser", 1_000, 0, 100)]));
        yield* sleep(50);
        during.cancel();
        const first = `${yield* outcome(() => during)} at ${now()}`;
        // Cancelled in the step the winner fails in, before the race has seen it end.
        const winner = loop.createFuture<number>();
        const before = createTask(race([winner, racer([], "loser", 1_000, 0, 100)]));
        yield* sleep(1);
        winner.setException(new Error("failed as the race was cancelled"));
        before.cancel();
        return [first, `${yield* outcome(() => before)} at ${now()}`];
      })(),
    );
    loop.close();
    expect(outcomes).toEqual(["CancelledError at 110", "CancelledError at 211"]);
    expect(errors.map((error) => String(error))).toEqual(["Error: failed before the cleanup", "Error: failed as the race was cancelled"]);
  });

  it("a Task passed twice is cancelled once; a Task passed in is cancelled with the race", async () => {
    const counts = await runVirtual(core, function* () {
      const twice = createTask(after(1_000, "twice"));
      yield* race([twice, twice, after(1, "quick")]);
      const mine = createTask(after(1_000, "mine"));
      const racing = createTask(race([mine, after(1_000, "other")]));
      yield* sleep(1);
      racing.cancel();
      yield* outcome(() => racing);
      return [twice.cancelled(), twice.cancelling(), mine.cancelled()];
    });
    expect(counts).toEqual([true, 1, true]);
  });

  it("a loser's failure in its cleanup is reported to the exception handler, not lost", async () => {
    const { loop, errors } = virtualLoop(core);
    const result = await loop.runUntilComplete(
      race([
        after(10, "won"),
        (function* () {
          try {
            yield* sleep(1_000);
          } finally {
            throw new Error("cleanup failed");
          }
        })(),
      ]),
    );
    loop.close();
    expect(result).toBe("won");
    expect(errors.map((error) => String(error))).toEqual(["Error: cleanup failed"]);
  });

  it("a loser that fails in the iteration the winner ends keeps its error, which is reported once", async () => {
    const { loop, errors } = virtualLoop(core);
    const failed = loop.createFuture<string>();
    const result = await loop.runUntilComplete(
      (function* () {
        const won = yield* race([after(10, "won"), failAfter(10, "lost in a tie")]);
        const done = loop.createFuture<string>();
        done.setResult("done");
        failed.setException(new Error("failed before the race"));
        const first = yield* race([done, failed]);
        return [won, first];
      })(),
    );
    loop.close();
    expect(result).toEqual(["won", "done"]);
    expect(errors.map((error) => String(error))).toEqual(["Error: lost in a tie", "Error: failed before the race"]);
  });

  it("refuses a bad awaitable before it makes any task, so none is left running", async () => {
    const log: string[] = [];
    const other = new EventLoop({ clock: "virtual", core });
    const said = await runVirtual(core, function* () {
      const refusals = [
        yield* messageOf(() => race([racer(log, "first", 10, 1), 42 as never])),
        yield* messageOf(() => race([racer(log, "first", 10, 1), other.createFuture()])),
        yield* messageOf(() => race([currentTask()!, after(10, "other")])),
      ];
      yield* sleep(100);
      return refusals;
    });
    other.close();
    expect(said).toEqual([
      expect.stringMatching(/^TypeError: race\(\) needs a Future, a Task or a generator, got number 42/),
      "ValueError: race() got <Future pending>, attached to a different loop",
      expect.stringMatching(/^RuntimeError: race\(\): <Task pending name=Task-\d+> cannot race itself$/),
    ]);
    expect(log).toEqual([]); // no racer ran
  });

  it("cancels a Task passed in when it loses, and leaves one done already as it is", async () => {
    const states = await runVirtual(core, function* () {
      const done = createTask(after(0, "done"));
      yield* sleep(1);
      const mine = createTask(after(100, "mine"));
      const won = yield* race([after(5, "coroutine"), mine]);
      const first = yield* race([done, after(5, "late")]);
      return [won, mine.cancelled(), first, done.result()];
    });
    expect(states).toEqual(["coroutine", true, "done", "done"]);
  });

  it("of futures done already, the first in the array wins", async () => {
    const won = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const a = loop.createFuture<string>();
      const b = loop.createFuture<string>();
      b.setResult("b");
      a.setResult("a");
      return yield* race([a, b]);
    });
    expect(won).toBe("a");
  });

  it("a winner that something else cancelled ends the race with its CancelledError", async () => {
    const said = await runVirtual(core, function* () {
      const victim = createTask(after(1_000, "never"));
      const racing = createTask(race([victim, after(500, "other")]));
      yield* sleep(10);
      victim.cancel("stop it");
      const message = yield* messageOf(() => racing);
      return `${message}; race task cancelled: ${racing.cancelled()}`;
    });
    expect(said).toBe("CancelledError: stop it; race task cancelled: true");
  });

  it("makes one task of a coroutine passed twice, and shows its runners in the task tree", async () => {
    const tree = await runVirtual(core, function* () {
      let runs = 0;
      const twice = (function* () {
        runs++;
        yield* sleep(100);
        return runs;
      })();
      const racing = createTask(race([twice, twice, after(1_000, 0)]), { name: "racing" });
      yield* sleep(1);
      const text = formatTaskTree();
      expect(yield* racing).toBe(1);
      return text;
    });
    expect(tree).toContain("racing: race() of 3");
    expect(tree.match(/sleep\(\) until 100 ms/g)).toHaveLength(1);
  });

  it("refuses an empty array, a non-array and what is not awaitable, naming it; the loop goes on", async () => {
    const said = await runVirtual(core, function* () {
      return [
        yield* messageOf(() => race([])),
        yield* messageOf(() => race(new Set([sleep(1)]) as never)),
        yield* messageOf(() => race([after(1, 1), Promise.resolve(2) as never])),
        yield* race([after(1, "still running")]),
      ];
    });
    expect(said).toEqual([
      "ValueError: race() of no awaitables would never end",
      "TypeError: race() takes an array of awaitables, race([a, b]), got an object of class Set",
      expect.stringMatching(/^TypeError: race\(\) needs a Future, a Task or a generator, got a Promise/),
      "still running",
    ]);
  });

  it("is typed as the union of what the awaitables give", async () => {
    const value = await runVirtual(core, function* () {
      const won = yield* race([after(1, 1), after(2, "two")]);
      const check: number | string = won;
      // @ts-expect-error a number or a string, not surely a number
      const narrow: number = won;
      return [check, narrow];
    });
    expect(value).toEqual([1, 1]);
  });
});

it("is refused outside a running loop", () => {
  expect(() => race([after(1, 1)]).next()).toThrow(/no running event loop/);
});

it("an operation only: awaiting it is refused with the usual TypeError", () => {
  expect(() => (race([after(1, 1)]) as unknown as PromiseLike<unknown>).then(() => {})).toThrow(TypeError);
});
