import { type Clock, RealClock, VirtualClock } from "./clock.js";
import { type CoreChoice, loadCore, releaseCore } from "./core/load-core.js";
import type { SchedulerCore } from "./core/scheduler-core.js";
import { isThenable, otherLoopError, RuntimeError } from "./errors.js";
import { describe, functionName } from "./describe.js";
import { Future } from "./future.js";
import { Handle, type Runnable, TimerHandle } from "./handle.js";
import { followCallbackPromise, type LoopCallback } from "./loop-callback.js";
import { afterHostTask, finalizationRegistry, MAX_HOST_DELAY, weakRef, yieldToHost } from "./host.js";
import { callInContext, type ContextHolder, running } from "./running.js";
import { checkDelay, checkDuration } from "./time-arguments.js";
import { type Coroutine, isCoroutine, type MainBody, refuseGeneratorCallback, type TaskBody, toCoroutine } from "./coroutine.js";
import { Task } from "./task.js";
import type { ContextVar } from "./context-var.js";
import type { Context } from "./context.js";
import type { OpenProducers, ProducerIterator } from "./producer-iterator.js";
import { LinkedList } from "./linked-list.js";
import { flagOf, optionsOf } from "./options.js";
import { Shown } from "./inspect-hook.js";

/** The keys of {@link LoopOptions}, for the functions that take them to refuse others. */
export const LOOP_OPTIONS = "core clock autojumpThreshold eagerTasks";

/** Options for a new {@link EventLoop} (and for `run`, `Runner` and `runMain`). */
export interface LoopOptions {
  /**
   * The scheduler core: `"wasm"`, `"js"`, or a precompiled `WebAssembly.Module` of
   * `wasyncio/core.wasm`. Default: Wasm if the host allows compiling it, else JS.
   */
  core?: CoreChoice | undefined;
  /**
   * `"real"` (default): milliseconds of `performance.now()`. `"virtual"`: time starts at
   * 0 and jumps to the next deadline whenever nothing is ready, so a program that sleeps
   * for hours runs in milliseconds, with exact times.
   */
  clock?: "real" | "virtual" | undefined;
  /**
   * Virtual clock only: while foreign promises (`until`) are pending, how many real ms
   * the loop waits for them, idle, before it jumps to the next deadline anyway.
   * Default 50.
   */
  autojumpThreshold?: number | undefined;
  /**
   * Make every task eager by default (asyncio's eager task factory): a new task runs its
   * first step at once, and one that finishes without suspending is never scheduled.
   */
  eagerTasks?: boolean | undefined;
}

/** Options of `createTask`. */
export interface TaskOptions {
  /** The task's name; default `Task-N`. */
  name?: string | undefined;
  /** Run the first step now, synchronously, up to the first suspension (asyncio 3.12 eager tasks). */
  eager?: boolean | undefined;
  /**
   * Run the task's steps in this Context (from `copyContext()` or `new Context()`) instead
   * of a copy of the creator's: what the task sets with a ContextVar is then seen through
   * the Context after (asyncio's `create_task(..., context=...)`).
   */
  context?: Context | undefined;
}

/** What the loop passes to its exception handler. */
export interface ExceptionContext {
  /** What happened, as asyncio words it: "Task exception was never retrieved", "Exception in callback <Handle tick>"... */
  message: string;
  /** The error, if one was raised. */
  exception?: unknown;
  /** The callback (or done callback) that failed. */
  handle?: Handle | undefined;
  /** The future (or task) whose error no one retrieved. */
  future?: Future<unknown> | undefined;
  /** The task it is about. */
  task?: Task<unknown> | undefined;
  /** A producer read with `aiter()` whose closing at the end of `run()` failed (asyncio's `asyncgen`). */
  producer?: ProducerIterator<unknown> | undefined;
  /** Debug mode ({@link enableDebug}): the stack trace of where the task or future was created. */
  createdAt?: string | undefined;
  /**
   * What it is about, as it describes itself (`<Task finished name=worker>`): an error no
   * one retrieved is reported when the garbage collector takes its task or future, which
   * the report then no longer has (`task` and `future` are set only while they live).
   */
  description?: string | undefined;
  /**
   * The report an exception handler was given when it threw: this one's message is then
   * "Unhandled error in exception handler", and `exception` what the handler threw.
   */
  context?: ExceptionContext | undefined;
}

/**
 * @internal What debug mode ({@link enableDebug}) adds to a loop. The loop calls it only
 * while debug mode is on, so that the code lives with debug mode and not in every bundle.
 */
export interface DebugHooks {
  /** A future or task was created. */
  created(future: Future<unknown>): void;
  /**
   * Runs a callback or step for the loop, timing it. (It runs a future's done callbacks,
   * which share the future's ready slot, one by one: asyncio gives each a handle.)
   */
  run(runnable: Runnable): void;
  /** What the exception handler gets: `context`, with what debug mode knows added. */
  annotate(context: ExceptionContext): ExceptionContext;
  /**
   * An operation that does nothing until awaited was created (see `mustAwait`): what
   * to hand back in its place, watched so that one never awaited is reported.
   */
  watch<T extends object>(op: T, what: string, on: object | undefined): T;
  /** The loop closed: the operations made on it and never started are reported now. */
  closed(): void;
}

