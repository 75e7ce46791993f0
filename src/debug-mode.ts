import { RuntimeError } from "./errors.js";
import { describe, functionName } from "./describe.js";
import { refuseGeneratorCallback } from "./coroutine.js";
import { type DoneCallback, DoneCallbackRun, eachCallback, Future, FutureState, UserDoneCallback } from "./future.js";
import type { Runnable } from "./handle.js";
import type { DebugHooks, EventLoop, ExceptionContext } from "./loop.js";
import { watchNeverAwaited } from "./never-awaited.js";
import { checkDuration } from "./time-arguments.js";
import { optionsOf } from "./options.js";
import { loopArgument } from "./loop-argument.js";
import { formatTaskTree } from "./task-tree.js";

/** Options of {@link enableDebug}. */
export interface DebugOptions {
  /** The loop; the running loop if not given. */
  loop?: EventLoop | undefined;
  /**
   * A callback or task step that runs at least this many ms (of real time, whatever the
   * clock) is reported (asyncio's `slow_callback_duration`). Default 100.
   */
  slowCallbackDuration?: number | undefined;
  /** Where slow callbacks and operations never awaited are reported. Default: `console.warn`. */
  warn?: ((message: string) => void) | undefined;
}

/**
 * Turns on debug mode for a loop (asyncio's `loop.set_debug(True)`):
 *
 * - a callback or task step that holds the loop for `slowCallbackDuration` ms or more is
 *   reported, with where its task was created: `executing <Task pending name=parse> took
 *   250.3 ms`;
 * - every future and task remembers where it was created (a stack trace), and what the
 *   loop reports about one to its exception handler carries it as `createdAt`: for a
 *   task that failed with no one looking, or one left pending when the loop closed, it
 *   says which code started it;
 * - an operation that does nothing until awaited (`sleep()`, `lock.acquire()`,
 *   `queue.put()`, `timeout()`...) and is dropped without its `yield*` is reported when
 *   the garbage collector takes it, or when the loop closes, with where it was created: `put() on <Queue ...> was
 *   never awaited; is a yield* missing?` (asyncio's "coroutine ... was never awaited");
 *   a `yield sleep(10)` without its `*` is reported at once (the task is refused it
 *   with a TypeError in any mode), and one awaited a second
 *   time throws a RuntimeError (asyncio's "cannot reuse already awaited coroutine"),
 *   where it would give back nothing at once;
 * - an `async function*`, or another realm's `function*`, given as a callback (to
 *   `callSoon`, `addDoneCallback`...) is refused, as this realm's `function*` is in any
 *   mode: calling it would only make a generator (asyncio's debug mode refuses a
 *   coroutine function the same way);
 * - in Node, a process that ends because the promise of a `run()` can never settle (exit
 *   code 13: its tasks wait for each other, or for what will never come) reports what
 *   each task of the loop waits on, where Node would say nothing.
 *
 * It costs a clock read per callback, and a stack trace per future and per operation, so
 * it is for finding bugs, not for production. Programs that do not import it do not ship it.
 *
 * @example
 * ```ts
 * await run(function* () {
 *   enableDebug({ slowCallbackDuration: 50 });
 *   yield* main();
 * });
 * ```
 */
export function enableDebug(debugOptions?: DebugOptions): void {
  const options = optionsOf(debugOptions, "enableDebug()", "loop slowCallbackDuration warn");
  const loop = loopArgument(options.loop, "enableDebug()");
  const slow = checkDuration(options.slowCallbackDuration ?? 100, "enableDebug(): slowCallbackDuration");
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (typeof warn !== "function") throw new TypeError(`enableDebug(): warn must be a function, got ${describe(warn)}`);
  refuseGeneratorCallback(warn, "enableDebug()'s warn", true);
  // Turned on again (to change its options, say): what the first one watches is still
  // reported when the loop closes.
  const previous = loop._debug as DebugMode | null;
  loop._debug = new DebugMode(loop, slow, warn, previous?.unstarted);
  if (!loop.isClosed()) reportAtStuckExit(loop);
}

