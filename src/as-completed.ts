import type { Coroutine } from "./coroutine.js";
import { type Awaitable, type AwaitedResult, checkAwaitables, toFuture } from "./ensure-future.js";
import { TimeoutError } from "./errors.js";
import type { Future } from "./future.js";
import type { LoopAsyncIterator } from "./for-await.js";
import type { TimerHandle } from "./handle.js";
import { Ring } from "./ring.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import { waitOrPassOn, WaiterQueue, wakeNext } from "./waiter-queue.js";
import { checkTimeout } from "./time-arguments.js";
import { optionsOf } from "./options.js";
import type { Task } from "./task.js";

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /**
   * At most this many ms from the call: the results still outstanding then raise
   * TimeoutError when awaited (their work is not cancelled). Default: no limit.
   */
  timeout?: number | undefined;
}

/**
 * What {@link asCompleted} gives back: iterated, one coroutine per awaitable, which gives
 * the next result; read with `forAwait`, the futures themselves as they finish. Leaving
 * a loop over it early does not close it, as in asyncio: a later loop reads the rest.
 */
export interface AsCompleted<A extends Awaitable<unknown>>
  extends IterableIterator<Coroutine<AwaitedResult<A>>, void>,
    AsyncIterable<CompletedFuture<A>> {}

/** What `forAwait` over {@link asCompleted} gives for `A`: a future or task as it was passed, a coroutine's task. */
export type CompletedFuture<A> = A extends Future<unknown> ? A : Task<AwaitedResult<A>>;

/**
 * Runs the awaitables concurrently and gives them back in the order they finish
 * (asyncio.as_completed). Iterated, it yields one coroutine per awaitable, and each
 * `yield*` of them gives the next result to finish, or raises its error. Read with
 * `forAwait` (asyncio 3.13's `async for`), it gives the futures and tasks themselves as
 * they finish, as they were passed (a coroutine's task, for a coroutine), which tells
 * which one finished. With `timeout`, the ones still outstanding when it passes raise
 * TimeoutError, from their coroutine or from `forAwait`. As in asyncio, the call itself
 * starts the work (coroutines become tasks) and the timeout, not the first step of the
 * loop.
 *
 * @example
 * ```ts
 * for (const next of asCompleted([fetchA(), fetchB(), fetchC()], { timeout: 5_000 })) {
 *   const first = yield* next; // whichever finished first
 * }
 * const connections = [createTask(connect("127.0.0.1")), createTask(connect("::1"))];
 * yield* forAwait(asCompleted(connections), function* (earliest) {
 *   const socket = yield* earliest; // done already: this does not wait
 *   if (earliest === connections[1]) console.log("IPv6 connection established");
 * });
 * ```
 */
export function asCompleted<A extends Awaitable<unknown>>(
  awaitables: Iterable<A>,
  options?: AsCompletedOptions,
): AsCompleted<A> {
  checkAwaitables(awaitables, "asCompleted()", "futures, tasks or generators");
  // Checked before any work starts: a refusal must not leave tasks running for no one.
  const { timeout } = optionsOf(options, "asCompleted()", "timeout");
  const ms = timeout === undefined ? undefined : checkTimeout(timeout, "asCompleted()");
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
  if (total > 0 && ms !== undefined) timer = loop.callLater(ms, onTimeout);

  /** The next future to finish, or TimeoutError. */
  function* waitForOne(): Coroutine<Future<unknown>> {
    while (finished.length === 0) {
      // As asyncio's Queue.get: woken for a result it will not take now, the wake-up goes
      // to the next.
      yield* waitOrPassOn(waiting, new WaitingFuture(loop, "asCompleted()", todo), () => finished.length > 0);
    }
    const f = finished.take();
    if (f === null) throw new TimeoutError("asCompleted() timed out");
    return f;
  }
  function* nextResult(): Coroutine<AwaitedResult<A>> {
    return (yield* waitForOne()).result() as AwaitedResult<A>;
  }
  // Both ways of reading take from one count, as asyncio's iterator does.
  let left = total;
  function* nextStep(): Coroutine<IteratorResult<CompletedFuture<A>>> {
    if (left === 0) return { value: undefined, done: true };
    left--;
    return { value: (yield* waitForOne()) as CompletedFuture<A>, done: false };
  }
  const asyncIterator: LoopAsyncIterator<CompletedFuture<A>> = {
    // forAwait runs the step in the reading task itself, as asyncio's `async for`
    // awaits `__anext__()`: no task or host promise in between.
    _nextStep: nextStep,
    // Anyone else gets the step as an eager task: a future, which `for await` takes as it
    // takes a promise (hence the cast), and which is done at once when a future waits.
    next: () => loop.createTask(nextStep(), { eager: true, name: "asCompleted()" }) as never,
  };
  // An iterator without `return`, not a generator: `break` would close a generator, and
  // the results still to come could no longer be had (asyncio's iterator has no close).
  return {
    next: (): IteratorResult<Coroutine<AwaitedResult<A>>, void> =>
      left > 0 ? (left--, { value: nextResult(), done: false }) : { value: undefined, done: true },
    [Symbol.iterator]() {
      return this;
    },
    [Symbol.asyncIterator]: () => asyncIterator,
  };
}
