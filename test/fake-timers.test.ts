// A test's fake timers (vitest's, jest's, sinon's) must not stall the loop once they are
// removed, whatever the order of imports: the loop's host turns go through setImmediate,
// which a fake installed when the runtime was first imported had replaced.
import { expect, it, vi } from "vitest";

/** A virtual-clock run busy enough that the loop hands the host turns (every 8 ms of work). */
async function busyRun(runtime: typeof import("../src/index.ts")): Promise<number> {
  return runtime.run(
    function* () {
      const tasks = Array.from({ length: 20_000 }, () => runtime.createTask(runtime.sleep(1)));
      yield* runtime.gather(tasks);
      return tasks.length;
    },
    { clock: "virtual" },
  );
}

it("vitest's fake timers, installed when the runtime is first imported and removed since, leave the loop's host turns working", async () => {
  vi.useFakeTimers();
  vi.resetModules();
  const fresh = await import("../src/index.ts");
  vi.useRealTimers();
  expect(await busyRun(fresh)).toBe(20_000);
}, 20_000);

it("so do fake timers that replaced node:timers' setImmediate too, as sinon's do", async () => {
  const timers = (globalThis as { process?: { getBuiltinModule?: (id: string) => { setImmediate: unknown } | undefined } }).process
    ?.getBuiltinModule?.("timers");
  const real = globalThis.setImmediate;
  // A fake that never runs what it is given, marked as sinon's fakes are.
  const fake = Object.assign(() => ({}), { clock: {} });
  (globalThis as { setImmediate: unknown }).setImmediate = fake;
  if (timers) timers.setImmediate = fake;
  vi.resetModules();
  let fresh: typeof import("../src/index.ts");
  try {
    fresh = await import("../src/index.ts");
  } finally {
    globalThis.setImmediate = real;
    if (timers) timers.setImmediate = real;
  }
  expect(await busyRun(fresh)).toBe(20_000);
}, 20_000);
