import { type Awaitable, toFuture } from "./ensure-future.js";
import { Future, retrieveIfFailed } from "./future.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";

/**
 * Protects an awaitable from cancellation (asyncio.shield). Cancelling the task that
 * awaits the shield cancels only the waiting: the inner work goes on, and its result
 * can still be collected from it.
 *
 * @example
 * ```ts
 * const save = createTask(saveToDisk(data));
 * yield* shield(save); // if we are cancelled here, the save still completes
 * ```
 */
export function shield<T>(awaitable: Awaitable<T>): Future<T> {
  const inner = toFuture(awaitable, awaitable instanceof Future ? awaitable.getLoop() : getRunningLoop(), "shield()");
  if (inner.done()) return inner;
  const outer = new WaitingFuture<T>(inner.getLoop(), "shield()", inner);
  const onInnerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      // No one can see the inner error through the cancelled outer: it counts as
      // retrieved, as in asyncio, and is not reported as never retrieved.
      if (!f.cancelled()) f.exception();
      return;
    }
    if (f.cancelled()) outer.cancel();
    else if (retrieveIfFailed(f)) outer.setException(f._result);
    else outer.setResult(f.result());
  };
  inner._addCallback(onInnerDone);
  outer._addCallback(() => {
    if (!inner.done()) inner._removeCallback(onInnerDone);
  });
  return outer;
}
