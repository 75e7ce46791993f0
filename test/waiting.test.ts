// wait(), asCompleted() and shield().
import { expect, it } from "vitest";
import {
  asCompleted,
  createTask,
  forAwait,
  gather,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  getRunningLoop,
  shield,
  sleep,
  type Task,
  until,
  wait,
} from "../src/index.ts";
import { after, failAfter, forEachCore, runVirtual, virtualLoop } from "./helpers.ts";

const names = (set: Set<Future<unknown>>, all: Map<Future<unknown>, string>) =>
  [...set].map((f) => all.get(f)).sort();

forEachCore("wait", (core) => {
  it("ALL_COMPLETED returns when all are done, and never raises their errors", async () => {
    const out = await runVirtual(core, function* () {
      const a = createTask(after(10, "a"));
      const b = createTask(failAfter(20, "b failed"));
      const { done, pending } = yield* wait([a, b]);
      return [done.size, pending.size, getRunningLoop().time(), (b.exception() as Error).message];
    });
    expect(out).toEqual([2, 0, 20, "b failed"]);
  });

  it("FIRST_COMPLETED returns at the first finish; the others keep running", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const a = createTask(after(30, "a"));
      const b = createTask(after(10, "b"));
      const label = new Map<Future<unknown>, string>([
        [a, "a"],
        [b, "b"],
      ]);
      const { done, pending } = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
      const first = [names(done, label), names(pending, label), loop.time()];
      yield* a;
      return [first, a.result(), loop.time()];
    });
    expect(out).toEqual([[["b"], ["a"], 10], "a", 30]);
  });

  it("FIRST_EXCEPTION returns at the first error, or when all are done", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const ok = createTask(after(5, "ok"));
      const bad = createTask(failAfter(10, "bad"));
      const slow = createTask(after(50, "slow"));
      const first = yield* wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
      const t1 = loop.time();
      const second = yield* wait([ok, slow], { returnWhen: FIRST_EXCEPTION });
      return [first.done.size, first.pending.size, t1, second.done.size, loop.time()];
    });
    expect(out).toEqual([2, 1, 10, 2, 50]);
  });

  it("FIRST_EXCEPTION does not count a cancellation as an error, as asyncio's does not", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const cancelled = createTask(sleep(100));
      const slow = createTask(after(50, "slow"));
      loop.callLater(10, () => cancelled.cancel());
      const { done, pending } = yield* wait([cancelled, slow], { returnWhen: FIRST_EXCEPTION });
      return [done.size, pending.size, loop.time(), cancelled.cancelled()];
    });
    expect(out).toEqual([2, 0, 50, true]);
  });

  it("FIRST_EXCEPTION retrieves a failure that came before its task was cancelled, in the same iteration (asyncio 3.13)", async () => {
    // asyncio's completion callback is scheduled when the task fails, and runs (calling
    // exception()) even though the wait's task woke cancelled first. A failure that came
    // after the cancellation is another's to retrieve: it is reported. CPython prints the
    // same two lines for the same program.
    const { loop, errors } = virtualLoop(core);
    const out: string[] = [];
    await loop.runUntilComplete(function* () {
      for (const cancelFirst of [false, true]) {
        let waiting: Task<unknown> | undefined;
        if (cancelFirst) loop.callLater(10, () => waiting!.cancel());
        const bad = createTask(failAfter(10, cancelFirst ? "after the cancel" : "before the cancel"));
        yield* sleep(0);
        if (!cancelFirst) loop.callLater(10, () => waiting!.cancel());
        waiting = createTask(wait([bad, createTask(sleep(20))], { returnWhen: FIRST_EXCEPTION }));
        yield* sleep(50);
        out.push(`${waiting.cancelled()}`);
      }
    });
    loop.close();
    expect([...out, ...errors.map((error) => (error as Error).message)]).toEqual(["true", "true", "after the cancel"]);
  });

  it("returns what is done when the timeout passes, cancelling nothing", async () => {
    const out = await runVirtual(core, function* () {
      const slow = createTask(after(100, "slow"));
      const { done, pending } = yield* wait([slow], { timeout: 40 });
      return [done.size, pending.size, getRunningLoop().time(), slow.cancelled(), yield* slow];
    });
    expect(out).toEqual([0, 1, 40, false, "slow"]);
  });

  it("cancelled, leaves no timer of its timeout behind for the virtual clock to jump to", async () => {
    // With autojumpThreshold 0, a virtual loop waiting on a promise jumps to its next
    // timer at once: a stale one would move the clock to 1000.
    const out = await runVirtual(
      core,
      function* () {
        const other = createTask(sleep(5000));
        const waiter = createTask(wait([other], { timeout: 1000 }));
        yield* sleep(10);
        waiter.cancel();
        other.cancel();
        yield* sleep(0);
        yield* until(new Promise((resolve) => setTimeout(resolve, 5)));
        return getRunningLoop().time();
      },
      { autojumpThreshold: 0 },
    );
    expect(out).toBe(10);
  });

  it("rejects coroutines, empty input and an unknown returnWhen", async () => {
    const out = await runVirtual(core, function* () {
      const errors: string[] = [];
      for (const attempt of [
        () => wait([after(1, 1) as never]),
        () => wait([]),
        () => wait([createTask(after(1, 1))], { returnWhen: "SOMETIMES" as never }),
        () => wait([createTask(after(1, 1))], { returnWhen: null as never }),
      ]) {
        try {
          yield* attempt();
        } catch (error) {
          errors.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
      return errors;
    });
    expect(out).toEqual([
      "TypeError: wait() takes futures or tasks, not coroutines: wrap them with createTask()",
      "ValueError: wait(): the set of tasks and futures is empty",
      'ValueError: wait(): invalid returnWhen value: the string "SOMETIMES"; use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED',
      "ValueError: wait(): invalid returnWhen value: null; use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED",
    ]);
  });
});

