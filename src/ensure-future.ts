import { checkIterable, describe, otherLoopError, promiseHint } from "./errors.js";
import { Future } from "./future.js";
import type { EventLoop } from "./loop.js";
import { type Coroutine, isCoroutine } from "./coroutine.js";
import { loopArgument } from "./loop-argument.js";

/** Anything a task can wait on: a Future (or Task), or a coroutine to run as a task. */
export type Awaitable<T = unknown> = Future<T> | Coroutine<T>;

/** What awaiting `A` gives. */
export type AwaitedResult<A> = A extends Future<infer T> ? T : A extends Coroutine<infer T> ? T : never;

/**
 * Turns an awaitable into a Future (asyncio.ensure_future): a Future is returned as it
 * is, a coroutine is wrapped in a new Task on `loop`, or on the running loop when no
 * loop is given.
 *
 * @example
 * ```ts
 * const future = ensureFuture(work()); // a Task running work() on the running loop
 * ensureFuture(future) === future; // true
 * ```
 */
export function ensureFuture<T>(awaitable: Awaitable<T>, loop?: EventLoop | null): Future<T> {
  // A Future is returned as it is whatever loop is running, as in asyncio.
  if (loop == null && awaitable instanceof Future) return awaitable;
  return toFuture(awaitable, loopArgument(loop, "ensureFuture()"), "ensureFuture()");
}

/**
 * What {@link ensureFuture} does once it has a loop; `what` names the caller in errors
 * (`"gather()"`). Kept apart so that gather and the others, which always have their
 * loop, do not bring in the public function's checks.
 */
export function toFuture<T>(awaitable: Awaitable<T>, loop: EventLoop, what: string): Future<T> {
  if (awaitable instanceof Future) {
    if (awaitable._loop !== loop) throw otherLoopError(what, awaitable);
    return awaitable;
  }
  if (isCoroutine(awaitable)) return loop.createTask(awaitable as Coroutine<T>);
  // A function* given where what it makes was meant: `gather([fetch])`.
  const hint = typeof awaitable === "function" ? " (call it to get a generator)" : promiseHint(awaitable);
  throw new TypeError(`${what} needs a Future, a Task or a generator, got ${describe(awaitable)}${hint}`);
}

/**
 * Checks that `value` is an iterable of awaitables. A single future or coroutine is
 * refused by name, although it is iterable: iterating a pending future yields it for
 * as long as it is pending, so `wait(task)` would never end (asyncio refuses it too).
 */
export function checkAwaitables(value: unknown, what: string, items: string): void {
  const one = value instanceof Future ? String(value) : isCoroutine(value) ? "a generator" : null;
  if (one !== null) throw new TypeError(`${what} takes an iterable of ${items}, got one: ${one} (put it in an array)`);
  checkIterable(value, what, items);
}
