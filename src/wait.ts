import { checkAwaitables } from "./ensure-future.js";
import type { Coroutine } from "./coroutine.js";
import { isCoroutine } from "./coroutine.js";
import { otherLoopError, ValueError } from "./errors.js";
import { describe } from "./describe.js";
import { Future, retrieveIfFailed } from "./future.js";
import type { TimerHandle } from "./handle.js";
import { getRunningLoop } from "./running.js";
import { WaitingFuture } from "./waiting-future.js";
import { checkTimeout } from "./time-arguments.js";
import { mustAwait } from "./must-await.js";
import type { Operation } from "./operation.js";
import { optionsOf } from "./options.js";

/** `wait()` returns when any awaitable finishes or is cancelled. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait()` returns when any awaitable raises an exception, or when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait()` returns when all awaitables are done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When `wait()` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /** At most this many ms; then it returns what is done so far. Default: no limit. */
  timeout?: number | undefined;
  /** Default ALL_COMPLETED. */
  returnWhen?: ReturnWhen | undefined;
}

/**
 * Waits for futures and tasks until `returnWhen` holds or `timeout` ms pass, and
 * returns `{ done, pending }` (asyncio.wait). Never cancels anything and never raises
 * their errors; pending ones keep running. Takes futures or tasks, not coroutines
 * (wrap them with createTask so you can tell which is which in the sets).
 *
 * Each call looks at every future it is given, so taking n results one at a time with
 * `FIRST_COMPLETED` in a loop takes n² steps (as in asyncio): `asCompleted` gives
 * them in the order they finish in n.
 *
 * @example
 * ```ts
 * const { done, pending } = yield* wait([a, b, c], { returnWhen: FIRST_COMPLETED, timeout: 1_000 });
 * ```
 */
export function wait<F extends Future<unknown>>(
  futures: Iterable<F>,
  options?: WaitOptions,
): Operation<{ done: Set<F>; pending: Set<F> }> {
  return mustAwait(waitBody(futures, options), "wait()");
}

function* waitBody<F extends Future<unknown>>(
  futures: Iterable<F>,
  waitOptions: WaitOptions | undefined,
): Coroutine<{ done: Set<F>; pending: Set<F> }> {
  const options = optionsOf(waitOptions, "wait()", "timeout returnWhen");
  checkAwaitables(futures, "wait()", "futures or tasks");
  const loop = getRunningLoop();
  const all = new Set<F>();
  for (const f of futures) {
    if (!(f instanceof Future)) {
      throw new TypeError(
        isCoroutine(f)
          ? "wait() takes futures or tasks, not coroutines: wrap them with createTask()"
          : `wait() takes futures or tasks, got ${describe(f)}`,
      );
    }
    if (f._loop !== loop) throw otherLoopError("wait()", f);
    all.add(f);
  }
  if (all.size === 0) throw new ValueError("wait(): the set of tasks and futures is empty");
  // Only a missing one is the default: null is refused, as asyncio refuses None.
  const returnWhen = options.returnWhen === undefined ? ALL_COMPLETED : options.returnWhen;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new ValueError(`wait(): invalid returnWhen value: ${describe(returnWhen)}; use FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED`);
  }
  const waiter = new WaitingFuture<void>(loop, "wait()", all);
  let timer: TimerHandle | null = null;
  const release = (): void => {
    if (!waiter.done()) waiter.setResult();
  };
  if (options.timeout !== undefined) timer = loop.callLater(checkTimeout(options.timeout, "wait()"), release);
  let remaining = all.size;
  const onCompletion = (f: Future<unknown>): void => {
    remaining--;
    if (
      remaining <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && retrieveIfFailed(f))
    ) {
      timer?.cancel();
      release();
    }
  };
  for (const f of all) f._addCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    timer?.cancel();
    // One that is done keeps it, as asyncio's has scheduled it already: it still runs,
    // and under FIRST_EXCEPTION it retrieves the failure (asyncio's f.exception()).
    for (const f of all) if (!f.done()) f._removeCallback(onCompletion);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of all) (f.done() ? done : pending).add(f);
  return { done, pending };
}
