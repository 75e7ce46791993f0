// A failure no one looks at is reported when the loop closes, if the garbage collector
// has not taken it first (see unretrieved-collected.test.ts), never silently dropped
// (asyncio's "Task exception was never retrieved"), and a task left pending when its loop
// closes is reported too ("Task was destroyed but it is pending!").
import { expect, it } from "vitest";
import {
  allTasks,
  Condition,
  ContextVar,
  createTask,
  currentTask,
  Event,
  EventLoop,
  gather,
  getRunningLoop,
  Lock,
  Queue,
  run,
  Semaphore,
  shield,
  sleep,
  type Operation,
  type Task,
  until,
  wait,
  type Yielded,
} from "../src/index.ts";
import { WaitingFuture } from "../src/waiting-future.ts";
import { failAfter, forEachCore } from "./helpers.ts";

/** Runs `main` with an exception handler that records what it is told. */
async function reportsOf(core: "wasm" | "js", main: () => Generator<Yielded, unknown>): Promise<string[]> {
  const reports: string[] = [];
  await run(
    function* () {
      getRunningLoop().setExceptionHandler((_loop, context) =>
        reports.push(`${context.message}: ${(context.exception as Error).message}`),
      );
      yield* main();
    },
    { clock: "virtual", core },
  );
  return reports;
}

