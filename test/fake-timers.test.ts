// A test's fake timers (vitest's, jest's, sinon's) must not stall the loop once they are
// removed, whatever the order of imports: the loop's host turns go through setImmediate,
// which a fake installed when the runtime was first imported had replaced. And where
// there is no setImmediate at all, the turns go through a MessageChannel.
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

/**
 * A fresh copy of the module `load` imports, imported while setImmediate is `standIn`,
 * node:timers' too (as sinon replaces both); the real one is put back before it returns.
 */
async function importWhileSetImmediateIs<M>(standIn: unknown, load: () => Promise<M>): Promise<M> {
  const timers = (globalThis as { process?: { getBuiltinModule?: (id: string) => { setImmediate: unknown } | undefined } }).process
    ?.getBuiltinModule?.("timers");
  const real = globalThis.setImmediate;
  (globalThis as { setImmediate: unknown }).setImmediate = standIn;
  if (timers) timers.setImmediate = standIn;
  vi.resetModules();
  try {
    return await load();
  } finally {
    globalThis.setImmediate = real;
    if (timers) timers.setImmediate = real;
  }
}

it("so do fake timers that replaced node:timers' setImmediate too, as sinon's do", async () => {
  // A fake that never runs what it is given, marked as sinon's fakes are.
  const fake = Object.assign(() => ({}), { clock: {} });
  const fresh = await importWhileSetImmediateIs(fake, () => import("../src/index.ts"));
  expect(await busyRun(fresh)).toBe(20_000);
}, 20_000);

it("where there is no setImmediate (browsers, workerd), host turns taken through a MessageChannel run in order", async () => {
  const host = await importWhileSetImmediateIs(undefined, () => import("../src/host.ts"));
  const order = await new Promise<number[]>((resolve) => {
    const order: number[] = [];
    for (const n of [1, 2, 3]) host.queueMacrotask(() => order.push(n) === 3 && resolve(order));
  });
  expect(order).toEqual([1, 2, 3]);
});