forEachCore("asCompleted", (core) => {
  it("gives results in completion order", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      for (const next of asCompleted([after(30, "c"), after(10, "a"), after(20, "b")])) {
        const value = yield* next;
        seen.push(`${value}@${loop.time()}`);
      }
      return seen;
    });
    expect(out).toEqual(["a@10", "b@20", "c@30"]);
  });

  it("is not closed by leaving a loop over it early: a later loop reads the rest, as in asyncio", async () => {
    const out = await runVirtual(core, function* () {
      const completed = asCompleted([after(30, "c"), after(10, "a"), after(20, "b")]);
      const seen: string[] = [];
      for (const next of completed) {
        seen.push(`first loop: ${yield* next}`);
        break;
      }
      for (const next of completed) seen.push(`second loop: ${yield* next}`);
      return seen;
    });
    expect(out).toEqual(["first loop: a", "second loop: b", "second loop: c"]);
  });

  it("starts the work and the timeout when called, not when the loop first steps (CPython 3.13)", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      function* work(name: string, ms: number) {
        seen.push(`start ${name}@${loop.time()}`);
        yield* sleep(ms);
        return name;
      }
      const early = asCompleted([work("a", 10)], { timeout: 20 });
      yield* sleep(15);
      for (const next of early) seen.push(`got ${yield* next}@${loop.time()}`);
      const late = asCompleted([work("b", 40)], { timeout: 20 });
      yield* sleep(30);
      for (const next of late) {
        try {
          yield* next;
        } catch (error) {
          seen.push(`${String(error)}@${loop.time()}`);
        }
      }
      asCompleted([work("never iterated", 5)]); // its task runs all the same
      yield* sleep(10);
      return seen;
    });
    expect(out).toEqual([
      "start a@0",
      "got a@15",
      "start b@15",
      "TimeoutError: asCompleted() timed out@45",
      "start never iterated@45",
    ]);
  });

  it("raises each one's error when it comes up", async () => {
    const out = await runVirtual(core, function* () {
      const seen: string[] = [];
      for (const next of asCompleted([failAfter(10, "bad"), after(20, "good")])) {
        try {
          seen.push(String(yield* next));
        } catch (error) {
          seen.push(`error ${(error as Error).message}`);
        }
      }
      return seen;
    });
    expect(out).toEqual(["error bad", "good"]);
  });

  it("raises TimeoutError for the ones not done when the timeout passes", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      for (const next of asCompleted([after(10, "fast"), after(100, "slow"), after(200, "slower")], { timeout: 50 })) {
        try {
          seen.push(`${String(yield* next)}@${loop.time()}`);
        } catch (error) {
          seen.push(`${(error as Error).name}@${loop.time()}`);
        }
      }
      return seen;
    });
    expect(out).toEqual(["fast@10", "TimeoutError@50", "TimeoutError@50"]);
  });
  it("a waiter cancelled just as a result arrives is skipped; the result goes to the next one", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const reports: string[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(context.message));
      const first = loop.createFuture<string>();
      const second = loop.createFuture<string>();
      const iterator = asCompleted([first, second]);
      const nextOf = () => iterator.next().value!;
      const cancelled = createTask(nextOf());
      const served = createTask(nextOf());
      yield* sleep(1); // both wait
      first.setResult("one"); // its completion runs before the cancelled waiter's task resumes
      cancelled.cancel();
      yield* sleep(1);
      second.setResult("two");
      return [reports, cancelled.cancelled(), yield* served];
    });
    expect(out).toEqual([[], true, "one"]);
  });
  it("a waiter cancelled while it waits leaves the line; the results go to the others in turn", async () => {
    const out = await runVirtual(core, function* () {
      const iterator = asCompleted([after(10, "a"), after(20, "b"), after(30, "c")]);
      const waiters = [0, 1, 2].map((i) => createTask(iterator.next().value!, { name: `waiter ${i}` }));
      yield* sleep(1); // all three wait
      waiters[1]!.cancel();
      const outcomes = yield* gather(waiters, { returnExceptions: true });
      return outcomes.map((o) => (o instanceof Error ? o.name : o));
    });
    expect(out).toEqual(["a", "CancelledError", "b"]); // "c" is left for no one
  });

  it("read with forAwait (asyncio 3.13's async for), gives the futures and tasks themselves as they finish", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const task = createTask(after(30, "task"));
      const future = loop.createFuture<string>();
      loop.callLater(20, () => future.setResult("future"));
      const done = loop.createFuture<string>();
      done.setResult("done");
      const seen: unknown[] = [];
      yield* forAwait(asCompleted([task, after(10, "coroutine"), future, done]), function* (finished) {
        const which = finished === task ? "task" : finished === future ? "future" : finished === done ? "done" : "its task";
        const doneWhenGiven = finished.done();
        seen.push(`${which} ${doneWhenGiven} ${yield* finished}@${loop.time()}`);
      });
      return seen;
    });
    expect(out).toEqual(["done true done@0", "its task true coroutine@10", "future true future@20", "task true task@30"]);
  });

  it("read with forAwait, answers within the loop: next() gives a future of the loop, done at once when a result waits", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const ready = loop.createFuture<string>();
      ready.setResult("ready");
      const later = createTask(after(5, "later"));
      const iterator = asCompleted([ready, later])[Symbol.asyncIterator]();
      yield* sleep(0); // the done one is delivered from the loop, as asyncio's done callbacks are
      const first = iterator.next();
      const second = iterator.next();
      const end = iterator.next();
      if (!(first instanceof Future && second instanceof Future && end instanceof Future)) return "not futures";
      const states = [first.done(), second.done(), end.done()];
      return [states, (yield* first).value === ready, (yield* second).value === later, yield* end, loop.time()];
    });
    expect(out).toEqual([[true, false, true], true, true, { value: undefined, done: true }, 5]);
  });

  it("read with forAwait, raises TimeoutError when the timeout passes, and shares one count with iterating", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      const completed = asCompleted([after(10, "a"), after(20, "b"), after(100, "slow")], { timeout: 50 });
      const [firstResult] = completed; // the plain way takes one
      seen.push(`${yield* firstResult!}@${loop.time()}`);
      try {
        yield* forAwait(completed, function* (finished) {
          seen.push(`${yield* finished}@${loop.time()}`);
        });
      } catch (error) {
        seen.push(`${(error as Error).name}@${loop.time()}`);
      }
      return seen;
    });
    expect(out).toEqual(["a@10", "b@20", "TimeoutError@50"]);
  });

  it("with a timeout, once every result is in, leaves no timer behind for the virtual clock to jump to", async () => {
    const out = await runVirtual(
      core,
      function* () {
        const got: string[] = [];
        for (const next of asCompleted([createTask(after(10, "a"))], { timeout: 1000 })) got.push(yield* next);
        yield* until(new Promise((resolve) => setTimeout(resolve, 5))); // autojumpThreshold 0: at once to a timer left
        return [got, getRunningLoop().time()];
      },
      { autojumpThreshold: 0 },
    );
    expect(out).toEqual([["a"], 10]);
  });

  it("makes one task of a coroutine passed twice, and gives its result once (asyncio takes a set)", async () => {
    const out = await runVirtual(core, function* () {
      const once = after(10, "x");
      const got: string[] = [];
      for (const next of asCompleted([once, once])) got.push(yield* next);
      return got;
    });
    expect(out).toEqual(["x"]);
  });

  it("a reader woken for a result and cancelled before it runs passes the result on to the next reader", async () => {
    // asyncio's as_completed hands results out through a Queue, whose getter does the same.
    const out = await runVirtual(core, function* () {
      const first = createTask(after(10, "first"));
      const second = createTask(after(50, "second"));
      const completed = asCompleted([first, second]);
      const readers = [createTask(completed.next().value!), createTask(completed.next().value!)];
      yield* first; // its callbacks: asCompleted's, which wakes readers[0], then this task's
      readers[0]!.cancel();
      const got = yield* readers[1]!;
      return [readers[0]!.cancelled(), got, getRunningLoop().time()];
    });
    expect(out).toEqual([true, "first", 10]);
  });

  it("a reader woken for a result that another reader took first waits for the next one", async () => {
    const out = await runVirtual(core, function* () {
      const first = createTask(after(10, "first"));
      const second = createTask(after(50, "second"));
      const completed = asCompleted([first, second]);
      const woken = createTask(completed.next().value!);
      const mine = completed.next().value!;
      yield* sleep(1); // woken waits
      yield* first; // this task runs right after woken was woken for first's result, before it ran
      const took = yield* mine;
      return [took, yield* woken, getRunningLoop().time()];
    });
    expect(out).toEqual(["first", "second", 50]);
  });

  it("read with forAwait by a task that is cancelled: it leaves the line, and the next result goes to the next reader", async () => {
    const out = await runVirtual(core, function* () {
      const completed = asCompleted([after(10, "a"), after(20, "b")]);
      const read = (into: string[]) =>
        forAwait(completed, function* (finished) {
          into.push(yield* finished);
        });
      const first: string[] = [];
      const second: string[] = [];
      const cancelled = createTask(read(first));
      yield* sleep(1); // it waits for the first result
      cancelled.cancel();
      yield* read(second);
      return [cancelled.cancelled(), first, second];
    });
    expect(out).toEqual([true, [], ["a"]]); // the cancelled reader's turn was counted, as asyncio's __anext__ counts it
  });
});

