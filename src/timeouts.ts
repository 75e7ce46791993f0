import type { Coroutine, ScopeBody, ScopeOperation, ScopeYielded, Yielded } from "./coroutine.js";
import { checkScopeBody, scopeBody } from "./coroutine.js";
import { isCancelledError, RuntimeError, TimeoutError } from "./errors.js";
import type { Handle } from "./handle.js";
import { currentTask, getRunningLoop, running } from "./running.js";
import { checkTimeout } from "./time-arguments.js";
import type { Task } from "./task.js";
import { mustAwait } from "./must-await.js";
import { milliseconds } from "./milliseconds.js";
import { Shown } from "./inspect-hook.js";

const enum State {
  Created = "created",
  Entered = "active",
  Expiring = "expiring",
  Expired = "expired",
  Exited = "finished",
}

/**
 * A deadline around a body of code (asyncio.Timeout). When it passes, the task running
 * the body is cancelled and the scope turns that cancellation into a TimeoutError. A
 * cancellation from anywhere else goes through untouched: the scope tells the two apart
 * by the task's `cancelling()` count, which it records on entry.
 *
 * @example
 * ```ts
 * yield* timeout(5_000, function* (scope) {
 *   scope.reschedule(getRunningLoop().time() + 10_000); // more time after all
 *   yield* longOperation();
 * });
 * ```
 */
export class Timeout extends Shown {
  private state = State.Created;
  private handle: Handle | null = null;
  private task: Task<unknown> | null = null;
  private cancellingOnEntry = 0;
  private jumped = false;

  /**
   * Made by {@link timeout} and {@link timeoutAt}, which enter it: one made otherwise can
   * be read, but never entered.
   * @example
   * ```ts
   * yield* timeout(500, function* (scope) {
   *   scope.reschedule(scope.when() + 100); // the scope timeout() made
   * });
   * ```
   */
  constructor(private deadline: number) {
    super();
  }

  /**
   * The loop time (ms) at which the scope expires; Infinity for never.
   * @example
   * ```ts
   * yield* timeout(500, function* (scope) {
   *   console.log(scope.when() - getRunningLoop().time()); // 500
   * });
   * ```
   */
  when(): number {
    return this.deadline;
  }

  /**
   * True once the deadline passed and the body was cancelled for it.
   * @example
   * ```ts
   * let scope: Timeout | undefined;
   * try {
   *   yield* timeout(10, function* (s) { scope = s; yield* sleep(100); });
   * } catch (error) {
   *   if (!(error instanceof TimeoutError)) throw error;
   *   console.log(scope!.expired()); // true
   * }
   * ```
   */
  expired(): boolean {
    return this.state === State.Expiring || this.state === State.Expired;
  }

  /**
   * `<Timeout [active] when=500>`, `<Timeout [expired]>`: its state, and while it is
   * active its deadline in loop ms, as asyncio's repr.
   * @example
   * ```ts
   * yield* timeout(500, function* (scope) {
   *   String(scope); // "<Timeout [active] when=500>" at loop time 0
   * });
   * ```
   */
  override toString(): string {
    return `<Timeout [${this.state}]${this.state === State.Entered ? ` when=${milliseconds(this.deadline)}` : ""}>`;
  }

  /**
   * Moves the deadline to loop time `when` (Infinity: never). Only while the scope is active.
   * @example
   * ```ts
   * yield* timeout(1_000, function* (scope) {
   *   const header = yield* readHeader();
   *   scope.reschedule(getRunningLoop().time() + header.bodyTimeoutMs); // a deadline of its own for the body
   *   return yield* readBody(header);
   * });
   * ```
   */
  reschedule(when: number): void {
    if (this.state !== State.Entered) {
      throw new RuntimeError(
        this.state === State.Created ? "Timeout has not been entered" : `Cannot change state of ${this.state} Timeout`,
      );
    }
    checkTimeout(when, "reschedule()", "the deadline");
    this.deadline = when;
    this.handle?.cancel();
    this.handle = null;
    if (when === Infinity) return;
    // The loop of the task in the scope, not the running one: a watchdog on another
    // loop of this thread may reschedule it (asyncio has one loop per thread).
    const loop = this.task!._loop;
    this.handle = when <= loop.time() ? loop.callSoon(expireTimeout, this) : loop.callAt(when, expireTimeout, this);
  }

  /** @internal */
  _enter(): void {
    if (this.state !== State.Created) throw new RuntimeError("Timeout has already been entered");
    const task = currentTask();
    if (task === null) throw new RuntimeError("Timeout should be used inside a task");
    this.state = State.Entered;
    this.task = task;
    this.cancellingOnEntry = task.cancelling();
    this.reschedule(this.deadline);
  }

