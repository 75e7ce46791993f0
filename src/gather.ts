import { cancelThrough, type PassesCancellation } from "./cancel-walk.js";
import { cancelledError } from "./errors.js";
import { describe } from "./describe.js";
import { type Awaitable, type AwaitedResult, toFuture } from "./ensure-future.js";
import { Future, FutureState } from "./future.js";
import type { EventLoop } from "./loop.js";
import { getRunningLoop } from "./running.js";
import type { Task } from "./task.js";
import { flagOf, optionsOf } from "./options.js";

/** The results of `gather(awaitables)`, position by position. */
export type GatherResults<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> };

/**
 * With `returnExceptions: true`, each slot is the result or the error (a CancelledError
 * for a cancelled child). The type says Error, but a promise may reject with anything:
 * `until(Promise.reject("no"))` leaves `"no"` in its slot.
 */
export type GatherSettled<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedResult<A[K]> | Error };

/** Options of {@link gather}. */
export interface GatherOptions {
  /**
   * Return each child's error in its slot (see {@link GatherSettled}) instead of raising
   * the first one to the awaiter. Default false.
   */
  returnExceptions?: boolean | undefined;
}

/**
 * The future `gather` returns. Cancelling it cancels every child that is not done yet;
 * the gather then ends with CancelledError once all children have finished.
 */
export class GatheringFuture<T> extends Future<T> implements PassesCancellation {
  _cancelRequested = false;
  /** @internal */ readonly _children: Future<unknown>[];

  constructor(loop: EventLoop, children: Future<unknown>[]) {
    super(loop);
    this._children = children;
  }
  override cancel(message?: string): boolean {
    return cancelThrough(this, message);
  }
  /** @internal As asyncio's, a done gather refuses; a pending one asks its children. */
  _cancelEnter(): boolean | null {
    return this._state === FutureState.Pending ? null : false;
  }
  /** @internal */
  _cancelChild(index: number): Future<unknown> | undefined {
    return this._children[index];
  }
  /** @internal Once one child took it, the gather ends cancelled even if it swallows it. */
  _cancelLeave(_message: string | undefined, anyTook: boolean): boolean {
    if (anyTook) this._cancelRequested = true;
    return anyTook;
  }
}

/**
 * Runs awaitables concurrently and returns their results in input order (asyncio.gather).
 * Coroutines are wrapped in tasks. The first error is raised to the awaiter; the other
 * children keep running. With `returnExceptions: true` errors are returned in their
 * slots instead. Cancelling the gather cancels all its children.
 *
 * @example
 * ```ts
 * function* main() {
 *   const [a, b] = yield* gather([sleep(20, "a"), fetchNumber()]); // typed [string, number]
 * }
 * ```
 */
export function gather<const A extends readonly Awaitable<unknown>[]>(
  awaitables: A,
  options?: GatherOptions & { returnExceptions?: false | undefined },
): Future<GatherResults<A>>;
export function gather<const A extends readonly Awaitable<unknown>[]>(
  awaitables: A,
  options: GatherOptions & { returnExceptions: true },
): Future<GatherSettled<A>>;
// A flag known only at run time: either shape.
export function gather<const A extends readonly Awaitable<unknown>[]>(
  awaitables: A,
  options?: GatherOptions,
): Future<GatherResults<A> | GatherSettled<A>>;
export function gather(awaitables: readonly Awaitable<unknown>[], options?: GatherOptions): Future<unknown[]> {
  if (!Array.isArray(awaitables)) {
    throw new TypeError(`gather() takes an array of awaitables, gather([a, b, c]), got ${describe(awaitables)}`);
  }
  const returnExceptions = flagOf(optionsOf(options, "gather()", "returnExceptions").returnExceptions, "gather(): returnExceptions");
  const loop = loopOf(awaitables);
  const total = awaitables.length;
  const children = new Array<Future<unknown>>(total);
  // Made once every child is. A child's callback runs later, from the loop, so it finds
  // it, unless a later awaitable was refused and there is none (as in asyncio).
  let outer: GatheringFuture<unknown[]> | undefined;
  let finished = 0;
  let expected = 0; // calls of onChildDone until every child is done
  const onChildDone = (child: Future<unknown>): void => {
    finished++;
    child._markRetrieved(); // the gather passes it on (or returns it), as asyncio's does
    if (outer === undefined || outer._state !== FutureState.Pending) return;
    if (!returnExceptions && child._state !== FutureState.Fulfilled) {
      // The first failure (or cancellation) of a child goes to the awaiter at once.
      outer._settle(FutureState.Rejected, child._result);
      return;
    }
    if (finished < expected) return;
    if (outer._cancelRequested) {
      // As asyncio's `_make_cancelled_error()` of the last child: its CancelledError if it
      // was cancelled, else one with the message it was cancelled with (it swallowed it).
      const error =
        child._state === FutureState.Cancelled ? child._result : cancelledError((child as Task<unknown>)._cancelMessage);
      outer._settle(FutureState.Rejected, error);
      return;
    }
    const results = new Array<unknown>(total);
    for (let i = 0; i < total; i++) results[i] = children[i]!._result;
    outer._settle(FutureState.Fulfilled, results);
  };
  // As in asyncio 3.12+: each child, as soon as it is made, gets a callback if pending, or
  // is counted, in order, once the outer future exists if done already. So a gather of
  // finished futures is finished when it is returned, and awaiting it does not suspend,
  // while a child that an eager child's first step finishes is seen through its
  // callback, an iteration later. A child given twice gets one callback, as in asyncio:
  // its future holds each callback once.
  const doneAlready: Future<unknown>[] = [];
  let seen: Map<unknown, Future<unknown>> | null = null;
  for (let i = 0; i < total; i++) {
    const awaitable = awaitables[i];
    const child = (children[i] =
      awaitable instanceof Future ? toFuture(awaitable, loop, "gather()") : childTask(awaitable, loop, (seen ??= new Map()), "gather()"));
    if (child._state !== FutureState.Pending) doneAlready.push(child);
    else if (child._hasCallback(onChildDone)) continue;
    else child._addCallback(onChildDone);
    expected++;
  }
  outer = new GatheringFuture<unknown[]>(loop, children);
  if (total === 0) outer._settle(FutureState.Fulfilled, []);
  for (const child of doneAlready) onChildDone(child);
  return outer;
}

/**
 * The task of a gather (or a race) for a coroutine. A coroutine passed twice becomes one
 * task (asyncio does the same), since two tasks cannot step one generator: `seen` has the
 * tasks made so far. Closing the loop does not report it as pending: only its gather could
 * reach it.
 */
export function childTask(
  coroutine: Awaitable<unknown> | undefined,
  loop: EventLoop,
  seen: Map<unknown, Future<unknown>>,
  what: string,
): Future<unknown> {
  let task = seen.get(coroutine);
  if (task === undefined) {
    task = toFuture(coroutine!, loop, what);
    (task as Task<unknown>)._unreported = true;
    seen.set(coroutine, task);
  }
  return task;
}

/**
 * The loop of the first awaitable, as in asyncio: a Future's own, or the running loop,
 * where a coroutine becomes a task. A Future of another loop after it is then refused.
 */
function loopOf(awaitables: readonly Awaitable<unknown>[]): EventLoop {
  const first = awaitables[0];
  return first instanceof Future ? first._loop : getRunningLoop();
}

