import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";

/**
 * What holds the context variables' values of the code running now: a task during its
 * steps, a callback while the loop runs it, a `Context` during its `run`, or the top
 * level. Its `_context` map is never mutated, only replaced (ContextVar.set and reset),
 * so copying a context is sharing a reference.
 */
export interface ContextHolder {
  /** @internal */
  _context: ReadonlyMap<object, unknown>;
}

/**
 * What is running right now. JS runs one callback at a time, so one record is exact:
 * the loop sets `loop` for the length of a turn, a task sets `task` for the length of its
 * step, and a callback or `Context.run` sets `entered` for the length of its call.
 */
export const running: {
  loop: EventLoop | null;
  task: Task<unknown> | null;
  /** The top level's context: where code outside any task step, callback or run runs. */
  holder: ContextHolder;
  /**
   * Whose context a call in progress runs in, innermost, if any: a `Context.run`'s, or,
   * while the loop runs a callback, the callback's own copy of the context it was
   * scheduled from (asyncio's `Context.run`), so what a callback sets stays its own. It
   * overrides the task's, as a `run` inside a step does. A task step leaves this alone
   * (steps are the hot path); the one step that can start inside such a call, an eager
   * task's first, clears it for its length.
   */
  entered: ContextHolder | null;
  /**
   * @internal Set by a sleep, to the task whose step it runs in, when `yield*` delegates to
   * it; read and cleared by that task when it parks on the sleep. A sleep that reaches a
   * task without it was yielded bare (`yield sleep(10)`), which is refused as asyncio
   * refuses a `yield` used instead of `yield from`. (A task, not a flag: one left by a
   * sleep stepped outside any task, or by an eager child's, names another, so no step
   * needs to clear it first.)
   */
  _sleepDelegatedBy: Task<unknown> | null;
  /**
   * @internal The tasks whose step is in progress under the running one's: an eager
   * task's first step runs inside its creator's. Outermost first.
   */
  _outerSteps: Task<unknown>[];
} = {
  loop: null,
  task: null,
  holder: { _context: new Map() },
  entered: null,
  _sleepDelegatedBy: null,
  _outerSteps: [],
};

/**
 * Whose context the code running now reads and sets: the Context being run, else the
 * running task's (its own, or the Context it was created with), else the callback's or
 * the top level's.
 */
export function contextOwner(): ContextHolder {
  return running.entered ?? running.task?._holder ?? running.holder;
}

/** The context variables' values where code runs now. */
export function currentContext(): ReadonlyMap<object, unknown> {
  return contextOwner()._context;
}

/** Replaces the context of the code running now (ContextVar.set and reset). */
export function replaceContext(context: ReadonlyMap<object, unknown>): void {
  contextOwner()._context = context;
}

/**
 * Calls `callback(...args)` in `holder`'s context, as the loop calls a scheduled
 * callback: what the callback sets with ContextVar stays in `holder` and is gone after.
 * Called from inside a task's step or a `Context.run` (the exception handler can be),
 * it is still `holder`'s context the callback runs in, as asyncio's `Context.run` would.
 */
export function callInContext(holder: ContextHolder, callback: (...args: any[]) => unknown, args?: unknown[]): unknown {
  const outer = running.entered;
  running.entered = holder;
  try {
    return args === undefined ? callback() : callback(...args);
  } finally {
    running.entered = outer;
  }
}

/**
 * The event loop that is running the current callback or task step.
 *
 * @throws RuntimeError outside a loop turn (for example in plain async code).
 * @example
 * ```ts
 * function* main() { const loop = getRunningLoop(); console.log(loop.time()); }
 * ```
 */
export function getRunningLoop(): EventLoop {
  const loop = running.loop;
  if (loop === null) throw noRunningLoop();
  return loop;
}

/** @internal asyncio's error for code that needs a running loop outside one; `more` says more. */
export function noRunningLoop(more = ""): RuntimeError {
  return new RuntimeError("no running event loop" + more);
}

/**
 * The task whose step is running, or null in a plain callback or outside a loop.
 *
 * @example
 * ```ts
 * function* worker() { console.log(currentTask()?.getName()); }
 * ```
 */
export function currentTask(): Task<unknown> | null {
  return running.task;
}
