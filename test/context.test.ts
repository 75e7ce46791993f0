// Context and copyContext (Python's contextvars.Context, copy_context, Context.run) and
// tasks created with { context }. The expected values are what CPython 3.13 prints for
// the same programs.
import { expect, it } from "vitest";
import {
  allTasks,
  Context,
  ContextVar,
  copyContext,
  createTask,
  currentTask,
  Event,
  gather,
  getRunningLoop,
  sleep,
  type Task,
  taskContext,
  taskGroup,
  Token,
  ValueError,
} from "../src/index.ts";
import { forEachCore, runVirtual, thrown, virtualLoop } from "./helpers.ts";

it("reset() of a used token is refused as used before its variable is checked, as CPython's", () => {
  const a = new ContextVar<number>("a");
  const b = new ContextVar<number>("b");
  const token = a.set(1);
  a.reset(token);
  expect(thrown(() => b.reset(token))).toBe("RuntimeError: Token has already been used once");
  const second = a.set(2);
  expect(thrown(() => b.reset(second))).toBe("ValueError: Token was created by a different ContextVar");
  a.reset(second); // the top level's context is every test's
});

it("copyContext() is a snapshot: later sets and resets on either side do not show in the other", () => {
  const v = new ContextVar<string>("v", { default: "d" });
  const token = v.set("before");
  try {
    const snapshot = copyContext();
    const after = v.set("after");
    expect(snapshot.get(v)).toBe("before");
    snapshot.run(() => v.set("inside"));
    expect(snapshot.get(v)).toBe("inside");
    expect(v.get()).toBe("after");
    const beforeReset = copyContext();
    v.reset(after);
    expect([beforeReset.get(v), v.get()]).toEqual(["after", "before"]);
  } finally {
    v.reset(token);
  }
  expect(v.get()).toBe("d");
});

