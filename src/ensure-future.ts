import { checkIterable, otherLoopError, promiseHint } from "./errors.js";
import { describe } from "./describe.js";
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
  if (awaitable instanceof Future) {
    // Returned as it is whatever loop is running, as in asyncio.
    if (loop == null) return awaitable;
  } else if (!isCoroutine(awaitable)) {
    // Refused before the loop is looked for: what is wrong is the argument (asyncio's order).
    throw notAwaitable(awaitable, "ensureFuture()");
  }
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
  throw notAwaitable(awaitable, what);
}

/** The error for what is neither a Future nor a coroutine; `what` names the caller. */
export function notAwaitable(value: unknown, what: string): TypeError {
  // A function* given where what it makes was meant: `gather([fetch])`.
  const hint = typeof value === "function" ? " (call it to get a generator)" : promiseHint(value);
  return new TypeError(`${what} needs a Future, a Task or a generator, got ${describe(value)}${hint}`);
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