forEachCore("errors never retrieved", (core) => {
  it("a failed task no one awaited is reported when the loop closes", async () => {
    const reports = await reportsOf(core, function* () {
      createTask(failAfter(1, "lost in the background"));
      yield* sleep(10);
    });
    expect(reports).toEqual(["Task exception was never retrieved: lost in the background"]);
  });

  it("a failure whose done callbacks have not run when the host turn ends is left for them to read, not noted as unread", async () => {
    // Noting a failure as unread reads its stack (see EventLoop._failed), which took most
    // of the time a burst of failing tasks took: the iteration they fail in can end the
    // host turn before the iteration whose callbacks (here a gather's) read them.
    let stackReads = 0;
    // Not an Error, whose `stack` V8 makes an own property of each one.
    const counted = (message: string) => ({
      message,
      get stack(): string {
        stackReads++;
        return "counted";
      },
    });
    const reports = await reportsOf(core, function* () {
      // Enough of them that the loop reads the clock in their iteration (it does every 64
      // callbacks at most), and finds its 8 ms over.
      const failing = Array.from({ length: 100 }, (_, i) =>
        createTask(function* () {
          yield* sleep(1);
          if (i === 0) for (const start = performance.now(); performance.now() - start < 12; ); // past the turn's 8 ms
          throw counted(`failed ${i}`);
        }),
      );
      const outcomes = yield* gather(failing, { returnExceptions: true });
      expect(outcomes.map((outcome) => (outcome as { message: string }).message)).toEqual(failing.map((_, i) => `failed ${i}`));
      createTask(function* () {
        yield* sleep(1);
        throw counted("no one reads this one");
      });
      yield* sleep(5);
    });
    expect(reports).toEqual(["Task exception was never retrieved: no one reads this one"]);
    expect(stackReads).toBe(1); // only the one no one read; 101 before
  });

  it("a failed future no one read is reported too", async () => {
    const reports = await reportsOf(core, function* () {
      getRunningLoop().createFuture().setException(new Error("unread"));
      yield* sleep(0);
    });
    expect(reports).toEqual(["Future exception was never retrieved: unread"]);
  });

  it("a failure left unread past a host turn, then read with exception(), is not reported", async () => {
    const reports = await reportsOf(core, function* () {
      const future = getRunningLoop().createFuture();
      future.setException(new Error("read late"));
      yield* until(new Promise((resolve) => setTimeout(resolve, 5))); // the turn ends: the loop notes it as unread
      expect((future.exception() as Error).message).toBe("read late");
    });
    expect(reports).toEqual([]);
  });

  it("a future that fails as the loop stops, its done callbacks never run, is reported when the loop closes", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(`${context.message}: ${(context.exception as Error).message}`));
    const future = loop.createFuture();
    future.addDoneCallback(() => {}); // would have read it, had it run
    await loop.runUntilComplete(function* () {
      // Runs in the iteration that stops the loop, which leaves future's callbacks queued.
      currentTask()!.addDoneCallback(() => future.setException(new Error("as the loop stopped")));
    });
    loop.close();
    expect(reports).toEqual(["Future exception was never retrieved: as the loop stopped"]);
  });

  // Observed on CPython 3.13: Future.cancel and Task.cancel clear the "never retrieved"
  // flag before they look at the state, so even a cancel() that returns False does.
  it("cancel() of a future or task that failed already returns false, and silences its report", async () => {
    const reports = await reportsOf(core, function* () {
      const future = getRunningLoop().createFuture();
      future.setException(new Error("future, cancelled after"));
      const task = createTask(failAfter(1, "task, cancelled after"));
      getRunningLoop().createFuture().setException(new Error("not cancelled"));
      yield* sleep(5);
      expect([future.cancel(), task.cancel()]).toEqual([false, false]);
      expect([future.cancelled(), task.cancelled()]).toEqual([false, false]);
    });
    expect(reports).toEqual(["Future exception was never retrieved: not cancelled"]);
  });

  it("nothing is reported once the error was awaited, read, or passed on by gather", async () => {
    const reports = await reportsOf(core, function* () {
      const awaited = createTask(failAfter(1, "awaited"));
      try {
        yield* awaited;
      } catch {
        // seen
      }
      const read = createTask(failAfter(1, "read"));
      yield* sleep(5);
      read.exception();
      yield* gather([failAfter(1, "gathered"), failAfter(2, "gathered later")], { returnExceptions: true });
      try {
        yield* gather([failAfter(1, "first"), failAfter(2, "second, after the gather failed")]);
      } catch {
        // seen
      }
      yield* sleep(5);
    });
    expect(reports).toEqual([]);
  });

  it("behind a shield: an error raised as the waiter is cancelled counts as retrieved, a later one does not (as in asyncio)", async () => {
    const reports = await reportsOf(core, function* () {
      let waiterOfInner: Task<void>;
      // Cancels its waiter, then fails in the same step: the shield sees both at once.
      const inner = createTask(function* () {
        yield* sleep(10);
        waiterOfInner.cancel();
        throw new Error("as the waiter is cancelled");
      });
      waiterOfInner = createTask(function* () {
        yield* shield(inner);
      });
      // Fails long after its waiter was cancelled: the shield no longer listens.
      const late = createTask(failAfter(30, "after the waiter was cancelled"));
      const waiterOfLate = createTask(function* () {
        yield* shield(late);
      });
      yield* sleep(1);
      waiterOfLate.cancel();
      yield* sleep(40);
    });
    expect(reports).toEqual(["Task exception was never retrieved: after the waiter was cancelled"]);
  });

  it("run() lets callbacks still pending when main returns run before it closes the loop, as asyncio.run does", async () => {
    // `late` fails one iteration after main returned: only the gather's done callback,
    // still pending then, marks its error as seen.
    const reports = await reportsOf(core, function* () {
      const late = createTask(function* () {
        yield* sleep(0);
        yield* sleep(0);
        yield* sleep(0);
        throw new Error("failed after main returned");
      });
      const early = createTask(function* () {
        throw new Error("failed first");
      });
      try {
        yield* gather([late, early]);
      } catch {
        // the first failure
      }
    });
    expect(reports).toEqual([]);
  });

  it("wait() does not count as looking: its done set still holds an unread error", async () => {
    const reports = await reportsOf(core, function* () {
      const task = createTask(failAfter(1, "done but unread"));
      const { done } = yield* wait([task]);
      expect(done.size).toBe(1);
    });
    expect(reports).toEqual(["Task exception was never retrieved: done but unread"]);
  });

  it("awaiting from async code counts as looking, as asyncio's await does: the promise has the error now", async () => {
    const reports = await reportsOf(core, function* () {
      const awaited = createTask(failAfter(1, "caught by an async function"));
      const caught = yield* until(
        (async () => {
          try {
            await awaited;
          } catch (error) {
            return (error as Error).message;
          }
        })(),
      );
      expect(caught).toBe("caught by an async function");
      const settled = yield* until(Promise.allSettled([createTask(failAfter(1, "settled"))]));
      expect(settled[0]!.status).toBe("rejected");
      createTask(failAfter(1, "this one no one reads"));
      yield* sleep(5);
    });
    expect(reports).toEqual(["Task exception was never retrieved: this one no one reads"]);
  });
});

