// console.log and util.inspect show the runtime's objects as their one-line toString(), as
// asyncio's repr, instead of their fields down through the loop and its scheduler core.
import { inspect } from "node:util";
import { expect, it } from "vitest";
import {
  Barrier,
  Condition,
  Context,
  ContextVar,
  createTask,
  Event,
  getRunningLoop,
  Lock,
  PriorityQueue,
  Queue,
  Semaphore,
  sleep,
  taskGroup,
  timeout,
} from "../src/index.ts";
import { forEachCore, runVirtual } from "./helpers.ts";

forEachCore("util.inspect", (core) => {
  it("shows each of the runtime's objects as its toString(), alone and inside others", async () => {
    const shown = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const user = new ContextVar<string>("user");
      const objects: object[] = [
        createTask(sleep(10), { name: "worker" }),
        loop.createFuture(),
        loop.callLater(5, function tick() {}),
        loop.callSoon(function soon() {}),
        loop,
        new Lock(),
        new Event(),
        new Condition(),
        new Semaphore(2),
        new Barrier(3),
        new Queue<number>(),
        new PriorityQueue<number>(),
        user,
        user.set("ada"),
        new Context(),
      ];
      yield* timeout(100, (scope) => {
        objects.push(scope);
        return sleep(0);
      });
      yield* taskGroup((group) => {
        objects.push(group);
        return sleep(0);
      });
      return objects.map((object) => [inspect(object), String(object), inspect({ nested: [object] }, { breakLength: Infinity })]);
    });
    expect(shown).toHaveLength(17);
    for (const [inspected, text, nested] of shown) {
      expect(text).toMatch(/^<\w+/);
      expect(inspected).toBe(text);
      expect(nested).toBe(`{ nested: [ ${text} ] }`);
    }
    expect(shown.map(([inspected]) => inspected!.split(" ")[0])).toEqual(
      ["Task", "Future", "TimerHandle", "Handle", "EventLoop", "Lock", "Event", "Condition", "Semaphore", "Barrier", "Queue", "PriorityQueue", "ContextVar", "Token", "Context", "Timeout", "TaskGroup"].map((name) => `<${name}`),
    );
    expect(shown[4]![0]).toBe(`<EventLoop running=true closed=false debug=false core=${core}>`);
  });

  it("names a handle by its callback's name only when that name is a string", async () => {
    const shown = await runVirtual(core, function* () {
      const loop = getRunningLoop();
      const numbered = Object.defineProperty(function () {}, "name", { value: 42 });
      const renamed = Object.defineProperty(function () {}, "name", { value: "tick" });
      const handles = [loop.callSoon(numbered), loop.callLater(5, renamed), loop.callSoon(() => {})];
      const shown = handles.map((handle) => inspect(handle));
      for (const handle of handles) handle.cancel();
      return shown;
    });
    expect(shown).toEqual(["<Handle callback>", "<TimerHandle tick>", "<Handle callback>"]);
  });
});
