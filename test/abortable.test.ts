// abortable(signal, body): an AbortSignal cancels the body like a timeout would, its
// cleanup runs, and the scope throws the signal's reason. Exact times in virtual time.
import { afterEach, expect, it, vi } from "vitest";
import {
  abortable,
  CancelledError,
  type Coroutine,
  createTask,
  gather,
  getRunningLoop,
  run,
  sleep,
  timeout,
  until,
} from "../src/index.ts";
import { forEachCore, messageOf, now, runVirtual, virtualLoop, withinRealTime } from "./helpers.ts";

afterEach(() => vi.restoreAllMocks());

/** What a scope ended with: "value: x", or what it threw (the reason itself if not an Error). */
function* ending(body: () => Coroutine<unknown>): Coroutine<string> {
  try {
    return `value: ${String(yield* body())}`;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : `threw ${String(error)}`;
  }
}

forEachCore("abortable", (core) => {
  it("cancels the body when the signal aborts, lets its cleanup wait, then throws the reason", async () => {
    const log = await runVirtual(core, function* () {
      const log: string[] = [];
      const controller = new AbortController();
      getRunningLoop().callLater(50, () => controller.abort("client went away"));
      const end = yield* ending(() =>
        abortable(controller.signal, function* () {
          try {
            yield* sleep(100);
            log.push("not reached");
          } catch (error) {
            log.push(`${(error as Error).name} at ${now()}`);
            throw error;
          } finally {
            yield* sleep(10); // cleanup that waits
            log.push(`cleaned up at ${now()}`);
          }
        }),
      );
      log.push(`${end} at ${now()}`);
      return log;
    });
    expect(log).toEqual(["CancelledError at 50", "cleaned up at 60", "threw client went away at 60"]);
  });

  it("throws the reason of a signal already aborted without running the body", async () => {
    const reason = new Error("gone before we started");
    const out = await runVirtual(core, function* () {
      let ran = false;
      const end = yield* ending(() =>
        abortable(AbortSignal.abort(reason), function* () {
          ran = true;
        }),
      );
      return [end, ran];
    });
    expect(out).toEqual(["Error: gone before we started", false]);
  });

  it("gives the body the signal, returns its value, and stops listening once it is done", async () => {
    const controller = new AbortController();
    const removed = vi.spyOn(controller.signal, "removeEventListener");
    const out = await runVirtual(core, function* () {
      const value = yield* abortable(controller.signal, function* (signal) {
        yield* sleep(10);
        return signal === controller.signal ? "same signal" : "another signal";
      });
      controller.abort("too late to matter");
      yield* sleep(10);
      return [value, now()];
    });
    expect(out).toEqual(["same signal", 20]);
    expect(removed).toHaveBeenCalledWith("abort", expect.any(Function));
  });

  it("listens to a signal once however many scopes share it, and each one stops when it aborts", async () => {
    // Node warns of a leak past ten listeners on one signal: a server's shutdown signal,
    // shared by every request's scope, must not get one per request.
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, "addEventListener");
    const removed = vi.spyOn(controller.signal, "removeEventListener");
    const out = await runVirtual(core, function* () {
      const request = (ms: number) => () => ending(() => abortable(controller.signal, sleep(ms, `done at ${ms}`)));
      const early = createTask(request(5));
      const late = Array.from({ length: 20 }, () => createTask(request(100)));
      yield* sleep(10);
      const listening = [added.mock.calls.length, removed.mock.calls.length];
      controller.abort(new Error("shutting down"));
      const endings = [yield* early, ...(new Set(yield* gather(late)))];
      return { listening, endings, at: now() };
    });
    // One listener, added by the first scope; the early scope's end left it in place.
    expect(out.listening).toEqual([1, 0]);
    expect(out.endings).toEqual(["value: done at 5", "Error: shutting down"]);
    expect(out.at).toBe(10);
    // Aborted, the signal dropped its listener (once); a new scope would add its own.
    expect(added.mock.calls.length).toBe(1);
  });

  it("stops listening when the last scope on a signal ends, and listens again for the next", async () => {
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, "addEventListener");
    const removed = vi.spyOn(controller.signal, "removeEventListener");
    const out = await runVirtual(core, function* () {
      yield* gather([abortable(controller.signal, sleep(5)), abortable(controller.signal, sleep(10))]);
      const afterFirst = [added.mock.calls.length, removed.mock.calls.length];
      yield* abortable(controller.signal, sleep(5));
      return [afterFirst, [added.mock.calls.length, removed.mock.calls.length]];
    });
    expect(out).toEqual([[1, 1], [2, 2]]);
  });

  it("returns what the body returns if it catches the cancellation", async () => {
    const out = await runVirtual(core, function* () {
      const controller = new AbortController();
      getRunningLoop().callLater(5, () => controller.abort());
      return yield* abortable(controller.signal, function* () {
        try {
          yield* sleep(100);
        } catch (error) {
          if (!(error instanceof CancelledError)) throw error;
        }
        return `gave up quietly at ${now()}`;
      });
    });
    expect(out).toBe("gave up quietly at 5");
  });

  it("lets a cancellation from outside stay a CancelledError, even with the signal aborted too", async () => {
    const out = await runVirtual(core, function* () {
      const controller = new AbortController();
      const inner = createTask(abortable(controller.signal, sleep(100)));
      yield* sleep(10);
      inner.cancel();
      controller.abort("also aborted");
      return yield* messageOf(() => inner);
    });
    expect(out).toBe("CancelledError: ");
  });

  it("nests with timeouts: whichever fires first names the error", async () => {
    const out = await runVirtual(core, function* () {
      const controller = new AbortController();
      getRunningLoop().callLater(30, () => controller.abort("aborted"));
      const timeoutFirst = yield* ending(() => abortable(controller.signal, () => timeout(20, sleep(100))));
      const abortFirst = yield* ending(() =>
        timeout(100, () => abortable(controller.signal, sleep(100))),
      );
      return [timeoutFirst, abortFirst, now()];
    });
    expect(out).toEqual(["TimeoutError: timed out: the deadline at 20 ms (loop time) passed", "threw aborted", 30]);
  });

  it("aborted by its own body, which then returns in the same step, ends with the value: nothing fails or is reported after", async () => {
    const reports: string[] = [];
    const out = await runVirtual(core, function* () {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(`${context.message}: ${String(context.exception)}`));
      const controller = new AbortController();
      const value = yield* abortable(controller.signal, function* () {
        controller.abort(new Error("stop"));
        return 5;
      });
      return [value, yield* ending(() => sleep(10, "slept on"))];
    });
    expect([out, reports]).toEqual([[5, "value: slept on"], []]);
  });

  it("a signal that aborts once the loop closed, while a scope's cleanup was left waiting there, raises nothing", async () => {
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, "addEventListener");
    const { loop } = virtualLoop(core);
    await loop.runUntilComplete(function* () {
      createTask(
        abortable(controller.signal, function* () {
          try {
            yield* sleep(1000);
          } finally {
            yield* sleep(5); // closed with the loop, the scope stops here, still listening
          }
        }),
      );
      yield* sleep(1);
    });
    loop.close();
    const onAbort = added.mock.calls[0]![1] as () => void; // what the signal calls when it aborts
    expect(() => onAbort()).not.toThrow();
  });

  it("refuses something that is not an AbortSignal", async () => {
    const message = await runVirtual(core, function* () {
      return [
        yield* messageOf(() => abortable({ aborted: false } as never, sleep(1))),
        // An event target, but no signal: nothing would ever say it aborted.
        yield* messageOf(() => abortable(new EventTarget() as never, sleep(1))),
      ];
    });
    expect(message).toEqual([
      "TypeError: abortable() takes an AbortSignal, got an object of class Object",
      "TypeError: abortable() takes an AbortSignal, got an object of class EventTarget",
    ]);
  });
});

it("stops work that waits on a foreign promise when the host aborts, outside the loop's turn", async () => {
  const controller = new AbortController();
  let fetchSignal: AbortSignal | undefined;
  setTimeout(() => controller.abort(new Error("shutting down")), 5);
  const out = await run(
    function* () {
      return yield* ending(() =>
        abortable(controller.signal, function* () {
          // A fetch that never answers: only the abort can end it.
          yield* until((signal) => {
            fetchSignal = signal;
            return new Promise(() => {});
          });
        }),
      );
    },
    { clock: "virtual" },
  );
  expect(out).toBe("Error: shutting down");
  expect(fetchSignal?.aborted).toBe(true);
  expect(fetchSignal?.reason).toBeInstanceOf(CancelledError);
});

it("stops a body that sleeps when the host aborts while the loop waits in its host timer", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("shutting down")), 5);
  const ended = run(function* () {
    return yield* ending(() => abortable(controller.signal, sleep(60_000)));
  }); // the real clock: the loop sleeps in a host timer set for 60 s
  const out = await withinRealTime(ended, 2000);
  expect(out).toBe("Error: shutting down");
});
