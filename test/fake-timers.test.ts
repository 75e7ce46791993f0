// A test's fake timers (vitest's, sinon's) must not stall the loop once they are removed,
// whatever the order of imports: the loop's host turns go through setImmediate, which a
// fake installed when the runtime was first imported replaced.
import { expect, it, vi } from "vitest";

it("fake timers installed when the runtime is first imported, and removed since, leave the loop's host turns working", async () => {
  vi.useFakeTimers();
  vi.resetModules();
  const fresh = await import("../src/index.ts");
  vi.useRealTimers();
  // Busy enough that the loop hands the host turns (it does every 8 ms of work).
  const finished = await fresh.run(
    function* () {
      const tasks = Array.from({ length: 20_000 }, () => fresh.createTask(fresh.sleep(1)));
      yield* fresh.gather(tasks);
      return tasks.length;
    },
    { clock: "virtual" },
  );
  expect(finished).toBe(20_000);
}, 20_000);