/**
 * The loops whose debug mode is on, not closed yet, that may be stuck, for
 * {@link reportAtStuckExit}. Held strongly: a deadlocked loop may be reachable from
 * nothing else. But only while it may be stuck, that is running: one that is not is let
 * go of when debug mode comes on for another (a program that makes loops and never closes
 * them would otherwise keep them all), and noted again when it next runs a callback.
 */
let openLoops: Set<EventLoop> | undefined;

/**
 * In Node, reports the tasks of the debug-mode loops still running when the process
 * exits with code 13, which Node gives when a top-level `await` can never settle: the
 * `run()` of a program whose tasks deadlocked (a lock never released, a `join()` whose
 * items are never marked done). Node itself says only that the await never settled.
 */
function reportAtStuckExit(loop: EventLoop): void {
  type Host = { once?: (event: "exit", listener: () => void) => unknown; exitCode?: unknown };
  const host = (globalThis as { process?: Host }).process;
  if (typeof host?.once !== "function") return;
  if (openLoops === undefined) {
    const loops = (openLoops = new Set());
    // The listener is given 0 then: Node has set only `process.exitCode`.
    host.once("exit", () => {
      // A loop whose debug mode was turned off since is not reported.
      if (host.exitCode === 13) for (const open of loops) (open._debug as DebugMode | null)?.stuck();
    });
  }
  for (const open of openLoops) if (!open.isRunning()) openLoops.delete(open);
  openLoops.add(loop);
}

/**
 * Turns debug mode off again: futures created from now on are not traced, and callbacks
 * are no longer timed. An operation made while it was on and never awaited is still
 * reported.
 *
 * @param loop The loop; the running loop if not given.
 * @example
 * ```ts
 * enableDebug({ loop });
 * await loop.runUntilComplete(suspect());
 * disableDebug(loop);
 * ```
 */
export function disableDebug(loop?: EventLoop): void {
  const target = loopArgument(loop, "disableDebug()");
  const debug = target._debug as DebugMode | null;
  if (debug === null) return;
  target._debug = null;
  openLoops?.delete(target);
  // The operations made while it was on and never started are still reported when the
  // loop closes, as those of a loop closed in debug mode are.
  if (debug.unstarted.size > 0) target._unretrieved.add(() => debug.closed());
}

/**
 * Whether debug mode is on for a loop (asyncio's `loop.get_debug()`).
 *
 * @param loop The loop; the running loop if not given.
 * @example
 * ```ts
 * if (isDebugEnabled()) console.log("slow callbacks are reported");
 * ```
 */
export function isDebugEnabled(loop?: EventLoop): boolean {
  return loopArgument(loop, "isDebugEnabled()")._debug !== null;
}

/** What the loop calls while debug mode is on. */
class DebugMode implements DebugHooks {
  /**
   * Where each future was created, as text; weak, so that traced futures are collected
   * as usual. Text at once, not a stack to read later as an operation's is: a stack not
   * yet read holds every frame's `this`, so a child's would keep the task that created
   * it, done or not, and its locals, for as long as the child lives.
   */
  private readonly createdAt = new WeakMap<Future<unknown>, string>();
  /**
   * The reports of the operations made on the loop and not started yet, by a token of
   * each: what is still here when the loop closes was never awaited, and is reported
   * then, rather than only if the collector takes it while the program still runs.
   */
  readonly unstarted: Map<object, Report>;

  constructor(
    private readonly loop: EventLoop,
    private readonly slowCallbackDuration: number,
    private readonly warn: (message: string) => void,
    unstarted = new Map<object, Report>(),
  ) {
    this.unstarted = unstarted;
  }

  created(future: Future<unknown>): void {
    this.createdAt.set(future, takeStack().stack ?? "");
  }