it("run(callback, ...args) passes the arguments, returns the result and keeps what the callback set", () => {
  const v = new ContextVar<number>("v", { default: 0 });
  const context = new Context();
  expect(context.run((a: number, b: number) => a + b, 2, 3)).toBe(5);
  context.run(() => v.set(7));
  expect(context.get(v)).toBe(7);
  expect(context.run(() => v.get())).toBe(7);
  expect(v.get()).toBe(0);
  // A throw leaves the context, and what was set before it stays.
  expect(() =>
    context.run(() => {
      v.set(8);
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(context.get(v)).toBe(8);
  expect(context.run(() => v.get())).toBe(8);
  expect(v.get()).toBe(0);
});

it("a context cannot be entered while it is entered; another context nests", () => {
  const v = new ContextVar<string>("v", { default: "top" });
  const outer = new Context();
  const inner = new Context();
  const seen = outer.run(() => {
    v.set("outer");
    const nested = thrown(() => outer.run(() => v.get()));
    const other = inner.run(() => {
      const before = v.get();
      v.set("inner");
      return before;
    });
    return [nested, other, v.get()];
  });
  expect(seen).toEqual(["RuntimeError: cannot enter context: <Context size=1> is already entered", "top", "outer"]);
  expect(inner.get(v)).toBe("inner");
  expect(outer.get(v)).toBe("outer");
  // The refused entry did not leave it marked: it can be entered again.
  expect(outer.run(() => v.get())).toBe("outer");
});

it("copy() of an entered context is a new context, not entered: it runs inside the original's run, and after it", () => {
  const v = new ContextVar<string>("v", { default: "top" });
  const context = new Context();
  const [inside, copy] = context.run(() => {
    v.set("set");
    const copy = context.copy();
    return [copy.run(() => v.get()), copy] as const;
  });
  expect(inside).toBe("set");
  expect(copy.run(() => v.get())).toBe("set");
  expect(context.run(() => v.get())).toBe("set");
});

it("get() ignores the variable's default; has, size, keys, values, entries and iteration list what is set", () => {
  const a = new ContextVar<number>("a", { default: 1 });
  const b = new ContextVar<string>("b");
  const context = new Context();
  expect(context.get(a)).toBeUndefined();
  expect(context.get(a, 5)).toBe(5);
  expect(context.has(a)).toBe(false);
  expect(context.size).toBe(0);
  context.run(() => {
    a.set(2);
    b.set("x");
  });
  expect(context.has(a)).toBe(true);
  expect(context.size).toBe(2);
  expect([...context.keys()]).toEqual([a, b]);
  expect([...context.values()]).toEqual([2, "x"]);
  expect([...context.entries()]).toEqual([
    [a, 2],
    [b, "x"],
  ]);
  expect([...context]).toEqual([...context.entries()]);
  expect(String(context)).toBe("<Context size=2>");
  const copy = context.copy();
  expect([...copy.entries()]).toEqual([...context.entries()]);
  copy.run(() => a.set(3));
  expect([context.get(a), copy.get(a)]).toEqual([2, 3]);
});

it("get(variable, default) of a variable set to undefined or null gives that value, not the default", () => {
  const a = new ContextVar<number | undefined>("a");
  const b = new ContextVar<number | null>("b");
  const context = new Context();
  context.run(() => {
    a.set(undefined);
    b.set(null);
  });
  expect(context.get(a, 5)).toBeUndefined();
  expect(context.get(b, 5)).toBeNull();
});

it("a token tells its variable and the value before the set, or Token.MISSING, as Python's token.var and old_value", () => {
  const user = new ContextVar<string>("user", { default: "nobody" });
  copyContext().run(() => {
    const first = user.set("ada");
    const second = user.set("grace");
    expect([first.variable === user, first.oldValue === Token.MISSING, second.oldValue]).toEqual([true, true, "ada"]);
    user.reset(second);
    expect(user.get()).toBe("ada");
    user.reset(first);
    expect(user.get()).toBe("nobody"); // no value again: the default shows
    expect(typeof Token.MISSING).toBe("symbol");
  });
});

it("a set over a value of undefined or null keeps that value as the token's old value, and reset() puts it back, as CPython's old_value None", () => {
  const user = new ContextVar<string | null | undefined>("user", { default: "nobody" });
  copyContext().run(() => {
    for (const before of [null, undefined]) {
      user.set(before);
      const token = user.set("ada");
      expect(token.oldValue).toBe(before);
      user.reset(token);
      expect([user.get(), copyContext().has(user)]).toEqual([before, true]); // not "nobody": it has a value
    }
  });
});

it("bad input: run() of a non-function and a context option that is not a Context are TypeErrors", async () => {
  expect(thrown(() => new Context().run(42 as never))).toBe("TypeError: Context.run() needs a function to call, got number 42");
  const out = await runVirtual("js", function* () {
    const refused = thrown(() => createTask(function* () {}, { context: { run() {} } as never }));
    return [refused, allTasks().size];
  });
  expect(out).toEqual(["TypeError: createTask(): context must be a Context, got an object of class Object", 1]);
});

it("bad input: get() and has() of what is not a ContextVar are TypeErrors, not a silent miss", () => {
  const user = new ContextVar<string>("user");
  const context = copyContext();
  context.run(() => user.set("ada"));
  // A variable's name finds nothing: Python's Context refuses a key that is not a ContextVar.
  expect(thrown(() => context.get("user" as never))).toBe('TypeError: Context.get() needs a ContextVar, got the string "user"');
  expect(thrown(() => context.get(1 as never, "x"))).toBe("TypeError: Context.get() needs a ContextVar, got number 1");
  expect(thrown(() => context.has(undefined as never))).toBe("TypeError: Context.has() needs a ContextVar, got undefined");
  expect([context.get(user), context.has(user)]).toEqual(["ada", true]);
});

forEachCore("Context with tasks and callbacks", (core) => {
  it("the step that throws a refused await's error into a task runs in the task's context, as asyncio's", async () => {
    const who = new ContextVar<string>("who", { default: "top" });
    const out = await runVirtual(core, function* () {
      const log: string[] = [];
      who.set("main");
      const task = createTask(function* () {
        who.set("task");
        for (const refused of [currentTask()!, 42]) {
          try {
            yield* (refused === 42 ? ((function* () { yield 42 as never; })()) : (refused as Task<unknown>));
          } catch (error) {
            log.push(`caught ${(error as Error).name}; who = ${who.get()}; task = ${currentTask()?.getName()}`);
            who.set(`set after ${(error as Error).name}`);
          }
        }
        yield* sleep(1);
        log.push(`after the next await: who = ${who.get()}`);
      }, { name: "worker" });
      yield* task;
      log.push(`main: who = ${who.get()}`);
      return log;
    });
    expect(out).toEqual([
      "caught RuntimeError; who = task; task = worker",
      "caught TypeError; who = set after RuntimeError; task = worker",
      "after the next await: who = set after TypeError",
      "main: who = main",
    ]);
    expect(who.get()).toBe("top");
  });

  it("a task created with { context } runs in it: its sets are seen through the context after", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const context = copyContext();
      const task = createTask(
        function* () {
          v.set("in task");
          const nested = thrown(() => context.run(() => v.get()));
          yield* sleep(10);
          return { value: v.get(), nested, self: currentTask() };
        },
        { context },
      );
      const result = yield* task;
      return [result.value, result.nested, result.self === task, context.get(v), v.get()];
    });
    expect(out).toEqual([
      "in task",
      "RuntimeError: cannot enter context: <Context size=1> is already entered",
      true,
      "in task",
      "d",
    ]);
  });

  it("a context stays entered through its task's whole step: an eager child or another run inside cannot enter it", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const shared = new Context();
      const other = new Context();
      return yield* createTask(
        function* () {
          const child = createTask(
            function* () {
              return thrown(() => shared.run(() => v.set("child")));
            },
            { eager: true },
          );
          const viaOther = other.run(() => thrown(() => shared.run(() => v.set("other"))));
          return [yield* child, viaOther];
        },
        { context: shared },
      );
    });
    const refused = "RuntimeError: cannot enter context: <Context size=0> is already entered";
    expect(out).toEqual([refused, refused]);
  });

  it("an eager task made inside Context.run sets its variables in a context of its own, from its first step", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const context = new Context();
      const task = context.run(() =>
        createTask(
          function* () {
            v.set("task");
            yield* sleep(1);
            return v.get();
          },
          { eager: true },
        ),
      );
      return [context.get(v, "unset"), yield* task];
    });
    expect(out).toEqual(["unset", "task"]);
  });

  it("taskContext(creator), first asked from an eager child's first step, is entered: the creator is still in its step", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const outer = currentTask()!;
      let middle: Task<unknown> | undefined;
      const middleTask = createTask(
        function* () {
          middle = currentTask()!;
          // Two levels of eager steps: each creator's context is entered under them.
          const child = createTask(
            function* () {
              return [thrown(() => taskContext(outer).run(() => v.set("child"))), thrown(() => taskContext(middle!).run(() => v.set("child")))];
            },
            { eager: true },
          );
          return yield* child;
        },
        { eager: true },
      );
      const refusals = yield* middleTask;
      // Once the steps are over, the middle one's Context can be run.
      return [...refusals, thrown(() => taskContext(middle!).run(() => v.set("later")))];
    });
    expect(out).toEqual([
      expect.stringMatching(/^RuntimeError: cannot enter context: <Context size=\d+> is already entered$/),
      expect.stringMatching(/^RuntimeError: cannot enter context: <Context size=\d+> is already entered$/),
      "no error",
    ]);
  });

  it("taskContext(task) is asyncio's Task.get_context(): one Context, live both ways, entered while the task runs", async () => {
    const v = new ContextVar<string>("v", { default: "none" });
    const out = await runVirtual(core, function* () {
      v.set("main");
      const child = function* () {
        v.set("child");
        const inside = thrown(() => taskContext(currentTask()!).run(() => undefined));
        yield* sleep(10);
        return [v.get(), inside];
      };
      const task = createTask(child);
      const context = taskContext(task);
      const beforeFirstStep = context.get(v);
      yield* sleep(5);
      const afterFirstStep = [context.get(v), v.get()];
      context.run(() => v.set("outside")); // while the task waits: the task reads it
      const result = yield* task;
      const given = copyContext();
      const second = createTask(child, { context: given });
      const sameGiven = taskContext(second) === given;
      const secondResult = yield* second;
      return {
        beforeFirstStep,
        afterFirstStep,
        result,
        same: taskContext(task) === context,
        finalValue: context.get(v),
        sameGiven,
        secondInside: secondResult[1],
        mainAfter: v.get(),
      };
    });
    // CPython 3.13 prints the same for the same program.
    const entered = /^RuntimeError: cannot enter context: <Context size=1> is already entered$/;
    expect(out).toEqual({
      beforeFirstStep: "main",
      afterFirstStep: ["child", "main"],
      result: ["outside", expect.stringMatching(entered)],
      same: true,
      finalValue: "outside",
      sameGiven: true,
      secondInside: expect.stringMatching(entered),
      mainAfter: "main",
    });
  });

  it("a Context that taskContext gives a running task stays entered to the end of that step only", async () => {
    const v = new ContextVar<string>("v", { default: "none" });
    const out = await runVirtual(core, function* () {
      let context: Context | null = null;
      const task = createTask(function* () {
        context = taskContext(currentTask()!); // made inside the step
        yield* sleep(10);
        return thrown(() => context!.run(() => undefined)); // a later step: entered again
      });
      yield* sleep(5);
      const betweenSteps = thrown(() => context!.run(() => v.set("between")));
      const inLaterStep = yield* task;
      return [betweenSteps, inLaterStep, context!.get(v), thrown(() => taskContext("nope" as never))];
    });
    expect(out).toEqual([
      "no error",
      "RuntimeError: cannot enter context: <Context size=1> is already entered",
      "between",
      'TypeError: taskContext() needs a Task, got the string "nope"',
    ]);
  });

  it("a token set before taskContext(task) still resets, in the task or through the Context, as in asyncio", async () => {
    // CPython 3.13 prints the same for the same program: a task has its Context all along.
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const seen: string[] = [];
      const own = v.set("a");
      taskContext(currentTask()!);
      seen.push(thrown(() => v.reset(own)), v.get());
      let childToken: Token<string> | null = null;
      const release = new Event();
      const child = createTask(function* () {
        childToken = v.set("c");
        yield* release.wait();
        seen.push(`child sees ${v.get()}`);
      });
      yield* sleep(0);
      seen.push(thrown(() => taskContext(child).run(() => v.reset(childToken!))));
      release.set();
      yield* child;
      const other = createTask(function* () {
        const token = v.set("x");
        yield* sleep(1);
        seen.push(thrown(() => v.reset(token)), `other ends with ${v.get()}`);
      });
      yield* sleep(0);
      taskContext(other); // made while it sleeps on its token
      yield* other;
      return seen;
    });
    expect(out).toEqual(["no error", "d", "no error", "child sees d", "no error", "other ends with d"]);
  });

  it("tasks created with the same context share it", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const shared = new Context();
      const a = createTask(
        function* () {
          v.set("a");
          yield* sleep(10);
          return v.get();
        },
        { context: shared },
      );
      const b = createTask(
        function* () {
          yield* sleep(5);
          const seen = v.get();
          v.set("b");
          return seen;
        },
        { context: shared },
      );
      return [yield* gather([a, b]), shared.get(v)];
    });
    expect(out).toEqual([["b", "a"], "b"]);
  });

  it("Context.run inside a task step sets the context, not the task; currentTask() is still the task", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      v.set("task");
      const context = new Context();
      const self = currentTask();
      const inside = context.run(() => {
        const before = v.get();
        v.set("context");
        return [before, currentTask() === self];
      });
      yield* sleep(1);
      return [...inside, v.get(), context.get(v)];
    });
    expect(out).toEqual(["d", true, "task", "context"]);
  });

  it("a token set in a context resets in a later run of it, and nowhere else", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const context = copyContext();
      context.run(() => v.set("one"));
      const token = context.run(() => v.set("two"));
      const elsewhere = thrown(() => context.copy().run(() => v.reset(token)));
      const inTask = thrown(() => v.reset(token as Token<string>));
      yield* sleep(1);
      context.run(() => v.reset(token));
      return [elsewhere, inTask, context.get(v)];
    });
    expect(out).toEqual([
      "ValueError: Token was created in a different Context",
      "ValueError: Token was created in a different Context",
      "one",
    ]);
  });

  it("the exception handler runs in the context of what failed: a callback's, a done callback's, a task's (asyncio 3.13)", async () => {
    // CPython 3.13 prints from-main, done-cb and task-own for the same program.
    const rid = new ContextVar<string>("rid", { default: "none" });
    const { loop } = virtualLoop(core);
    const seen: string[] = [];
    loop.setExceptionHandler((_loop, context) => seen.push(`${(context.exception as Error).message}: ${rid.get()}`));
    await loop.runUntilComplete(function* () {
      rid.set("from-main");
      getRunningLoop().callSoon(() => {
        throw new Error("callback");
      });
      createTask(function* () {
        rid.set("task-own");
        throw new Error("task");
      });
      const reply = getRunningLoop().createFuture();
      reply.addDoneCallback(() => {
        rid.set("done-cb");
        throw new Error("done callback");
      });
      reply.setResult(1);
      yield* sleep(1);
    });
    loop.close(); // reports the task's error that no one retrieved
    expect([...seen, rid.get()]).toEqual(["callback: from-main", "done callback: done-cb", "task: task-own", "none"]);
  });

  it("a task's done callback that fails is reported about its handle, in the callback's context, not the task's (asyncio 3.13)", async () => {
    // CPython 3.13 gives the same program's handler exception, handle and message, and it
    // reads cb-own; main's context is untouched.
    const rid = new ContextVar<string>("rid", { default: "none" });
    const out = await runVirtual(core, function* () {
      const seen: string[] = [];
      getRunningLoop().setExceptionHandler((_loop, context) => {
        seen.push(`${Object.keys(context).sort().join(",")} ${String(context.handle)} sees ${rid.get()}`);
        rid.set("set by the handler");
      });
      rid.set("main");
      const task = createTask(function* () {
        rid.set("task-own");
        return 1;
      });
      task.addDoneCallback(function cb() {
        rid.set("cb-own");
        throw new ValueError("cb");
      });
      yield* sleep(10);
      return [...seen, `main has ${rid.get()}, the task has ${taskContext(task).get(rid)}`];
    });
    expect(out).toEqual(["exception,handle,message <Handle cb> sees cb-own", "main has main, the task has task-own"]);
  });

  it("the handler runs in the failed task's context even when called from a step or a Context.run, and finds a task under `future`", async () => {
    // CPython 3.13 prints the same for the same program (its handler runs in ctx.run).
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const seen: string[] = [];
      loop.setExceptionHandler((_loop, context) => {
        seen.push(`${context.message} sees ${v.get()}`);
        v.set(`set by ${context.message}`);
      });
      v.set("main's");
      const worker = createTask(function* () {
        v.set("worker's");
        yield* sleep(1_000);
      });
      yield* sleep(0);
      loop.callExceptionHandler({ message: "from a step", task: worker });
      seen.push(`worker has ${taskContext(worker).get(v)}, main has ${v.get()}`);
      const context = copyContext();
      context.run(() => v.set("the context's"));
      context.run(() => loop.callExceptionHandler({ message: "from a run", future: worker }));
      seen.push(`worker has ${taskContext(worker).get(v)}, the context has ${context.get(v)}`);
      worker.cancel();
      return seen;
    });
    expect(out).toEqual([
      "from a step sees worker's",
      "worker has set by from a step, main has main's",
      "from a run sees set by from a step",
      "worker has set by from a run, the context has the context's",
    ]);
  });

  it("callSoon(() => context.run(callback)) is asyncio's call_soon(callback, context=context)", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const out = await runVirtual(core, function* () {
      const context = copyContext();
      const loop = getRunningLoop();
      const done = loop.createFuture<void>();
      loop.callSoon(() =>
        context.run(() => {
          v.set("cb");
          done.setResult();
        }),
      );
      yield* done;
      return [context.get(v), v.get()];
    });
    expect(out).toEqual(["cb", "d"]);
  });

  it("TaskGroup.createTask takes the context option too", async () => {
    const v = new ContextVar<number>("v", { default: 0 });
    const out = await runVirtual(core, function* () {
      const context = new Context();
      yield* taskGroup(function* (tg) {
        tg.createTask(
          function* () {
            yield* sleep(3);
            v.set(v.get() + 1);
          },
          { context },
        );
        tg.createTask(
          function* () {
            yield* sleep(5);
            v.set(v.get() + 10);
          },
          { context },
        );
      });
      return [context.get(v), v.get()];
    });
    expect(out).toEqual([11, 0]);
  });

  it("an eager task whose context is already entered is refused at creation; nothing is left behind", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const { loop, errors } = virtualLoop(core);
    const out = await loop.runUntilComplete(function* () {
      const context = new Context();
      const before = allTasks().size;
      const refused = context.run(() =>
        thrown(() =>
          createTask(
            function* () {
              v.set("never");
            },
            { context, eager: true },
          ),
        ),
      );
      // A lazy task with that context is fine: its first step runs after run() returns.
      const lazy = context.run(() =>
        createTask(
          function* () {
            v.set("lazy");
            return v.get();
          },
          { context },
        ),
      );
      const added = allTasks().size - before; // the lazy task only
      // Nor from a step of a task that runs in the context.
      const fromInside = yield* createTask(
        function* () {
          return thrown(() => createTask(function* () {}, { context, eager: true }));
        },
        { context },
      );
      return [refused, added, yield* lazy, context.get(v), fromInside];
    });
    loop.close();
    const refusal = "RuntimeError: cannot enter context: <Context size=0> is already entered";
    expect(out).toEqual([refusal, 1, "lazy", "lazy", refusal.replace("size=0", "size=1")]);
    expect(errors).toEqual([]);
  });
});
