// ContextVar (each task runs in a copy of its creator's context) and eager tasks.
import { expect, it } from "vitest";
import {
  allTasks,
  ContextVar,
  createTask,
  currentTask,
  type ExceptionGroup,
  gather,
  getRunningLoop,
  LookupError,
  RuntimeError,
  run,
  sleep,
  type Task,
  taskGroup,
  type Token,
  ValueError,
} from "../src/index.ts";
import { forEachCore, runVirtual, thrown } from "./helpers.ts";

forEachCore("ContextVar", (core) => {
  it("gives each task its own value, starting from a copy of its creator's", async () => {
    const requestId = new ContextVar<string>("requestId", { default: "none" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      requestId.set("main");
      const worker = (id: string, delay: number) =>
        function* () {
          log.push(`${id} starts with ${requestId.get()}`);
          requestId.set(id);
          yield* sleep(delay);
          log.push(`${id} ends with ${requestId.get()}`);
        };
      yield* gather([createTask(worker("a", 20)), createTask(worker("b", 10))]);
      log.push(`main still has ${requestId.get()}`);
      return log;
    });
    expect(out).toEqual([
      "a starts with main",
      "b starts with main",
      "b ends with b",
      "a ends with a",
      "main still has main",
    ]);
    expect(requestId.get()).toBe("none"); // top level was never set
  });

  it("a child sees the value its creator had when it was created, not later changes", async () => {
    const v = new ContextVar<number>("v");
    const out = await runVirtual(core, function* () {
      v.set(1);
      const child = createTask(function* () {
        yield* sleep(5);
        return v.get();
      });
      v.set(2);
      return [yield* child, v.get()];
    });
    expect(out).toEqual([1, 2]);
  });

  it("reset(token) restores the previous value, once, in the same context", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const t1 = v.set("one");
      const t2 = v.set("two");
      v.reset(t2);
      log.push(v.get());
      v.reset(t1);
      log.push(v.get());
      try {
        v.reset(t1);
      } catch (error) {
        log.push((error as RuntimeError).message);
      }
      const other = createTask(function* () {
        return v.set("in child");
      });
      const foreignToken = yield* other;
      try {
        v.reset(foreignToken);
      } catch (error) {
        log.push(`${(error as ValueError).name}: ${(error as ValueError).message}`);
      }
      return log;
    });
    expect(out).toEqual(["one", "d", "Token has already been used once", "ValueError: Token was created in a different Context"]);
  });

  // Observed on CPython 3.13 (call_soon, call_later and add_done_callback copy the
  // context they are called from, and run the callback in that copy).
  it("a callback runs in a copy of the context it was scheduled from; what it sets stays its own", async () => {
    const v = new ContextVar<string>("v", { default: "-" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const loop = getRunningLoop();
      v.set("main");
      const callback = (tag: string) => {
        log.push(`${tag} sees ${v.get()}`);
        v.set(tag);
        log.push(`${tag} set ${v.get()}`);
      };
      loop.callSoon(callback, "soon1");
      loop.callSoon(callback, "soon2");
      v.set("main again");
      loop.callLater(5, callback, "later");
      loop.callAt(7, callback, "at");
      yield* sleep(10);
      log.push(`main has ${v.get()}`);
      return log;
    });
    expect(out).toEqual([
      "soon1 sees main",
      "soon1 set soon1",
      "soon2 sees main",
      "soon2 set soon2",
      "later sees main again",
      "later set later",
      "at sees main again",
      "at set at",
      "main has main again",
    ]);
    expect(v.get()).toBe("-"); // nothing a callback set reached the top level
  });

  it("a done callback runs in the context it was added from, even when the future is done already", async () => {
    const v = new ContextVar<string>("v", { default: "-" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const future = getRunningLoop().createFuture<number>();
      v.set("when added");
      future.addDoneCallback(() => log.push(`pending then: ${v.get()}`));
      v.set("later");
      future.setResult(1);
      yield* sleep(0);
      v.set("added after");
      future.addDoneCallback(() => {
        log.push(`done already: ${v.get()}`);
        v.set("changed by the callback");
      });
      v.set("main");
      yield* sleep(0);
      log.push(`main has ${v.get()}`);
      return log;
    });
    expect(out).toEqual(["pending then: when added", "done already: added after", "main has main"]);
  });

  it("removeDoneCallback finds a callback by the function given to addDoneCallback", async () => {
    await runVirtual(core, function* () {
      const calls: string[] = [];
      const future = getRunningLoop().createFuture<void>();
      const kept = () => calls.push("kept");
      const removed = () => calls.push("removed");
      future.addDoneCallback(removed);
      future.addDoneCallback(kept);
      future.addDoneCallback(removed);
      expect(future.removeDoneCallback(removed)).toBe(2);
      expect(future.removeDoneCallback(removed)).toBe(0);
      future.setResult();
      yield* sleep(0);
      expect(calls).toEqual(["kept"]);
    });
  });

  it("a task created in a callback copies the callback's context", async () => {
    const v = new ContextVar<string>("v", { default: "-" });
    const out = await runVirtual(core, function* () {
      v.set("main");
      const child = getRunningLoop().createFuture<Task<string>>();
      getRunningLoop().callSoon(() => {
        v.set("callback");
        child.setResult(createTask(function* () {
          yield* sleep(1);
          return v.get();
        }));
      });
      return [yield* yield* child, v.get()];
    });
    expect(out).toEqual(["callback", "main"]);
  });

  it("a token set in one callback cannot be reset in another; a callback that throws leaves no value behind", async () => {
    const v = new ContextVar<string>("v", { default: "-" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => log.push(`handler: ${(context.exception as Error).message}`));
      let token: Token<string> | undefined;
      loop.callSoon(() => {
        token = v.set("first");
      });
      loop.callSoon(() => {
        try {
          v.reset(token!);
        } catch (error) {
          log.push(`${(error as ValueError).name}: ${(error as ValueError).message}`);
        }
      });
      loop.callSoon(() => {
        v.set("thrower");
        throw new Error("boom");
      });
      loop.callSoon(() => log.push(`next callback sees ${v.get()}`));
      yield* sleep(0);
      log.push(`main sees ${v.get()}`);
      return log;
    });
    expect(out).toEqual([
      "ValueError: Token was created in a different Context",
      "handler: boom",
      "next callback sees -",
      "main sees -",
    ]);
  });

  it("get() without a value or default throws; get(fallback) returns the fallback", async () => {
    const v = new ContextVar<number>("unset");
    await runVirtual(core, function* () {
      expect(() => v.get()).toThrow(new LookupError("ContextVar unset has no value and no default"));
      expect(() => v.get()).toThrow(LookupError);
      expect(thrown(() => v.get())).toBe("LookupError: ContextVar unset has no value and no default"); // named as asyncio's
      expect(v.get(7)).toBe(7);
      yield* sleep(0);
    });
  });

  it("get(fallback) of a variable with a default returns the fallback, as CPython's var.get(default)", () => {
    const v = new ContextVar<number>("withDefault", { default: 1 });
    expect(v.get(2)).toBe(2);
    expect(v.get()).toBe(1);
    v.set(3);
    expect(v.get(2)).toBe(3);
  });

  it("get(undefined) is a fallback given: it gives undefined, not the default nor a LookupError, as CPython's var.get(None)", () => {
    const withDefault = new ContextVar<number>("withDefault", { default: 1 });
    const unset = new ContextVar<number>("unset");
    expect([withDefault.get(undefined), unset.get(undefined)]).toEqual([undefined, undefined]);
  });

  it("a default given as undefined is a default: get() gives undefined, as ContextVar('v', default=None) gives None", () => {
    const v = new ContextVar<number | undefined>("optional", { default: undefined });
    expect(v.get()).toBe(undefined);
    expect(v.get(2)).toBe(2);
  });

  it("needs a name, which it shows in messages", () => {
    expect(() => new ContextVar(undefined as never)).toThrow(new TypeError("new ContextVar() needs a name (a string), got undefined"));
    expect(() => new ContextVar(5 as never)).toThrow(/needs a name \(a string\), got number 5/);
    expect(String(new ContextVar("requestId"))).toBe("<ContextVar requestId>");
  });

  it("a Token shows its variable, and whether it was used, as Python's repr", () => {
    const user = new ContextVar<string>("user");
    const token = user.set("ada");
    expect(String(token)).toBe("<Token var=<ContextVar user>>");
    user.reset(token);
    expect(String(token)).toBe("<Token used var=<ContextVar user>>");
  });
});