  /**
   * @internal Leaves the scope. Returns what the body's error becomes: a TimeoutError if
   * the deadline cancelled it and no one else did, else the error itself.
   */
  _exit(failed: boolean, error: unknown): unknown {
    this.handle?.cancel();
    this.handle = null;
    if (this.state === State.Expiring) {
      this.state = State.Expired;
      if (this.task!.uncancel() <= this.cancellingOnEntry && failed && isCancelledError(error)) {
        const jumped = this.jumped ? "; virtual time jumped there while a promise (until) was pending: see autojumpThreshold" : "";
        return new TimeoutError(`timed out: the deadline at ${milliseconds(this.deadline)} ms (loop time) passed${jumped}`, { cause: error });
      }
    } else if (this.state === State.Entered) {
      this.state = State.Exited;
    }
    return error;
  }

  /** @internal The deadline has come: cancel the task in the scope. */
  _expire(): void {
    const loop = this.task!._loop;
    // Virtual time that reached the deadline with a foreign promise pending jumped past
    // real work (a fetch, a file) that could not finish in no time: the error says so.
    this.jumped = loop.isVirtual() && loop._foreignPending > 0;
    this.task!.cancel();
    this.state = State.Expiring;
    this.handle = null;
  }

  /** @internal The task in the scope, once entered: for the task tree. */
  get _task(): Task<unknown> | null {
    return this.task;
  }
}

/**
 * @internal What a timeout's loop timer calls. A function given the scope, rather than a
 * closure per scope, so that the task tree can find a task's timeouts among the loop's
 * timers.
 */
export function expireTimeout(scope: Timeout): void {
  scope._expire();
}

/**
 * Runs `body` with a deadline `ms` from now; raises TimeoutError if it is not done by
 * then (the body is cancelled, and its cleanup runs first). `Infinity` never expires.
 * The body is a coroutine or a function given the {@link Timeout} scope.
 *
 * @example
 * ```ts
 * try {
 *   const page = yield* timeout(1_000, () => fetchPage(url));
 * } catch (error) {
 *   if (!(error instanceof TimeoutError)) throw error; // a CancelledError, above all, goes on
 *   console.log("too slow");
 * }
 * ```
 */
export function timeout<T, Y extends ScopeYielded = Yielded>(ms: number, body: ScopeBody<Timeout, T, Y>): ScopeOperation<T, Y> {
  checkTimeout(ms, "timeout()");
  checkScopeBody(body, "timeout()");
  // The deadline counts from this call, as asyncio's. Outside a loop there is no time to
  // count from yet: the scope counts from its start (and `await timeout(...)` in async
  // code is told to use yield*, as for every operation).
  const loop = running.loop;
  const scope = body as ScopeBody<Timeout, T>; // what it emits, if anything, goes through as what it awaits does
  return mustAwait(loop === null ? scopeUntil(0, scope, "timeout()", ms) : scopeUntil(loop.time() + ms, scope), "timeout()") as ScopeOperation<T, Y>;
}

/**
 * Like {@link timeout}, with the deadline as a loop time (`loop.time()` ms).
 *
 * @example
 * ```ts
 * const deadline = getRunningLoop().time() + 10_000;
 * yield* timeoutAt(deadline, function* () { yield* step1(); yield* step2(); });
 * ```
 */
export function timeoutAt<T, Y extends ScopeYielded = Yielded>(when: number, body: ScopeBody<Timeout, T, Y>): ScopeOperation<T, Y> {
  checkTimeout(when, "timeoutAt()", "the deadline");
  checkScopeBody(body, "timeoutAt()");
  return mustAwait(scopeUntil(when, body as ScopeBody<Timeout, T>, "timeoutAt()"), "timeoutAt()") as ScopeOperation<T, Y>;
}

/**
 * The body of {@link timeout} and {@link timeoutAt}: `body` in a Timeout scope due at
 * `when`, or `fromStart` ms after the scope starts when that is given.
 */
function* scopeUntil<T>(when: number, body: ScopeBody<Timeout, T>, what = "timeout()", fromStart?: number): Coroutine<T> {
  // Both callers checked what they were given: a loop time plus a delay is not NaN.
  if (fromStart !== undefined) when = getRunningLoop().time() + fromStart;
  const scope = new Timeout(when);
  scope._enter();
  let result: T;
  try {
    result = yield* scopeBody(body, scope, what);
  } catch (error) {
    throw scope._exit(true, error);
  }
  scope._exit(false, undefined);
  return result;
}
