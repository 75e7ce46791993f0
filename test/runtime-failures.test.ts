// When the runtime's own path fails in code of the program's (a Future subclass whose
// cancel() throws, a Task subclass whose getName() throws), the failure is reported or
// thrown to the caller, and the runtime's state is left as it was: other tasks still
// wake, the loop still turns, and what records the running step is intact.
import { expect, it } from "vitest";
import {
  allTasks,
  ContextVar,
  copyContext,
  createTask,
  currentTask,
  EventLoop,
  Future,
  gather,
  sleep,
  Task,
  taskContext,
  until,
} from "../src/index.ts";
import { forEachCore, thrown, virtualLoop, watchHostTimers } from "./helpers.ts";

/** A future whose cancel() throws: a task cancelled while stepping onto it fails in the runtime. */
class RefusesCancel<T> extends Future<T> {
  override cancel(): boolean {
    throw new Error("cancel refused");
  }
}

forEachCore("failures in the runtime's own path", (core) => {
  it("a waiter whose wake-up fails does not keep the others waiting on the same future", async () => {
    const { loop, errors } = virtualLoop(core);
    const woken = loop.createFuture<number>();
    const first = loop.createTask(function* () {
      yield* woken;
      currentTask()!.cancel();
      yield* new RefusesCancel<number>(loop); // the wake-up that goes on to here throws
    });
    const second = loop.createTask(function* () {
      return (yield* woken) + 1;
    });
    loop.callLater(10, () => woken.setResult(1));
    await loop.runUntilComplete(sleep(20));
    expect([second.done() && second.result(), first.done()]).toEqual([2, false]);
    expect(errors.map(String)).toEqual(["Error: cancel refused"]);
  });

  it("an eager task whose first step fails in the runtime leaves its creator's step and context as they were", async () => {
    const { loop } = virtualLoop(core);
    const v = new ContextVar<string>("v", { default: "unset" });
    const ctx = copyContext();
    const out = await loop.runUntilComplete(function* () {
      const creator = currentTask()!;
      const failure = ctx.run(() => {
        const failure = thrown(() =>
          createTask(
            function* () {
              currentTask()!.cancel();
              yield* new RefusesCancel<number>(loop);
            },
            { eager: true },
          ),
        );
        v.set("set inside ctx.run"); // goes to ctx, the context being run
        return failure;
      });
      const fromAnother = createTask(function* () {
        taskContext(creator).run(() => v.set("set by another task")); // refused if the creator's step looked unfinished
        return "entered";
      });
      yield* sleep(1);
      return [failure, ctx.run(() => v.get()), v.get(), yield* fromAnother];
    });
    expect(out).toEqual(["Error: cancel refused", "set inside ctx.run", "set by another task", "entered"]);
    loop.close(); // the eager task, stuck on its future, is reported as destroyed
  });

  it("a task whose getName() throws still gets its failure reported, and the loop goes on", async () => {
    class Unnamed<T> extends Task<T> {
      override getName(): string {
        throw new Error("no name");
      }
    }
    const { loop, errors } = virtualLoop(core);
    loop.setTaskFactory((l, coro, { name, eager, context }) => new Unnamed(coro, l, name, eager, context));
    const out = await loop.runUntilComplete(function* () {
      loop.createTask(function* () {
        throw new Error("nobody reads this");
      });
      yield* sleep(10);
      return "main done";
    });
    expect([out, loop.isRunning()]).toEqual(["main done", false]);
    loop.close(); // where the failure no one retrieved is reported
    expect(errors.map(String)).toEqual(["Error: nobody reads this"]);
  });

  it("a task refused by a closed loop is not among its tasks", () => {
    const loop = new EventLoop({ clock: "virtual", core });
    loop.close();
    expect(thrown(() => new Task(sleep(1), loop, "refused"))).toBe("RuntimeError: Event loop is closed");
    expect(allTasks(loop).size).toBe(0);
  });

  it("tasks in a cycle through a gather all end cancelled, and the gather's failure is not reported as never retrieved", async () => {
    const { loop, errors } = virtualLoop(core);
    let second!: Task<unknown>;
    const first = loop.createTask(function* () {
      yield* sleep(1);
      return yield* gather([second]);
    });
    second = loop.createTask(function* () {
      yield* sleep(1);
      return yield* first;
    });
    await loop.runUntilComplete(function* () {
      yield* sleep(5);
      first.cancel();
      yield* sleep(5);
    });
    loop.close(); // what no one retrieved is reported here at the latest
    expect([first.cancelled(), second.cancelled(), errors]).toEqual([true, true, []]);
  });

  it("in a cycle of awaits, a task that catches the cancellation and fails with its own error is still reported", async () => {
    const { loop, errors } = virtualLoop(core);
    let second!: Task<unknown>;
    const first = loop.createTask(function* () {
      yield* sleep(1);
      return yield* second;
    });
    second = loop.createTask(function* () {
      yield* sleep(1);
      try {
        return yield* first;
      } catch {
        throw new Error("failed on its own");
      }
    });
    await loop.runUntilComplete(function* () {
      yield* sleep(5);
      first.cancel();
      yield* sleep(5);
    });
    loop.close();
    expect([first.cancelled(), errors.map(String)]).toEqual([true, ["Error: failed on its own"]]);
  });

  it("an internal failure in a turn is reported and stops the loop, which may run again", async () => {
    // Stands in for the scheduler core running out of memory: the iteration hook (the
    // timeline's seam) throws in the middle of the loop's turn.
    const { loop, errors } = virtualLoop(core);
    let failOnce = true;
    loop._beforeIteration = () => {
      if (!failOnce) return;
      failOnce = false;
      throw new Error("core exhausted");
    };
    const stopped = await loop.runUntilComplete(sleep(10, "not reached")).catch((error: Error) => error.message);
    loop._beforeIteration = null;
    expect([stopped, errors.map(String)]).toEqual(["Event loop stopped before Future completed.", ["Error: core exhausted"]]);
    expect(await loop.runUntilComplete(sleep(10, "ran again"))).toBe("ran again");
    loop.close();
  });

  it("a loop stopped by an internal failure leaves no host timer behind, even one its exception handler had it arm", async () => {
    // The handler runs between the turn and the stop: what it schedules arms the loop's
    // host timer (here the autojump's, with a foreign promise pending), which the stop
    // must take down, or it would keep the host alive for nothing.
    const hostTimers = watchHostTimers((ms) => ms === 40_000); // the loop's autojump timer, and only it
    const { live } = hostTimers;
    try {
      const loop = new EventLoop({ clock: "virtual", core, autojumpThreshold: 40_000 });
      const errors: unknown[] = [];
      loop.setExceptionHandler((loop, context) => {
        errors.push(context.exception);
        void until(new Promise(() => {})); // a foreign promise pending: time waits for it
        loop.callLater(5, () => {});
      });
      let iterations = 0;
      loop._beforeIteration = () => {
        // The second iteration, after time jumped to the sleep's deadline: nothing is ready.
        if (++iterations === 2) throw new Error("core exhausted");
      };
      const stopped = await loop.runUntilComplete(sleep(10, "not reached")).catch((error: Error) => error.message);
      expect([stopped, errors.map(String), live.size]).toEqual(["Event loop stopped before Future completed.", ["Error: core exhausted"], 0]);
      loop.close();
    } finally {
      hostTimers.restore();
    }
  });

  it("an until() of a settled promise resumes in the same host task, with a timer pending in virtual time", async () => {
    const { loop } = virtualLoop(core);
    let hostTaskRan = false;
    const out = await loop.runUntilComplete(function* () {
      createTask(sleep(1_000)); // a timer pending
      setTimeout(() => (hostTaskRan = true), 0);
      let sum = 0;
      for (let i = 0; i < 10; i++) sum += yield* until(Promise.resolve(i));
      return [sum, hostTaskRan];
    });
    // Each until() went through a host task of its own before: the timeout above ran.
    expect(out).toEqual([45, false]);
    for (const task of allTasks(loop)) task.cancel();
    await loop.runUntilComplete(sleep(1));
    loop.close();
  });

  it("a task whose getName() throws is still described with its name, the given one or its number", async () => {
    class Unnamed<T> extends Task<T> {
      override getName(): string {
        throw new Error("no name");
      }
    }
    const { loop } = virtualLoop(core);
    loop.setTaskFactory((l, coro, { name, eager, context }) => new Unnamed(coro, l, name, eager, context));
    const out = await loop.runUntilComplete(function* () {
      const named = loop.createTask(sleep(1), { name: "worker" });
      const unnamed = loop.createTask(sleep(1));
      const described = [String(named), String(unnamed)];
      yield* named;
      yield* unnamed;
      return described;
    });
    loop.close();
    expect(out).toEqual(["<Task pending name=worker>", expect.stringMatching(/^<Task pending name=\d+>$/)]);
  });
});
