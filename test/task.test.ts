// Tasks: stepping, names, current and all tasks, and cancellation with asyncio's semantics
// (including SEMANTICS.md items 1-3).
import fc from "fast-check";
import { expect, it } from "vitest";
import {
  allTasks,
  CancelledError,
  createTask,
  currentTask,
  Future,
  gather,
  getRunningLoop,
  RuntimeError,
  sleep,
  type Task,
  type Yielded,
} from "../src/index.ts";
import { forEachCore, goesOnWhenCancelled, messageOf, outcome, runVirtual, thrown } from "./helpers.ts";

forEachCore("Task", (core) => {
  it("runs a coroutine to its return value", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        yield* sleep(100);
        return "value";
      });
      expect(task.done()).toBe(false);
      const value = yield* task;
      return [value, task.result(), getRunningLoop().time()];
    });
    expect(out).toEqual(["value", "value", 100]);
  });

  it("passes the coroutine's exception to whoever awaits the task", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        yield* sleep(1);
        throw new Error("inner failure");
      });
      try {
        yield* task;
      } catch (error) {
        return [(error as Error).message, task.exception() === error];
      }
      return "not reached";
    });
    expect(out).toEqual(["inner failure", true]);
  });

  it("names tasks Task-N by default, or as given; setName renames", async () => {
    await runVirtual(core, function* () {
      const a = createTask(function* () {});
      const b = createTask(function* () {}, { name: "worker" });
      expect(a.getName()).toMatch(/^Task-\d+$/);
      const n = Number(a.getName().slice(5));
      const c = createTask(function* () {});
      expect(c.getName()).toBe(`Task-${n + 1}`); // named tasks use up no number, as in asyncio
      expect(b.getName()).toBe("worker");
      b.setName("renamed");
      expect(b.getName()).toBe("renamed");
      // As asyncio's str(name): a number is that name, not the default Task-N; null is none.
      const numbered = createTask(function* () {}, { name: 7 as never });
      expect(numbered.getName()).toBe("7");
      expect(String(numbered)).toBe("<Task pending name=7>");
      expect(createTask(function* () {}, { name: null as never }).getName()).toBe(`Task-${n + 2}`);
      b.setName(8 as never); // set_name(8) too
      expect([b.getName(), String(b)]).toEqual(["8", "<Task pending name=8>"]);
      yield* sleep(0);
    });
  });

  it("currentTask() is the task whose step runs; allTasks() holds the unfinished ones", async () => {
    const seen: string[] = [];
    await runVirtual(core, function* () {
      const main = currentTask()!;
      const child = createTask(
        function* () {
          seen.push(currentTask()!.getName());
          yield* sleep(10);
          seen.push(currentTask()!.getName());
        },
        { name: "child" },
      );
      // Compared by identity: deep equality would walk the whole loop behind each task.
      const before = [...allTasks()];
      expect(before.length === 2 && before.includes(main) && before.includes(child)).toBe(true);
      yield* child;
      const after = [...allTasks()];
      expect(after.length === 1 && after[0] === main).toBe(true);
      seen.push(currentTask() === main ? "main" : "other");
    });
    expect(seen).toEqual(["child", "child", "main"]);
  });

  it("currentTask() is null in a plain callback", async () => {
    let inCallback: Task | null | undefined;
    await runVirtual(core, function* () {
      getRunningLoop().callSoon(() => (inCallback = currentTask()));
      yield* sleep(0);
    });
    expect(inCallback).toBeNull();
  });

  it("getCoro() returns the generator", async () => {
    await runVirtual(core, function* () {
      const gen = (function* () {})();
      expect(createTask(gen).getCoro()).toBe(gen);
    });
  });

  it("a function* given to createTask() is called at once: its own generator is the task's, and an error of its call is createTask()'s", async () => {
    function* named() {
      yield* sleep(1);
    }
    function* badDefault(ms: number = Number.parseFloat(JSON.parse("{"))) {
      yield* sleep(ms);
    }
    await runVirtual(core, function* () {
      const task = createTask(named);
      expect(Object.getPrototypeOf(task.getCoro())).toBe(named.prototype);
      expect(() => createTask(badDefault)).toThrow(SyntaxError);
      expect(allTasks().size).toBe(2); // main and `task`: the refused one was never made
      yield* task;
    });
  });

  it("tasks cannot be finished from outside with setResult/setException", async () => {
    await runVirtual(core, function* () {
      const task = createTask(function* () {});
      expect(() => task.setResult(1 as never)).toThrow(RuntimeError);
      expect(() => task.setException(new Error())).toThrow(RuntimeError);
      yield* task;
    });
  });

  it("alternates round-robin between tasks that sleep(0) and tasks that bare-yield", async () => {
    const order: string[] = [];
    await runVirtual(core, function* () {
      const a = createTask(function* () {
        for (let i = 0; i < 3; i++) {
          order.push(`a${i}`);
          yield* sleep(0);
        }
      });
      const b = createTask(function* () {
        for (let i = 0; i < 3; i++) {
          order.push(`b${i}`);
          yield;
        }
      });
      yield* a;
      yield* b;
    });
    expect(order).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
  });

  it("sleep(ms, value) returns the value", async () => {
    expect(await runVirtual(core, () => sleep(5, "v"))).toBe("v");
  });

  it("await from ordinary async code works on a task", async () => {
    let task!: Task<number>;
    const running = runVirtual(core, function* () {
      task = createTask(function* () {
        yield* sleep(10);
        return 5;
      });
      yield* sleep(20);
    });
    await running;
    expect(await task).toBe(5);
  });
});

