import { isThenable } from "./errors.js";
import type { RefusedReturn } from "./refused-return.js";

/**
 * A callback of `callSoon`, `callLater`, `callAt` and `addDoneCallback`, called with
 * `args` of types `A`. One that returns a coroutine is a `function*`, or returns an
 * operation (`() => queue.put(1)`): calling it only makes the coroutine, so none of its
 * work would run, silently. The intersection with a message makes that a compile error
 * that says what to write instead (see {@link RefusedReturn}). A plain or async function
 * passes (an async one runs; its promise is not awaited, and its rejection goes to the
 * exception handler), and so does one that returns an iterator without `throw`, such as
 * `map.keys()`, which a generator always has.
 */
export type LoopCallback<A extends unknown[], R> = ((...args: A) => R) &
  RefusedReturn<
    R,
    Iterator<unknown> & { throw(error: unknown): unknown },
    "a function* or an operation as a loop callback would run nothing: use createTask to run it"
  >;

/**
 * @internal Hands the rejection of what a loop callback returned, if it is a promise (an
 * async callback), to `report`: the loop does not await it, and left alone it would be
 * an unhandled rejection, which ends a Node process without a word to the exception
 * handler. (asyncio never runs an `async def` given as a callback, and warns that it was
 * never awaited; here it runs, and its failure is the callback's.)
 */
export function reportRejection(returned: unknown, report: (error: unknown) => void): void {
  if (isThenable(returned)) Promise.resolve(returned).catch(report);
}
