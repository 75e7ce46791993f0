import { cancelThrough, type PassesCancellation } from "./cancel-walk.js";
import { checkedCoroutine, type Coroutine } from "./coroutine.js";
import { cancelledError, CancelledError, isCancelledError, resumedElsewhere, RuntimeError } from "./errors.js";
import { describe } from "./describe.js";
import { Future, FutureState, type Waiter } from "./future.js";
import type { EventLoop } from "./loop.js";
import type { Linked } from "./linked-list.js";
import { type ContextHolder, currentContext, running } from "./running.js";
import type { Context } from "./context.js";
import { SLEEP_DONE, type SleepOp } from "./sleep.js";
import { AwaitKind, type KnownAwaitable } from "./await-kind.js";
import { refusedThen } from "./must-await.js";
import type { SteppedTwice } from "./stepped-twice.js";


/** What a task is parked on between steps. */
export const enum Wait {
  /** Running, or a step is scheduled. */
  None = 0,
  /** A pending future; the task is in its callbacks (`_awaiting`). */
  Future = 1,
  /** A sleep timer in the core (`_timer` is its id). */
  Timer = 2,
  /** `sleep(Infinity)`: nothing will wake it but cancellation. */
  Forever = 3,
  /** The sleep was cut short by cancel(); the step that throws CancelledError is scheduled. */
  CancelledSleep = 4,
  /** The sleep is over; the step that ends it (sending SLEEP_DONE) is scheduled. */
  SleepOver = 5,
  /** cancel() is cancelling the future this task waits on (Wait.Future, for that call). */
  CancellingWaiter = 6,
  /** It yielded what it cannot await; the step that throws why (`_result`) is scheduled. */
  Refused = 7,
}

let taskCounter = 0;

/**
 * A coroutine scheduled to run on the loop (asyncio.Task). A Task is a Future of the
 * coroutine's return value: await it with `yield*`, or `await` it from async code.
 *
 * Cancelling a task throws {@link CancelledError} into the coroutine at the point where
 * it is suspended, so `try/finally` runs, and may itself wait.
 *
 * @example
 * ```ts
 * function* main() {
 *   const task = createTask(function* () { yield* sleep(100); return 42; }(), { name: "answer" });
 *   console.log(task.getName(), yield* task); // "answer" 42
 * }
 * ```
 */
export class Task<T = unknown> extends Future<T> implements Waiter, Linked<Task<unknown>>, PassesCancellation {
  /** @internal */ _coro: Coroutine<T>;
  /** @internal The given name, or the number N of the default name `Task-N`. */
  _name: string | number;
  /** @internal */ _wait: Wait = Wait.None;
  /** @internal The future this task is parked on (Wait.Future). */
  _awaiting: Future<unknown> | null = null;
  /** @internal The core id of the sleep timer (Wait.Timer). */
  _timer = -1;
  /** @internal A cancellation to deliver at the next step. */
  _mustCancel = false;
  /** @internal */ _cancelMessage: string | undefined = undefined;
  /** @internal How many cancel() calls were not yet matched by uncancel(). */
  _numCancels = 0;
  /**
   * @internal The task's context variables: a copy of its creator's at creation. The map
   * is never mutated (ContextVar.set replaces it), so copying is sharing a reference.
   */
  _context: ReadonlyMap<object, unknown>;
  /**
   * @internal Where the steps read and set context variables: the task itself (its
   * `_context`), or the Context it was created with (`createTask(body, { context })`) or
   * was given later by `taskContext`, whose own `_context` is then the one that counts.
   */
  _holder: ContextHolder;
  /**
   * @internal True for a task that gather or runUntilComplete made for a coroutine: its
   * caller cannot reach it, so closing the loop with it pending is not reported (asyncio's
   * `_log_destroy_pending = False`). Set only on those, so other tasks carry no field for
   * it (a WeakSet of them made a gather of 100,000 coroutines 60% slower).
   */
  declare _unreported?: true;
  /** @internal Links in the loop's list of unfinished tasks. */
  _prevLinked: Task<unknown> | null = null;
  /** @internal */ _nextLinked: Task<unknown> | null = null;

