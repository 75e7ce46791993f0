import { Future, retrieveIfFailed } from "./future.js";
import { type Coroutine, type TaskBody, toCoroutine } from "./coroutine.js";
import type { AwaitedResult } from "./ensure-future.js";
import { checkIterable, RuntimeError, TimeoutError } from "./errors.js";
import { Event } from "./event.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { currentTask, getRunningLoop } from "./running.js";
import { awaitWithRunnersEnded } from "./runners-ended.js";
import { checkDelay } from "./time-arguments.js";
import type { Task } from "./task.js";
import { WaitingFuture } from "./waiting-future.js";
import { waitFor } from "./wait-for.js";

/** What {@link staggeredRace} returns. */
export type StaggeredRaceResult<T> =
  | {
      /** What the winner returned. */
      result: T;
      /** The winner's position among the bodies. */
      index: number;
      /** What each body that was started threw, in their order; null for the winner's place. */
      errors: unknown[];
    }
  | {
      /** None won: every body started failed. */
      result: undefined;
      index: null;
      /** What each body that was started threw, in their order. */
      errors: unknown[];
    };

/**
 * What a body of {@link staggeredRace} returns; over a union of bodies, the union of
 * their results, so that bodies of different result types can race.
 */
type BodyResult<B> = AwaitedResult<B extends () => infer R ? R : B>;

/**
 * Runs the bodies with staggered starts and takes the first to succeed (asyncio's
 * `staggered_race`, the "happy eyeballs" of `create_connection`): the first starts at
 * once; each next one starts when the one before it fails, or `delay` ms after it
 * started, whichever comes first. The first body to return wins, and every other one is
 * cancelled. With `delay` null, each starts only when the one before it has failed; with
 * 0, all start at once, which makes it `Promise.any` with the losers cancelled.
 *
 * Bodies are taken from `bodies` one at a time, as they are started. If taking the next
 * one throws, the race fails with that error at once, after cancelling the bodies
 * running and waiting for their cleanup (asyncio 3.13 lets them finish first). A body
 * that is cancelled counts as failed, with its CancelledError in `errors`. If the race itself is
 * cancelled (or times out), every body is cancelled, and the race waits for their
 * cleanup before the cancellation goes on (the first one, if it is cancelled again
 * meanwhile, as asyncio's); asyncio 3.13 leaves them finishing after it.
 * A losing body must let its cancellation propagate: one that swallows it and returns
 * fails the race with a RuntimeError (asyncio's fails an assert).
 *
 * @param bodies function*s (or functions returning a coroutine or a Future) to try, in order.
 * @param delay ms between starts, or null to try them one after another.
 * @example
 * ```ts
 * // Ask the nearest mirror; if it has not answered in 250 ms (or has failed), ask the
 * // next one too. The first answer wins, and the other requests are cancelled.
 * const { result, index, errors } = yield* staggeredRace(
 *   mirrors.map((url) => () => until((signal) => fetch(url, { signal }))),
 *   250,
 * );
 * if (index === null) throw new AggregateError(errors, "every mirror failed");
 * ```
 */
export function staggeredRace<B extends TaskBody<unknown>>(
  bodies: Iterable<B>,
  delay: number | null,
): Operation<StaggeredRaceResult<BodyResult<B>>>;
// With the result type named: `staggeredRace<number | string>(...)`.
export function staggeredRace<T>(bodies: Iterable<TaskBody<T>>, delay: number | null): Operation<StaggeredRaceResult<T>>;
export function staggeredRace<T>(bodies: Iterable<TaskBody<T>>, delay: number | null): Operation<StaggeredRaceResult<T>> {
  return mustAwait(race(bodies, delay), "staggeredRace()");
}

function* race<T>(bodies: Iterable<TaskBody<T>>, delay: number | null): Coroutine<StaggeredRaceResult<T>> {
  if (delay !== null) checkDelay(delay, "staggeredRace()");
  // A future is iterable (it yields itself while pending), not a list of bodies; a
  // generator may well be one.
  if (bodies instanceof Future) throw new TypeError(`staggeredRace() takes an iterable of bodies, got ${String(bodies)}`);
  checkIterable(bodies, "staggeredRace()", "bodies");
  const loop = getRunningLoop();
  const next = bodies[Symbol.iterator]();
  let started = 0;
  let winner: { index: number; result: T } | null = null;
  const errors: unknown[] = [];
  const runners: Task<void>[] = []; // every runner started, done or not
  // Done when every runner is: the runners start one another, so the list grows while
  // the race waits on it. The future watches the list itself, not a copy, so that the task
  // tree shows every runner under the race's task.
  const allDone = new WaitingFuture<void>(loop, "staggeredRace()", runners);
  let finished = 0;
  const onRunnerDone = (task: Future<unknown>): void => {
    finished++;
    if (allDone.done()) return;
    // A runner's own failure (not its body's, which it keeps) is a bug to see.
    if (retrieveIfFailed(task)) allDone.setException(task._result);
    else if (finished === runners.length) allDone.setResult();
  };
  const start = (previousFailed: Event | null): void => {
    const runner = loop.createTask(runOne(previousFailed));
    runners.push(runner);
    runner._addCallback(onRunnerDone);
  };

  /**
   * One runner per body, as in asyncio: it waits until the previous body fails or the
   * delay is up, starts the runner of the body after its own, then runs its own body.
   */
  function* runOne(previousFailed: Event | null): Coroutine<void> {
    if (previousFailed !== null) {
      try {
        if (delay === null) yield* previousFailed.wait();
        else yield* waitFor(previousFailed.wait(), delay);
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
      }
    }
    const item = next.next();
    if (item.done === true) return;
    const index = started++;
    const failed = new Event();
    start(failed);
    errors.push(null);
    let result: T;
    try {
      result = yield* toCoroutine(item.value, "staggeredRace()");
    } catch (error) {
      errors[index] = error;
      failed.set();
      return;
    }
    if (winner !== null) {
      // Only a body that swallowed the cancellation its loss brought can get here
      // (asyncio's assert fails the same way): the race fails rather than pick one.
      throw new RuntimeError(
        `staggeredRace(): body ${index} returned after body ${winner.index} had won; a body must let its cancellation propagate`,
      );
    }
    winner = { index, result };
    // Not this runner: it is finishing, and a cancellation would only reach its end. (By
    // identity: an eager runner starts the next one before it is in the list itself.)
    const self = currentTask();
    for (const task of runners) if (task !== self) task.cancel();
  }

  start(null);
  yield* awaitWithRunnersEnded(allDone, runners, () => {
    for (const task of runners) task.cancel();
  });
  // (TypeScript cannot see runOne set it, and takes it for still null here.)
  const won = winner as { index: number; result: T } | null;
  return won === null ? { result: undefined, index: null, errors } : { result: won.result, index: won.index, errors };
}