forEachCore("eager tasks", (core) => {
  it("run their first step at once, inside createTask", async () => {
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      const task = createTask(
        function* () {
          log.push("eager step");
          yield* sleep(10);
          log.push("after sleep");
          return "eager";
        },
        { eager: true },
      );
      log.push("createTask returned");
      const lazy = createTask(function* () {
        log.push("lazy step");
      });
      log.push("createTask returned");
      yield* lazy;
      return [log, yield* task];
    });
    expect(out).toEqual([["eager step", "createTask returned", "createTask returned", "lazy step", "after sleep"], "eager"]);
  });

  it("that finish without suspending are done when createTask returns, and are never in allTasks", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(
        function* () {
          return 42;
        },
        { eager: true },
      );
      return [task.done(), task.result(), [...allTasks()].includes(task)];
    });
    expect(out).toEqual([true, 42, false]);
  });

  it("in a TaskGroup, one that fails at once aborts the group before the next createTask (asyncio 3.13)", async () => {
    const out = await run(
      function* () {
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(function* () {
              throw new ValueError("failed in its eager step");
            });
            tg.createTask(sleep(10)); // refused: the group is shutting down
          });
        } catch (error) {
          return (error as ExceptionGroup).exceptions.map((e) => `${(e as Error).name}: ${(e as Error).message}`);
        }
      },
      { clock: "virtual", core, eagerTasks: true },
    );
    expect(out).toEqual(["ValueError: failed in its eager step", "RuntimeError: TaskGroup <TaskGroup errors=1 cancelling> is shutting down"]);
  });

  it("the eagerTasks loop option makes every task eager; currentTask is the new task during its step", async () => {
    const out = await run(
      function* () {
        const log: string[] = [];
        const child = createTask(
          function* () {
            log.push(`step of ${currentTask()!.getName()}`);
            yield* sleep(1);
          },
          { name: "child" },
        );
        log.push(`created ${child.getName()}`);
        yield* child;
        return log;
      },
      { clock: "virtual", core, eagerTasks: true },
    );
    // main itself started normally (no turn was running yet); the child eagerly.
    expect(out).toEqual(["step of child", "created child"]);
  });

  it("an eager task that fails at once is a failed task, not a thrown createTask", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(
        function* () {
          throw new Error("at once");
        },
        { eager: true },
      );
      return [task.done(), (task.exception() as Error).message];
    });
    expect(out).toEqual([true, "at once"]);
  });
});