  /**
   * Use `createTask` (or `loop.createTask`) rather than the constructor, which takes only
   * a coroutine (a called `function*`). Without a loop, the task is on the running one,
   * as asyncio's `Task(coro)` is. An eager task runs its first step at once, inside the
   * constructor, up to its first suspension. A task given a `context` runs its steps in
   * that Context instead of a copy of its creator's.
   *
   * @example
   * ```ts
   * function* main() {
   *   const task = new Task(fetchUser(1)); // as createTask(fetchUser(1))
   *   return yield* task;
   * }
   * ```
   */
  constructor(coro: Coroutine<T>, loop?: EventLoop, name?: string, eager = false, context?: Context) {
    super(loop);
    loop = this._loop;
    // Like asyncio, a task starts eagerly only from inside its loop's turn.
    const startNow = eager && running.loop === loop;
    if (context !== undefined) {
      // Told by a member rather than instanceof, so that programs without contexts do not
      // bundle the Context class.
      if (typeof (context as Partial<Context> | null)?._checkEnterable !== "function") {
        throw new TypeError(`createTask(): context must be a Context, got ${describe(context)}`);
      }
      // Its first step would enter the context again, which Context.run refuses too.
      if (startNow) context._checkEnterable();
    }
    this._coro = checkedCoroutine(coro, "new Task()");
    // Like asyncio, only unnamed tasks use up a number, and a name is made a string (a
    // number kept as one would read as that default number: `{ name: 42 }` as Task-42).
    this._name = name == null ? ++taskCounter : String(name);
    this._context = context === undefined ? currentContext() : context._context;
    this._holder = context ?? this;
    if (startNow) {
      loop._tasks.add(this as Task<unknown>);
      // Created inside a Context.run: the first step is in the task's context, not that one.
      const entered = running.entered;
      const creator = running.task;
      running.entered = null;
      // Its creator is still in its step (taskContext tells the creator's Context entered).
      if (creator !== null) running._outerSteps.push(creator);
      try {
        this._step(false, undefined);
      } finally {
        // Also when the step failed in the runtime, not in the coroutine (a Future
        // subclass that throws): the creator's step and context are as they were.
        if (creator !== null) running._outerSteps.pop();
        running.entered = entered;
      }
    } else {
      loop._soon(this); // refused on a closed loop: then the loop never knew the task
      loop._tasks.add(this as Task<unknown>);
    }
  }

  /**
   * The task's name: the one given, or `Task-N`.
   * @example
   * ```ts
   * createTask(work(), { name: "worker" }).getName(); // "worker"
   * ```
   */
  getName(): string {
    const name = this._name;
    return typeof name === "number" ? `Task-${name}` : name;
  }

  /**
   * Renames the task.
   * @example
   * ```ts
   * currentTask()!.setName("handler #7");
   * ```
   */
  setName(name: string): void {
    this._name = String(name);
  }

  /**
   * The coroutine the task runs.
   * @example
   * ```ts
   * const gen = work();
   * createTask(gen).getCoro() === gen; // true
   * ```
   */
  getCoro(): Coroutine<T> {
    return this._coro;
  }

  /**
   * How many cancellation requests are pending (asyncio 3.11+).
   * @example
   * ```ts
   * if (currentTask()!.cancelling() > 0) console.log("being cancelled");
   * ```
   */
  cancelling(): number {
    return this._numCancels;
  }

  /**
   * Takes back one cancellation request and returns how many are left. When none are
   * left, a cancellation not yet delivered is dropped (asyncio 3.13).
   * @example
   * ```ts
   * try {
   *   yield* sleep(1000);
   * } catch (e) {
   *   if (!(e instanceof CancelledError)) throw e;
   *   currentTask()!.uncancel(); // this request is handled: the task goes on, not cancelled
   * }
   * ```
   */
  uncancel(): number {
    if (this._numCancels > 0) {
      this._numCancels--;
      if (this._numCancels === 0) this._mustCancel = false;
    }
    return this._numCancels;
  }

  /**
   * Requests cancellation: CancelledError(message) is thrown into the coroutine where it
   * is suspended. Returns false if the task is already done (and an error it ended with
   * is then no longer reported as never retrieved). Several requests before the task
   * wakes deliver one CancelledError.
   * @example
   * ```ts
   * const task = createTask(serve());
   * task.cancel("shutting down"); // serve() sees CancelledError("shutting down") where it waits
   * ```
   */
  override cancel(message?: string): boolean {
    return cancelThrough(this, message);
  }

