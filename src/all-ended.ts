import type { Coroutine } from "./coroutine.js";
import { CancelledError } from "./errors.js";
import type { Future } from "./future.js";
import { wait } from "./wait.js";

/**
 * Waits until every runner of a `race()` or `staggeredRace()` has ended (read anew each
 * time: a staggered race's runners start one another), as a TaskGroup's exit does: a
 * cancellation that comes meanwhile does not cut the wait short, but is thrown once it
 * is over. As there, the first cancellation is the one that goes on: the one that cut
 * the race's own wait short (`cancelledAlready`: the caller's, thrown on already), else
 * the first to come during the cleanup. Retrieves nothing (as `wait()` does not), so
 * that a loser's failure is reported rather than lost.
 */
export function* allEnded(runners: Iterable<Future<unknown>>, cancelledAlready: boolean): Coroutine<void> {
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