/** Receives errors that nobody else can catch, such as a callback that throws. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** What a {@link TaskFactory} is given besides the coroutine: the task's options, `eager` resolved. */
export interface TaskFactoryOptions {
  /** The name asked for with `createTask(body, { name })`, if any. */
  name: string | undefined;
  /** The task's own `eager` option, or else the loop's `eagerTasks`. */
  eager: boolean;
  /** The Context asked for with `createTask(body, { context })`, if any. */
  context: Context | undefined;
}

/**
 * Makes a loop's tasks in place of `new Task` (asyncio's task factory): see
 * {@link EventLoop.setTaskFactory}.
 */
export type TaskFactory = <T>(loop: EventLoop, coro: Coroutine<T>, options: TaskFactoryOptions) => Task<T>;

/** Reports a failed future no one retrieved when the garbage collector takes it. */
const collected = /* @__PURE__ */ finalizationRegistry<() => void>((report) => report());

/** `value`, if it is a function or null, as a setter of the loop takes; `what` names it in the error. */
function functionOrNull<F>(value: F | null, what: string): F | null {
  if (value !== null && typeof value !== "function") throw new TypeError(`${what} must be a function or null, got ${describe(value)}`);
  return value;
}

/** What a disarmed id runs: nothing. */
const INERT: Runnable = { _run() {} };

/** How long one host turn may run callbacks before the loop lets the host do I/O. */
const TURN_BUDGET_MS = 8;

/**
 * How much work (callbacks, and one per iteration) one host task may run, whatever the
 * clock says: deployed Cloudflare Workers stop the clock while code runs (a Spectre
 * defence), so there the budget in ms never runs out. Elsewhere the ms run out first:
 * this much takes over 16 ms even when each callback is a bare switch between two tasks.
 */
const TURN_BUDGET_WORK = 524_288;

/**
 * The event loop (asyncio's `BaseEventLoop`, `_run_once` included). It is the only place
 * that calls scheduled callbacks and task steps.
 *
 * Every scheduled thing gets a small integer id. The scheduler core (Wasm or JS) orders
 * ids: timers by (deadline, insertion), ready ids first in, first out. The loop keeps
 * `id -> runnable` in `_table` and recycles ids through `_free`.
 *
 * One iteration moves the due timers to the ready queue, takes a snapshot of its length
 * and runs exactly that many callbacks; what they schedule waits for the next
 * iteration. Iterations repeat within one host turn while work is ready, up to a time
 * budget, then the loop yields to the host. It keeps at most one host timer, for the
 * earliest deadline, and schedules nothing when idle.
 *
 * @example
 * ```ts
 * const loop = new EventLoop({ clock: "virtual" });
 * loop.callLater(1000, () => console.log("at", loop.time())); // at 1000
 * const task = loop.createTask(function* () { yield* sleep(2000); return "done"; }());
 * console.log(await loop.runUntilComplete(task)); // "done"
 * loop.close();
 * ```
 */
export class EventLoop extends Shown {
  /** Which scheduler core this loop runs on: `"wasm"` or `"js"`. */
  readonly core: "wasm" | "js";
  /**
   * Futures and tasks that failed in this host turn and whose error no one has
   * looked at yet. Most are looked at within the turn; the others are swept into
   * `_unretrieved` as it ends (see `_failed`).
   */
  private readonly _fresh = new Set<Future<unknown>>();
  /**
   * @internal What the loop reports when it closes, as calls: the older errors no one has
   * looked at yet (each one's call by its future in `_reports`, for as long as the future
   * lives), and the operations that a debug mode turned off since never saw start.
   */
  readonly _unretrieved = new Set<() => void>();
  /** @internal */ readonly _reports = new WeakMap<Future<unknown>, () => void>();
  /** @internal Tasks not yet done (asyncio's all_tasks). */
  readonly _tasks = new LinkedList<Task<unknown>>();
  /** @internal Debug mode's hooks, or null when it is off. */
  _debug: DebugHooks | null = null;

  /**
   * @internal The scheduler core; the task tree reads its timers' deadlines. Dropped
   * (null) when the loop closes.
   */
  readonly _core: SchedulerCore;
  private readonly _clock: Clock;
  private readonly _virtual: VirtualClock | null;
  private readonly _autojumpThreshold: number;
  private readonly _eagerTasks: boolean;
  /** @internal id -> what to run. An id is in use from scheduling until it is dispatched or its timer cancelled. */
  readonly _table: (Runnable | undefined)[] = [];
  private readonly _free: number[] = [];

  private _closed = false;
  private _running = false;
  private _stopping = false;
  private _inTurn = false;
  private _turnQueued = false;
  /**
   * When the host's current task has had its budget of loop work: until then, work that
   * arrives between turns (a promise settling) gets a turn in a microtask; after it, in
   * a macrotask. `_chained` says the turn queued is one of those microtask turns, and
   * `_sliceWork` counts the work the host's task has run (see TURN_BUDGET_WORK).
   */
  private _sliceEnd = 0;
  private _sliceWork = 0;
  private _chained = false;
  /**
   * Whether the host has run a task of its own since the loop last went idle: then work
   * that arrives is in a later host task than the budget's, and starts a budget of its
   * own. A loop idle for 20 ms while a request's upstream answered would otherwise count
   * those 20 ms as its own work, and wake for the answer a macrotask late, behind
   * whatever else the host had queued. Told by a macrotask queued when the loop goes idle.
   */
  private _hostHadTask = false;
  private _idleMarkQueued = false;
  private _hostTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _hostTimerAt = Infinity;
  /** @internal Pending `until()` promises: virtual time waits for them (up to the autojump threshold). */
  _foreignPending = 0;
  /**
   * @internal The producers this loop's tasks began to read with `aiter()` and left open,
   * which the end of `run()` closes (asyncio's `shutdown_asyncgens`): set at the first
   * one, so that programs without producers do not ship the code (`declare`: no field is
   * made).
   */
  declare _openProducers?: OpenProducers;
  private _onStopped: (() => void) | null = null;
  private _exceptionHandler: ExceptionHandler | null = null;
  private _taskFactory: TaskFactory | null = null;
  /**
   * @internal Called before each loop iteration while a timeline records this loop: the
   * state at that point is the one the previous iteration left, which lasts until now.
   */
  _beforeIteration: (() => void) | null = null;