  /**
   * @internal This task's part of a cancellation (see cancelThrough): null when it waits
   * on a future, which is asked next; its answer otherwise.
   */
  _cancelEnter(message: string | undefined): boolean | null {
    this._markRetrieved(); // as Future.cancel: the caller has lost interest in a failure
    if (this._state !== FutureState.Pending) return false;
    this._numCancels++;
    switch (this._wait) {
      case Wait.Future:
        // The awaited future's cancellation wakes us with its CancelledError. If it
        // refuses (done already), _cancelLeave delivers ours instead.
        this._wait = Wait.CancellingWaiter;
        return null;
      case Wait.CancellingWaiter:
        // Reached again from inside that cancellation: tasks awaiting each other in a
        // cycle (asyncio recurses until the stack overflows here). Stop waiting and
        // take the cancellation at its next step (the flag below): this task ends, which
        // wakes the others.
        this._awaiting!._removeCallback(this);
        // The cancellation it ends with is this task's to read, which no longer waits; an
        // error of its own (a task that caught the cancellation and failed) is not.
        this._awaiting!._addCallback(retrieveCancellation);
        this._awaiting = null;
        this._wait = Wait.None;
        this._loop._soon(this);
        break;
      case Wait.Timer:
        // Even if the timer expired in this iteration and its wake-up is queued: as in
        // asyncio, where the sleep's future is still pending then, the cancellation wakes
        // the task now, ahead of anything scheduled after this call.
        this._loop._unschedule(this._timer);
        this._interruptSleep(message);
        return true;
      case Wait.Forever:
        this._interruptSleep(message);
        return true;
      case Wait.CancelledSleep:
        // Like a second cancel() of a future that is already cancelled: the first
        // CancelledError is the one delivered, and this message is the task's own.
        break;
    }
    this._mustCancel = true;
    this._cancelMessage = message;
    return true;
  }

  /** @internal The future this task waits on is the one to ask. */
  _cancelChild(index: number): Future<unknown> | undefined {
    return index === 0 ? this._awaiting! : undefined;
  }

  /** @internal */
  _cancelLeave(message: string | undefined, anyTook: boolean): boolean {
    this._cancelAbandon();
    if (!anyTook) {
      this._mustCancel = true;
      this._cancelMessage = message;
    }
    return true;
  }

  /** @internal Waiting again as before the walk (unless a cycle came back to this task: see _cancelEnter). */
  _cancelAbandon(): void {
    if (this._wait === Wait.CancellingWaiter) this._wait = Wait.Future;
  }

  private _interruptSleep(message: string | undefined): void {
    this._wait = Wait.CancelledSleep;
    this._timer = -1;
    // The message belongs to the sleep, as in asyncio, where the sleep's future takes the
    // cancellation and the task's own message stays unset (a gather of tasks that
    // swallowed it reads that). A pending task's `_result` is free to hold it meanwhile.
    this._result = message;
    this._loop._soon(this);
  }

  /** Tasks finish only by their coroutine returning or throwing. */
  override setResult(_value: T): never {
    throw new RuntimeError("Task does not support setResult(); the coroutine's return value is the result");
  }

  /** Tasks finish only by their coroutine returning or throwing. */
  override setException(_error: unknown): never {
    throw new RuntimeError("Task does not support setException(); throw from the coroutine instead");
  }

  /** @internal Called by the loop for each of this task's ready-queue entries. */
  override _run(): void {
    if (this._state !== FutureState.Pending) {
      super._run(); // the task is done: these are its done callbacks
      return;
    }
    switch (this._wait) {
      case Wait.Timer:
        // The sleep is over. Step in the next iteration, not now, as asyncio does
        // (its sleep completes a future whose callback wakes the task): a timeout due
        // at the same instant then still cancels the task before it resumes.
        this._wait = Wait.SleepOver;
        this._timer = -1;
        this._loop._soon(this);
        return;
      case Wait.SleepOver:
        this._wait = Wait.None;
        this._step(false, SLEEP_DONE);
        return;
      case Wait.CancelledSleep: {
        const message = this._result as string | undefined;
        this._result = undefined;
        this._wait = Wait.None;
        this._mustCancel = false;
        this._step(true, cancelledError(message));
        return;
      }
      case Wait.Refused: {
        const error = this._result;
        this._result = undefined;
        this._wait = Wait.None;
        this._step(true, error);
        return;
      }
      default:
        this._step(false, undefined);
    }
  }

