import type { KnownAwaitable } from "./await-kind.js";
import { finalizationRegistry } from "./host.js";

// Debug mode's watch over operations that do nothing until awaited (see `mustAwait`).
//
// Each one is handed out behind a Proxy, registered with a FinalizationRegistry. The
// first time anything reads a property of it (`yield*` asks for its iterator, `gather`
// and `createTask` check that it is a coroutine), it counts as started and the watch
// ends. A proxy the garbage collector takes while still watched was dropped without
// ever being started, and its report runs. Like asyncio's "coroutine ... was never
// awaited", that happens when the object is collected: it may come late, and not at
// all for one kept reachable.
//
// The registry is one for the whole program, not one per loop: reports still come for
// operations created before debug mode was turned off again.
//
// An operation that is yielded instead of delegated to (`yield sleep(10)`, without the
// `*`) is started too, but by a task asking what its coroutine yielded, which is the
// first thing read of it then: `yieldedBare` runs.
//
// An operation runs once, as a coroutine does: awaiting one a second time would give
// back nothing at once (a generator that is done stays done), where asyncio raises
// "cannot reuse already awaited coroutine". So the watch also steps the operation itself:
// `yield*` and tasks get the proxy as its iterator, and a `next` once it has finished
// calls `reused`, which throws.

/** The registry of watched operations, made on first use; null where the host has none. */
let dropped: FinalizationRegistry<() => void> | null | undefined;

/**
 * The registry's cleanup. Module-level, not an arrow made where the registry is: that
 * arrow would share the scope of the first watch, and keep its operation and report,
 * and through them its loop, for as long as the program runs.
 */
function runReport(report: () => void): void {
  report();
}

/**
 * The name `_awaitKind` has at run time, the one property a task reads of what a
 * coroutine yields: a minified build renames it, the same way in this object literal
 * as in the classes. (Found on first use, so that bundles without debug mode drop it.)
 */
let awaitKindKey: string | undefined;

/**
 * An iterator's `[Symbol.iterator]`, giving back the proxy it is called on. (Not a closure
 * over the proxy: with the proxy in the watch's scope, V8 kept one of them from the collector.)
 */
function returnThis<T>(this: T): T {
  return this;
}

/**
 * Hands back `op` behind a watch that calls `report()` if it is collected unstarted,
 * `report(true)` if a task reads it as what a coroutine yielded, `started` when it is
 * first used (to await it, or otherwise), and `reused` (which throws) if it is stepped
 * again once finished. A host without FinalizationRegistry
 * (workerd before its 2025-05-05 compatibility date) gets all but the first: what is
 * never started cannot be seen collected there.
 *
 * No closure here holds `report` once the operation started, for `report` holds where
 * the operation was made, and through that stack, the frames of the code that made it
 * (a task, its locals), which an operation handed to a long-lived task must not keep. (A
 * closure made here would: V8 gives every closure of a scope the same context.)
 */
export function watchNeverAwaited<T extends object>(
  op: T,
  report: (yieldedBare?: true) => void,
  reused: () => never,
  started: () => void,
): T {
  dropped ??= finalizationRegistry(runReport);
  const registry = dropped;
  const awaitKind = (awaitKindKey ??= Object.keys({ _awaitKind: 0 } satisfies Record<keyof KnownAwaitable, 0>)[0]!);
  const token = {};
  let watching: ((yieldedBare?: true) => void) | null = report; // null once started
  let finished = false;
  const watched = new Proxy(op, {
    get(target, key) {
      if (watching !== null) {
        const watched = watching;
        watching = null;
        registry?.unregister(token);
        if (key === awaitKind) watched(true);
        started();
      }
      // Stepped through here, to see it finish: `yield*` takes the proxy as the iterator.
      if (key === Symbol.iterator) return returnThis;
      if (key === "next" || key === "throw" || key === "return") {
        return (sent: unknown): IteratorResult<unknown> => {
          if (finished && key === "next") reused();
          try {
            const result = (target as Iterator<unknown>)[key]!(sent);
            if (result.done === true) finished = true;
            return result;
          } catch (error) {
            finished = true;
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      // Its class's other methods run on the operation itself: a generator's refuse any
      // other `this`.
      // Its own properties are returned as they are, as a Proxy must for frozen ones, and
      // so is the refusing `then` of its kind, which until() knows it by (see mustAwait).
      return typeof value === "function" && !Object.hasOwn(target, key) && key !== "then" ? value.bind(target) : value;
    },
  });
  registry?.register(watched, report, token);
  return watched;
}