  /**
   * A loop that is not running yet; `run()` makes one for you.
   * @param loopOptions The scheduler core, the clock, and the other {@link LoopOptions}.
   * @example
   * ```ts
   * const loop = new EventLoop({ clock: "virtual" });
   * ```
   */
  constructor(loopOptions?: LoopOptions) {
    super();
    const options = optionsOf(loopOptions, "new EventLoop()", LOOP_OPTIONS);
    const clock = options.clock ?? "real";
    if (clock !== "real" && clock !== "virtual") {
      throw new TypeError(`clock must be "real" or "virtual", got ${describe(clock)}`);
    }
    this._autojumpThreshold = checkDuration(options.autojumpThreshold ?? 50, "autojumpThreshold");
    this._eagerTasks = flagOf(options.eagerTasks, "eagerTasks");
    // Last, once every option passed: a core kept from a closed loop is not lost to a
    // constructor that throws.
    this._core = loadCore(options.core);
    this.core = this._core.kind;
    this._virtual = clock === "virtual" ? new VirtualClock() : null;
    this._clock = this._virtual ?? new RealClock();
  }

  /**
   * The loop's time in ms: since its creation (real clock) or virtual time.
   * @example
   * ```ts
   * const t0 = loop.time();
   * loop.callLater(100, () => console.log(loop.time() - t0)); // 100 (virtual) or about 100
   * ```
   */
  time(): number {
    return this._clock.now();
  }

  /**
   * True while `runUntilComplete` or `runForever` is in progress.
   * @example
   * ```ts
   * console.log(loop.isRunning()); // true inside runUntilComplete
   * ```
   */
  isRunning(): boolean {
    return this._running;
  }

  /**
   * True once {@link close} was called.
   * @example
   * ```ts
   * loop.close();
   * console.log(loop.isClosed()); // true
   * ```
   */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Whether this loop runs on virtual time.
   * @example
   * ```ts
   * new EventLoop({ clock: "virtual" }).isVirtual(); // true
   * ```
   */
  isVirtual(): boolean {
    return this._virtual !== null;
  }

  /**
   * `<EventLoop running=true closed=false debug=false core=wasm>`, as asyncio's repr with
   * the scheduler core: for messages and logs.
   * @example
   * ```ts
   * String(new EventLoop()); // "<EventLoop running=false closed=false debug=false core=wasm>"
   * ```
   */
  override toString(): string {
    return `<EventLoop running=${this._running} closed=${this._closed} debug=${this._debug !== null} core=${this.core}>`;
  }

  /**
   * Schedules `callback(...args)` for the next loop iteration. Callbacks run in the order
   * they were scheduled, each in a copy of the context it was scheduled from (the
   * {@link ContextVar} values), as every loop callback does. A `function*` is refused by
   * the types (see {@link LoopCallback}) and at run time: use `createTask` for one.
   * @example
   * ```ts
   * loop.callSoon((who: string) => console.log(`hello ${who}`), "world");
   * ```
   */
  callSoon<A extends unknown[], R>(callback: LoopCallback<A, R>, ...args: A): Handle {
    this._checkCallback(callback, "callSoon");
    const handle = new Handle(this, callback as (...args: unknown[]) => unknown, args.length > 0 ? args : undefined);
    handle._id = this._soon(handle);
    return handle;
  }

  /**
   * Schedules `callback(...args)` to run `delay` ms from now. A negative delay is a
   * deadline in the past: due at once, and ahead of timers due later than it, as in
   * asyncio; `Infinity` means never; NaN is an error. Equal deadlines run in scheduling
   * order.
   * @example
   * ```ts
   * const handle = loop.callLater(1_000, () => console.log("a second later"));
   * handle.cancel(); // changed our mind
   * ```
   */
  callLater<A extends unknown[], R>(delay: number, callback: LoopCallback<A, R>, ...args: A): TimerHandle {
    checkDelay(delay, "callLater()");
    this._checkCallback(callback, "callLater");
    return this._timerHandle(this.time() + delay, callback as (...args: unknown[]) => unknown, args);
  }

  /**
   * Schedules `callback(...args)` at loop time `when` (ms, as {@link time} reads).
   * @example
   * ```ts
   * loop.callAt(loop.time() + 500, () => console.log("at t + 500 ms"));
   * ```
   */
  callAt<A extends unknown[], R>(when: number, callback: LoopCallback<A, R>, ...args: A): TimerHandle {
    checkDelay(when, "callAt()", "the time");
    this._checkCallback(callback, "callAt");
    return this._timerHandle(when, callback as (...args: unknown[]) => unknown, args);
  }