  /** @internal A future this task was parked on is done. */
  _wakeup(future: Future<unknown>): void {
    this._awaiting = null;
    this._wait = Wait.None;
    if (future._state === FutureState.Fulfilled) {
      this._step(false, future._result);
      return;
    }
    future._markRetrieved();
    this._step(true, future._result);
  }

  /** Runs the coroutine up to its next suspension, then parks the task on what it yielded. */
  private _step(isThrow: boolean, value: unknown): void {
    if (this._mustCancel) {
      if (!(isThrow && isCancelledError(value))) {
        isThrow = true;
        value = cancelledError(this._cancelMessage);
      }
      this._mustCancel = false;
    }
    // The step runs in this task's context: ContextVar reads and writes the `_context`
    // of `_holder` (see contextOwner). A Context given at creation is entered for the
    // step, as asyncio's steps run in `context.run`: a `run` of it from inside the step,
    // even from an eager child's first step, is refused.
    const previousTask = running.task;
    running.task = this as Task<unknown>;
    this._markEntered(true);
    let next: IteratorResult<unknown, T>;
    let done: boolean | undefined;
    let yielded: unknown;
    try {
      next = isThrow ? this._coro.throw(value) : this._coro.next(value);
      // Read here, where a hand-written iterator's `done` or `value` getter that throws
      // fails the task, rather than the loop's turn, which would leave it pending.
      if (typeof next === "object" && next !== null) {
        done = next.done;
        yielded = next.value;
      }
    } catch (error) {
      running.task = previousTask;
      this._markEntered(false);
      this._finish(isCancelledError(error) ? FutureState.Cancelled : FutureState.Rejected, error);
      return;
    }
    running.task = previousTask;
    this._markEntered(false);
    if (typeof next !== "object" || next === null) {
      // Only a hand-written iterator can do this; generators always return a result.
      this._finish(
        FutureState.Rejected,
        new TypeError(`Task ${this.getName()}: its coroutine's next() returned ${describe(next)} instead of { value, done }`),
      );
      return;
    }
    if (done) {
      if (this._mustCancel) {
        // Cancelled while running its last step: it ends cancelled, as in asyncio.
        this._mustCancel = false;
        this._finish(FutureState.Cancelled, cancelledError(this._cancelMessage));
      } else {
        this._finish(FutureState.Fulfilled, yielded);
      }
      return;
    }
    this._park(yielded);
  }

  /**
   * @internal Closes the coroutine of a task that its closing loop leaves pending, so its
   * `finally` blocks run, as CPython closes a collected task's coroutine. They run as the
   * task's steps do, in its context and as the current task, whoever closes the loop
   * (another loop's task, top-level code), and with no loop running, as in CPython: the
   * closed loop refuses new work. Returns false if the coroutine waits instead of ending.
   */
  _closeCoroutine(): boolean {
    const { loop, task, entered } = running;
    running.loop = null;
    running.task = this as Task<unknown>;
    running.entered = null;
    this._markEntered(true);
    try {
      return this._coro.return?.(undefined as T)?.done !== false;
    } finally {
      this._markEntered(false);
      running.loop = loop;
      running.task = task;
      running.entered = entered;
      // A sleep its cleanup delegated to, which no step will read now, must not keep it.
      running._sleepDelegatedBy = null;
    }
  }

  /**
   * Marks the Context the task's steps run in (if it has one) entered, or no longer: read
   * anew each time, since a step may give the task one (`taskContext`), which is then
   * entered until the step ends.
   */
  private _markEntered(entered: boolean): void {
    const holder = this._holder;
    if (holder !== this) (holder as Context)._entered = entered;
  }

