import { AwaitKind, type KnownAwaitable } from "./await-kind.js";
import { cancelledError, InvalidStateError } from "./errors.js";
import { describe, repr } from "./describe.js";
import { doneWith } from "./iterator-results.js";
import { refuseGeneratorCallback, type UseYieldStar, type yieldedByYieldStar } from "./coroutine.js";
import type { Runnable } from "./handle.js";
import { followCallbackPromise, type LoopCallback } from "./loop-callback.js";
import type { DebugHooks, EventLoop } from "./loop.js";
import { callInContext, type ContextHolder, currentContext, getRunningLoop } from "./running.js";
import { Shown } from "./inspect-hook.js";
import { steppedTwice } from "./stepped-twice.js";

/** Future states. A future moves from PENDING to one of the other three, once. */
export const enum FutureState {
  Pending = 0,
  Fulfilled = 1,
  Rejected = 2,
  Cancelled = 3,
}

/** How `_describe` names each FutureState, as asyncio's repr does. */
const STATE_NAMES = ["pending", "finished", "finished", "cancelled"];
/** How `_describe` introduces what a finished future holds, by FutureState, as asyncio's repr does. */
const OUTCOME_NAMES = ["", " result=", " exception=", ""];

/**
 * A done callback: a function given the future, or a task to wake (the runtime's own
 * uses), or a program's callback wrapped with its context ({@link UserDoneCallback}).
 * Stored untyped (`any`) so that Future<T> stays assignable to Future<unknown>.
 */
export type DoneCallback = ((future: any) => void) | Waiter;

/**
 * The done callbacks of a pending future: one stored bare (to save a Set), more in a Set,
 * which keeps their order and takes one out in one step. An array had to search and
 * shift: when thousands of `shield`s or `wait`s of one future stopped waiting one by one,
 * that took n² steps. No registration is lost to the Set, since each is its own object:
 * users' callbacks are wrapped anew each time, a task waits on one future at a time, and
 * `gather` asks `_hasCallback` before it registers for a child given twice.
 */
export type DoneCallbacks = DoneCallback | Set<DoneCallback> | null;

/** @internal The done callbacks, however they are stored, as a list to walk. */
export function eachCallback(callbacks: DoneCallbacks): Iterable<DoneCallback> {
  return callbacks === null ? [] : callbacks instanceof Set ? callbacks : [callbacks];
}

/**
 * What a future calls when it is done, without a closure per await: a task to wake, or a
 * program's done callback ({@link UserDoneCallback}).
 */
export interface Waiter {
  /** @internal */
  _wakeup(future: Future<unknown>): void;
}

/**
 * The iterator `yield*` drives when a coroutine awaits a future: one per await, so the
 * same future can be awaited by any number of tasks. It yields the future once if it is
 * pending (the task then parks on it), and returns its result when it is done, or throws
 * its exception. It is also its own "yield the future" result, so an await of a
 * Future<void> allocates this one object and nothing else.
 */
