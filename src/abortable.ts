import type { Coroutine, ScopeBody, ScopeOperation, ScopeYielded, Yielded } from "./coroutine.js";
import { checkScopeBody, scopeBody } from "./coroutine.js";
import { TimeoutError } from "./errors.js";
import { describe } from "./describe.js";
import { getRunningLoop } from "./running.js";
import { type Timeout, timeoutAt } from "./timeouts.js";
import { mustAwait } from "./must-await.js";

/**
 * Runs `body`, and cancels it when `signal` aborts: the body gets a CancelledError where
 * it waits, its `finally` blocks run (and may wait), and then the scope throws
 * `signal.reason`, as `fetch` does. So work started from promise code, such as a server
 * handler given `request.signal`, stops for real when that signal aborts.
 *
 * A signal already aborted throws its reason at once and the body does not run. As with
 * {@link timeout}, if the body catches the cancellation and returns, the scope returns
 * what it returned; and a cancellation from outside the scope stays a CancelledError.
 *
 * @example
 * ```ts
 * export default {
 *   fetch(request: Request): Promise<Response> {
 *     return run(() => abortable(request.signal, function* () {
 *       const report = yield* buildReport(); // stops if the client goes away
 *       return new Response(report);
 *     }));
 *   },
 * };
 * ```
 */
export function abortable<T, Y extends ScopeYielded = Yielded>(signal: AbortSignal, body: ScopeBody<AbortSignal, T, Y>): ScopeOperation<T, Y> {
  checkScopeBody(body, "abortable()");
  return mustAwait(abortableBody(signal, body as ScopeBody<AbortSignal, T>), "abortable()") as ScopeOperation<T, Y>;
}

function* abortableBody<T>(signal: AbortSignal, body: ScopeBody<AbortSignal, T>): Coroutine<T> {
  if (typeof signal?.addEventListener !== "function" || typeof signal.aborted !== "boolean") {
    throw new TypeError(`abortable() takes an AbortSignal, got ${describe(signal)}`);
  }
  if (signal.aborted) throw signal.reason;
  const loop = getRunningLoop();
  // A timeout with no deadline, which the abort makes due: Timeout already knows how to
  // cancel the task in the scope and tell that cancellation from any other.
  let scope: Timeout | null = null;
  let exited = false;
  const onAbort = (): void => {
    // The abort may come from anywhere (a host event, another task): the scope is told
    // in a loop callback, unless it has ended by then.
    if (loop.isClosed()) return;
    loop.callSoon(() => {
      if (!exited && !scope!.expired()) scope!.reschedule(loop.time());
    });
  };
  const unwatch = watch(signal, onAbort);
  try {
    return yield* timeoutAt(Infinity, (timeout: Timeout) => {
      scope = timeout;
      return scopeBody(body, signal, "abortable()");
    });
  } catch (error) {
    if (error instanceof TimeoutError && scope!.expired()) throw signal.reason;
    throw error;
  } finally {
    exited = true;
    unwatch();
  }
}

/** A signal's one listener, and the scopes it tells. */
interface Watchers {
  readonly scopes: Set<() => void>;
  readonly listener: () => void;
}

/**
 * The scopes that wait on each signal. However many share a signal (a server's shutdown
 * signal, given to every request's scope), it gets one listener: Node warns of a leak
 * once a signal has more than ten.
 */
const watched = /* @__PURE__ */ new WeakMap<AbortSignal, Watchers>();

/** Calls `onAbort` when `signal` aborts, until the function returned is called. */
function watch(signal: AbortSignal, onAbort: () => void): () => void {
  let watchers = watched.get(signal);
  if (watchers === undefined) {
    const scopes = new Set<() => void>();
    const listener = (): void => {
      watched.delete(signal);
      for (const scope of scopes) scope();
    };
    watchers = { scopes, listener };
    watched.set(signal, watchers);
    signal.addEventListener("abort", listener, { once: true });
  }
  const mine = watchers;
  mine.scopes.add(onAbort);
  return () => {
    if (!mine.scopes.delete(onAbort) || mine.scopes.size > 0) return;
    if (watched.get(signal) === mine) watched.delete(signal);
    signal.removeEventListener("abort", mine.listener);
  };
}