  run(runnable: Runnable): void {
    openLoops?.add(this.loop); // again, if it was let go of while it was not running
    if (runnable instanceof Future && runnable._state !== FutureState.Pending) {
      // A done future runs its done callbacks, which share its ready slot (see
      // Future._settle): each is timed and named on its own, as each of asyncio's has a
      // handle. So a slow task step after an await is that task's, and two quick
      // callbacks do not add up to one slow one. (A pending task runs its step.)
      const future = runnable as Future<unknown>;
      const callbacks = future._callbacks;
      future._callbacks = null;
      for (const callback of eachCallback(callbacks)) {
        this.timed(callback, future, () => future._invoke(callback));
      }
    } else if (runnable instanceof DoneCallbackRun) {
      this.timed(runnable._callback, runnable._future, () => runnable._run());
    } else {
      this.timed(runnable, null, () => runnable._run());
    }
  }

  /** Runs `run`, and reports it as `what` (a done callback of `future`) if it was slow. */
  private timed(what: Runnable | DoneCallback, future: Future<unknown> | null, run: () => void): void {
    const started = performance.now();
    try {
      run();
    } finally {
      const took = performance.now() - started;
      if (took >= this.slowCallbackDuration) {
        const createdAt = this.createdAt.get(what as Future<unknown>);
        this.say(
          `wasyncio: executing ${describeRun(what, future)} took ${took.toFixed(1)} ms` +
            (createdAt === undefined ? "" : `\n  created at:\n${callerFrames(createdAt)}`),
        );
      }
    }
  }

  watch<T extends object>(op: T, what: string, on: object | undefined): T {
    // Described when it is needed: a second await names its subject as it is by then.
    const subject = (): string => `${what}${on === undefined ? "" : ` on ${String(on)}`}`;
    const token = {};
    const reused = (): never => {
      throw new RuntimeError(`${subject()} was awaited already: an operation runs once, so call ${what} again for another`);
    };
    this.unstarted.set(token, this.reporter(subject()));
    const watch = watchCalls(this.unstarted, token);
    return watchNeverAwaited(op, watch.report, reused, watch.started);
  }

  /**
   * What reports the operation made here, dropped or yielded without its `*`. The stack
   * is in a scope of its own, so that only the report holds it, not the check for a
   * second await, which lives as long as the operation (see watchNeverAwaited).
   */
  private reporter(subject: string): Report {
    const createdAt = takeStack();
    return (yieldedBare) => {
      const problem = yieldedBare
        ? "was yielded, not delegated to: write `yield*`"
        : "was never awaited; is a yield* missing?";
      this.say(`wasyncio: ${subject} ${problem}\n  created at:\n${callerFrames(createdAt.stack ?? "")}`);
    };
  }

  closed(): void {
    openLoops?.delete(this.loop);
    const reports = [...this.unstarted.values()];
    this.unstarted.clear();
    for (const report of reports) report();
  }

  /** The process is exiting with this loop running, stuck (see reportAtStuckExit). */
  stuck(): void {
    if (!this.loop.isRunning()) return;
    this.say(
      "wasyncio: the process is exiting because a run() of this loop can never finish (Node's exit code 13): " +
        `its tasks wait on what will not come\n${formatTaskTree(this.loop)}`,
    );
  }

  private say(message: string): void {
    try {
      this.warn(message);
    } catch (error) {
      // A `warn` that throws is a callback that throws: reported, and the loop goes on.
      this.loop.callExceptionHandler({ message: "Exception in debug mode's warn()", exception: error });
    }
  }

  annotate(context: ExceptionContext): ExceptionContext {
    if (context.createdAt !== undefined) return context;
    const about = context.task ?? context.future;
    const createdAt = about === undefined ? undefined : this.createdAt.get(about);
    return createdAt === undefined ? context : { ...context, createdAt: callerFrames(createdAt) };
  }
}

/** Reports an operation never awaited, or, given true, yielded without its `*`. */
type Report = (yieldedBare?: true) => void;

