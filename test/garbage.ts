// Forcing garbage collection, for tests of what happens when the collector takes
// something: Bun's own call, or V8's `gc`, exposed for the test. Node and Bun only (the
// browser run leaves out the test files that import this, as it does those that import
// `node:` modules).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A full collection. */
export const collectGarbage = ((): (() => void) => {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) return () => bun.gc(true);
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/**
 * Collects garbage until `enough()` or twenty rounds: a FinalizationRegistry's callbacks
 * run in a host task after the collection that found their objects. `enough()` is asked
 * after each round, and each collection is made in a host task of its own: a
 * `WeakRef.deref()` in `enough()` keeps its target alive until the task it ran in ends.
 */
export async function collectUntil(enough: () => boolean): Promise<void> {
  for (let round = 0; round < 20; round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (enough()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** How many of `refs` still hold their object after collecting until none does (or twenty rounds). */
export async function aliveAfterCollecting(refs: readonly WeakRef<object>[]): Promise<number> {
  const alive = (): number => refs.filter((ref) => ref.deref() !== undefined).length;
  await collectUntil(() => alive() === 0);
  return alive();
}
