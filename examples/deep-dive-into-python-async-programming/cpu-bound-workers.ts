/**
 * "Example: CPU-Bound Computation", with threading and with multiprocessing: four runs of
 * a counting loop at once. One twin serves both snippets.
 *
 * ```python
 * def cpu_bound_task(task_id):
 *     print(f"Task {task_id} started")
 *     start_time = time.time()
 *     result = 0
 *     for _ in range(10**7): # Simulate CPU-intensive computation
 *         result += 1
 *     end_time = time.time()
 *     duration = end_time - start_time
 *     print(f"Task {task_id} finished in {duration:.4f} seconds, result: {result}")
 *
 * def main_threads():            # the multiprocessing snippet: multiprocessing.Process
 *     threads = []               # instead of threading.Thread, cpu_bound_task_process
 *     for i in range(4):         # instead of cpu_bound_task; the same otherwise
 *         thread = threading.Thread(target=cpu_bound_task, args=(i,))
 *         threads.append(thread)
 *         thread.start()
 *
 *     for thread in threads:
 *         thread.join() # Wait for all threads to complete
 * ```
 *
 * The article's point is the GIL: Python threads take turns on the counting loop, and
 * only processes run it in parallel. JavaScript has no GIL: a worker is a thread with
 * its own heap, so it runs in parallel like a process and starts like a thread. The twin
 * runs `cpu_bound_task` on a `WorkerExecutor` of four workers (one per thread or
 * process of the article), from four tasks gathered as the threads are joined. The
 * workers cannot print into the example's output in a set order, so each task prints for
 * its worker: "started" when it hands the call over, "finished" when the result is back,
 * in the order the workers finish (which varies from run to run, as it does for the
 * article's threads). The durations are each worker's own measure of its loop.
 *
 * Output (durations and the order of the "finished" lines vary):
 *
 * ```
 * Task 0 started
 * Task 1 started
 * Task 2 started
 * Task 3 started
 * Task 2 finished in 0.0123 seconds, result: 10000000
 * Task 0 finished in 0.0131 seconds, result: 10000000
 * Task 1 finished in 0.0128 seconds, result: 10000000
 * Task 3 finished in 0.0125 seconds, result: 10000000
 * ```
 */
import { type Coroutine, gather, WorkerExecutor } from "../../src/index.ts";
import { coroutineExample } from "../lib/example.ts";
import { typeScriptWorker } from "../lib/node-worker.ts";
import { print } from "../lib/py.ts";
import { article } from "./article.ts";
import type { functions } from "./cpu-bound.worker.ts";

const WORKER = new URL("./cpu-bound.worker.ts", import.meta.url);

export const example = coroutineExample({
  name: "cpu-bound-workers",
  title: "CPU-bound work on four worker threads",
  article: article.slug,
  section: "Example: CPU-Bound Computation (with threading, and with multiprocessing)",
  explanation: "Four counting loops on four workers (WorkerExecutor), in parallel like processes (no GIL); each loop takes tens of ms.",
  main: function* (): Coroutine<number[]> {
    const executor = new WorkerExecutor<typeof functions>(() => typeScriptWorker(WORKER), { maxWorkers: 4 });
    function* cpuBoundTask(taskId: number): Coroutine<number> {
      print(`Task ${taskId} started`);
      const { seconds, result } = yield* executor.call("cpuBoundTask", taskId);
      print(`Task ${taskId} finished in ${seconds.toFixed(4)} seconds, result: ${result}`);
      return result;
    }
    try {
      return yield* gather([0, 1, 2, 3].map((i) => cpuBoundTask(i))); // Wait for all tasks to complete
    } finally {
      yield* executor.shutdown();
    }
  },
});