class FutureAwait<T> implements Iterator<UseYieldStar, T, unknown>, IteratorYieldResult<UseYieldStar> {
  readonly done = false;
  /** The future, typed as what the task is handed: a `yield future` itself does not compile. */
  readonly value: UseYieldStar;
  /** Yielded once: the task parked on the future steps this again only once it is done. */
  private _parked = false;
  constructor(future: Future<T>) {
    this.value = future as unknown as UseYieldStar;
  }
  next(): IteratorResult<UseYieldStar, T> {
    const future = this.value as unknown as Future<T>;
    if (future._state !== FutureState.Pending) return doneWith(future.result());
    if (this._parked) return steppedTwice(String(future));
    this._parked = true;
    return this;
  }
  throw(error: unknown): IteratorResult<UseYieldStar, T> {
    throw error;
  }
  return(value: T): IteratorResult<UseYieldStar, T> {
    return { value, done: true };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * A result that will be set later, by someone else (asyncio.Future). Await it in a
 * coroutine with `yield*`, or in ordinary async code with `await` (it is thenable).
 * Done callbacks always run from the loop, in a later iteration, never synchronously.
 *
 * @example
 * ```ts
 * function* main() {
 *   const future = getRunningLoop().createFuture<string>();
 *   getRunningLoop().callLater(100, () => future.setResult("ready"));
 *   const value = yield* future; // "ready", 100 ms later
 * }
 * ```
 */
export class Future<T = unknown> extends Shown implements Runnable, PromiseLike<T>, KnownAwaitable {
  /** Not there at run time: it makes `yield future`, where `yield* future` was meant, fail to compile, saying so. */
  declare readonly [yieldedByYieldStar]: "a Future or Task: yield* it, not yield";
  /** @internal */ _loop: EventLoop;
  /** @internal */ _state: FutureState = FutureState.Pending;
  /** @internal The value, the exception, or the CancelledError, by state. */
  _result: unknown = undefined;
  /** @internal Callbacks to schedule when done (see DoneCallbacks). */
  _callbacks: DoneCallbacks = null;

  /**
   * A pending future of `loop` (asyncio's `loop.create_future()`: `loop.createFuture()`).
   * @param loop Its loop; the running loop if not given.
   * @example
   * ```ts
   * const answer = new Future<string>(); // inside a task
   * ```
   */
  constructor(loop?: EventLoop) {
    super();
    this._loop = loop ?? getRunningLoop();
    // A loop's `_debug` is null or its debug mode, never undefined: the read every future
    // makes anyway is also the check that it was given a loop. (Not instanceof, so that a
    // Lock or a Queue alone does not bundle the loop and its cores.)
    const debug: DebugHooks | null | undefined = this._loop._debug;
    if (debug != null) debug.created(this as Future<unknown>);
    else if (debug === undefined) throw new TypeError(`a Future needs an EventLoop, got ${describe(loop)}`);
  }

  /** @internal */
  get _awaitKind(): AwaitKind {
    return AwaitKind.Future;
  }

  /**
   * The loop the future belongs to.
   * @example
   * ```ts
   * future.getLoop() === getRunningLoop(); // true for one made in this loop
   * ```
   */
  getLoop(): EventLoop {
    return this._loop;
  }

  /**
   * True once the future has a result, an exception, or was cancelled.
   * @example
   * ```ts
   * if (!future.done()) yield* future;
   * ```
   */
  done(): boolean {
    return this._state !== FutureState.Pending;
  }

  /**
   * True if the future was cancelled.
   * @example
   * ```ts
   * future.cancel();
   * future.cancelled(); // true
   * ```
   */
  cancelled(): boolean {
    return this._state === FutureState.Cancelled;
  }

  /**
   * The result. Throws the exception if one was set, CancelledError if cancelled, and
   * InvalidStateError if not done yet.
   * @example
   * ```ts
   * future.setResult(3);
   * future.result(); // 3
   * ```
   */
  result(): T {
    switch (this._state) {
      case FutureState.Fulfilled:
        return this._result as T;
      case FutureState.Pending:
        throw new InvalidStateError("Result is not set.");
      default:
        this._markRetrieved();
        throw this._result;
    }
  }

  /**
   * The exception set on the future, or undefined. Throws like {@link result} when cancelled or pending.
   * @example
   * ```ts
   * future.setException(new Error("no"));
   * (future.exception() as Error).message; // "no"
   * ```
   */
  exception(): unknown {
    switch (this._state) {
      case FutureState.Rejected:
        this._markRetrieved();
        return this._result;
      case FutureState.Fulfilled:
        return undefined;
      case FutureState.Pending:
        throw new InvalidStateError("Exception is not set.");
      default:
        throw this._result;
    }
  }

  /**
   * Marks the future done with `value` and schedules its callbacks.
   * @example
   * ```ts
   * const reply = loop.createFuture<string>();
   * socket.once("data", (text) => reply.setResult(text)); // a second result would throw
   * ```
   */
  setResult(value: T): void {
    if (this._state !== FutureState.Pending) throw alreadyDone(this);
    this._settle(FutureState.Fulfilled, value);
  }

  /**
   * Marks the future done with `error` and schedules its callbacks.
   * @example
   * ```ts
   * socket.once("error", (error) => { if (!reply.done()) reply.setException(error); });
   * ```
   */
  setException(error: unknown): void {
    if (this._state !== FutureState.Pending) throw alreadyDone(this);
    this._settle(FutureState.Rejected, error);
  }

  /**
   * Cancels the future and schedules its callbacks. Returns false if it was already done;
   * an exception it holds is then no longer reported as never retrieved. `message`
   * becomes the CancelledError's message.
   * @example
   * ```ts
   * reply.cancel("the caller gave up"); // a task awaiting it gets CancelledError("the caller gave up")
   * ```
   */
  cancel(message?: string): boolean {
    // Whoever cancels has lost interest in the outcome: a failure is no longer reported as
    // never retrieved, even if the future was done already (asyncio does the same).
    this._markRetrieved();
    if (this._state !== FutureState.Pending) return false;
    this._settle(FutureState.Cancelled, cancelledError(message));
    return true;
  }

  /**
   * Calls `callback(future)` from the loop once the future is done (in a later loop
   * iteration if it is done already), in a copy of the context it was added from (see
   * {@link ContextVar}). The callback gets the future itself, typed as it is: a Task's
   * gets the Task. A `function*`, or a function that returns an operation, is refused by
   * the types (see {@link LoopCallback}): it would run nothing.
   * @example
   * ```ts
   * future.addDoneCallback((f) => console.log("done:", f.result()));
   * task.addDoneCallback((t) => console.log(t.getName(), "is done"));
   * ```
   */
  addDoneCallback<R>(callback: LoopCallback<[future: this], R>): void {
    if (typeof callback !== "function") {
      throw new TypeError(`addDoneCallback() needs a function, got ${describe(callback)}`);
    }
    refuseGeneratorCallback(callback, "addDoneCallback", this._loop._debug !== null);
    this._addCallback(new UserDoneCallback(callback as (future: Future<T>) => void, currentContext()));
  }

  /**
   * Removes every registration of `callback`; returns how many were removed.
   * @example
   * ```ts
   * future.addDoneCallback(log);
   * future.removeDoneCallback(log); // 1
   * ```
   */
  removeDoneCallback(callback: (future: this) => void): number {
    let removed = 0;
    // Once done, its callbacks are on their way: none is taken back (as in asyncio).
    if (this._state === FutureState.Pending) {
      for (const c of eachCallback(this._callbacks)) {
        if (c instanceof UserDoneCallback && c._callback === callback) {
          this._removeCallback(c); // a Set goes on walking past one it deletes
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * @internal Registers a runtime callback (called as it is, in no context of its own) or a
   * waiting task. `addDoneCallback` is for users'. One already registered stays one
   * registration (see DoneCallbacks): `_hasCallback` tells.
   */
  _addCallback(callback: DoneCallback): void {
    if (this._state !== FutureState.Pending) {
      this._loop._soon(new DoneCallbackRun(this, callback));
      return;
    }
    const callbacks = this._callbacks;
    if (callbacks === null) this._callbacks = callback;
    else if (callbacks instanceof Set) callbacks.add(callback);
    else this._callbacks = new Set([callbacks, callback]);
  }

  /** @internal Whether `callback` is registered (a future holds each callback once). */
  _hasCallback(callback: DoneCallback): boolean {
    const callbacks = this._callbacks;
    return callbacks instanceof Set ? callbacks.has(callback) : callbacks === callback;
  }

  /** @internal Someone has seen the error: it is not to be reported as never retrieved. */
  _markRetrieved(): void {
    if (this._state === FutureState.Rejected) this._loop._retrieved(this as Future<unknown>);
  }

  /**
   * @internal Removes one registration of a runtime callback or waiting task (a waiter
   * that stops waiting without the future finishing). `removeDoneCallback` is for users'.
   */
  _removeCallback(callback: DoneCallback): void {
    const callbacks = this._callbacks;
    if (callbacks === callback) this._callbacks = null;
    else if (callbacks instanceof Set) callbacks.delete(callback);
  }

  /** @internal Moves to a final state and schedules the callbacks, in registration order. */
  _settle(state: FutureState, result: unknown): void {
    this._state = state;
    this._result = result;
    // Until someone looks at the error, the loop holds it, to report it if no one ever
    // does (asyncio's "exception was never retrieved").
    if (state === FutureState.Rejected) this._loop._noteFailure(this as Future<unknown>);
    // The future itself is the scheduled runnable: its callbacks run one after another
    // in one ready slot, which is the order asyncio's separate handles would run in.
    if (this._callbacks !== null) this._loop._soon(this);
  }

  /** @internal Called by the loop: runs the callbacks registered before completion. */
  _run(): void {
    const callbacks = this._callbacks;
    this._callbacks = null;
    if (callbacks instanceof Set) for (const callback of callbacks) this._invoke(callback);
    else if (callbacks !== null) this._invoke(callbacks);
  }

  /** @internal */
  _invoke(callback: DoneCallback): void {
    if (typeof callback === "function") this._callSafely(callback, undefined);
    else {
      // A waiter's wake-up fails only in the runtime (a Future subclass of the program's
      // that throws where the task steps on it): reported, and the other waiters still
      // wake, as each of asyncio's has a handle of its own.
      try {
        callback._wakeup(this as Future<unknown>);
      } catch (error) {
        this._loop._callbackFailed(callback as unknown as Runnable, error);
      }
    }
  }

  /**
   * @internal Calls a done callback, in `holder`'s context if given; what it throws goes
   * to the loop's exception handler.
   */
  _callSafely(callback: (future: Future<T>) => void, holder: ContextHolder | undefined): void {
    try {
      if (holder === undefined) {
        callback(this);
      } else {
        const returned = callInContext(holder, callback, [this]);
        if (returned !== undefined) followCallbackPromise(this._loop, returned, (error) => this._loop._doneCallbackFailed(this, callback, error, holder));
      }
    } catch (error) {
      this._loop._doneCallbackFailed(this, callback, error, holder);
    }
  }

  [Symbol.iterator](): Iterator<UseYieldStar, T, unknown> {
    return new FutureAwait(this);
  }

  /**
   * Makes the future awaitable from ordinary async code: `await future` gives its result
   * or throws its exception (CancelledError if it was cancelled).
   * @example
   * ```ts
   * const value = await future; // from an async function
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      const settle = (future: Future<T>): void => {
        if (future._state === FutureState.Fulfilled) {
          resolve(future._result as T);
          return;
        }
        // The error is the promise's now, as `result()` hands it over in asyncio's
        // `await`: not reported as never retrieved.
        future._markRetrieved();
        reject(future._result);
      };
      // A done future settles the promise directly: the loop may have stopped already,
      // and promise reactions are asynchronous anyway.
      if (this._state !== FutureState.Pending) settle(this);
      else this._addCallback(settle);
    }).then(onFulfilled, onRejected);
  }

  /**
   * @internal `<Future pending>`, `<Task finished name=worker result=5>`: for messages and
   * toString. Like asyncio's repr, it shows what a finished future holds, unless
   * `withOutcome` is false (for a message that tells what it holds itself).
   */
  _describe(withOutcome = true): string {
    const outcome = withOutcome ? OUTCOME_NAMES[this._state]! : "";
    return `<${this._typeName} ${this._stateName}${this._details()}${outcome && outcome + repr(this._result)}>`;
  }

  /** @internal The state word of {@link _describe}: pending, finished or cancelled. */
  get _stateName(): string {
    return STATE_NAMES[this._state]!;
  }

  /** @internal "Future" or "Task" in descriptions: `constructor.name` is what minifiers rename. */
  get _typeName(): string {
    return "Future";
  }

  /** @internal What a subclass adds to {@link _describe}. */
  _details(): string {
    return "";
  }

  /**
   * `<Future pending>`, `<Task finished name=worker result=5>`: for messages and logs.
   * A finished future shows its result or its exception, as asyncio's repr does.
   * @example
   * ```ts
   * String(createTask(work(), { name: "worker" })); // "<Task pending name=worker>"
   * const future = loop.createFuture<string>();
   * future.setException(new ValueError("bad"));
   * String(future); // '<Future finished exception=ValueError("bad")>'
   * ```
   */
  override toString(): string {
    return this._describe();
  }
}

/**
 * A callback given to {@link Future.addDoneCallback}, with the context it was added from:
 * it runs in a copy of that context, as asyncio's done callbacks do. (The runtime's own
 * callbacks are bare functions, or tasks to wake: they never read context variables.)
 */
export class UserDoneCallback implements Waiter, ContextHolder {
  /** @internal */ readonly _callback: (future: Future<any>) => void;
  /** @internal */ _context: ReadonlyMap<object, unknown>;

  constructor(callback: (future: Future<any>) => void, context: ReadonlyMap<object, unknown>) {
    this._callback = callback;
    this._context = context;
  }
  _wakeup(future: Future<unknown>): void {
    future._callSafely(this._callback, this);
  }
}

/** One done callback added after the future finished: scheduled on its own, like asyncio. */
export class DoneCallbackRun<T> implements Runnable {
  /** @internal */ readonly _future: Future<T>;
  /** @internal */ readonly _callback: DoneCallback;

  constructor(future: Future<T>, callback: DoneCallback) {
    this._future = future;
    this._callback = callback;
  }
  _run(): void {
    this._future._invoke(this._callback);
  }
}

/** Setting the outcome of a future that has one (asyncio's "invalid state"), named. */
function alreadyDone(future: Future<unknown>): InvalidStateError {
  return new InvalidStateError(`invalid state: ${future._describe()} is already done`);
}

/**
 * @internal Retrieves the error of `future` if it failed (it holds an error; it was not
 * cancelled), as `exception()` does, and says whether it did. Not the same as
 * `exception() !== undefined`: JavaScript can fail with undefined (a promise's bare
 * `reject()` reaching a task through `until`).
 */
export function retrieveIfFailed(future: Future<unknown>): boolean {
  future._markRetrieved();
  return future._state === FutureState.Rejected;
}