  private _timerHandle(when: number, callback: (...args: unknown[]) => unknown, args: unknown[]): TimerHandle {
    const handle = new TimerHandle(this, when, callback, args.length > 0 ? args : undefined);
    handle._id = this._at(handle, when);
    return handle;
  }

  /**
   * A new pending Future bound to this loop.
   * @example
   * ```ts
   * const ready = loop.createFuture<string>();
   * loop.callLater(10, () => ready.setResult("go"));
   * ```
   */
  createFuture<T = unknown>(): Future<T> {
    this._checkOpen();
    return new Future<T>(this);
  }

  /**
   * Wraps a coroutine in a Task scheduled on this loop. Accepts a generator (the result
   * of calling a `function*`), or a function of no arguments returning one (or a Future).
   * @example
   * ```ts
   * const task = loop.createTask(function* () { yield* sleep(10); return 1; }, { name: "one" });
   * ```
   */
  createTask<T>(body: TaskBody<T>, taskOptions?: TaskOptions): Task<T> {
    this._checkOpen();
    const options = optionsOf(taskOptions, "createTask()", "name eager context");
    return this._newTask(toCoroutine(body, "createTask()"), options.name, flagOf(options.eager, "createTask(): eager", this._eagerTasks), options.context);
  }

  /** A new task on this loop, made by the task factory if one is set. */
  private _newTask<T>(coro: Coroutine<T>, name: string | undefined, eager: boolean, context: Context | undefined): Task<T> {
    const factory = this._taskFactory;
    if (factory === null) return new Task(coro, this, name, eager, context);
    const task = factory(this, coro, { name, eager, context });
    // Checked here, where the factory is to blame, rather than when the task is awaited.
    if (!(task instanceof Task)) throw new TypeError(`the task factory must return a Task, got ${describe(task)}`);
    // A name asked for is the task's even if the factory left it unnamed, as asyncio names
    // the factory's task after making it.
    if (name !== undefined && typeof task._name === "number") task._name = String(name);
    return task;
  }

  /**
   * Sets what makes this loop's tasks, in place of `new Task`; `null` restores the
   * default (asyncio's `loop.set_task_factory`). Every task made on the loop goes through
   * it: `createTask`, a TaskGroup's, those `gather` and `shield` make of coroutines, and
   * `runUntilComplete`'s. It gets the loop, the coroutine, and the options the task was
   * asked for, and returns a Task of this loop: a subclass, say, or one it keeps count
   * of. What is not a Task is refused, by the call that made it. A `name` asked for is
   * given to the task if the factory left it unnamed; `eager` and `context` are the
   * factory's to pass on.
   * @example
   * ```ts
   * let made = 0;
   * getRunningLoop().setTaskFactory((loop, coro, { name, eager, context }) => {
   *   made++;
   *   return new Task(coro, loop, name, eager, context);
   * });
   * ```
   */
  setTaskFactory(factory: TaskFactory | null): void {
    this._taskFactory = functionOrNull(factory, "the task factory");
  }