  private _park(yielded: unknown): void {
    const loop = this._loop;
    let kind: AwaitKind | undefined;
    try {
      kind = yielded == null ? undefined : (yielded as KnownAwaitable)._awaitKind;
    } catch {
      // A revoked Proxy, or a getter that throws: not awaitable, and told so below.
    }
    if (kind === AwaitKind.Sleep && running._sleepDelegatedBy === this) {
      running._sleepDelegatedBy = null;
      const ms = (yielded as SleepOp<unknown>)._ms;
      if (ms <= 0) {
        this._wait = Wait.SleepOver;
        loop._soon(this);
      } else if (this._mustCancel) {
        // A pending cancellation cuts the sleep short at once, as asyncio's step cancels
        // the sleep's future as soon as it is yielded: the CancelledError is the sleep's
        // now, which a later uncancel() or cancel() no longer changes. (`sleep(0)` is a
        // bare yield in asyncio, which keeps the request open: the branch above.)
        this._mustCancel = false;
        this._interruptSleep(this._cancelMessage);
      } else if (ms === Infinity) {
        this._wait = Wait.Forever;
      } else {
        this._timer = loop._at(this, loop.time() + ms);
        this._wait = Wait.Timer;
      }
    } else if (kind === AwaitKind.Future) {
      const future = yielded as Future<unknown>;
      if (future._loop !== loop) {
        this._throwSoon(new RuntimeError(`Task ${this.getName()} got ${String(future)} attached to a different loop`));
      } else if (future === this) {
        this._throwSoon(new RuntimeError(`Task ${this.getName()} cannot await itself`));
      } else {
        this._wait = Wait.Future;
        this._awaiting = future;
        future._addCallback(this);
        if (this._mustCancel && future.cancel(this._cancelMessage)) this._mustCancel = false;
      }
    } else if (yielded === undefined) {
      loop._soon(this); // a bare `yield`: let the other ready tasks run first
    } else if (kind === AwaitKind.SteppedTwice) {
      const error = resumedElsewhere((yielded as SteppedTwice)._what);
      // A generator given to createTask twice: this task fails, and leaves the generator
      // to the task that runs it, untouched. Otherwise (a task's generator given to
      // `yield*` too) the error goes in at this coroutine's `yield*`, as asyncio's.
      if ([...loop._tasks].some((task) => task !== this && task._coro === this._coro)) this._finish(FutureState.Rejected, error);
      else this._throwSoon(error);
    } else {
      this._throwSoon(new TypeError(`Task ${this.getName()} yielded ${describeYielded(yielded)}`));
    }
  }

  /**
   * Throws `error` into the coroutine at its next step, like asyncio's bad-yield path: a
   * step of the task, so in its context, as asyncio's `call_soon(self.__step, ...,
   * context=self._context)`. (A pending task's `_result` is free to hold the error.)
   */
  private _throwSoon(error: Error): void {
    this._result = error;
    this._wait = Wait.Refused;
    this._loop._soon(this);
  }

  private _finish(state: FutureState, result: unknown): void {
    this._loop._tasks.delete(this as Task<unknown>);
    this._settle(state, result);
  }

  /** @internal */
  override get _typeName(): string {
    return "Task";
  }

  /** @internal A pending task that was asked to cancel is `cancelling`, as in asyncio's repr. */
  override get _stateName(): string {
    return this._numCancels > 0 && this._state === FutureState.Pending ? "cancelling" : super._stateName;
  }

  /** @internal */
  override _details(): string {
    // A getName() of the program's own that throws must not break a report about the task.
    try {
      return ` name=${this.getName()}`;
    } catch {
      return ` name=${this._name}`;
    }
  }
}

/** A done callback that takes a future's CancelledError as read (see the cycle in `_cancelEnter`). */
function retrieveCancellation(future: Future<unknown>): void {
  if (isCancelledError(future._result)) future._markRetrieved();
}

/** What a task yielded that it cannot await, for the error that says so. */
function describeYielded(yielded: unknown): string {
  let why: unknown;
  // One try for both reads (isOperation would be a second): this is in every bundle.
  try {
    // A value that knows why no task can wait on it (an item of emit()) says so.
    why = (yielded as { _notAwaitable?: unknown })._notAwaitable;
    // An operation (`yield queue.get()`) has the refusing `then`: only its `*` is missing.
    if (why === undefined && (yielded as { then?: unknown }).then === refusedThen) return "an operation without its *";
  } catch {
    // a revoked Proxy, or a `then` getter that throws: described as what it is
  }
  return `${typeof why === "string" ? why : describe(yielded)}, which is not awaitable. Use yield* with a Future, a Task, sleep(), gather() or until(promise).`;
}