forEachCore("tasks left pending", (core) => {
  it("closing a loop with unfinished tasks reports each one, as asyncio does when it collects them", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(`${context.message} ${context.task?.getName()}`));
    const forgotten = loop.createTask(sleep(1_000), { name: "forgotten" });
    const never = loop.createFuture();
    const parked = loop.createTask(function* () {
      yield* never;
    }, { name: "parked" });
    await loop.runUntilComplete(sleep(10));
    loop.close();
    expect(reports).toEqual([
      "Task was destroyed but it is pending! forgotten",
      "Task was destroyed but it is pending! parked",
    ]);
    expect(forgotten.done() || parked.done()).toBe(false);
  });

  it("closes a task parked on any primitive or queue quietly, and takes its waiter out", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(`${context.message} ${context.task?.getName()}`));
    const empty = new Queue<number>();
    const full = new Queue<number>(1);
    full.putNowait(0);
    const lock = new Lock();
    const event = new Event();
    loop.createTask(lock.acquire(), { name: "holder" });
    const parkedOn: Record<string, Operation<unknown>> = { get: empty.get(), put: full.put(1), lock: lock.acquire(), event: event.wait() };
    for (const [name, operation] of Object.entries(parkedOn)) loop.createTask(operation, { name });
    await loop.runUntilComplete(sleep(10));
    expect(String(empty)).toBe("<Queue maxsize=0 qsize=0 getters=1>");
    loop.close();
    expect(reports).toEqual(["get", "put", "lock", "event"].map((name) => `Task was destroyed but it is pending! ${name}`));
    // Before, a queue's waiter was cancelled on the closed loop: "Exception while closing
    // a pending task" (RuntimeError: Event loop is closed), and it stayed in the queue.
    expect([String(empty), String(full)]).toEqual(["<Queue maxsize=0 qsize=0>", "<Queue maxsize=1 qsize=1 tasks=1>"]);
    full.getNowait();
    full.putNowait(2);
    expect(full.getNowait()).toBe(2);
  });

  it("a release in the cleanup of a task a closed loop closes does not fail for the waiters, and no slot is lost", async () => {
    const primitives = { lock: new Lock(), semaphore: new Semaphore(1), condition: new Condition() };
    for (const [kind, primitive] of Object.entries(primitives)) {
      const loop = new EventLoop({ clock: "virtual", core });
      const reports: string[] = [];
      loop.setExceptionHandler((_loop, context) => reports.push(`${context.message} ${context.task?.getName()}`));
      const released: string[] = [];
      for (const name of ["holder", "first", "second"]) {
        loop.createTask(function* () {
          yield* primitive.acquire();
          try {
            yield* sleep(1_000);
          } finally {
            primitive.release(); // the holder's wakes `first`, whose coroutine is closed next
            released.push(name);
          }
        }, { name });
      }
      await loop.runUntilComplete(sleep(10));
      loop.close();
      // Before, waking `first` tried to schedule its wake-up on the closed loop: the
      // holder's release failed with "Event loop is closed", reported as an "Exception
      // while closing a pending task", and the semaphore's slot went with `first`.
      expect(reports, kind).toEqual(["holder", "first", "second"].map((name) => `Task was destroyed but it is pending! ${name}`));
      expect(released, kind).toEqual(["holder"]);
      expect(primitive.locked(), kind).toBe(false);
    }
  });

  it("a shield's future or any waiter, once its loop closed, refuses to schedule the program's done callbacks, as any Future does", async () => {
    // A waiter of a closed loop drops its task's wake-up (see the test above), but a
    // shield's future is the program's, and its done callbacks may be too.
    const loop = new EventLoop({ clock: "virtual", core });
    const ran: string[] = [];
    const [shielded, plain] = await loop.runUntilComplete(function* () {
      const shielded = shield(loop.createFuture());
      const plain = loop.createFuture();
      shielded.addDoneCallback(() => ran.push("shielded"));
      plain.addDoneCallback(() => ran.push("plain"));
      return [shielded, plain];
    });
    // A waiter whose only callback is the program's (a shield's has one of its own too).
    const waiter = new WaitingFuture(loop, "wait()", null);
    waiter.addDoneCallback(() => ran.push("waiter"));
    loop.close();
    expect(() => plain.cancel()).toThrow("Event loop is closed");
    expect(() => shielded.cancel()).toThrow("Event loop is closed");
    expect(() => waiter.cancel()).toThrow("Event loop is closed");
    expect(ran).toEqual([]);
  });

  it("closes their coroutines, so their finally blocks run, as CPython does when it collects them", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) =>
      reports.push(`${context.message} ${context.task?.getName()} ${(context.exception as Error | undefined)?.message}`),
    );
    const cleaned: string[] = [];
    const holding = (name: string, cleanup: () => void) =>
      loop.createTask(function* () {
        try {
          yield* sleep(1_000);
        } finally {
          cleaned.push(name);
          cleanup();
        }
      }, { name });
    holding("first", () => {});
    holding("throwing", () => {
      throw new Error("cleanup failed");
    });
    // gather's own task for a coroutine is not reported, but it is closed too.
    loop.createTask(function* () {
      yield* gather([
        (function* () {
          try {
            yield* sleep(1_000);
          } finally {
            cleaned.push("gathered");
          }
        })(),
      ]);
    }, { name: "gathering" });
    // A cleanup that waits cannot: the loop is closed. It stops there, and is reported.
    loop.createTask(function* () {
      try {
        yield* sleep(1_000);
      } finally {
        cleaned.push("waiting");
        yield* sleep(10);
        cleaned.push("after waiting");
      }
    }, { name: "waiting" });
    holding("last", () => {});
    await loop.runUntilComplete(sleep(10));
    expect(cleaned).toEqual([]);
    loop.close();
    expect(cleaned).toEqual(["first", "throwing", "waiting", "last", "gathered"]);
    expect(reports).toEqual([
      "Task was destroyed but it is pending! first undefined",
      "Task was destroyed but it is pending! throwing undefined",
      "Exception while closing a pending task throwing cleanup failed",
      "Task was destroyed but it is pending! gathering undefined",
      "Task was destroyed but it is pending! waiting undefined",
      "Exception while closing a pending task waiting <Task pending name=waiting> waited in its cleanup after its loop closed; the rest did not run",
      "Task was destroyed but it is pending! last undefined",
    ]);
  });

  it("runs their cleanup as the task, in its context, whoever closes the loop, and with no loop running", async () => {
    const requestId = new ContextVar("requestId", { default: "none" });
    const closing = new EventLoop({ clock: "virtual", core });
    closing.setExceptionHandler(() => {});
    const seen: string[] = [];
    const pending = closing.createTask(function* () {
      requestId.set("req-42");
      try {
        yield* sleep(Infinity);
      } finally {
        seen.push(`cleanup: ${requestId.get()}, current task ${currentTask()?.getName()}`);
        requestId.set("set in cleanup"); // stays the task's own
        try {
          createTask(sleep(1)); // CPython's collected coroutine has no running loop either
        } catch (error) {
          seen.push(`createTask: ${String(error)}`);
        }
      }
    }, { name: "request" });
    await closing.runUntilComplete(sleep(10));
    // Closed from another loop's task, which must not lend it its task, loop or context.
    await run(
      function* () {
        requestId.set("closer's");
        closing.close();
        seen.push(`closer: ${requestId.get()}, current task ${currentTask()?.getName()}, loop ${getRunningLoop() !== closing}`);
      },
      { clock: "virtual", core },
    );
    expect(seen).toEqual([
      "cleanup: req-42, current task request",
      "createTask: RuntimeError: no running event loop",
      expect.stringMatching(/^closer: closer's, current task Task-\d+, loop true$/),
    ]);
    expect(requestId.get()).toBe("none"); // nothing reached the top level either
    expect(pending.done()).toBe(false);
  });

  it("is closed before their cleanup runs: new work is refused, and a handler that closes it again returns", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => {
      reports.push(`${context.message} ${context.task?.getName()} ${(context.exception as Error | undefined)?.message}`);
      loop.close(); // "on a lost task, shut down": it is closing already
    });
    const refused: string[] = [];
    for (const name of ["a", "b"]) {
      loop.createTask(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          for (const schedule of [() => loop.callSoon(() => {}), () => loop.createTask(sleep(1), { name: "late" })]) {
            try {
              schedule();
            } catch (error) {
              refused.push(`${name}: ${String(error)}`);
            }
          }
        }
      }, { name });
    }
    await loop.runUntilComplete(sleep(10));
    loop.close();
    expect(reports).toEqual(["Task was destroyed but it is pending! a undefined", "Task was destroyed but it is pending! b undefined"]);
    expect(refused).toEqual([
      "a: RuntimeError: Event loop is closed",
      "a: RuntimeError: Event loop is closed",
      "b: RuntimeError: Event loop is closed",
      "b: RuntimeError: Event loop is closed",
    ]);
    expect([...allTasks(loop)].map((task) => task.getName())).toEqual(["a", "b"]);
  });

  it("but not the tasks gather and runUntilComplete made for coroutines, which no caller can reach (as asyncio)", async () => {
    const loop = new EventLoop({ clock: "virtual", core });
    const reports: string[] = [];
    loop.setExceptionHandler((_loop, context) => reports.push(`${context.message} ${context.task?.getName()}`));
    const explicit = loop.createTask(sleep(Infinity), { name: "explicit" });
    loop.createTask(function* () {
      // gather of a task and a coroutine: the coroutine's task is gather's own.
      yield* gather([explicit, sleep(Infinity)]);
    }, { name: "gathering" });
    const finished = await Promise.race([
      loop.runUntilComplete(function* () {
        yield* sleep(Infinity); // runUntilComplete's own task, left pending by stop()
      }),
      new Promise<string>((resolve) => {
        loop.callLater(10, () => {
          loop.stop();
          resolve("stopped");
        });
      }),
    ]).catch((error: unknown) => String(error));
    expect(finished).toBe("stopped");
    loop.close();
    expect(reports).toEqual([
      "Task was destroyed but it is pending! explicit",
      "Task was destroyed but it is pending! gathering",
    ]);
    expect([...allTasks(loop)].length).toBe(4); // all four were left pending
  });

  it("run() cancels what main left running, so nothing is reported", async () => {
    const reports = await reportsOf(core, function* () {
      createTask(sleep(Infinity));
    });
    expect(reports).toEqual([]);
  });
});
