// What a freshly loaded copy of the runtime starts from: state kept by the module, which
// the other test files cannot see from its start because their earlier tests moved it.
// `vi.resetModules()` loads a new copy, which browser mode (native ES modules) cannot do,
// so this file runs where core-fallback.test.ts runs.
import { afterEach, expect, it, vi } from "vitest";
import { forEachCore } from "./helpers.ts";

afterEach(() => {
  vi.resetModules();
});

forEachCore("a fresh runtime", (core) => {
  it("numbers unnamed tasks from Task-1, given to run()'s main task, as asyncio.run's is", async () => {
    vi.resetModules();
    const { createTask, currentTask, run } = await import("../src/index.ts");
    const names = await run(
      function* () {
        const first = createTask(function* () {});
        const second = createTask(function* () {});
        yield* first;
        yield* second;
        return [currentTask()!.getName(), first.getName(), second.getName()];
      },
      { clock: "virtual", core },
    );
    expect(names).toEqual(["Task-1", "Task-2", "Task-3"]);
  });
});