forEachCore("Task cancellation", (core) => {
  it("throws CancelledError at the suspension point; finally runs and may itself sleep", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const task = createTask(function* () {
        try {
          log.push("start");
          yield* sleep(10_000);
          log.push("not reached");
        } finally {
          log.push(`cleanup at ${loop.time()}`);
          yield* sleep(50);
          log.push(`cleanup done at ${loop.time()}`);
        }
      });
      yield* sleep(100);
      expect(task.cancel("enough")).toBe(true);
      expect(task.done()).toBe(false);
      try {
        yield* task;
      } catch (error) {
        log.push(`awaiter got ${(error as Error).name}: ${(error as Error).message} at ${loop.time()}`);
      }
      expect(task.cancelled()).toBe(true);
      expect(task.cancel()).toBe(false);
    });
    expect(log).toEqual([
      "start",
      "cleanup at 100",
      "cleanup done at 150",
      "awaiter got CancelledError: enough at 150",
    ]);
  });

  it("a second cancel during cleanup interrupts the cleanup where it waits", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const task = createTask(function* () {
        try {
          yield* sleep(10_000);
        } finally {
          try {
            yield* sleep(100); // slow cleanup
            log.push("cleanup finished");
          } catch (error) {
            log.push(`cleanup interrupted by ${(error as Error).name} (${(error as Error).message}) at ${loop.time()}`);
          }
        }
      });
      yield* sleep(10);
      task.cancel("first");
      yield* sleep(20);
      expect(task.done()).toBe(false); // still cleaning up
      task.cancel("second");
      try {
        yield* task;
      } catch (error) {
        log.push(`task ended with ${(error as Error).message} at ${loop.time()}`);
      }
      expect(task.cancelling()).toBe(2);
    });
    // The first CancelledError escapes once the interrupted cleanup is over.
    expect(log).toEqual(["cleanup interrupted by CancelledError (second) at 30", "task ended with first at 30"]);
  });

  it("a waiter whose cancel() throws stops the cancellation there, and a later cancel() goes all the way down", async () => {
    const out = await runVirtual(core, function* () {
      // A user's Future subclass whose first cancel() throws.
      class Refusing<T> extends Future<T> {
        refused = false;
        override cancel(message?: string): boolean {
          if (!this.refused) {
            this.refused = true;
            throw new Error("refused");
          }
          return super.cancel(message);
        }
      }
      const refusing = new Refusing<string>();
      const inner = createTask(function* () {
        return yield* refusing;
      });
      const outer = createTask(function* () {
        return yield* inner;
      });
      yield* sleep(1);
      const thrown = (() => {
        try {
          outer.cancel("first");
          return "nothing";
        } catch (error) {
          return (error as Error).message;
        }
      })();
      const afterFirst = [outer.cancelling(), inner.cancelling(), refusing.done()];
      yield* sleep(1);
      const stillWaiting = [outer.done(), inner.done()];
      const again = outer.cancel("again");
      yield* sleep(1);
      return {
        thrown,
        afterFirst,
        stillWaiting,
        again,
        cancelled: [outer.cancelled(), inner.cancelled(), refusing.cancelled()],
        counts: [outer.cancelling(), inner.cancelling()],
      };
    });
    // As CPython 3.13, where the exception unwinds the nested cancel() calls.
    expect(out).toEqual({
      thrown: "refused",
      afterFirst: [1, 1, false],
      stillWaiting: [false, false],
      again: true,
      cancelled: [true, true, true],
      counts: [2, 2],
    });
  });

  it("whichever waiters in a tree of tasks and gathers throw from cancel(), a second cancel() right after reaches every one", async () => {
    // A tree under one task: tasks awaiting one node, gathers of a few, and leaves that
    // are a sleeping task, a plain future, or a future whose cancel() throws while `refuse`
    // is on. The first cancel() may throw from any refusing leaf; with them refusing no
    // more, a second cancel() at once must still walk down to every leaf (the first
    // cancelled some of them already), and the whole tree must end, cancelled.
    type Node = { leaf: "sleeper" | "future" | "refuser" } | { task: Node } | { gather: Node[] };
    const { tree } = fc.letrec<{ tree: Node }>((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.record({ leaf: fc.constantFrom("sleeper" as const, "future" as const, "refuser" as const) }),
        fc.record({ task: tie("tree") }),
        fc.record({ gather: fc.array(tie("tree"), { minLength: 1, maxLength: 3 }) }),
      ),
    }));
    let throwingRuns = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (shape) => {
        const out = await runVirtual(core, function* () {
          let refuse = true;
          class Refusing extends Future<unknown> {
            override cancel(message?: string): boolean {
              if (refuse) throw new Error("refused");
              return super.cancel(message);
            }
          }
          const leaves: Future<unknown>[] = [];
          const nodes: Future<unknown>[] = [];
          const build = (node: Node): Future<unknown> => {
            let future: Future<unknown>;
            if ("leaf" in node) {
              future =
                node.leaf === "sleeper"
                  ? createTask(function* () {
                      yield* sleep(Infinity);
                    })
                  : node.leaf === "future"
                    ? getRunningLoop().createFuture()
                    : new Refusing();
              leaves.push(future);
            } else if ("task" in node) {
              const below = build(node.task);
              future = createTask(function* () {
                return yield* below;
              });
            } else {
              future = gather(node.gather.map(build));
            }
            nodes.push(future);
            return future;
          };
          const below = build(shape);
          const root = createTask(function* () {
            return yield* below;
          });
          nodes.push(root);
          yield* sleep(1); // every task is parked now
          let threw = false;
          try {
            root.cancel("first");
          } catch {
            threw = true;
          }
          refuse = false;
          root.cancel("second");
          for (let i = 0; i < 10 && !nodes.every((node) => node.done()); i++) yield* sleep(1);
          return {
            threw,
            leavesCancelled: leaves.every((leaf) => leaf.cancelled()),
            allDone: nodes.every((node) => node.done()),
            rootCancelled: root.cancelled(),
          };
        });
        if (out.threw) throwingRuns++;
        expect(out).toEqual({ threw: out.threw, leavesCancelled: true, allDone: true, rootCancelled: true });
      }),
      { numRuns: 150 },
    );
    expect(throwingRuns).toBeGreaterThan(0); // the trees did reach refusing leaves
  });

  it("cancelling tasks that await each other in a cycle ends them all, without overflowing the stack", async () => {
    const out = await runVirtual(core, function* () {
      const tasks: Task<string>[] = [];
      for (let i = 0; i < 3; i++) {
        tasks.push(
          createTask(function* () {
            yield* sleep(1);
            return yield* tasks[(i + 1) % 3]!; // 0 awaits 1 awaits 2 awaits 0: a deadlock
          }),
        );
      }
      yield* sleep(10);
      expect(tasks[0]!.cancel("break the cycle")).toBe(true);
      const outcomes = yield* gather(tasks, { returnExceptions: true });
      return outcomes.map((o) => (o instanceof Error ? `${o.name}: ${o.message}` : o));
    });
    expect(out).toEqual([
      "CancelledError: break the cycle",
      "CancelledError: break the cycle",
      "CancelledError: break the cycle",
    ]);
  });

  it("cancelling the top of a chain of 50,000 tasks, each awaiting the next, cancels the bottom and unwinds every finally", async () => {
    const depth = 50_000;
    const out = await runVirtual(core, function* () {
      const cleanedUp: number[] = [];
      const chain: Task<string>[] = [];
      const link = function* (level: number): Generator<Yielded, string, unknown> {
        try {
          if (level === depth - 1) {
            yield* sleep(Infinity);
            return "never";
          }
          const below = createTask(() => link(level + 1));
          chain.push(below);
          return yield* below;
        } finally {
          cleanedUp.push(level);
        }
      };
      const top = createTask(() => link(0));
      chain.unshift(top);
      yield* sleep(1); // every task is parked now: the bottom in its sleep, the others on the next
      expect(top.cancel("from the top")).toBe(true);
      const counted = chain.filter((task) => task.cancelling() === 1).length;
      const outcome = yield* gather([top], { returnExceptions: true });
      return {
        counted,
        outcome: outcome.map((o) => (o instanceof Error ? `${o.name}: ${o.message}` : o)),
        allCancelled: chain.every((task) => task.cancelled()),
        cleanedUp: cleanedUp.length,
        bottomFirst: cleanedUp[0] === depth - 1 && cleanedUp[depth - 1] === 0,
      };
    });
    expect(out).toEqual({
      counted: depth, // each task in the chain counts the one request, as asyncio's cancelling() does
      outcome: ["CancelledError: from the top"],
      allCancelled: true,
      cleanedUp: depth,
      bottomFirst: true,
    });
  });

  it("cancelling the top of 20,000 nested gathers, each beside a sleeping task, cancels every task in asyncio's order", async () => {
    // Level L is a task that gathers level L+1 and a sleeper of its own. asyncio's
    // cancel() recurses: task, its gather, the gather's first child (level L+1, all the
    // way down), then the second (L's sleeper). So the sleepers take the cancellation
    // deepest first, and their cleanups run in that order.
    const depth = 20_000;
    const out = await runVirtual(core, function* () {
      const cleanedUp: string[] = [];
      const tasks: Task<unknown>[] = [];
      const gathers: Future<unknown>[] = [];
      const sleeper = function* (level: number) {
        try {
          yield* sleep(Infinity);
        } finally {
          cleanedUp.push(`sleeper ${level}`);
        }
      };
      const level = function* (n: number): Generator<Yielded, unknown, unknown> {
        try {
          if (n === depth) return yield* sleeper(n);
          const below = createTask(() => level(n + 1));
          const beside = createTask(() => sleeper(n));
          tasks.push(below, beside);
          const both = gather([below, beside]);
          gathers.push(both);
          return yield* both;
        } finally {
          cleanedUp.push(`level ${n}`);
        }
      };
      const top = createTask(() => level(0));
      tasks.push(top);
      yield* sleep(1); // every task is parked: the sleepers in their sleep, the levels on their gathers
      expect(top.cancel("from the top")).toBe(true);
      const counted = tasks.filter((task) => task.cancelling() === 1).length;
      const outcome = yield* gather([top], { returnExceptions: true });
      return {
        counted,
        outcome: outcome.map((o) => (o instanceof Error ? `${o.name}: ${o.message}` : o)),
        allCancelled: tasks.every((task) => task.cancelled()),
        // A gather whose child was cancelled fails with that CancelledError, as asyncio's.
        gathersFailed: gathers.every((g) => g.exception() instanceof CancelledError),
        cleanedUp: cleanedUp.length,
        firstCleanups: cleanedUp.slice(0, 3),
        lastCleanup: cleanedUp.at(-1),
      };
    });
    expect(out).toEqual({
      counted: 2 * depth + 1,
      outcome: ["CancelledError: from the top"],
      allCancelled: true,
      gathersFailed: true,
      cleanedUp: 2 * depth + 2, // each level and each sleeper, the bottom level's inline one too
      firstCleanups: [`sleeper ${depth}`, `level ${depth}`, `sleeper ${depth - 1}`],
      lastCleanup: "level 0",
    });
  });

  it("a coroutine that swallows the cancellation goes on and finishes normally", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        try {
          yield* sleep(1000);
        } catch (error) {
          if (!(error instanceof CancelledError)) throw error;
        }
        yield* sleep(5);
        return "survived";
      });
      yield* sleep(1);
      task.cancel();
      const value = yield* task;
      return [value, task.cancelled(), getRunningLoop().time()];
    });
    expect(out).toEqual(["survived", false, 6]);
  });

  it("sleep(Infinity) parks until cancelled, then raises CancelledError", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        try {
          yield* sleep(Infinity);
        } catch (error) {
          return `${(error as Error).name} at ${getRunningLoop().time()}`;
        }
        return "not reached";
      });
      yield* sleep(42);
      task.cancel();
      return yield* task;
    });
    expect(out).toBe("CancelledError at 42");
  });

  it("cancelling a task that awaits another task cancels that one too", async () => {
    const log: string[] = [];
    await runVirtual(core, function* () {
      const inner = createTask(function* () {
        try {
          yield* sleep(1000);
        } finally {
          log.push("inner cleaned up");
        }
      });
      const outer = createTask(function* () {
        try {
          yield* inner;
        } finally {
          log.push("outer cleaned up");
        }
      });
      yield* sleep(10);
      outer.cancel();
      yield* sleep(0);
      yield* sleep(0);
      yield* sleep(0);
      expect(inner.cancelled()).toBe(true);
      expect(outer.cancelled()).toBe(true);
    });
    expect(log).toEqual(["inner cleaned up", "outer cleaned up"]);
  });

  it("SEMANTICS 1: two cancel() calls before the task wakes deliver one CancelledError", async () => {
    const out = await runVirtual(core, function* () {
      let caught = 0;
      const task = createTask(function* () {
        for (let i = 0; i < 3; i++) {
          try {
            yield* sleep(100);
          } catch (error) {
            if (error instanceof CancelledError) caught++;
          }
        }
        return caught;
      });
      yield* sleep(10);
      task.cancel("first");
      task.cancel("second");
      const cancelling = task.cancelling();
      yield* sleep(1);
      const uncancelled = task.uncancel();
      const result = yield* task;
      return { cancelling, uncancelled, result };
    });
    // cancelling() read 2; one error was delivered, and the second request never is,
    // even after one uncancel().
    expect(out).toEqual({ cancelling: 2, uncancelled: 1, result: 1 });
  });

  it("SEMANTICS 1: the first request's message is the one delivered", async () => {
    const message = await runVirtual(core, function* () {
      const task = createTask(function* () {
        try {
          yield* sleep(100);
        } catch (error) {
          return (error as Error).message;
        }
        return "not reached";
      });
      yield* sleep(1);
      task.cancel("first");
      task.cancel("second");
      return yield* task;
    });
    expect(message).toBe("first");
  });

  it("cancelling a task that awaits a plain future, or a gather of one, cancels that future with the message", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const direct = loop.createFuture();
      const viaGather = loop.createFuture();
      const first = createTask(() => direct);
      const second = createTask(() => gather([viaGather]));
      yield* sleep(1);
      first.cancel("stop one");
      second.cancel("stop two");
      yield* sleep(1);
      return [direct, viaGather, first, second].map((future) => thrown(() => future.result()));
    });
    expect(out).toEqual(["CancelledError: stop one", "CancelledError: stop two", "CancelledError: stop one", "CancelledError: stop two"]);
  });

  it("every reader of a cancelled task's CancelledError sees its message", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(sleep(100));
      const messageOf = function* () {
        try {
          yield* task;
        } catch (error) {
          return (error as Error).message;
        }
      };
      const first = createTask(messageOf);
      const second = createTask(messageOf);
      yield* sleep(1);
      task.cancel("stop");
      const [settled] = yield* gather([task], { returnExceptions: true });
      return [yield* first, yield* second, (settled as Error).message];
    });
    expect(out).toEqual(["stop", "stop", "stop"]);
  });

  it("SEMANTICS 2: a task that cancels itself and returns without suspending ends cancelled, with the message", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        currentTask()!.cancel("cancelled in its last step");
        return "lost";
      });
      try {
        yield* task;
      } catch (error) {
        return [error instanceof CancelledError, (error as Error).message, task.cancelled()];
      }
      return "not reached";
    });
    expect(out).toEqual([true, "cancelled in its last step", true]);
  });

  it("SEMANTICS 2: a task that cancels itself and then suspends raises at that suspension", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        currentTask()!.cancel("self");
        try {
          yield* sleep(1000);
        } catch (error) {
          return `${(error as Error).message} at ${getRunningLoop().time()}`;
        }
        return "not reached";
      });
      return yield* task;
    });
    expect(out).toBe("self at 0");
  });

  it("a self-cancel cuts the sleep that follows short at once: a later uncancel() or cancel() does not change it", async () => {
    // As in CPython 3.13, whose step cancels the sleep's future as soon as it is yielded.
    // Only sleep(0), a bare yield there, keeps the request open to both.
    const out = await runVirtual(core, function* () {
      const outcomes: string[] = [];
      function* selfCancelling(label: string, ms: number) {
        currentTask()!.cancel(label);
        try {
          yield* sleep(ms);
          outcomes.push(`${label}: slept ${ms}`);
        } catch (error) {
          outcomes.push(`${label}: ${(error as Error).name} '${(error as Error).message}' at ${getRunningLoop().time()}`);
        }
      }
      const uncancelled = [createTask(selfCancelling("uncancelled", 50)), createTask(selfCancelling("uncancelled forever", Infinity))];
      const uncancelledZero = createTask(selfCancelling("uncancelled zero", 0));
      const recancelled = createTask(selfCancelling("first", 50));
      yield* sleep(0); // each has cancelled itself and parked
      for (const task of [...uncancelled, uncancelledZero]) expect(task.uncancel()).toBe(0);
      expect(recancelled.cancel("second")).toBe(true);
      yield* gather([...uncancelled, uncancelledZero, recancelled], { returnExceptions: true });
      return outcomes;
    });
    expect(out).toEqual([
      "uncancelled: CancelledError 'uncancelled' at 0",
      "uncancelled forever: CancelledError 'uncancelled forever' at 0",
      "uncancelled zero: slept 0",
      "first: CancelledError 'first' at 0",
    ]);
  });

  it("SEMANTICS 3: a task cancelled before its first step runs none of its body, not even finally", async () => {
    const log: string[] = [];
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        try {
          log.push("body");
          yield* sleep(1);
        } finally {
          log.push("finally");
        }
      });
      task.cancel();
      yield* sleep(0);
      return [task.cancelled(), task.getCoro().next()];
    });
    expect(log).toEqual([]);
    // The generator was finished without next() ever running it.
    expect(out).toEqual([true, { value: undefined, done: true }]);
  });

  it("describes itself as cancelling between cancel() and its end, as asyncio's repr does", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(
        function* () {
          try {
            yield* sleep(10);
          } finally {
            yield* sleep(5); // cleaning up, still pending
          }
        },
        { name: "sleeper" },
      );
      yield* sleep(0); // the task is in its sleep(10)
      const states = [String(task)];
      task.cancel();
      states.push(String(task));
      task.uncancel(); // back to no request: pending again
      states.push(String(task));
      task.cancel();
      yield* sleep(0);
      states.push(String(task)); // delivered, and the task is in its finally block
      try {
        yield* task;
      } catch {
        states.push(String(task));
      }
      const done = createTask(sleep(0, "done"), { name: "done" });
      yield* done;
      done.cancel(); // a done task does not take the request
      states.push(String(done));
      return states;
    });
    expect(out).toEqual([
      "<Task pending name=sleeper>",
      "<Task cancelling name=sleeper>",
      "<Task pending name=sleeper>",
      "<Task cancelling name=sleeper>",
      "<Task cancelled name=sleeper>",
      "<Task finished name=done result=\"done\">",
    ]);
  });

  it("uncancel() to zero drops a cancellation not yet delivered", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        yield* sleep(0);
        return "ran to the end";
      });
      yield* sleep(0); // the task is now parked in sleep(0), its step scheduled
      task.cancel();
      expect(task.uncancel()).toBe(0);
      return yield* task;
    });
    expect(out).toBe("ran to the end");
  });

  it("uncancel() with no request left stays at zero, as asyncio's: a later cancel() counts from there", async () => {
    const out = await runVirtual(core, function* () {
      const task = createTask(function* () {
        yield* sleep(10);
        return "ran to the end";
      });
      yield* sleep(1);
      const counts = [task.uncancel(), task.uncancel(), task.cancelling()];
      task.cancel("now");
      counts.push(task.cancelling());
      return [counts, yield* outcome(() => task)];
    });
    expect(out).toEqual([[0, 0, 0, 1], "CancelledError"]);
  });

  it("a cancel() that arrives after the sleep's timer fired, but before the step, still cancels", async () => {
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const task = createTask(function* () {
        yield* sleep(10);
        return "finished";
      });
      // Due at the same instant, scheduled after the sleep: runs after the timer fired.
      loop.callAt(10, () => task.cancel());
      try {
        return yield* task;
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(out).toBe("CancelledError");
  });

  it("a cancel() that arrives after the sleep's timer expired, but before it ran, wakes the task at once", async () => {
    // The three callbacks are due at 10, in this order: the cancel, b's timer, a's timer.
    // As in asyncio (where a's sleep future is still pending when it is cancelled), a's
    // wake-up is scheduled by the cancel, so a resumes before b; b's timer ran first.
    const out = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const log: string[] = [];
      loop.callLater(10, () => a.cancel());
      const b = createTask(function* () {
        yield* sleep(10);
        log.push("b slept");
      });
      const a = createTask(function* () {
        try {
          yield* sleep(10);
          log.push("a slept");
        } catch (error) {
          log.push(`a ${(error as Error).name}`);
        }
      });
      yield* gather([b, a]);
      return log;
    });
    expect(out).toEqual(["a CancelledError", "b slept"]);
  });

  it("a task cancelled after what it awaits failed, but before it woke, gets the CancelledError, not the error", async () => {
    // asyncio's __step: a pending cancellation replaces whatever the awaited future ended with.
    const out = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture();
      const task = createTask(function* () {
        try {
          yield* future;
        } catch (error) {
          return `${(error as Error).name} '${(error as Error).message}'`;
        }
      });
      yield* sleep(1);
      future.setException(new Error("boom"));
      const took = task.cancel("stop");
      return [took, yield* task];
    });
    expect(out).toEqual([true, "CancelledError 'stop'"]);
  });

  it("a cancel() that finds the awaited future done, before the task woke, delivers its own message", async () => {
    const out = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture<number>();
      const task = createTask(function* () {
        try {
          return `woke with ${yield* future}`;
        } catch (error) {
          return `${(error as Error).name} '${(error as Error).message}'`;
        }
      });
      yield* sleep(1);
      future.setResult(1);
      task.cancel("too late for the future");
      return yield* task;
    });
    expect(out).toBe("CancelledError 'too late for the future'");
  });

  it("a second cancel() before the task woke from the future the first cancelled is spent with it: a task that swallows the error then sleeps undisturbed", async () => {
    // asyncio's __step clears _must_cancel whenever it steps, also when the error it
    // throws in is the awaited future's CancelledError rather than one of its own.
    const out = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture();
      const task = createTask(function* () {
        const caught = yield* messageOf(() => future);
        yield* sleep(10);
        return `${caught}, then slept`;
      });
      yield* sleep(1);
      const took = [task.cancel("first"), task.cancel("second")];
      return [took, yield* outcome(() => task), task.cancelling()];
    });
    expect(out).toEqual([[true, true], "value: CancelledError: first, then slept", 2]);
  });

  it("a task that cancelled itself hands the request, message and all, to the future it then awaits", async () => {
    const out = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture();
      const task = createTask(function* () {
        currentTask()!.cancel("self");
        try {
          yield* future;
        } catch (error) {
          return `${(error as Error).name} '${(error as Error).message}'`;
        }
      });
      const message = yield* task;
      return [message, future.cancelled()];
    });
    expect(out).toEqual(["CancelledError 'self'", true]);
  });

  it("a task that cancelled itself keeps the request when the future it then awaits refuses it: a gather whose child is done, before the gather has seen it", async () => {
    // asyncio: `if self._fut_waiter.cancel(msg): self._must_cancel = False`; the gather's
    // cancel() returns false (its child is done), so the task is cancelled when it wakes.
    const out = await runVirtual(core, function* () {
      const future = getRunningLoop().createFuture<number>();
      const all = gather([future]);
      const task = createTask(function* () {
        currentTask()!.cancel("self");
        future.setResult(1);
        return yield* messageOf(() => all);
      });
      return [yield* task, all.done(), all.cancelled()];
    });
    expect(out).toEqual(["CancelledError: self", true, false]);
  });

  it("a cancellation handed on to an awaited task that swallows it is spent: the waiter gets that task's value", async () => {
    // asyncio: `if self._fut_waiter.cancel(msg): self._must_cancel = False`. The request went
    // to the awaited task, which decided to go on, so the waiter is not cancelled again.
    const out = await runVirtual(core, function* () {
      const swallower = createTask(goesOnWhenCancelled(10, 42));
      const waiter = createTask(function* () {
        currentTask()!.cancel("stop");
        return yield* outcome(() => swallower);
      });
      return [yield* waiter, waiter.cancelling(), swallower.cancelling()];
    });
    expect(out).toEqual(["value: 42", 1, 1]);
  });

  it("run() cancels the tasks main left behind, and their finally blocks run", async () => {
    const log: string[] = [];
    const out = await runVirtual(core, function* () {
      createTask(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          log.push("orphan cleaned up");
        }
      });
      yield* sleep(1);
      return "main done";
    });
    expect(out).toBe("main done");
    expect(log).toEqual(["orphan cleaned up"]);
  });
});
