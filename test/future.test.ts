// Futures: states, results, callbacks (always from the loop), awaiting with yield* and await.
import fc from "fast-check";
import { expect, it } from "vitest";
import { CancelledError, Future, InvalidStateError, sleep } from "../src/index.ts";
import { forEachCore, virtualLoop } from "./helpers.ts";

forEachCore("Future", (core) => {
  it("moves from pending to a result once", () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture<number>();
    expect(f.done()).toBe(false);
    expect(() => f.result()).toThrow(InvalidStateError);
    expect(() => f.exception()).toThrow(InvalidStateError);
    f.setResult(7);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(7);
    expect(f.exception()).toBeUndefined();
    expect(() => f.setResult(8)).toThrow(InvalidStateError);
    expect(() => f.setException(new Error("late"))).toThrow(InvalidStateError);
    expect(f.cancel()).toBe(false);
    expect(f.result()).toBe(7);
  });

  it("describes what it holds once finished, as asyncio's repr does", () => {
    const { loop } = virtualLoop(core);
    const holding = (value: unknown) => {
      const f = loop.createFuture();
      f.setResult(value);
      return String(f);
    };
    class Job {}
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(
      [5, 10n, "a\nb", "x".repeat(50), undefined, null, [1, 2, 3], new Job(), Object.create(null), function named() {}, Symbol("s"), revoked.proxy].map(holding),
    ).toEqual([
      "<Future finished result=5>",
      "<Future finished result=10>",
      '<Future finished result="a\\nb">',
      `<Future finished result="${"x".repeat(40)}...">`,
      "<Future finished result=undefined>",
      "<Future finished result=null>",
      "<Future finished result=an object of class Array>",
      "<Future finished result=an object of class Job>",
      "<Future finished result=an object>",
      "<Future finished result=a function (named)>",
      "<Future finished result=Symbol(s)>",
      "<Future finished result=(a value that cannot be shown)>",
    ]);
    const failed = loop.createFuture();
    failed.setException(new TypeError("bad"));
    expect(String(failed)).toBe('<Future finished exception=TypeError("bad")>');
    failed.exception();
    const cancelled = loop.createFuture();
    cancelled.cancel("no");
    expect(String(cancelled)).toBe("<Future cancelled>");
    expect(String(loop.createFuture())).toBe("<Future pending>");
  });

  it("holds an exception, raised by result()", () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    const error = new Error("bad");
    f.setException(error);
    expect(f.exception()).toBe(error);
    expect(() => f.result()).toThrow(error);
  });

  it("result() that raises the exception has retrieved it: it is not reported as never retrieved", async () => {
    // asyncio's result() clears the "never retrieved" flag as exception() does.
    const { loop, errors } = virtualLoop(core);
    const read = loop.createFuture();
    read.setException(new Error("read by result()"));
    expect(() => read.result()).toThrow("read by result()");
    loop.createFuture().setException(new Error("unread"));
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    loop.close();
    expect(errors.map((error) => (error as Error).message)).toEqual(["unread"]);
  });

  it("cancel(message) makes result() and exception() raise CancelledError with the message", () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    expect(f.cancel("stop it")).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.result()).toThrow("stop it");
    expect(() => f.exception()).toThrow(CancelledError);
    expect(f.cancel()).toBe(false);
  });

  it("runs done callbacks from the loop, not synchronously, in registration order", async () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture<string>();
    const seen: string[] = [];
    f.addDoneCallback((fut) => seen.push(`one:${fut.result()}`));
    f.addDoneCallback(() => seen.push("two"));
    f.setResult("x");
    expect(seen).toEqual([]);
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["one:x", "two"]);
    // Added after completion: scheduled on its own, still never synchronous.
    f.addDoneCallback(() => seen.push("late"));
    expect(seen).toEqual(["one:x", "two"]);
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["one:x", "two", "late"]);
  });

  it("a done callback added after the result is set, before the loop ran the others, runs once, after them", async () => {
    // asyncio: added to a done future, it is scheduled on its own (call_soon), never kept.
    const { loop } = virtualLoop(core);
    const f = loop.createFuture<number>();
    const seen: string[] = [];
    f.addDoneCallback(() => seen.push("before"));
    f.setResult(1);
    f.addDoneCallback(() => seen.push("after"));
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(seen).toEqual(["before", "after"]);
  });

  it("removeDoneCallback removes every registration and counts them", async () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    const seen: string[] = [];
    const cb = () => seen.push("removed");
    f.addDoneCallback(cb);
    f.addDoneCallback(() => seen.push("kept"));
    f.addDoneCallback(cb);
    expect(f.removeDoneCallback(cb)).toBe(2);
    expect(f.removeDoneCallback(cb)).toBe(0);
    f.setResult(1);
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["kept"]);
  });

  it("removeDoneCallback on a done future takes nothing back: the callbacks already scheduled run", async () => {
    // asyncio: once done, the callbacks are on the loop's ready queue and the list is empty.
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    const seen: string[] = [];
    const cb = () => seen.push("ran");
    f.addDoneCallback(cb);
    f.setResult(1);
    expect(f.removeDoneCallback(cb)).toBe(0);
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(seen).toEqual(["ran"]);
  });

  it("keeps registration order under random adds and removals, whether it holds one callback, a few or many", async () => {
    // The model is the list asyncio keeps. Users' callbacks are drawn from a few
    // functions, so one is often registered twice; the runtime's own (a waiting task, a
    // gather's) are each their own object, and leave one registration at a time.
    const { loop } = virtualLoop(core);
    type Op = [kind: "add" | "addOwn" | "removeOwn" | "remove", which: number];
    const op = fc.tuple(fc.constantFrom<Op[0]>("add", "addOwn", "removeOwn", "remove"), fc.nat(39)) as fc.Arbitrary<Op>;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 120 }), async (ops) => {
        const future = loop.createFuture<number>();
        const ran: string[] = [];
        const users = Array.from({ length: 5 }, (_, n) => () => ran.push(`user ${n}`));
        const owns = Array.from({ length: 40 }, (_, n) => () => ran.push(`own ${n}`));
        const model: string[] = [];
        for (const [kind, which] of ops) {
          const user = which % users.length;
          if (kind === "add") {
            future.addDoneCallback(users[user]!);
            model.push(`user ${user}`);
          } else if (kind === "addOwn" && !model.includes(`own ${which}`)) {
            future._addCallback(owns[which]!);
            model.push(`own ${which}`);
          } else if (kind === "removeOwn") {
            future._removeCallback(owns[which]!);
            if (model.includes(`own ${which}`)) model.splice(model.indexOf(`own ${which}`), 1);
          } else if (kind === "remove") {
            const count = model.filter((name) => name === `user ${user}`).length;
            expect(future.removeDoneCallback(users[user]!)).toBe(count);
            model.splice(0, model.length, ...model.filter((name) => name !== `user ${user}`));
          }
          expect(future._hasCallback(owns[which]!)).toBe(model.includes(`own ${which}`));
        }
        future.setResult(1);
        await loop.runUntilComplete(function* () {
          yield* sleep(0);
        });
        expect(ran).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });

  it("a throwing done callback goes to the exception handler; the next one still runs", async () => {
    const { loop, errors } = virtualLoop(core);
    const f = loop.createFuture();
    const seen: string[] = [];
    const boom = new Error("callback failed");
    f.addDoneCallback(() => {
      throw boom;
    });
    f.addDoneCallback(() => seen.push("second"));
    f.setResult(1);
    await loop.runUntilComplete(function* () {
      yield* sleep(0);
    });
    expect(errors).toEqual([boom]);
    expect(seen).toEqual(["second"]);
  });

  it("is awaited with yield* (typed), and a done future does not suspend", async () => {
    const { loop } = virtualLoop(core);
    const later = loop.createFuture<number>();
    const ready = loop.createFuture<string>();
    ready.setResult("now");
    loop.callLater(250, () => later.setResult(42));
    const out = await loop.runUntilComplete(function* () {
      const a: string = yield* ready;
      const t0 = loop.time();
      const b: number = yield* later;
      return [a, t0, b, loop.time()] as const;
    });
    expect(out).toEqual(["now", 0, 42, 250]);
  });

  it("is awaitable from plain async code (thenable), including its exception", async () => {
    const { loop } = virtualLoop(core);
    const ok = loop.createFuture<string>();
    const bad = loop.createFuture<string>();
    loop.callLater(10, () => ok.setResult("fine"));
    loop.callLater(20, () => bad.setException(new Error("nope")));
    const running = loop.runUntilComplete(function* () {
      yield* sleep(30);
    });
    expect(await ok).toBe("fine");
    await expect(bad).rejects.toThrow("nope");
    await running;
  });

  it("awaited from plain async code, a cancelled future rejects with its CancelledError, cancelled before or while awaited", async () => {
    const { loop } = virtualLoop(core);
    const before = loop.createFuture<string>();
    before.cancel("gone before");
    const during = loop.createFuture<string>();
    loop.callLater(10, () => during.cancel("gone later"));
    const running = loop.runUntilComplete(function* () {
      yield* sleep(20);
    });
    const how = (f: Future<string>): Promise<string> =>
      f.then(
        (value) => `value ${value}`,
        (error: unknown) => `${error instanceof CancelledError ? "CancelledError" : "other"}: ${(error as Error).message}`,
      );
    expect([await how(before), await how(during)]).toEqual(["CancelledError: gone before", "CancelledError: gone later"]);
    await running;
  });

  it("a cancelled future raises CancelledError in the task awaiting it", async () => {
    const { loop } = virtualLoop(core);
    const f = loop.createFuture();
    loop.callLater(5, () => f.cancel("gone"));
    const message = await loop.runUntilComplete(function* () {
      try {
        yield* f;
        return "not reached";
      } catch (error) {
        return error instanceof CancelledError ? error.message : "wrong error";
      }
    });
    expect(message).toBe("gone");
  });

  it("new Future() outside a loop turn needs the loop passed in", () => {
    expect(() => new Future()).toThrow(/no running event loop/);
    const { loop } = virtualLoop(core);
    expect(new Future(loop).getLoop()).toBe(loop);
  });
});
