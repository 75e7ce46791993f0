import { Context } from "./context.js";
import { describe } from "./describe.js";
import { running } from "./running.js";
import { Task } from "./task.js";

/**
 * The Context a task runs in (asyncio's `Task.get_context()`): the one it was created
 * with (`createTask(body, { context })`), or else one that holds the task's own context
 * variables from now on, the same object at every call. What the task sets later is read
 * through it, and what `run()` sets in it while the task waits, the task reads. As in
 * asyncio, a task cannot `run()` its own context while it is running: that context is
 * entered already.
 *
 * A function rather than a Task method, so that programs that never call it do not
 * bundle the Context class.
 *
 * @example
 * ```ts
 * const requestId = new ContextVar<string>("requestId");
 * for (const task of allTasks()) console.log(task.getName(), taskContext(task).get(requestId));
 * ```
 */
export function taskContext(task: Task<unknown>): Context {
  if (!(task instanceof Task)) throw new TypeError(`taskContext() needs a Task, got ${describe(task)}`);
  const holder = task._holder;
  if (holder !== task) return holder as Context;
  const context = new Context();
  context._context = task._context;
  // Asked from inside the task's own step, or from an eager child's first step within
  // it: entered until that step ends (Task._markEntered).
  context._entered = running.task === task || running._outerSteps.includes(task);
  task._holder = context;
  return context;
}
