import type { Coroutine } from "./coroutine.js";
import { type Awaitable, type AwaitedResult, checkAwaitables, toFuture } from "./ensure-future.js";
import { TimeoutError } from "./errors.js";
import type { Future } from "./future.js";
import type { TimerHandle } from "./handle.js";
import { Ring } from "./ring.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import { WaiterQueue, wakeNext } from "./waiter-queue.js";
import { checkTimeout } from "./sleep.js";
import { optionsOf } from "./options.js";

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /**
   * At most this many ms from the call: the results still outstanding then raise
   * TimeoutError when awaited (their work is not cancelled). Default: no limit.
   */
  timeout?: number | undefined;
}

/**
 * Yields one coroutine per awaitable; each `yield*` of them gives the next result to
 * finish, in completion order (asyncio.as_completed). With `timeout`, the ones still
 * outstanding when it passes raise TimeoutError. As in asyncio, the call itself starts
 * the work (coroutines become tasks) and the timeout, not the first step of the loop.
 *
 * @example
 * ```ts
 * for (const next of asCompleted([fetchA(), fetchB(), fetchC()], { timeout: 5_000 })) {
 *   const first = yield* next; // whichever finished first
 * }
 * ```
 */
export function asCompleted<A extends Awaitable<unknown>>(
  awaitables: Iterable<A>,
  options?: AsCompletedOptions,
): Generator<Coroutine<AwaitedResult<A>>, void, unknown> {
  checkAwaitables(awaitables, "asCompleted()", "futures, tasks or generators");
  const loop = getRunningLoop();
  const todo = new Set<Future<unknown>>();
  // One given twice is one: a coroutine must not become two tasks stepping one generator.
  for (const a of new Set(awaitables)) todo.add(toFuture(a as Awaitable<unknown>, loop, "asCompleted()"));
  const total = todo.size;
  // Finished futures in completion order (null marks a timeout), and the coroutines
  // parked waiting for the next one.
  const finished = new Ring<Future<unknown> | null>(); // a ring: Array.shift is O(n) when long
  const waiting = new WaiterQueue();
  let timer: TimerHandle | null = null;

  const deliver = (f: Future<unknown> | null): void => {
    finished.add(f);
    wakeNext(waiting); // a coroutine whose wait was cancelled is skipped
  };
  const onCompletion = (f: Future<unknown>): void => {
    if (!todo.delete(f)) return; // the timeout came first
    deliver(f);
    if (todo.size === 0) timer?.cancel();
  };
  const onTimeout = (): void => {
    for (const f of todo) {
      f._removeCallback(onCompletion);
      deliver(null);
    }
    todo.clear();
  };
  for (const f of todo) f._addCallback(onCompletion);
  const { timeout } = optionsOf(options, "asCompleted()", "timeout");
  if (total > 0 && timeout !== undefined) {
    timer = loop.callLater(checkTimeout(timeout, "asCompleted()"), onTimeout);
  }

  function* waitForOne(): Coroutine<AwaitedResult<A>> {
    while (finished.length === 0) {
      const waiter = new WaitingFuture<void>(loop, "asCompleted()", todo);
      waiting.add(waiter);
      try {
        yield* waiter;
      } catch (error) {
        // As asyncio's Queue.get: stop waiting, and if this coroutine had been woken for
        // a result it will not take now, pass the wake-up on.
        waiting.delete(waiter);
        if (finished.length > 0 && !waiter.cancelled()) wakeNext(waiting);
        throw error;
      }
    }
    const f = finished.take();
    if (f === null) throw new TimeoutError("asCompleted() timed out");
    return f.result() as AwaitedResult<A>;
  }

  return repeat(total, waitForOne);
}

/** Yields `next()` `count` times: the lazy half of asCompleted, after its eager setup. */
function* repeat<T>(count: number, next: () => T): Generator<T, void, unknown> {
  for (let i = 0; i < count; i++) yield next();
}
