import { RuntimeError } from "./errors.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";

/**
 * What is running right now. JS runs one callback at a time, so one record is exact:
 * the loop sets `loop` for the length of a turn, and a task sets `task` for the length
 * of its step.
 */
export const running: {
  loop: EventLoop | null;
  task: Task<unknown> | null;
  /**
   * The context variables' values outside any task (see context-var.ts); a task keeps
   * its own in `_context`. Never mutated, only replaced.
   */
  topContext: ReadonlyMap<object, unknown>;
} = {
  loop: null,
  task: null,
  topContext: new Map(),
};

/** The context variables' values where code runs now: its task's, or the top level's. */
export function currentContext(): ReadonlyMap<object, unknown> {
  const task = running.task;
  return task === null ? running.topContext : task._context;
}

/** Replaces the context of the code running now (ContextVar.set and reset). */
export function replaceContext(context: ReadonlyMap<object, unknown>): void {
  const task = running.task;
  if (task === null) running.topContext = context;
  else task._context = context;
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
  if (loop === null) throw new RuntimeError("no running event loop");
  return loop;
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
