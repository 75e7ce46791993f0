import { getRunningLoop } from "./running.js";
import type { TaskBody } from "./coroutine.js";
import type { Task } from "./task.js";
import type { EventLoop, TaskOptions } from "./loop.js";
import { loopArgument } from "./loop-argument.js";

/**
 * Schedules a coroutine to run concurrently, as a Task on the running loop.
 *
 * @example
 * ```ts
 * function* main() {
 *   const task = createTask(download(url), { name: "download" });
 *   // ... do other things ...
 *   const body = yield* task;
 * }
 * ```
 */
export function createTask<T>(body: TaskBody<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(body, options);
}

/**
 * The tasks of a loop (default: the running one) that are not done yet.
 *
 * @example
 * ```ts
 * function* main() { console.log([...allTasks()].map((t) => t.getName())); }
 * ```
 */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  return new Set(loopArgument(loop, "allTasks()")._tasks);
}


