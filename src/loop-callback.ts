import { isThenable } from "./errors.js";
import type { EventLoop } from "./loop.js";
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
 * @internal Follows what a loop callback (or a done callback, or the exception handler)
 * returned, if it is a promise (an async callback). Its rejection goes to `report`: the
 * loop does not await it, and left alone it would be an unhandled rejection, which ends
 * a Node process without a word to the exception handler. (asyncio never runs an `async
 * def` given as a callback, and warns that it was never awaited; here it runs, and its
 * failure is the callback's.) Until it settles it is foreign work, as an `until()`'s
 * promise is: virtual time waits for it, up to the autojump threshold, so what the
 * callback does after an `await` is not left until after the jump.
 */
export function followCallbackPromise(loop: EventLoop, returned: unknown, report: (error: unknown) => void): void {
  if (!isThenable(returned)) return;
  loop._foreign(1);
  // Released once the failure is reported, not before: the clock must not jump between.
  Promise.resolve(returned)
    .catch(report)
    .finally(() => loop._foreign(-1));
}
