import { retrieveIfFailed } from "./future.js";
import { gather } from "./gather.js";
import type { EventLoop } from "./loop.js";

/**
 * The end of `run()` and of `Runner.close()` (asyncio's): cancels the tasks left on the
 * loop and waits for them, closes the producers left open (as asyncio's
 * `shutdown_asyncgens()`), lets pending callbacks run, and closes the loop.
 */
export async function shutDown(loop: EventLoop): Promise<void> {
  try {
    await cancelRemainingTasks(loop);
    // asyncio then runs the loop twice more, to shut down async generators and the
    // default executor; callbacks still pending run there (a gather taking note of a
    // child that failed late, say). An empty task makes the same loop iterations.
    await loop.runUntilComplete(loop._openProducers?._closeAll() ?? nothingLeftToShutDown);
    await loop.runUntilComplete(nothingLeftToShutDown);
  } finally {
    loop.close();
  }
}

/** A shutdown step with nothing to do (no producers left open; executors are shut down by their owners). */
function* nothingLeftToShutDown(): Generator<never, void> {}

/** Cancels what the main coroutines left running, waits for it, and reports errors it ended with. */
async function cancelRemainingTasks(loop: EventLoop): Promise<void> {
  const tasks = [...loop._tasks];
  if (tasks.length === 0) return;
  for (const task of tasks) task.cancel();
  await loop.runUntilComplete(gather(tasks, { returnExceptions: true }));
  for (const task of tasks) {
    if (retrieveIfFailed(task)) {
      loop.callExceptionHandler({
        message: "unhandled exception during run() shutdown",
        exception: task._result,
        task,
      });
    }
  }
}