  /**
   * The factory set with {@link setTaskFactory}, or null.
   * @example
   * ```ts
   * const previous = loop.getTaskFactory();
   * ```
   */
  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  /**
   * Runs the loop until `future` is done and resolves with its result (or rejects with
   * its exception). A coroutine is wrapped in a task first.
   * @example
   * ```ts
   * const loop = new EventLoop();
   * const answer = await loop.runUntilComplete(function* () { yield* sleep(10); return 42; });
   * loop.close();
   * ```
   */
  async runUntilComplete<T>(future: Future<T> | MainBody<T>): Promise<T> {
    this._checkOpen();
    this._checkNotRunning();
    const target = future instanceof Future ? future : this._newTask(toCoroutine(future, "runUntilComplete()"), undefined, this._eagerTasks, undefined);
    if (target !== future) (target as Task<T>)._unreported = true;
    if (target._loop !== this) throw otherLoopError("runUntilComplete()", target);
    return new Promise<T>((resolve, reject) => {
      const stopWhenDone = (): void => this.stop();
      target._addCallback(stopWhenDone);
      this._start(() => {
        target._removeCallback(stopWhenDone);
        if (!target.done()) {
          reject(new RuntimeError("Event loop stopped before Future completed."));
          return;
        }
        try {
          const result = target.result();
          // A promise fulfilled with a thenable waits for it, and this loop has stopped:
          // a Future, or a promise that waits for one, would leave it pending for good. A
          // generator (`return inner()`) is refused too: it would run nothing.
          if (isThenable(result) || isCoroutine(result)) {
            // Refused, a promise is nobody's to handle: its rejection (such as the
            // CancelledError of a task it waits for, which run() cancels next) is not
            // reported again.
            if (result instanceof Promise) result.catch(() => {});
            const what = result instanceof Future ? result._describe() : isCoroutine(result) ? "a generator" : describe(result);
            throw new TypeError(`${target._describe(false)} returned ${what}, not a value: was a yield* missing? (yield* until(promise) awaits a promise)`);
          }
          resolve(result);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /**
   * Runs the loop until {@link stop} is called.
   * @example
   * ```ts
   * loop.callLater(1_000, () => loop.stop());
   * await loop.runForever(); // returns after a second
   * ```
   */
  async runForever(): Promise<void> {
    this._checkOpen();
    this._checkNotRunning();
    return new Promise<void>((resolve) => this._start(resolve));
  }

  /**
   * Stops the loop after the current iteration's callbacks have run.
   * @example
   * ```ts
   * loop.callSoon(() => loop.stop());
   * ```
   */
  stop(): void {
    this._stopping = true;
    if (this._running && !this._inTurn) this._queueTurn();
  }

  /**
   * Closes the loop: pending callbacks are dropped and every later use is an error. Tasks
   * that have not finished are reported to the exception handler ("Task was destroyed but
   * it is pending!", as asyncio says when it collects one) and their coroutines closed,
   * so their `finally` blocks run; errors no one retrieved are reported too, those the
   * garbage collector has not reported already. `run()` cancels and awaits its leftover
   * tasks first, so it reports none.
   * @throws RuntimeError while the loop is running.
   * @example
   * ```ts
   * await loop.runUntilComplete(main);
   * loop.close();
   * ```
   */
  close(): void {
    if (this._running) throw new RuntimeError("Cannot close a running event loop");
    if (this._closed) return;
    // Closed first, as asyncio's is: an exception handler that closes the loop again
    // returns at once, and a pending task's cleanup cannot schedule more work on it.
    this._closed = true;
    this._reportLostWork();
    this._clearHostTimer();
    releaseCore(this._core);
    this._table.length = 0;
    this._free.length = 0;
    // The core goes too, so that a closed loop kept around (by a test, a timeline...)
    // does not keep its Wasm memory: browsers allow only so many. Nothing reaches it
    // after close: scheduling throws first, and unscheduling returns at once.
    (this as { _core: SchedulerCore | null })._core = null;
  }

  /**
   * Sets the handler for errors no one else can catch; `null` restores the default. It
   * runs in the context of what failed (a task's, a callback's), as asyncio's does, so
   * a ContextVar such as a request id reads there what it read where the error happened.
   * @example
   * ```ts
   * loop.setExceptionHandler((_loop, context) => report(context.message, context.exception));
   * ```
   */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    // A function* would make a generator of each report, and report nothing. (null
    // passes: reading its constructor throws, which is taken for no.)
    refuseGeneratorCallback(handler!, "setExceptionHandler", true);
    this._exceptionHandler = functionOrNull(handler, "the exception handler");
  }

  /**
   * The handler set with {@link setExceptionHandler}, or null.
   * @example
   * ```ts
   * const previous = loop.getExceptionHandler();
   * ```
   */
  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /**
   * Reports an error through the exception handler (or the default one). Never throws.
   * @example
   * ```ts
   * loop.callExceptionHandler({ message: "lost a connection", exception: error });
   * ```
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    // A report made between the loop's turns (an async callback's rejection, a worker's
    // message) runs as if in one, as asyncio's do: the handler may use the running loop.
    const outer = running.loop;
    if (this._running) running.loop ??= this;
    try {
      if (this._debug !== null) context = this._debug.annotate(context);
      if (handler === null) {
        this._reportByDefault(context);
        return;
      }
      // In the context of what failed, a task's or a callback's, as asyncio 3.13 does: a
      // request id it set is what the handler logs. asyncio looks at the task, then the
      // future if it is a task, then the handle.
      const about = context.task ?? (context.future instanceof Task ? context.future : context.handle);
      followCallbackPromise(
        this,
        about === undefined ? handler(this, context) : callInContext(about instanceof Task ? about._holder : about, handler, [this, context]),
        (error) => this._handlerFailed(error, context),
      );
    } catch (error) {
      this._handlerFailed(error, context);
    } finally {
      running.loop = outer;
    }
  }

  /** An exception handler that failed: the default handler reports that, with what it was given. */
  private _handlerFailed(error: unknown, context: ExceptionContext): void {
    this._reportByDefault({ message: "Unhandled error in exception handler", exception: error, context });
  }

  /**
   * Calls `defaultExceptionHandler`, which a subclass may override: one that throws is
   * logged, as asyncio's second layer of protection does, and the loop goes on.
   */
  private _reportByDefault(context: ExceptionContext): void {
    try {
      this.defaultExceptionHandler(context);
    } catch (error) {
      try {
        console.error("wasyncio: Exception in default exception handler", error);
      } catch {
        // an error that cannot even be printed: the report is lost, the loop is not
      }
    }
  }

  /**
   * Logs the context with `console.error`, and goes on: the message, the task, future or
   * handle it is about (as asyncio's default handler does), then the exception if any;
   * then the report an exception handler failed on, if this is about that one.
   * @example
   * ```ts
   * loop.setExceptionHandler((loop, context) => {
   *   if (!isNoise(context.exception)) loop.defaultExceptionHandler(context);
   * });
   * ```
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    printReport(context);
    if (context?.context !== undefined) printReport(context.context);
  }

  /**
   * Errors no one ever looked at, and tasks that will never finish, go to the exception
   * handler: a failure or an abandoned task is never silent.
   */
  private _reportLostWork(): void {
    for (const task of this._tasks) {
      if (!task._unreported) {
        this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task, future: task });
      }
      // CPython closes the coroutine of a task it collects, so its `finally` blocks run;
      // a JS generator no one resumes would never run them. A cleanup that waits stops
      // there for good, as CPython's raises (no running loop): that is told too.
      try {
        if (!task._closeCoroutine()) {
          throw new RuntimeError(`${task._describe()} waited in its cleanup after its loop closed; the rest did not run`);
        }
      } catch (exception) {
        this.callExceptionHandler({ message: "Exception while closing a pending task", exception, task });
      }
    }
    // After the tasks' cleanup, which may retrieve an error, fail, or start an operation.
    this._sweep();
    for (const report of this._unretrieved) report();
    this._debug?.closed();
  }

  // ---- internals used by futures, tasks and the rest of the runtime ----

  /**
   * Moves the failures of this turn that no one looked at to `_unretrieved`, but for
   * those whose done callbacks (a gather's, an awaiting task's) have not run yet, which
   * are left for the next turn to see: an iteration in which 10,000 tasks fail ends the
   * host turn before the gather of them reads a single one, and noting each (reading its
   * stack) took most of the time they took to fail. A closed loop runs no callbacks.
   */
  private _sweep(): void {
    for (const future of this._fresh) {
      if (future._callbacks === null || this._closed) {
        this._fresh.delete(future);
        this._failed(future);
      }
    }
  }

  /**
   * `future` failed, and no one looked at its error within the host turn. Until someone
   * does (`_markRetrieved`), it is reported once: when the garbage collector takes the
   * future, as asyncio reports it from `__del__`, or when the loop closes, whichever
   * comes first. What the report needs is taken now, since the future may be gone by
   * then: nothing here holds it but a WeakRef. A task's report runs in the task's
   * context as it was when it failed.
   */
  private _failed(future: Future<unknown>): void {
    const ref = weakRef(future);
    const holder = future instanceof Task && { _context: future._holder._context };
    const exception = future._result as Error | undefined;
    try {
      // V8 keeps an error's stack as frames, each with its function and receiver (the
      // task, in its step's frame), until something reads `stack`: read it now, or the
      // error would keep its task from ever being collected.
      void exception?.stack;
    } catch {
      // a getter of a user's own, or a prepareStackTrace, that throws: left as it is
    }
    const context: ExceptionContext = {
      message: `${future._typeName} exception was never retrieved`,
      exception,
      description: future._describe(),
      createdAt: this._debug?.annotate({ future } as ExceptionContext).createdAt,
    };
    const report = (): void => {
      const future = ref.deref();
      if (this._unretrieved.delete(report)) {
        callInContext(holder || running.holder, () =>
          this.callExceptionHandler({ ...context, future, task: future instanceof Task ? future : undefined }),
        );
      }
    };
    this._unretrieved.add(report);
    this._reports.set(future, report);
    collected?.register(future, report, future);
  }

  /**
   * @internal `future` failed. A closed loop has no more turns to sweep its fresh
   * failures, so there the collector's report is the only one left.
   */
  _noteFailure(future: Future<unknown>): void {
    if (this._closed) this._failed(future);
    else this._fresh.add(future);
  }

  /** @internal Someone has seen `future`'s error: it is not reported. */
  _retrieved(future: Future<unknown>): void {
    if (!this._fresh.delete(future)) {
      this._unretrieved.delete(this._reports.get(future)!);
      collected?.unregister(future);
    }
  }

  /** @internal Schedules `runnable` for the next iteration; returns its id. */
  _soon(runnable: Runnable): number {
    const id = this._allocate(runnable);
    try {
      this._core.readyPush(id);
    } catch (error) {
      this._release(id);
      throw error;
    }
    if (!this._inTurn && this._running) this._queueTurn();
    return id;
  }

  /** @internal Schedules `runnable` at loop time `when`; returns its timer id. */
  _at(runnable: Runnable, when: number): number {
    const id = this._allocate(runnable);
    try {
      this._core.timerAdd(id, when);
    } catch (error) {
      this._release(id);
      throw error;
    }
    if (!this._inTurn && this._running) this._armHost();
    return id;
  }

  /** Frees an id that will not run: a cancelled timer's, or one the core refused (out of memory). */
  private _release(id: number): void {
    this._table[id] = undefined;
    this._free.push(id);
  }

  /** Gives `runnable` an id (a recycled one if any is free) and enters it in the table. */
  private _allocate(runnable: Runnable): number {
    this._checkOpen();
    const id = this._free.length > 0 ? this._free.pop()! : this._table.length;
    this._table[id] = runnable;
    return id;
  }

  /**
   * @internal Takes back what id `id` was scheduled to run (a handle or a sleeping task
   * cancelled). A pending timer leaves the core and its id is freed at once. An id
   * already in the ready queue (a callSoon, or a timer that expired in this iteration)
   * or in the batch being run stays queued but does nothing when its turn comes; its id
   * is freed then, as for any dispatched entry.
   */
  _unschedule(id: number): void {
    if (this._closed) return;
    if (this._core.timerCancel(id)) {
      this._release(id);
      // Cancelled by host code, between turns: a host timer set for it would wake the loop
      // for nothing, and keep the process alive until then.
      if (!this._inTurn && this._hostTimer !== undefined && this._hostTimerAt < this._core.timerNext()) {
        this._clearHostTimer();
        this._armHost();
      }
    } else {
      this._table[id] = INERT;
    }
  }

  /** @internal `until()`, or an async callback, started or stopped waiting on a foreign promise. */
  _foreign(delta: 1 | -1): void {
    // The last one settled (or was cancelled) outside a turn, perhaps with no task
    // awaiting it yet: virtual time has nothing to wait for any more, so the autojump
    // timer set for it must not be left to run out.
    if ((this._foreignPending += delta) === 0 && this._running && !this._inTurn) this._armHost();
  }

  // ---- running ----

  /** Starts running; `_checkNotRunning` has made sure no loop runs. */
  private _start(onStopped: () => void): void {
    this._running = true;
    // A stop() before the run is kept, as asyncio keeps it: the run does one iteration.
    this._onStopped = onStopped;
    this._startSlice(); // the host's task that runs the loop: the first turn is in it
    this._queueTurn();
  }

  /** The host's task that runs now starts its budget of loop work. */
  private _startSlice(): void {
    this._sliceWork = 0;
    this._sliceEnd = performance.now() + TURN_BUDGET_MS;
    this._hostHadTask = false;
  }

  /** The loop is idle after a turn: note when the host next runs a task of its own. */
  private _markIdle(): void {
    if (this._idleMarkQueued) return;
    this._idleMarkQueued = true;
    afterHostTask(this._hostTaskRan);
  }

  private readonly _hostTaskRan = (): void => {
    this._idleMarkQueued = false;
    this._hostHadTask = true;
  };

  /**
   * Queues a turn for work that arrived outside one. In a microtask while the host's task
   * has budget left: a task that awaits only settled promises (`until`, or `forAwait` over
   * buffered items) wakes the loop from microtasks without end, and would keep the host
   * from its timers, I/O and rendering, as native `for await` does. Past the budget, in a
   * macrotask, as a busy turn yields.
   */
  private _queueTurn(): void {
    if (this._turnQueued) return;
    this._turnQueued = true;
    if (this._hostHadTask) this._startSlice();
    this._chained = performance.now() < this._sliceEnd && this._sliceWork < TURN_BUDGET_WORK;
    if (this._chained) queueMicrotask(this._turn);
    else yieldToHost(this._hostTurn);
  }

  private _yieldToHost(): void {
    if (this._turnQueued) return;
    this._turnQueued = true;
    yieldToHost(this._hostTurn);
  }

  /**
   * What a macrotask or a host timer calls: the turn, in a microtask of the same host task
   * (nothing else runs in between). Outside a microtask, V8 makes every `throw` build a
   * message with its source position, for an embedder that might report it: thrown from
   * a macrotask itself, each CancelledError thrown into a coroutine cost several times as
   * much (W4: 10,000 cancellations; see BENCHMARKS.md).
   */
  private readonly _hostTurn = (): void => queueMicrotask(this._turn);

  /** One host turn: loop iterations until idle, stopped, or out of budget. */
  private readonly _turn = (): void => {
    this._turnQueued = false;
    if (!this._running) return;
    this._clearHostTimer();
    const outer = running.loop;
    running.loop = this;
    this._inTurn = true;
    // A turn from a macrotask or a host timer starts the host's task, and its budget; a
    // turn queued in a microtask goes on with the budget of the task it is in.
    if (!this._chained) this._startSlice();
    this._chained = false;
    // Work since the clock was last read: callbacks, and one per iteration. Counting
    // callbacks rather than iterations keeps an iteration of 10,000 callbacks from running
    // many times over the budget. The clock is read after the first iteration, then every
    // 64 units of work while the work is quick, which keeps the read (about 50 ns) off the
    // hot path (a switch between two tasks is two units), and at every iteration while
    // the work since the last read took a millisecond or more: steps of 20 ms each let the
    // host in after one, not after 32.
    let work = 0;
    let readAfter = 1;
    let lastRead = this._sliceEnd - TURN_BUDGET_MS;
    let fatal: unknown = undefined;
    try {
      for (;;) {
        this._beforeIteration?.();
        work += this._runOnce() + 1;
        if (this._stopping) break;
        if (this._core.readyCount() === 0 && !this._advanceWhenIdle()) break;
        if (work >= readAfter) {
          this._sliceWork += work;
          work = 0;
          const now = performance.now();
          if (this._sliceWork >= TURN_BUDGET_WORK || now >= this._sliceEnd) break;
          readAfter = now - lastRead >= 1 ? 1 : 64;
          lastRead = now;
        }
      }
    } catch (error) {
      fatal = error; // an internal failure: the core out of memory, or a hook of the loop's that threw
    } finally {
      this._sliceWork += work;
      this._inTurn = false;
      running.loop = outer;
    }
    this._sweep();
    if (fatal !== undefined) {
      this.callExceptionHandler({ message: "the event loop stopped on an internal error", exception: fatal });
      this._stopping = true;
    }
    if (this._stopping) this._finishRunning();
    else {
      this._armHost();
      if (!this._turnQueued) this._markIdle();
    }
  };

  /**
   * Nothing is ready. Returns true if the loop should iterate again at once: a timer is
   * due (real clock), or virtual time can jump to the next deadline.
   */
  private _advanceWhenIdle(): boolean {
    const next = this._core.timerNext();
    if (next === Infinity) return false;
    const virtual = this._virtual;
    if (virtual === null) return next <= this._clock.now();
    if (this._foreignPending > 0) return false;
    virtual.advanceTo(next);
    return true;
  }

  /**
   * asyncio's `_run_once`: expire timers, then run exactly the callbacks ready now.
   * Returns how many that was.
   */
  private _runOnce(): number {
    const core = this._core;
    if (core.timerCount() > 0) core.expire(this._clock.now());
    const count = core.readyCount();
    let remaining = count;
    const table = this._table;
    const free = this._free;
    const debug = this._debug;
    while (remaining > 0) {
      const n = core.readyTake(remaining);
      remaining -= n;
      let out = core.out();
      for (let i = 0; i < n; i++) {
        // A callback can make the core grow its memory, which detaches the view (its
        // length drops to 0); the ids themselves stay where they are.
        if (out.length === 0) out = core.out();
        const id = out[i]!;
        const runnable = table[id]!;
        table[id] = undefined;
        free.push(id);
        try {
          if (debug === null) runnable._run();
          else debug.run(runnable);
        } catch (error) {
          this._callbackFailed(runnable, error);
        }
      }
    }
    return count;
  }

  /** @internal Reports what a callback (or an async one's promise) threw, or a task's step. */
  _callbackFailed(runnable: Runnable, error: unknown): void {
    this.callExceptionHandler({
      message: `Exception in callback ${String(runnable)}`,
      exception: error,
      handle: runnable instanceof Handle ? runnable : undefined,
    });
  }

  /**
   * @internal A done callback of `future` threw `error`: reported as asyncio reports it,
   * about the callback's handle, not the future, so that the handler runs in the
   * callback's context (which `holder` holds), not in a task's.
   */
  _doneCallbackFailed(
    future: Future<any>,
    callback: (future: Future<any>) => void,
    error: unknown,
    holder: ContextHolder | undefined,
  ): void {
    const handle = new Handle(this, callback, [future]);
    if (holder !== undefined) handle._context = holder._context;
    this.callExceptionHandler({
      message: `Exception in callback ${functionName(callback) || "anonymous"}(${future._describe()})`,
      exception: error,
      handle,
    });
  }

  /** After a turn: come back for ready work, the next deadline, or an autojump. */
  private _armHost(): void {
    if (!this._running) return;
    if (this._core.readyCount() > 0 || this._stopping) {
      this._yieldToHost();
      return;
    }
    const next = this._core.timerNext();
    if (next === Infinity) {
      this._clearHostTimer();
      return;
    }
    if (this._virtual !== null) {
      // Virtual time stops here only to give the host a turn, or while foreign promises
      // are pending: they get the autojump threshold of real time, then time jumps anyway.
      if (this._foreignPending === 0) this._yieldToHost();
      else this._setHostTimer(this._autojumpThreshold, this._autojump);
      return;
    }
    const delay = Math.ceil(next - this._clock.now());
    if (delay <= 0) {
      this._yieldToHost();
      return;
    }
    if (this._hostTimer !== undefined && this._hostTimerAt <= next) return;
    this._setHostTimer(delay, this._hostTurn);
    this._hostTimerAt = next;
  }

  private readonly _autojump = (): void => {
    this._hostTimer = undefined;
    if (!this._running || this._core.readyCount() > 0) return;
    // The timer that was next may have been cancelled since (from host code): then
    // nothing is due, and time stays where it is rather than jumping to Infinity.
    const next = this._core.timerNext();
    if (next !== Infinity) this._virtual!.advanceTo(next);
    this._hostTurn();
  };

  private _setHostTimer(delay: number, callback: () => void): void {
    this._clearHostTimer();
    this._hostTimer = setTimeout(callback, Math.min(Math.max(delay, 0), MAX_HOST_DELAY));
  }

  private _clearHostTimer(): void {
    if (this._hostTimer !== undefined) {
      clearTimeout(this._hostTimer);
      this._hostTimer = undefined;
      this._hostTimerAt = Infinity;
    }
  }

  private _finishRunning(): void {
    this._running = false;
    this._stopping = false;
    this._clearHostTimer();
    const onStopped = this._onStopped;
    this._onStopped = null;
    onStopped?.();
  }

  private _checkOpen(): void {
    if (this._closed) throw new RuntimeError("Event loop is closed");
  }

  private _checkNotRunning(): void {
    if (this._running) throw new RuntimeError("This event loop is already running");
    if (running.loop !== null) throw new RuntimeError("Cannot run the event loop while another loop is running");
  }

  private _checkCallback(callback: unknown, what: string): void {
    this._checkOpen();
    if (typeof callback !== "function") {
      throw new TypeError(`${what}() needs a function to call, got ${describe(callback)}`);
    }
    refuseGeneratorCallback(callback, what, this._debug !== null);
  }
}

/** What the default exception handler prints of one report. */
function printReport(context: ExceptionContext): void {
  let text = "wasyncio: an error was reported";
  try {
    const about = context.task ?? context.future ?? context.handle ?? context.description;
    // A context without a message (the types require one; plain JavaScript may not give
    // one) reads as asyncio's does, not as "undefined".
    text = `wasyncio: ${context.message || "Unhandled exception in event loop"}${about === undefined ? "" : `\n  ${String(about)}`}`;
    if (context.createdAt !== undefined) text += `\n  created at:\n${context.createdAt}`;
    // `in`, not `!== undefined`: a callback that throws undefined is still said to. The
    // exception starts a line of its own, not the end of the trace's last.
    if ("exception" in context) console.error(context.createdAt === undefined ? text : `${text}\n `, context.exception);
    else console.error(text);
  } catch {
    // An exception whose stack or message getter throws, or whose inspection does (Node
    // inspects what console.error is given): the report says so, and the loop goes on.
    console.error(text, "(the error cannot be printed)");
  }
}
