import { type Coroutine, isCoroutine } from "./coroutine.js";
import { type Awaitable, toFuture } from "./ensure-future.js";
import { isCancelledError, TimeoutError } from "./errors.js";
import type { Future } from "./future.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import { checkTimeout } from "./time-arguments.js";
import { timeout } from "./timeouts.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";

/**
 * Waits for `awaitable` for at most `ms` (asyncio.wait_for). On timeout the awaitable is
 * cancelled, its cleanup is waited for, and TimeoutError is raised, unless it swallowed
 * the cancellation and returned a value, which is then returned. A coroutine runs in the
 * calling task, under a timeout scope, as in asyncio 3.12+ (with `ms <= 0` it is wrapped
 * in a task that is cancelled before it starts, unless tasks are eager: then its first
 * step runs, as in asyncio).
 *
 * @example
 * ```ts
 * const reply = yield* waitFor(request(), 2_000);
 * ```
 */
export function waitFor<T>(awaitable: Awaitable<T>, ms: number): Operation<T> {
  return mustAwait(waitForBody(awaitable, ms), "waitFor()");
}

function* waitForBody<T>(awaitable: Awaitable<T>, ms: number): Coroutine<T> {
  checkTimeout(ms, "waitFor()");
  const loop = getRunningLoop();
  if (ms <= 0) {
    const future = toFuture(awaitable, loop, "waitFor()");
    if (future.done()) return future.result();
    yield* cancelAndWait(future);
    try {
      return future.result();
    } catch (error) {
      if (isCancelledError(error)) throw new TimeoutError("waitFor() timed out", { cause: error });
      throw error;
    }
  }
  // As in asyncio 3.12+, a coroutine runs inline, in the waiting task, under a timeout
  // scope; only a Future is awaited as one.
  if (isCoroutine(awaitable)) return yield* timeout(ms, awaitable as Coroutine<T>);
  const future = toFuture(awaitable, loop, "waitFor()");
  return yield* timeout(ms, function* () {
    return yield* future;
  });
}

/** Cancels `future` and waits until it is done, whatever the outcome. */
function* cancelAndWait(future: Future<unknown>): Coroutine<void> {
  const waiter = new WaitingFuture<void>(future.getLoop(), "waitFor(), cancelling on timeout", future);
  const release = (): void => {
    if (!waiter.done()) waiter.setResult();
  };
  future._addCallback(release);
  try {
    future.cancel();
    yield* waiter;
  } finally {
    future._removeCallback(release);
  }
}
