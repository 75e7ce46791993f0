// A loop's task factory (asyncio's loop.set_task_factory): every task the loop makes goes
// through it, and what it returns is checked where the factory is to blame.
import { expect, it } from "vitest";
import {
  type Coroutine,
  copyContext,
  type EventLoop,
  gather,
  getRunningLoop,
  shield,
  sleep,
  Task,
  type TaskFactory,
  type TaskFactoryOptions,
  taskGroup,
  waitFor,
} from "../src/index.ts";
import { after, forEachCore, runVirtual, virtualLoop } from "./helpers.ts";

/** A Task that says it was made by the factory. */
class CountedTask<T> extends Task<T> {
  readonly madeBy = "factory";
}

/** A factory that makes CountedTasks and records what it was asked for. */
function recordingFactory(asked: TaskFactoryOptions[]): TaskFactory {
  return <T>(loop: EventLoop, coro: Coroutine<T>, options: TaskFactoryOptions): Task<T> => {
    asked.push(options);
    return new CountedTask(coro, loop, options.name, options.eager, options.context);
  };
}

forEachCore("a loop's task factory", (core) => {
  it("makes every task of the loop: createTask, a TaskGroup's, and those gather and shield make", async () => {
    const asked: TaskFactoryOptions[] = [];
    const tasks = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      expect(loop.getTaskFactory()).toBe(null);
      const factory = recordingFactory(asked);
      loop.setTaskFactory(factory);
      expect(loop.getTaskFactory()).toBe(factory);
      const made = [loop.createTask(after(1, "a"), { name: "named" })];
      yield* taskGroup(function* (group) {
        made.push(group.createTask(after(2, "b")));
      });
      expect(yield* gather([after(1, "c"), after(2, "d")])).toEqual(["c", "d"]);
      // As in asyncio, waitFor runs a coroutine in the waiting task, not in a task of its own.
      expect(yield* waitFor(after(1, "e"), 100)).toBe("e");
      expect(yield* shield(after(1, "f"))).toBe("f");
      loop.setTaskFactory(null);
      made.push(loop.createTask(after(1, "g")));
      yield* gather(made);
      return made;
    });
    expect(asked).toHaveLength(5);
    expect(asked[0]).toEqual({ name: "named", eager: false, context: undefined });
    expect(tasks.map((task) => task instanceof CountedTask)).toEqual([true, true, false]);
    expect(tasks[0]!.getName()).toBe("named");
    expect(tasks.map((task) => task.result())).toEqual(["a", "b", "g"]);
  });

  it("is given the task's options, eager resolved from the loop's eagerTasks", async () => {
    const asked: TaskFactoryOptions[] = [];
    await runVirtual(
      core,
      function* () {
        const loop = getRunningLoop();
        loop.setTaskFactory(recordingFactory(asked));
        const context = copyContext();
        const steps: string[] = [];
        const eager = loop.createTask(function* () {
          steps.push("eager started");
          yield* sleep(1);
        });
        steps.push("after createTask");
        loop.createTask(after(1, null), { eager: false, context, name: "lazy" });
        yield* eager;
        expect(steps).toEqual(["eager started", "after createTask"]);
        expect(asked).toEqual([
          { name: undefined, eager: true, context: undefined },
          { name: "lazy", eager: false, context },
        ]);
      },
      { eagerTasks: true },
    );
  });

  it("a name asked for is the task's when the factory leaves it unnamed; one the factory gives stays", async () => {
    const names = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      loop.setTaskFactory((loop, coro, { name }) => new Task(coro, loop, name === "renamed" ? "by the factory" : undefined));
      return [
        loop.createTask(after(1, null), { name: "test_task" }).getName(),
        loop.createTask(after(1, null), { name: "renamed" }).getName(),
        loop.createTask(after(1, null)).getName(),
      ];
    });
    expect(names[0]).toBe("test_task");
    expect(names[1]).toBe("by the factory");
    expect(names[2]).toMatch(/^Task-\d+$/);
  });

  it("makes the task runUntilComplete wraps a coroutine in", async () => {
    const { loop } = virtualLoop(core);
    const asked: TaskFactoryOptions[] = [];
    loop.setTaskFactory(recordingFactory(asked));
    expect(await loop.runUntilComplete(after(5, "done"))).toBe("done");
    expect(asked).toHaveLength(1);
    loop.close();
  });

  it("must return a Task: anything else is refused by createTask, and the loop goes on", async () => {
    const refusals = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const refusals: string[] = [];
      for (const made of [42, Promise.resolve(1)]) {
        loop.setTaskFactory(() => made as never);
        try {
          loop.createTask(after(1, "x"));
        } catch (error) {
          refusals.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
      loop.setTaskFactory(null);
      expect(yield* loop.createTask(after(1, "still running"))).toBe("still running");
      return refusals;
    });
    expect(refusals).toEqual([
      "TypeError: the task factory must return a Task, got number 42",
      "TypeError: the task factory must return a Task, got a Promise",
    ]);
  });

  it("must be a function or null", () => {
    const { loop } = virtualLoop(core);
    expect(() => loop.setTaskFactory(42 as never)).toThrow(
      new TypeError("the task factory must be a function or null, got number 42"),
    );
    expect(() => loop.setTaskFactory(undefined as never)).toThrow(/got undefined/);
    expect(loop.getTaskFactory()).toBe(null);
    loop.close();
  });
});