forEachCore("shield", (core) => {
  it("cancelling the waiter does not cancel the shielded task", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const inner = createTask(after(50, "saved"));
      const waiter = createTask(() => shield(inner));
      yield* sleep(10);
      waiter.cancel();
      let waiterOutcome = "";
      try {
        yield* waiter;
      } catch (error) {
        waiterOutcome = `${(error as Error).name}@${loop.time()}`;
      }
      return [waiterOutcome, yield* inner, inner.cancelled(), loop.time()];
    });
    expect(out).toEqual(["CancelledError@10", "saved", false, 50]);
  });

  it("cancelled, leaves a later failure of the shielded task unretrieved, to be reported (asyncio)", async () => {
    // CPython 3.13 prints "Task exception was never retrieved" for the same program: the
    // cancelled shield stops listening to its inner task.
    const { loop, errors } = virtualLoop(core);
    const out: string[] = [];
    await loop.runUntilComplete(function* () {
      const inner = createTask(failAfter(20, "inner failed"));
      const outer = shield(inner);
      loop.callLater(10, () => outer.cancel());
      try {
        yield* outer;
      } catch (error) {
        out.push(`${(error as Error).name} at ${loop.time()}`);
      }
      yield* sleep(50);
      out.push(`inner done ${inner.done()}`);
    });
    loop.close();
    expect([...out, ...errors.map((error) => (error as Error).message)]).toEqual([
      "CancelledError at 10",
      "inner done true",
      "inner failed",
    ]);
  });

  it("passes the inner result and error through, and a done awaitable as it is", async () => {
    const out = await runVirtual(core, function* () {
      const ok = yield* shield(after(5, "value"));
      let error = "";
      try {
        yield* shield(failAfter(5, "inner error"));
      } catch (e) {
        error = (e as Error).message;
      }
      const done = getRunningLoop().createFuture<number>();
      done.setResult(3);
      return [ok, error, shield(done) === done];
    });
    expect(out).toEqual(["value", "inner error", true]);
  });

  it("cancelling the inner task cancels the shield", async () => {
    const out = await runVirtual(core, function* () {
      const inner = createTask(after(50, "x"));
      const outer = shield(inner);
      yield* sleep(1);
      inner.cancel();
      try {
        yield* outer;
      } catch (error) {
        return [(error as Error).name, outer.cancelled()];
      }
      return "not reached";
    });
    expect(out).toEqual(["CancelledError", true]);
  });
});
