import { RuntimeError } from "./errors.js";
import { gather } from "./gather.js";
import { EventLoop, type LoopOptions } from "./loop.js";
import { running } from "./running.js";
import type { TaskBody } from "./coroutine.js";

/**
 * Runs `main` on a new event loop and resolves with what it returns (asyncio.run). When
 * `main` finishes, tasks still running are cancelled and waited for, then the loop is
 * closed. Accepts a generator or a generator function.
 *
 * @throws RuntimeError at once when called from inside a running loop.
 * @example
 * ```ts
 * const answer = await run(function* () {
 *   yield* sleep(3_600_000); // an hour, in no time:
 *   return 42;
 * }, { clock: "virtual" });
 * ```
 */
export function run<T>(main: TaskBody<T>, options: LoopOptions = {}): Promise<T> {
  if (running.loop !== null) {
    throw new RuntimeError("run() cannot be called from a running event loop");
  }
  const loop = new EventLoop(options);
  let result: Promise<T>;
  try {
    result = loop.runUntilComplete(loop.createTask(main));
  } catch (error) {
    loop.close();
    throw error;
  }
  return result.finally(async () => {
    try {
      await cancelRemainingTasks(loop);
      // asyncio.run then runs the loop twice more, to shut down async generators and the
      // default executor; callbacks still pending run there (a gather taking note of a
      // child that failed late, say). Two empty tasks make the same loop iterations.
      await loop.runUntilComplete(nothingLeftToShutDown);
      await loop.runUntilComplete(nothingLeftToShutDown);
    } finally {
      loop.close();
    }
  });
}

/** What run()'s shutdown steps have to do (wasyncio has no async generators or executor yet). */
function* nothingLeftToShutDown(): Generator<never, void> {}

/** Cancels what `main` left running, waits for it, and reports errors it ended with. */
async function cancelRemainingTasks(loop: EventLoop): Promise<void> {
  const tasks = [...loop._tasks];
  if (tasks.length === 0) return;
  for (const task of tasks) task.cancel();
  await loop.runUntilComplete(gather(tasks, { returnExceptions: true }));
  for (const task of tasks) {
    if (!task.cancelled() && task.exception() !== undefined) {
      loop.callExceptionHandler({
        message: "unhandled exception during run() shutdown",
        exception: task.exception(),
        task,
      });
    }
  }
}