/**
 * What the watch of the operation whose report is `unstarted`'s at `token` calls: `report` once, when the
 * collector takes it unstarted, when a task reads it yielded bare, or when the loop
 * closes (see `closed`); `started` when it is first used, after which it is not
 * reported. They hold the list of reports, never the report, its debug mode or its
 * loop: the watch lives as long as the operation, which a program may keep long after
 * the loop closed. (Made here, outside DebugMode, for V8 gives closures their whole
 * scope.)
 */
function watchCalls(unstarted: Map<object, Report>, token: object): { report: Report; started: () => void } {
  return {
    report(yieldedBare) {
      const report = unstarted.get(token);
      if (unstarted.delete(token)) report!(yieldedBare);
    },
    started: () => void unstarted.delete(token),
  };
}

/**
 * The stack as it is now: taking one costs about 11 µs here, and turning it into text
 * as much again, which V8 does on the first read of `stack`. An operation's is read only
 * if it is shown (debug mode takes one per operation, and shows few); it is gone once
 * the operation is awaited.
 */
function takeStack(): Error {
  const errorClass = Error as { stackTraceLimit?: number | undefined };
  const limit = errorClass.stackTraceLimit;
  errorClass.stackTraceLimit = 30; // V8 and JavaScriptCore keep 10 by default
  const taken = new Error();
  errorClass.stackTraceLimit = limit;
  return taken;
}

/**
 * The frames of a stack taken by {@link takeStack} that show the code that created a
 * future or an operation: the ones between the runtime's on top (`takeStack`, the
 * future's constructor, `createTask`...) and the runtime's below (the task step that ran
 * that code). Runtime frames are told by where their code comes from, the runtime's own
 * folder; where a program is bundled into one file with the runtime, that tells nothing
 * apart, and every frame is kept.
 */
function callerFrames(stack: string): string {
  // Frames are V8's "    at ..." lines, or "function@url:line:column" elsewhere; the
  // line naming the error ("Error", or "Error: " under some tools) is not one.
  const frames = stack.split("\n").filter((line) => /^\s+at |@/.test(line));
  const runtime = originOf(frames[0] ?? "");
  const first = frames.findIndex((frame) => originOf(frame) !== runtime);
  if (first < 0) return frames.join("\n");
  // Below the creating code come the runtime's frames that ran its step, and the host's
  // under them: they say nothing about where the future came from.
  const last = frames.findIndex((frame, i) => i > first && originOf(frame) === runtime);
  const caller = frames.slice(first, last < 0 ? undefined : last);
  return caller.some((frame) => originOf(frame) !== null) ? caller.join("\n") : frames.join("\n");
}

/**
 * Where a stack frame's code comes from: the folder of its file (`file:///app/src/`), or
 * the whole name of a file with no folder (`evalmachine.<anonymous>`); null for engine
 * frames with no file (`Generator.next (<anonymous>)`, native code). V8 writes frames as
 * `at f (url:1:2)` or `at url:1:2`, other engines as `f@url:1:2`.
 */
function originOf(frame: string): string | null {
  const location = frame.includes("(")
    ? frame.slice(frame.lastIndexOf("(") + 1)
    : frame.replace(/^\s*at\s+/, "").replace(/^[^@]*@/, "");
  const file = location.replace(/(:\d+)*\)?\s*$/, "");
  if (file === "" || file === "<anonymous>" || file === "native" || file === "[native code]") return null;
  const slash = file.lastIndexOf("/");
  return slash < 0 ? file : file.slice(0, slash + 1);
}

/**
 * What ran, for a slow-callback report: a task (its step) or handle as it describes
 * itself, a done callback as asyncio's handle of it, `callback name(<Future finished>)`.
 */
function describeRun(what: Runnable | DoneCallback, future: Future<unknown> | null): string {
  const callback = what instanceof UserDoneCallback ? what._callback : what;
  if (future === null || typeof callback !== "function") return String(what);
  return `callback ${functionName(callback) || "anonymous"}(${future._describe()})`;
}
