import { type Coroutine, isCoroutine } from "./coroutine.js";
import { describe } from "./describe.js";
import { type Awaitable, type AwaitedResult, notAwaitable } from "./ensure-future.js";
import { otherLoopError, RuntimeError, ValueError } from "./errors.js";
import { Future } from "./future.js";
import { childTask } from "./gather.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { currentTask, getRunningLoop } from "./running.js";
import { awaitWithRunnersEnded } from "./runners-ended.js";
import { WaitingFuture } from "./waiting-future.js";

/**
 * Runs the awaitables at once and ends as the first of them ends (`Promise.race`, with the
 * losers stopped, as Effection's `race` and Trio's cancel scopes do it; asyncio spells it
 * `wait(..., return_when=FIRST_COMPLETED)` and a cancel of the rest). Every other one is
 * cancelled, and the race waits for their cleanup (`finally` blocks that wait included);
 * then it returns the winner's result, or throws its error as it is. Coroutines become
 * tasks; a Task or Future passed in is cancelled too when it loses.
 *
 * Of several that end in the same iteration of the loop, the first to end wins (for
 * futures done already, the first in the array). If the race itself is cancelled, every
 * awaitable is cancelled and the race waits for them all before the cancellation goes on,
 * also if it is cancelled again meanwhile (the first cancellation is the one that goes on,
 * as from a task group). A loser that fails, other than by its
 * cancellation, keeps its error: the loop reports it as never retrieved, unless its owner
 * retrieves it (a task passed in). An empty array is refused, since the race would never
 * end.
 *
 * @example
 * ```ts
 * // The first mirror to answer wins; the other requests are aborted (their signals
 * // have fired) when `body` is returned.
 * const body = yield* race(mirrors.map((url) => until((signal) => fetch(url, { signal }))));
 *
 * // A deadline as a race: "late" after 1 s, unless the job ends first.
 * const outcome = yield* race([job(), sleep(1_000, "late" as const)]);
 * ```
 */
export function race<const A extends readonly Awaitable<unknown>[]>(awaitables: A): Operation<AwaitedResult<A[number]>> {
  return mustAwait(raceBody(awaitables), "race()") as Operation<AwaitedResult<A[number]>>;
}

function* raceBody(awaitables: readonly Awaitable<unknown>[]): Coroutine<unknown> {
  if (!Array.isArray(awaitables)) {
    throw new TypeError(`race() takes an array of awaitables, race([a, b]), got ${describe(awaitables)}`);
  }
  if (awaitables.length === 0) throw new ValueError("race() of no awaitables would never end");
  const loop = getRunningLoop();
  // Every one is checked before any task is made: one refused later would leave the tasks
  // of those before it running, with no race to stop them.
  const self = currentTask();
  for (const awaitable of awaitables) {
    if (awaitable instanceof Future) {
      if (awaitable === self) throw new RuntimeError(`race(): ${self._describe(false)} cannot race itself`);
      if (awaitable._loop !== loop) throw otherLoopError("race()", awaitable);
    } else if (!isCoroutine(awaitable)) {
      throw notAwaitable(awaitable, "race()");
    }
  }
  // One runner for what is passed twice (a coroutine makes one task), cancelled once.
  const seen = new Map<unknown, Future<unknown>>();
  const runners = new Set(
    awaitables.map((awaitable) => (awaitable instanceof Future ? awaitable : childTask(awaitable, loop, seen, "race()"))),
  );
  const first = new WaitingFuture<Future<unknown>>(loop, `race() of ${awaitables.length}`, runners);
  const onEnded = (runner: Future<unknown>): void => {
    if (!first.done()) first.setResult(runner);
  };
  for (const runner of runners) runner._addCallback(onEnded);
  const winner = yield* awaitWithRunnersEnded(first, runners, (won) => {
    for (const runner of runners) {
      runner._removeCallback(onEnded);
      // Not one done already: cancel() would mark its failure retrieved, and lose it.
      if (runner !== won && !runner.done()) runner.cancel();
    }
  });
  // Its error, or its CancelledError if something else cancelled it, goes on as it is.
  // Read only now: if a cancellation came during the cleanup, that goes on instead, and
  // an error of the winner's, not retrieved, is reported rather than lost.
  return winner.result();
}
