import type { Coroutine } from "./coroutine.js";
import { CancelledError } from "./errors.js";
import type { Future } from "./future.js";
import { wait } from "./wait.js";

/**
 * The end of a `race()` or `staggeredRace()`: awaits `decided` (its outcome), then,
 * whether that came, failed or was cancelled, calls `stop` (with the outcome, if it came)
 * to cancel the runners still going, and waits until every runner has ended (read anew
 * each time: a staggered race's runners start one another). As at a TaskGroup's exit, a
 * cancellation that comes meanwhile does not cut the wait short, and the first
 * cancellation is the one that goes on: the one that cut the wait for `decided` short,
 * else the first to come during the cleanup, which then wins over the outcome. Retrieves
 * nothing (as `wait()` does not), so that a loser's failure is reported rather than lost.
 */
export function* awaitWithRunnersEnded<T>(
  decided: Future<T>,
  runners: Iterable<Future<unknown>>,
  stop: (outcome: T | undefined) => void,
): Coroutine<T> {
  let outcome: T | undefined;
  let cancelledAlready = false;
  try {
    return (outcome = yield* decided);
  } catch (error) {
    cancelledAlready = error instanceof CancelledError;
    throw error;
  } finally {
    stop(outcome);
    let cancelled: CancelledError | null = null;
    for (;;) {
      const pending = [...runners].filter((runner) => !runner.done());
      if (pending.length === 0) break;
      try {
        yield* wait(pending);
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        cancelled ??= error;
      }
    }
    if (cancelled !== null && !cancelledAlready) throw cancelled;
  }
}
